/**
 * X as a source: the brand account's mentions timeline (owned reads, cheap) and recent
 * searches for the brand's names, polled page by page, plus the filtered stream when
 * asked for. Every read is billed against the monthly budget before it is made.
 *
 * Cursor: JSON `{ v: 1, reads: { [key]: ReadState } }`, one state per timeline or query,
 * so a changed query starts from the look-back without disturbing the others.
 */
import { ApiResponseError, type TwitterApi, type TwitterRateLimit } from 'twitter-api-v2';
import type { XSourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import { brandNames, xHandleOf } from './brand-terms.js';
import type { ReadContext, Source, SourceBatch, SourceDeps, SourceKv } from './source.js';
import { SourceDisabledError, SourceRateLimitedError } from './source-errors.js';
import { createXBudget } from './x-budget.js';
import { X_TWEET_PARAMS, createXClient, rateLimitResetOf, toSourceError, type XClient, type XErrorContext } from './x-client.js';
import { mapPage, postIdsOf, userIdsOf, type XAccount, type XPage } from './x-map.js';
import { listenToXStream } from './x-stream.js';

export { createXReplier } from './x-replier.js';

/** Where one timeline or query stands between reads. */
interface ReadState {
  /** Read only posts newer than this (the newest id of the last finished round). */
  sinceId?: string;
  /** Before any post was seen: read from this time (now − lookbackHours at first start). */
  startTime?: string;
  /** Mid-round: the next page's token, and the round's first-page newest id. */
  token?: string;
  newestId?: string;
}

interface XCursor {
  v: 1;
  reads: Record<string, ReadState>;
}

type Plan = { key: string; kind: 'mentions'; at: string } | { key: string; kind: 'search'; query: string; at: string };

/** The longest recent-search query X takes. */
export const X_MAX_QUERY = 512;

/**
 * The default recent search: the brand's names as phrases, without the account's own
 * posts, e.g. `("Parcelly" OR "Parcel Ly") -from:parcelly`. Names that would take it past
 * 512 characters are left out.
 */
export function defaultXQuery(names: string[], account?: string): string {
  const phrases = names.map((n) => `"${n.replace(/"/g, '').trim()}"`).filter((p) => p !== '""');
  const build = (list: string[]) => `${list.length > 1 ? `(${list.join(' OR ')})` : (list[0] ?? '')}${account ? ` -from:${account}` : ''}`;
  let kept = phrases;
  while (kept.length > 1 && build(kept).length > X_MAX_QUERY) kept = kept.slice(0, -1);
  return build(kept).slice(0, X_MAX_QUERY);
}

/** The page's `meta.newest_id`, or its highest post id when meta lacks it. */
function newestOf(page: XPage): string | undefined {
  if (page.meta?.newest_id) return page.meta.newest_id;
  const ids = (Array.isArray(page.data) ? page.data : []).map((t) => (t as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string' && /^\d+$/.test(id));
  return ids.reduce<string | undefined>((best, id) => (!best || BigInt(id) > BigInt(best) ? id : best), undefined);
}
const SEARCH_WINDOW_MS = 7 * 86_400_000 - 120_000;

/** When a post with this id was written: X ids are snowflakes (ms since 2010-11-04 in the high bits). */
export function snowflakeTime(id: string): number {
  try {
    return Number(BigInt(id) >> 22n) + 1_288_834_974_657;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function parseCursor(cursor: string | undefined, log: ReadContext['log']): XCursor {
  if (!cursor) return { v: 1, reads: {} };
  try {
    const parsed = JSON.parse(cursor) as XCursor;
    if (parsed && parsed.v === 1 && typeof parsed.reads === 'object' && parsed.reads !== null) return parsed;
  } catch {
    // fall through
  }
  log.warn({ cursor: cursor.slice(0, 200) }, 'x cursor not understood; reading from the look-back');
  return { v: 1, reads: {} };
}

/** The X source for one entry of sources.yaml. Nothing connects until the first read. */
export function createXSource(config: XSourceConfig & { name: string }, deps: SourceDeps): Source {
  const bearerEnv = config.credentials.bearerToken;
  const handle = config.account ?? xHandleOf(deps.brand);
  const queries = [...new Set(config.queries ?? [defaultXQuery(brandNames(deps.brand), handle)])];
  const budget = createXBudget({ sourceName: config.name, monthlyBudgetUsd: config.monthlyBudgetUsd, prices: config.prices });
  const readMentions = config.mentions && (handle !== undefined || config.accountId !== undefined);
  if (config.mentions && !readMentions) {
    deps.log.warn('no X account to read the mentions of: set account of this source in sources.yaml, or an X handle in brand.yaml; searches still run');
  }
  let client: XClient | undefined;
  let accountId = config.accountId;

  const errorContext = (what: string, now: Date): XErrorContext => ({ what, bearerEnv, sourceName: config.name, now });
  const api = (): TwitterApi => {
    if (client) return client.api;
    const token = deps.secret(bearerEnv);
    if (!token) {
      throw new SourceDisabledError(
        `X source "${config.name}" has no bearer token: set the environment variable ${bearerEnv} to the app's bearer token (X Developer Console → your app → Keys and tokens), or name another variable in credentials.bearerToken in sources.yaml.`,
      );
    }
    client = createXClient({ apiUrl: config.apiUrl, token, keepAlive: true });
    return client.api;
  };

  /** The account's id: configured, stored in kv, or looked up once (one user read). */
  const resolveAccountId = async (ctx: ReadContext): Promise<string> => {
    if (accountId) return accountId;
    const name = handle!;
    const stored = await ctx.kv.get(`account-id:${name.toLowerCase()}`);
    if (stored) return (accountId = stored);
    await budget.assertWithin(ctx.kv, ctx.now());
    let found: { data?: { id?: string }; errors?: Array<{ detail?: string }> };
    try {
      found = await api().v2.userByUsername(name, { 'user.fields': X_TWEET_PARAMS['user.fields'] });
    } catch (error) {
      throw toSourceError(error, errorContext(`the user @${name}`, ctx.now()));
    }
    const id = found.data?.id;
    if (!id) {
      throw new SourceDisabledError(
        `X has no account @${name} (${found.errors?.[0]?.detail ?? 'no user in the answer'}): set account (or accountId) of source "${config.name}" in sources.yaml to the brand's X handle.`,
      );
    }
    await budget.bill(ctx.kv, ctx.now(), { postIds: [], userIds: [id] });
    await ctx.kv.set(`account-id:${name.toLowerCase()}`, id);
    return (accountId = id);
  };

  /** X's own count of the project's post reads this billing cycle, asked at most every 15 minutes. */
  const usageOf = async (kv: SourceKv): Promise<Record<string, string | number>> => {
    if (!deps.secret(bearerEnv)) return {};
    const cached = await kv.get('x-usage');
    if (cached) return JSON.parse(cached) as Record<string, string | number>;
    let figures: Record<string, string | number>;
    try {
      const { data } = await api().v2.usage();
      figures = { xProjectUsage: Number(data.project_usage), xProjectCap: Number(data.project_cap), ...(data.cap_reset_day !== undefined ? { xCapResetDay: data.cap_reset_day } : {}) };
    } catch (error) {
      figures = { xProjectUsage: `unavailable: ${toSourceError(error, errorContext('the usage figures', new Date())).message}` };
    }
    await kv.set('x-usage', JSON.stringify(figures), 900);
    return figures;
  };

  const plans = (): Plan[] => [
    ...(readMentions ? [{ key: 'mentions', kind: 'mentions' as const, at: `${config.name}:mentions` }] : []),
    ...(config.search ? queries.map((query) => ({ key: `search:${query}`, kind: 'search' as const, query, at: `${config.name}:search "${query}"` })) : []),
  ];

  const fetchPage = async (plan: Plan, state: ReadState, userId: string | undefined, now: Date): Promise<{ page: XPage; rateLimit: Partial<TwitterRateLimit> }> => {
    let window: { since_id: string } | { start_time: string };
    // Recent search refuses a since_id older than its 7 days (a quiet query, a long
    // stop): past that, the window's start is the oldest it takes.
    const searchFloor = now.getTime() - SEARCH_WINDOW_MS;
    if (state.sinceId && !(plan.kind === 'search' && snowflakeTime(state.sinceId) < searchFloor)) window = { since_id: state.sinceId };
    else if (state.sinceId) window = { start_time: new Date(searchFloor).toISOString() };
    else {
      // Recent search covers the last 7 days only; X refuses an older start_time.
      const floor = plan.kind === 'search' ? now.getTime() - SEARCH_WINDOW_MS : 0;
      window = { start_time: new Date(Math.max(Date.parse(state.startTime!), floor)).toISOString() };
    }
    const params = { ...X_TWEET_PARAMS, max_results: 100, ...window };
    const paginator =
      plan.kind === 'mentions'
        ? await api().v2.userMentionTimeline(userId!, { ...params, ...(state.token ? { pagination_token: state.token } : {}) })
        : await api().v2.search(plan.query, { ...params, ...(state.token ? { next_token: state.token } : {}) });
    return { page: paginator.data as unknown as XPage, rateLimit: paginator.rateLimit };
  };

  async function* read(cursor: string | undefined, ctx: ReadContext): AsyncGenerator<SourceBatch> {
    const stored = parseCursor(cursor, ctx.log);
    const start = new Date(ctx.now().getTime() - config.lookbackHours * 3_600_000).toISOString();
    const all = plans();
    const state: XCursor = { v: 1, reads: Object.fromEntries(all.map((p) => [p.key, stored.reads[p.key] ?? { startTime: start }])) };
    const account: XAccount = { ...(handle ? { handle } : {}), ...(accountId ? { id: accountId } : {}) };
    const delivered = new Set<string>();
    const limits = new Map<string, Partial<TwitterRateLimit>>();
    if (readMentions && !ctx.signal.aborted) account.id = await resolveAccountId(ctx);

    for (const plan of all) {
      for (let pageNo = 1; !ctx.signal.aborted; pageNo++) {
        const at = `${plan.at} page ${pageNo}`;
        const now = ctx.now();
        const endpoint = plan.kind === 'mentions' ? 'mentions timeline' : 'recent search';
        const limit = limits.get(plan.kind);
        if (limit?.remaining === 0 && limit.reset && limit.reset * 1000 > now.getTime()) {
          const resumeAt = rateLimitResetOf(limit.reset, now);
          throw new SourceRateLimitedError(`X ${endpoint} requests used up for this window: reads resume at ${resumeAt.toISOString()}.`, resumeAt);
        }
        await budget.assertWithin(ctx.kv, now);
        const current = state.reads[plan.key]!;
        let result;
        try {
          result = await fetchPage(plan, current, account.id, now);
        } catch (error) {
          if (current.token && error instanceof ApiResponseError && error.code === 400) {
            // A page token X no longer takes: start the round again (repeats are deduped downstream).
            ctx.log.warn({ at, token: current.token }, 'x refused a stored page token; starting the round again');
            state.reads[plan.key] = { ...(current.sinceId ? { sinceId: current.sinceId } : { startTime: current.startTime ?? start }) };
            pageNo = 0;
            continue;
          }
          throw toSourceError(error, errorContext(plan.kind === 'mentions' ? `the mentions timeline of @${handle ?? account.id}` : `recent search "${plan.query}"`, now));
        }
        const { page, rateLimit } = result;
        limits.set(plan.kind, rateLimit);
        const bill = await budget.bill(ctx.kv, now, { postIds: postIdsOf(page), userIds: userIdsOf(page), owned: plan.kind === 'mentions' });
        const mapped = mapPage(page, account, at);
        const mentions: Mention[] = mapped.mentions.filter((m) => !delivered.has(m.id) && delivered.add(m.id));

        const token = page.meta?.next_token;
        const base: ReadState = current.sinceId ? { sinceId: current.sinceId } : { startTime: current.startTime ?? start };
        // The next round starts after the newest post of this round's FIRST page.
        const roundNewest = current.token ? current.newestId : newestOf(page);
        const next: ReadState = token ? { ...base, token, ...(roundNewest ? { newestId: roundNewest } : {}) } : roundNewest ? { sinceId: roundNewest } : base;
        state.reads[plan.key] = next;
        ctx.log.debug({ at, results: page.meta?.result_count ?? 0, mentions: mentions.length, rejects: mapped.rejects.length, skipped: mapped.skipped, billedUsd: bill.usd }, 'x page read');
        yield { mentions, rejects: mapped.rejects, cursor: JSON.stringify(state) };
        if (!token) break;
      }
    }
  }

  const source: Source = {
    name: config.name,
    platform: 'x',
    pollSeconds: config.pollSeconds,
    read,
    async describe(kv: SourceKv) {
      return { ...(await budget.describe(kv, new Date())), ...(await usageOf(kv)) };
    },
    async close() {
      client?.agent?.destroy();
      client = undefined;
    },
  };
  if (config.stream) {
    source.listen = async (ctx) => {
      const account: XAccount = { ...(handle ? { handle } : {}), ...(accountId ? { id: accountId } : {}) };
      await listenToXStream({ api: api(), sourceName: config.name, queries, account, budget, errorContext }, ctx);
    };
  }
  return source;
}
