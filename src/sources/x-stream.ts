/**
 * The filtered stream: its rules kept equal to the configured queries, each post that
 * arrives delivered as a one-mention batch. twitter-api-v2 reconnects a dropped stream
 * by itself; a refusal (bad token, no access, usage cap) closes it and ends the listener
 * with the matching {@link SourceError} so the scheduler waits or disables it.
 */
import { ApiResponseError, ETwitterStreamEvent, type TwitterApi } from 'twitter-api-v2';
import type { ListenContext } from './source.js';
import type { XBudget } from './x-budget.js';
import { X_TWEET_PARAMS, toSourceError, type XErrorContext, problemText } from './x-client.js';
import { mapPage, postIdsOf, userIdsOf, type XAccount, type XPage } from './x-map.js';
import { SourceDisabledError } from './source-errors.js';

/** Tag on the stream rules this service owns; rules with other tags are left alone. */
export const X_RULE_TAG = 'mention-triage';

export interface XStreamOptions {
  api: TwitterApi;
  sourceName: string;
  /** The stream's rules: exactly these, tagged {@link X_RULE_TAG}. */
  queries: string[];
  account: XAccount;
  budget: XBudget;
  errorContext(what: string, now: Date): XErrorContext;
}

/** What {@link syncStreamRules} changed. */
export interface RuleChanges {
  added: string[];
  deleted: string[];
}

/**
 * Makes the stream's rules tagged `tag` equal `queries`: deletes ours that are no longer
 * configured and adds the missing ones, leaving other rules of the app untouched.
 */
export async function syncStreamRules(api: TwitterApi, queries: string[], sourceName: string, tag = X_RULE_TAG): Promise<RuleChanges> {
  const current = await api.v2.streamRules();
  const ours = (current.data ?? []).filter((rule) => rule.tag === tag);
  const deleted = ours.filter((rule) => !queries.includes(rule.value));
  const added = [...new Set(queries)].filter((q) => !ours.some((rule) => rule.value === q));
  if (deleted.length) await api.v2.updateStreamRules({ delete: { ids: deleted.map((rule) => rule.id) } });
  if (added.length) {
    const refused = (errors: unknown) => {
      const list = Array.isArray(errors) ? (errors as Array<{ value?: string; title?: string; details?: string[] }>) : [];
      const first = list.find((e) => e.title !== 'DuplicateRule');
      if (!first) return;
      const why = [first.title, ...(first.details ?? [])].filter(Boolean).join(': ');
      throw new SourceDisabledError(`X refused the stream rule "${first.value ?? '?'}" (${why}): fix the queries of source "${sourceName}" in sources.yaml.`);
    };
    try {
      const result = await api.v2.updateStreamRules({ add: added.map((value) => ({ value, tag })) });
      refused(result.errors);
    } catch (error) {
      if (error instanceof ApiResponseError && error.code === 400) refused((error.data as { errors?: unknown }).errors);
      throw error;
    }
  }
  return { added, deleted: deleted.map((rule) => rule.value) };
}

/** Holds the filtered stream open until `context.signal` aborts; see the module comment. */
export async function listenToXStream(options: XStreamOptions, context: ListenContext): Promise<void> {
  const { api, budget, account, sourceName } = options;
  const log = context.log.child({ stream: 'x-filtered' });
  const mapError = (error: unknown, what: string) => toSourceError(error, options.errorContext(what, context.now()));
  if (context.signal.aborted) return;

  try {
    await budget.assertWithin(context.kv, context.now());
    const changes = await syncStreamRules(api, options.queries, sourceName);
    if (changes.added.length || changes.deleted.length) log.info(changes, 'x stream rules updated');
  } catch (error) {
    throw mapError(error, 'the filtered stream rules');
  }

  const stream = api.v2.searchStream({ ...X_TWEET_PARAMS, autoConnect: false });
  let chain: Promise<void> = Promise.resolve();
  let settled = false;
  let finish: (error?: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = (error) => {
      if (settled) return;
      settled = true;
      stream.autoReconnect = false;
      // The library schedules its retry right after emitting the error: close after that.
      setImmediate(() => stream.destroy());
      context.signal.removeEventListener('abort', onAbort);
      void chain.finally(() => (error ? reject(error) : resolve()));
    };
  });
  // Marked handled here: a refusal may settle it before the caller awaits it.
  done.catch(() => undefined);
  const onAbort = () => finish();
  context.signal.addEventListener('abort', onAbort, { once: true });

  const deliver = async (payload: XPage) => {
    const now = context.now();
    await budget.bill(context.kv, now, { postIds: postIdsOf(payload), userIds: userIdsOf(payload) });
    const id = (payload.data as { id?: unknown } | undefined)?.id;
    const mapped = mapPage(payload, account, `${sourceName}:stream${typeof id === 'string' ? ` post ${id}` : ''}`);
    if (mapped.mentions.length || mapped.rejects.length) {
      await context.deliver({ mentions: mapped.mentions, rejects: mapped.rejects, cursor: JSON.stringify({ lastId: typeof id === 'string' ? id : null }) });
    }
    await budget.assertWithin(context.kv, context.now());
  };

  stream.on(ETwitterStreamEvent.Data, (payload: XPage) => {
    if (settled) return;
    chain = chain.then(() => deliver(payload)).catch((error: unknown) => finish(mapError(error, 'the filtered stream')));
  });
  stream.on(ETwitterStreamEvent.DataError, (payload: unknown) => log.warn({ payload }, 'x stream sent an error message'));
  stream.on(ETwitterStreamEvent.TweetParseError, (error: unknown) => log.warn({ err: error }, 'x stream sent a line that is not JSON'));
  stream.on(ETwitterStreamEvent.Reconnected, () => log.info('x stream reconnected'));
  stream.on(ETwitterStreamEvent.Error, (event: { type: ETwitterStreamEvent; error: unknown }) => {
    const refused = event.error instanceof ApiResponseError && event.error.code >= 400 && event.error.code < 500;
    if ((event.type === ETwitterStreamEvent.ConnectError || event.type === ETwitterStreamEvent.ReconnectError) && refused) {
      finish(mapError(event.error, 'the filtered stream'));
    } else if (event.type !== ETwitterStreamEvent.DataError && event.type !== ETwitterStreamEvent.TweetParseError) {
      const why = event.error instanceof ApiResponseError ? problemText(event.error) : String((event.error as Error | undefined)?.message ?? event.error);
      log.warn({ event: event.type, why }, 'x stream connection problem; reconnecting');
    }
  });

  try {
    await stream.connect({ autoReconnect: true, autoReconnectRetries: 'unlimited' });
  } catch (error) {
    // Only when the error handler above already stopped the retries: done holds that error.
    finish(mapError(error, 'the filtered stream'));
  }
  if (context.signal.aborted) finish();
  return done;
}
