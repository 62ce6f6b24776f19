import { createHash } from 'node:crypto';
import type { RssSourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import { namesBrand } from './brand-terms.js';
import { httpGet, SourceAuthError, SourceHttpError, type HttpResponse } from './http-get.js';
import { mapItem, parseFeed } from './rss-map.js';
import type { ReadContext, Source, SourceBatch, SourceDeps, SourceReject } from './source.js';

/** Largest feed body read; a bigger one is refused rather than held in memory. */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
/** Item keys remembered at least (the current fetch's, then older ones), so items that drop out and come back are not repeated. */
const SEEN_KEPT = 500;
/** Most item keys remembered, however long the feed: older items then fall to the date floor. */
const SEEN_MAX = 2000;
/** A date further ahead than this is a wrong clock, not the newest item: it must not raise the floor. */
const FUTURE_SLACK_MS = 60 * 60 * 1000;

const ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
const USER_AGENT = 'mention-triage/0.1 (feed reader)';

/**
 * What the source remembers between reads (stored by the scheduler once a batch is
 * enqueued, so a crash before that re-fetches and loses nothing).
 */
interface RssCursor {
  v: 1;
  /** Validators of the last 200 answer, sent back as `If-None-Match` / `If-Modified-Since`. */
  etag?: string;
  lastModified?: string;
  /** Newest item time seen (ISO); later reads skip unseen items older than this minus the look-back. */
  newest?: string;
  /** Short hashes of the item ids of the last fetches, newest fetch first. */
  seen: string[];
}

const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url').slice(0, 16);

function readCursor(cursor: string | undefined, context: ReadContext): RssCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(cursor) as Partial<RssCursor>;
    if (value.v === 1 && Array.isArray(value.seen)) return value as RssCursor;
  } catch {
    // fall through: a cursor of another shape is treated as a first start
  }
  context.log.warn({ cursor: cursor.slice(0, 200) }, 'stored feed cursor is not one this version wrote: reading the look-back again');
  return undefined;
}

/** Where a request stands: whether the body outgrew the limit. */
interface Probe {
  tooLarge: boolean;
}

/**
 * A fetch that stops reading a body past `MAX_FEED_BYTES` (counted after decompression,
 * so a small compressed bomb is caught too) and records that it did in `probe`.
 */
function limitedFetch(base: typeof fetch, probe: Probe): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > MAX_FEED_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      probe.tooLarge = true;
      throw new Error(`the feed is ${declared} bytes, more than the ${MAX_FEED_BYTES} read`);
    }
    if (!response.body) return response;
    let bytes = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > MAX_FEED_BYTES) {
          probe.tooLarge = true;
          controller.error(new Error('feed body too large'));
        } else controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * Reads an RSS 2.0, Atom 1.0 or RDF/RSS 1.0 feed (Google Alerts feeds too: their
 * google.com redirect links are unwrapped) with one conditional GET per poll.
 *
 * - Each read sends the stored `ETag` / `Last-Modified` back; a 304 yields one empty
 *   batch with the cursor unchanged, so the scheduler records a successful read.
 * - A 200 yields one batch with every item not seen in the last fetches; its cursor
 *   carries the new validators, so a crash before it is stored re-fetches the same items.
 * - On first start, items dated before now − `lookbackHours` are skipped; items without a
 *   date are read. Later, an unseen item dated more than `lookbackHours` before the newest
 *   item seen is taken for an old one (the remembered ids are bounded) and skipped.
 * - `onlyBrandItems` keeps only items whose title or text names the brand.
 * - A body that is not a feed, or over 5 MB, is an error (retried with back-off); 429
 *   waits for `Retry-After`; 401/403 is retried with back-off too (feed hosts' firewalls
 *   refuse a reader for a while), never disabling the source.
 * - Mention ids are global: a permalink guid or the item's link as it is, any other id
 *   (a guid with `isPermaLink="false"`, an Atom id, a hash) after the feed's address.
 */
export function createRssSource(config: RssSourceConfig & { name: string }, deps: SourceDeps): Source {
  const feedUrl = new URL(config.url);
  // Shown without the query: private feeds carry their access key there.
  const shown = `${feedUrl.origin}${feedUrl.pathname}`;
  const lookbackMs = config.lookbackHours * 3600_000;

  async function get(state: RssCursor | undefined, context: ReadContext): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': USER_AGENT };
    if (state?.etag) headers['if-none-match'] = state.etag;
    if (state?.lastModified) headers['if-modified-since'] = state.lastModified;
    const probe: Probe = { tooLarge: false };
    let response: HttpResponse;
    try {
      response = await httpGet(config.url, { headers, signal: context.signal, fetch: limitedFetch(deps.fetch ?? fetch, probe), now: context.now });
    } catch (error) {
      if (error instanceof SourceAuthError) {
        throw new SourceHttpError(
          `the feed at ${shown} refused access (${error.status}); reading again after a back-off, as a host's firewall or rate limiter often refuses a reader for a while. If it keeps refusing, check the "url" of source ${config.name} in sources.yaml (a Google Alerts feed must be set to deliver to "RSS feed"; a private feed needs its key in the url)`,
          error.status,
        );
      }
      if (probe.tooLarge) throw new Error(`${shown}: the feed is larger than ${MAX_FEED_BYTES / 1024 / 1024} MB; not read. Point source ${config.name} at a smaller feed`);
      throw error;
    }
    if (probe.tooLarge) throw new Error(`${shown}: the feed is larger than ${MAX_FEED_BYTES / 1024 / 1024} MB; not read. Point source ${config.name} at a smaller feed`);
    return response;
  }

  function collect(response: HttpResponse, state: RssCursor | undefined, now: Date): SourceBatch {
    const feed = parseFeed(response.body, () => {
      const start = response.body.slice(0, 60).replace(/\s+/g, ' ').trim();
      return `content-type ${response.headers.get('content-type') ?? 'none'}, ${response.body.length} characters, starting "${start}"; check the "url" of source ${config.name}: it must be the feed, not a web page`;
    });
    const context = { title: feed.title, url: config.url, ...(feed.language ? { language: feed.language } : {}) };
    const seen = new Set(state?.seen ?? []);
    let newest = state?.newest ? Date.parse(state.newest) : undefined;
    const floor = state ? (newest !== undefined ? newest - lookbackMs : undefined) : now.getTime() - lookbackMs;
    const keysNow: string[] = [];
    const inThisFetch = new Set<string>();
    const mentions: Mention[] = [];
    const rejects: SourceReject[] = [];
    feed.items.forEach((raw, index) => {
      const item = mapItem(raw, context, now);
      const key = keyOf(item.key);
      if (inThisFetch.has(key)) return;
      inThisFetch.add(key);
      keysNow.push(key);
      if (seen.has(key)) return;
      if (!item.ok) {
        rejects.push({ at: `rss ${shown} item ${index + 1}`, reason: item.reason, raw: item.raw });
        return;
      }
      const time = item.published?.getTime();
      if (time !== undefined && time <= now.getTime() + FUTURE_SLACK_MS) newest = Math.max(newest ?? time, time);
      if (floor !== undefined && time !== undefined && time < floor) return;
      if (config.onlyBrandItems && !namesBrand(item.matchText, deps.brand)) return;
      mentions.push(item.mention);
    });
    const remembered = [...new Set([...keysNow, ...(state?.seen ?? [])])].slice(0, Math.max(SEEN_KEPT, Math.min(keysNow.length, SEEN_MAX)));
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    const cursor: RssCursor = {
      v: 1,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
      ...(newest !== undefined ? { newest: new Date(newest).toISOString() } : {}),
      seen: remembered,
    };
    return { mentions, rejects, cursor: JSON.stringify(cursor) };
  }

  return {
    name: config.name,
    platform: 'rss',
    pollSeconds: config.pollSeconds,
    async *read(cursor, context) {
      if (context.signal.aborted) return;
      const state = readCursor(cursor, context);
      const response = await get(state, context);
      if (response.status === 304) {
        context.log.debug({ status: 304 }, 'feed unchanged');
        yield { mentions: [], rejects: [], cursor: cursor ?? JSON.stringify({ v: 1, seen: [] }) };
        return;
      }
      const batch = collect(response, state, context.now());
      context.log.debug({ status: response.status, mentions: batch.mentions.length, rejects: batch.rejects.length }, 'feed read');
      yield batch;
    },
  };
}
