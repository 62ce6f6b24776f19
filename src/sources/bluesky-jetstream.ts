/**
 * The Jetstream listener: every new Bluesky post on the network, as JSON over a
 * WebSocket, kept when it names the brand or addresses its account. Found posts wait a
 * moment (up to 25, or 2 s) so their authors' follower counts come in one getProfiles
 * call; then the batch is delivered, and only once the scheduler has enqueued it does
 * its cursor (the last event's `time_us`) count. A dropped connection, or one silent for
 * a minute (half-open: it never closes by itself), is reopened with back-off, a few
 * seconds before that cursor: Jetstream does not promise a gapless replay at the exact
 * boundary, and the posts seen twice are skipped. One event that cannot be read or
 * mapped becomes a reject of its batch; it never stops the listener (a replay would
 * meet it again and fail forever).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonToLex } from '@atproto/api';
import type { BrandConfig } from '../config/schema.js';
import type { Mention } from '../core/mention.js';
import { namesBrand } from './brand-terms.js';
import { addressesBrand, asPostRecord, mapPost, rejectOf, type AuthorProfile } from './bluesky-map.js';
import type { ProfileCache } from './bluesky-profiles.js';
import { errorMessage, type BlueskySession } from './bluesky-session.js';
import type { ListenContext, SourceReject } from './source.js';

/** Timings of the listener; the defaults suit the public Jetstream. */
export interface JetstreamTuning {
  /** Found posts held for one getProfiles call. @defaultValue 25 */
  batchSize: number;
  /** Longest a found post waits for its batch. @defaultValue 2000 ms */
  flushMs: number;
  /** When nothing matches, how often the cursor is still moved on (so a restart does not replay hours). @defaultValue 10 000 ms */
  idleCursorMs: number;
  /** How far before the delivered cursor a reconnect starts. @defaultValue 5 s (in µs) */
  rewindUs: number;
  /** First wait before reconnecting; doubles per failed attempt. @defaultValue 500 ms */
  backoffMs: number;
  /** @defaultValue 30 000 ms */
  maxBackoffMs: number;
  /**
   * A connection that brings no message for this long is taken for half-open (it never
   * closes by itself): it is dropped and reopened. The public Jetstream sends several
   * posts a second, so a minute of silence is no quiet spell. @defaultValue 60 000 ms
   */
  silenceMs: number;
}

export const DEFAULT_JETSTREAM_TUNING: JetstreamTuning = {
  batchSize: 25,
  flushMs: 2000,
  idleCursorMs: 10_000,
  rewindUs: 5_000_000,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  silenceMs: 60_000,
};

/**
 * Where the first start (no stored cursor) begins: this little before now. Not at the
 * source's look-back: replaying 24 h of the whole firehose is millions of events, and
 * the poll's searchPosts already reads the look-back. The minutes kept cover the time
 * between the source starting and the connection opening; what they repeat is deduped
 * at ingest.
 */
export const FIRST_START_BACK_MS = 2 * 60_000;

export interface JetstreamOptions {
  /** The `…/subscribe` endpoint. */
  url: string;
  label: string;
  brand: BrandConfig;
  session: BlueskySession;
  profiles: ProfileCache;
  tuning?: Partial<JetstreamTuning>;
}

interface Found {
  uri: string;
  cid: string;
  did: string;
  record: unknown;
  timeUs: number;
  raw: unknown;
}

/** Posts remembered as delivered, to skip their replay after a reconnect. */
const DELIVERED_MAX = 5000;

/** Runs until `context.signal` is aborted; throws only when a batch cannot be delivered. */
export async function listenJetstream(context: ListenContext, options: JetstreamOptions): Promise<void> {
  const tuning = { ...DEFAULT_JETSTREAM_TUNING, ...options.tuning };
  const { signal, log } = context;
  const account = await options.session.account();
  const startUs = (context.now().getTime() - FIRST_START_BACK_MS) * 1000;
  const stored = Number(context.cursor);
  let delivered: number | undefined = context.cursor && Number.isFinite(stored) ? stored : undefined;
  let lastSeen = delivered ?? 0;
  let lastDeliveryAt = Date.now();
  let buffer: Found[] = [];
  /** Events about the brand that could not be read, for the next batch. */
  let unreadable: SourceReject[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  /** Ends the open connection at once (a half-open one would never answer a close). */
  let hangUp: (() => void) | undefined;
  const deliveredUris = new Set<string>();
  const rejectAt = (timeUs: unknown) => `${options.label}:jetstream ${String(timeUs)}`;

  /** Follower counts of the batch's authors; without them (getProfiles failed) the batch still goes, at 0 followers. */
  const profilesOf = async (items: Found[]): Promise<Map<string, AuthorProfile>> => {
    if (items.length === 0) return new Map();
    try {
      return await options.profiles.profilesOf(items.map((i) => i.did));
    } catch (error) {
      log.warn({ source: options.label, err: errorMessage(error), posts: items.length }, 'could not read the authors of Jetstream posts; delivering them with 0 followers');
      return new Map();
    }
  };

  const mapFound = (item: Found, profiles: Map<string, AuthorProfile>): { mention: Mention } | { reject: SourceReject } | undefined => {
    try {
      const profile = profiles.get(item.did);
      const post = {
        uri: item.uri,
        cid: item.cid,
        author: { did: item.did, handle: profile?.handle ?? item.did, ...(profile?.displayName ? { displayName: profile.displayName } : {}) },
        record: item.record,
        indexedAt: new Date(Math.floor(item.timeUs / 1000)).toISOString(),
      };
      const result = mapPost(post, { brandDid: account.did, brandHandle: account.handle, profiles });
      if (result.kind === 'mention') return { mention: result.mention };
      return result.kind === 'reject' ? { reject: rejectOf(rejectAt(item.timeUs), result.reason, item.raw) } : undefined;
    } catch (error) {
      return { reject: rejectOf(rejectAt(item.timeUs), `the post could not be mapped: ${errorMessage(error)}`, item.raw) };
    }
  };

  const deliverBatch = async (items: Found[], held: SourceReject[], cursorUs: number): Promise<void> => {
    if (failure !== undefined || signal.aborted) return;
    if (items.length === 0 && held.length === 0 && delivered !== undefined && delivered >= cursorUs) return;
    const profiles = await profilesOf(items);
    const mentions: Mention[] = [];
    const rejects: SourceReject[] = [...held];
    for (const item of items) {
      const result = mapFound(item, profiles);
      if (result && 'reject' in result) rejects.push(result.reject);
      else if (result) mentions.push(result.mention);
    }
    if (signal.aborted) return;
    await context.deliver({ mentions, rejects, cursor: String(cursorUs) });
    delivered = cursorUs;
    lastDeliveryAt = Date.now();
    for (const item of items) deliveredUris.add(item.uri);
    for (const uri of deliveredUris) {
      if (deliveredUris.size <= DELIVERED_MAX) break;
      deliveredUris.delete(uri);
    }
  };

  /** Hands what is buffered to the delivery chain, with the cursor of everything seen so far. */
  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const items = buffer;
    const held = unreadable;
    buffer = [];
    unreadable = [];
    const cursorUs = Math.max(lastSeen, delivered ?? 0);
    chain = chain
      .then(() => deliverBatch(items, held, cursorUs))
      .catch((error: unknown) => {
        failure ??= error;
        hangUp?.();
      });
    return chain;
  };

  const hold = (): void => {
    if (buffer.length + unreadable.length >= tuning.batchSize) void flush();
    else timer ??= setTimeout(() => void flush(), tuning.flushMs);
  };

  type JetstreamMessage = { did?: unknown; time_us?: unknown; kind?: unknown; commit?: Record<string, unknown> };

  /** Buffers the event when it is a new post about the brand; true when it did. */
  const consider = (event: JetstreamMessage, data: string, timeUs: number): boolean => {
    const commit = event.commit;
    const isPost = event.kind === 'commit' && commit?.operation === 'create' && commit.collection === 'app.bsky.feed.post';
    const did = typeof event.did === 'string' ? event.did : '';
    if (!isPost || did === account.did || typeof commit.rkey !== 'string' || typeof commit.cid !== 'string') return false;
    const uri = `at://${did}/app.bsky.feed.post/${commit.rkey}`;
    const record = jsonToLex(commit.record);
    const text = typeof (record as { text?: unknown } | undefined)?.text === 'string' ? (record as { text: string }).text : '';
    const concerns = (): boolean => {
      if (namesBrand(text, options.brand)) return true;
      if (!data.includes(account.did)) return false;
      const checked = asPostRecord(record);
      return checked.ok && addressesBrand(checked.record, account.did);
    };
    if (deliveredUris.has(uri) || buffer.some((b) => b.uri === uri) || !concerns()) return false;
    buffer.push({ uri, cid: commit.cid, did, record, timeUs, raw: event });
    return true;
  };

  const handle = (data: string): void => {
    let event: JetstreamMessage;
    try {
      event = JSON.parse(data) as JetstreamMessage;
    } catch {
      log.debug({ source: options.label }, 'jetstream message is not JSON; skipped');
      return;
    }
    if (typeof event.time_us !== 'number') return;
    const timeUs = event.time_us;
    if (timeUs > lastSeen) lastSeen = timeUs;
    let held: boolean;
    try {
      held = consider(event, data, timeUs);
    } catch (error) {
      // Of the whole firehose only what may concern the brand is worth a reject.
      held = namesBrand(data, options.brand) || data.includes(account.did);
      if (held) unreadable.push(rejectOf(rejectAt(timeUs), `the Jetstream event could not be read: ${errorMessage(error)}`, event));
      else log.debug({ source: options.label, err: errorMessage(error) }, 'unreadable jetstream event skipped');
    }
    if (held) return hold();
    if (buffer.length === 0 && unreadable.length === 0 && Date.now() - lastDeliveryAt >= tuning.idleCursorMs && lastSeen > (delivered ?? 0)) {
      lastDeliveryAt = Date.now();
      void flush();
    }
  };

  /** One connection, from open to close (or to silence); resolves with how many messages came. */
  const connect = (fromUs: number): Promise<number> =>
    new Promise((resolve) => {
      let received = 0;
      let silence: NodeJS.Timeout | undefined;
      const url = new URL(options.url);
      url.searchParams.set('wantedCollections', 'app.bsky.feed.post');
      url.searchParams.set('cursor', String(Math.max(0, Math.floor(fromUs))));
      const ws = new WebSocket(url);
      const finish = () => {
        clearTimeout(silence);
        signal.removeEventListener('abort', end);
        ws.onmessage = null;
        ws.onclose = null;
        ws.onerror = null;
        hangUp = undefined;
        resolve(received);
      };
      // Resolves without waiting for the close handshake, which a half-open socket never completes.
      function end(): void {
        ws.close();
        finish();
      }
      const armSilence = () => {
        clearTimeout(silence);
        silence = setTimeout(() => {
          log.warn({ source: options.label, silentMs: tuning.silenceMs }, 'no jetstream message for too long; the connection is taken for dead');
          end();
        }, tuning.silenceMs);
      };
      hangUp = end;
      signal.addEventListener('abort', end, { once: true });
      armSilence();
      ws.onmessage = (message) => {
        received += 1;
        armSilence();
        if (typeof message.data === 'string') handle(message.data);
      };
      ws.onerror = () => {
        // a close event follows
      };
      ws.onclose = finish;
    });

  let backoff = tuning.backoffMs;
  while (!signal.aborted) {
    const received = await connect(delivered !== undefined ? delivered - tuning.rewindUs : startUs);
    if (!signal.aborted) await flush();
    if (failure !== undefined) throw failure;
    if (signal.aborted) break;
    if (received > 0) backoff = tuning.backoffMs;
    log.warn({ source: options.label, retryInMs: backoff, cursor: delivered }, 'jetstream connection closed; reconnecting');
    await sleep(backoff, undefined, { signal }).catch(() => undefined);
    backoff = Math.min(backoff * 2, tuning.maxBackoffMs);
  }
  clearTimeout(timer);
}
