/**
 * Reddit through its OAuth API: posts found by search (`sort=new`) and, when the brand's
 * account is logged in, the comments that mention it (`/message/mentions`). Listings come
 * newest first and page with `after`; each stream keeps a watermark (see watermark.ts).
 * A poll sweeps from the top down to ten minutes below the newest `created_utc` read
 * (search lists some posts after younger ones), skipping the fullnames it remembers
 * handling there, a page per batch; the cursor of every batch says how far the sweep
 * got, so a crash resumes it (from the top, skipping what was handled) without loss or
 * repeats.
 */
import { z } from 'zod';
import type { RedditSourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import { parseMention } from '../core/parse-mention.js';
import { brandNames } from './brand-terms.js';
import { parseJsonBody, resumeTimeOf, SourceHttpError } from './http-get.js';
import { createRedditApi } from './reddit-auth.js';
import { SourceError, SourceRateLimitedError } from './source-errors.js';
import { finishSweep, mark, place, readCursor, startAt, sweepFields, watermarkStateSchema } from './watermark.js';
import type { ReadContext, Source, SourceBatch, SourceDeps } from './source.js';

/** Reddit's largest listing page. */
const PAGE_LIMIT = 100;

const sweepSchema = z.object({
  ...sweepFields,
  /** The listing's `after` at the last page delivered: where a resumed sweep asks first. */
  after: z.string().optional(),
});

const streamStateSchema = watermarkStateSchema(sweepSchema);

const cursorSchema = z.object({ v: z.literal(2), streams: z.record(z.string(), streamStateSchema) });

type RedditCursor = z.infer<typeof cursorSchema>;

const listingSchema = z.object({
  kind: z.literal('Listing'),
  data: z.object({ after: z.string().nullish(), children: z.array(z.unknown()) }),
});

const thingData = {
  name: z.string().regex(/^t[13]_[a-z0-9]+$/i, 'a fullname such as t3_abc123'),
  author: z.string().min(1, 'must not be empty'),
  author_fullname: z.string().nullish(),
  created_utc: z.number().nonnegative(),
  subreddit: z.string().min(1, 'must not be empty'),
  permalink: z.string().nullish(),
};

const postSchema = z.object({
  kind: z.literal('t3'),
  data: z
    .object({
      ...thingData,
      title: z.string(),
      selftext: z.string().nullish(),
      is_self: z.boolean().nullish(),
      url: z.string().nullish(),
      removed_by_category: z.string().nullish(),
    })
    .passthrough(),
});

const commentSchema = z.object({
  kind: z.literal('t1'),
  data: z
    .object({
      ...thingData,
      body: z.string(),
      link_title: z.string().nullish(),
      parent_id: z.string().nullish(),
      /** Inbox items carry `context` (the comment's path plus `?context=3`) instead of a permalink. */
      context: z.string().nullish(),
    })
    .passthrough(),
});

const GONE = new Set(['[deleted]', '[removed]']);

/** Where a listing child sits in time, read leniently so even a malformed one is placed. */
function placeOf(child: unknown): { name: string; second: number } | undefined {
  const c = child as { kind?: unknown; data?: { name?: unknown; id?: unknown; created_utc?: unknown } } | null;
  const data = c?.data;
  const name = typeof data?.name === 'string' ? data.name : typeof data?.id === 'string' && typeof c?.kind === 'string' ? `${c.kind}_${data.id}` : undefined;
  const second = typeof data?.created_utc === 'number' && Number.isFinite(data.created_utc) ? Math.floor(data.created_utc) : undefined;
  return name !== undefined && second !== undefined ? { name, second } : undefined;
}

/** Turns a listing child into a mention; deleted and removed things are skipped, malformed ones rejected. */
export function thingToMention(child: unknown, addressesBrand: boolean): { mention: Mention } | { skip: string } | { reason: string } {
  const kind = (child as { kind?: unknown } | null)?.kind;
  const parsed = kind === 't1' ? commentSchema.safeParse(child) : postSchema.safeParse(child);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(thing)'}: ${i.message}`).join('; ');
    return { reason: `Reddit ${typeof kind === 'string' ? kind : 'thing'}: ${issues}` };
  }
  const { data } = parsed.data;
  if (GONE.has(data.author)) return { skip: 'author deleted' };
  const inboxContext = (data as { context?: unknown }).context;
  const path = data.permalink ?? (typeof inboxContext === 'string' && inboxContext ? inboxContext.replace(/\?.*$/, '') : undefined);
  const mention: Record<string, unknown> = {
    source: 'reddit',
    id: data.name,
    createdAt: new Date(data.created_utc * 1000).toISOString(),
    author: { handle: data.author, name: data.author, followers: 0, ...(data.author_fullname ? { id: data.author_fullname } : {}) },
    context: `r/${data.subreddit}`,
    ...(path ? { url: `https://www.reddit.com${path}` } : {}),
    ...(addressesBrand ? { addressesBrand: true } : {}),
  };
  if (parsed.data.kind === 't3') {
    const post = parsed.data.data;
    if (post.removed_by_category || GONE.has(post.selftext ?? '')) return { skip: 'post removed' };
    mention.text = [post.title.trim(), post.selftext?.trim() ?? ''].filter(Boolean).join('\n\n');
    if (!post.is_self && post.url) mention.links = [post.url];
  } else {
    const comment = parsed.data.data;
    if (GONE.has(comment.body.trim())) return { skip: 'comment removed' };
    mention.text = comment.body.trim();
    if (comment.link_title) mention.context = `r/${comment.subreddit} · ${comment.link_title}`;
    if (comment.parent_id) mention.inReplyTo = { id: comment.parent_id };
  }
  if (!String(mention.text)) return { reason: `Reddit ${data.name}: no text` };
  const result = parseMention(mention);
  return result.ok ? { mention: result.mention } : { reason: `Reddit ${data.name}: ${result.reason}` };
}

function parseCursor(cursor: string | undefined, context: ReadContext): RedditCursor {
  return readCursor(cursor, cursorSchema, () => ({ v: 2, streams: {} }), context.log, 'reddit');
}

/** The rate-limit stop Reddit's headers call for once this page is delivered, if any. */
function rateLimitAfter(headers: Headers, now: Date): SourceRateLimitedError | undefined {
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? NaN);
  if (!Number.isFinite(remaining) || remaining >= 1) return undefined;
  const resumeAt = resumeTimeOf(headers, now);
  return new SourceRateLimitedError(`reddit: rate limit used up (x-ratelimit-used ${headers.get('x-ratelimit-used') ?? '?'}); reading again at ${resumeAt.toISOString()}`, resumeAt);
}

interface Stream {
  /** Names the stream's state in the cursor: `search:<query>` or `mentions`. */
  key: string;
  url(after: string | undefined): string;
  addressesBrand: boolean;
}

/**
 * Reads Reddit for each query (default: the brand's names) with `GET /search` (or
 * `/r/<a+b>/search` when `subreddits` is set) and, when `mentions` is on and the account's
 * username and password are set, `GET /message/mentions`. One request per stream per poll
 * when fewer than 100 things are new or inside the ten-minute overlap, plus a token
 * request about once a day. Without the app's client id and secret every read throws a
 * {@link SourceDisabledError}, and so does Reddit refusing the app, the login or a fresh
 * token; a listing refused with 403 (a private subreddit) is read again after a back-off
 * (a {@link SourceHttpError}, thrown once the other streams are read). Reddit replies
 * are not sent from here: there is no replier.
 */
export function createRedditSource(config: RedditSourceConfig & { name: string }, deps: SourceDeps): Source {
  const api = createRedditApi(config, deps);
  const queries = [...new Set(config.queries ?? brandNames(deps.brand))];
  const lookbackSeconds = Math.round(config.lookbackHours * 3600);
  const searchPath = config.subreddits?.length ? `/r/${config.subreddits.map(encodeURIComponent).join('+')}/search` : '/search';

  const withAfter = (base: string, params: Record<string, string>, after: string | undefined) =>
    `${base}?${new URLSearchParams({ ...params, ...(after ? { after } : {}), raw_json: '1' })}`;

  const streams = (): Stream[] => [
    ...queries.map((q) => ({
      key: `search:${q}`,
      addressesBrand: false,
      url: (after: string | undefined) =>
        withAfter(`${config.apiUrl}${searchPath}`, { q, sort: 'new', limit: String(PAGE_LIMIT), type: 'link', ...(config.subreddits?.length ? { restrict_sr: '1' } : {}) }, after),
    })),
    ...(config.mentions && api.actsAsAccount()
      ? [{ key: 'mentions', addressesBrand: true, url: (after: string | undefined) => withAfter(`${config.apiUrl}/message/mentions`, { limit: String(PAGE_LIMIT) }, after) }]
      : []),
  ];

  async function getListing(url: string, context: ReadContext): Promise<{ children: unknown[]; after: string | undefined; headers: Headers }> {
    const response = await api.get(url, context);
    const listing = listingSchema.safeParse(parseJsonBody(response, url));
    if (!listing.success) {
      const issue = listing.error.issues[0];
      throw new SourceError(`reddit: ${new URL(url).pathname} answered an unexpected shape (${issue?.path.join('.')}: ${issue?.message}); expected a Listing {kind, data: {after, children}}`);
    }
    return { children: listing.data.data.children, after: listing.data.data.after ?? undefined, headers: response.headers };
  }

  async function* readStream(stream: Stream, cursor: RedditCursor, taken: Set<string>, context: ReadContext): AsyncGenerator<SourceBatch> {
    let state = cursor.streams[stream.key]!;
    // A cut-short sweep goes on after the last page it delivered; what it meets again is skipped.
    let after = state.sweep?.after;
    for (let page = 0; ; page++) {
      if (context.signal.aborted) return;
      let listing = await getListing(stream.url(after), context);
      if (page === 0 && after && listing.children.length === 0) {
        // The thing the sweep stopped at is gone from the listing: read from the top again.
        context.log.info({ stream: stream.key, after }, 'reddit: resuming a sweep from the top');
        after = undefined;
        listing = await getListing(stream.url(after), context);
      }
      const { children, headers } = listing;
      const batch: SourceBatch = { mentions: [], rejects: [], cursor: '' };
      const at = `reddit:${stream.key} page ${page}`;
      let reachedWatermark = false;
      for (const child of children) {
        const where = placeOf(child);
        if (where) {
          if (where.second < state.from) {
            reachedWatermark = true;
            continue;
          }
          if (place(state, where.name, where.second) !== 'take') continue;
          mark(state, where.name, where.second);
          if (taken.has(where.name)) continue;
          taken.add(where.name);
        }
        const result = thingToMention(child, stream.addressesBrand);
        if ('mention' in result) batch.mentions.push(result.mention);
        else if ('reason' in result) batch.rejects.push({ at, reason: result.reason, raw: (JSON.stringify(child) ?? String(child)).slice(0, 10_000) });
      }
      after = listing.after;
      const done = reachedWatermark || !after || children.length === 0;
      if (done) state = finishSweep(state);
      else if (state.sweep) state.sweep.after = after;
      cursor.streams[stream.key] = state;
      batch.cursor = JSON.stringify(cursor);
      const limited = rateLimitAfter(headers, context.now());
      yield batch;
      if (limited) throw limited;
      if (done) return;
    }
  }

  return {
    name: config.name,
    platform: 'reddit',
    pollSeconds: config.pollSeconds,
    async *read(stored, context) {
      api.requireCredentials();
      const cursor = parseCursor(stored, context);
      const firstSince = Math.floor(context.now().getTime() / 1000) - lookbackSeconds;
      const active = streams();
      // Streams dropped from the config are forgotten; new ones start from the look-back.
      cursor.streams = Object.fromEntries(active.map((s) => [s.key, cursor.streams[s.key] ?? startAt(firstSince)]));
      const taken = new Set<string>();
      let forbidden: SourceHttpError | undefined;
      for (const stream of active) {
        if (context.signal.aborted) return;
        try {
          yield* readStream(stream, cursor, taken, context);
        } catch (error) {
          // One listing refused (a private subreddit) must not starve the streams after it:
          // read them, then back off with the refusal.
          if (!(error instanceof SourceHttpError && error.status === 403)) throw error;
          context.log.warn({ stream: stream.key, err: error.message }, 'reddit: listing refused; reading the other streams');
          forbidden ??= error;
        }
      }
      if (forbidden) throw forbidden;
    },
  };
}
