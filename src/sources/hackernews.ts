/**
 * Hacker News through Algolia's HN Search API: stories and comments naming the brand,
 * newest first, with no key. Each query keeps a watermark (see watermark.ts): a poll
 * sweeps down from the newest hit to ten minutes below the newest `created_at_i` read
 * (Algolia indexes some hits after younger ones), skipping the objectIDs it remembers
 * handling there, a page per batch; the cursor of every batch says how far the sweep got,
 * so a crash resumes the sweep without losing or repeating hits.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HackerNewsSourceConfig } from '../config/source-schemas.js';
import { parseMention } from '../core/parse-mention.js';
import type { Mention } from '../core/mention.js';
import { brandNames } from './brand-terms.js';
import { htmlLinks, htmlToText } from './html-text.js';
import { httpGet, parseJsonBody } from './http-get.js';
import { SourceError } from './source-errors.js';
import { finishSweep, mark, place, readCursor, startAt, sweepFields, watermarkStateSchema } from './watermark.js';
import type { ReadContext, Source, SourceBatch, SourceDeps, SourceReject } from './source.js';

/** Algolia takes up to 1,000 per page; 100 keeps pages small and a page per batch. */
const HITS_PER_PAGE = 100;

const queryStateSchema = watermarkStateSchema(z.object(sweepFields));

const cursorSchema = z.object({ v: z.literal(2), queries: z.record(z.string(), queryStateSchema) });

type HnCursor = z.infer<typeof cursorSchema>;

/** The fields of an Algolia HN hit this source reads (the rest is ignored). */
const hitSchema = z
  .object({
    objectID: z.union([z.string().min(1), z.number().int()]),
    created_at_i: z.number().int().optional(),
    created_at: z.string().optional(),
    author: z.string().min(1, 'must not be empty'),
    title: z.string().nullish(),
    url: z.string().nullish(),
    story_text: z.string().nullish(),
    comment_text: z.string().nullish(),
    story_title: z.string().nullish(),
    parent_id: z.union([z.number().int(), z.string()]).nullish(),
    _tags: z.array(z.string()).optional(),
  })
  .passthrough();

const pageSchema = z.object({
  hits: z.array(z.unknown()),
  nbHits: z.number().int().nonnegative(),
  page: z.number().int().nonnegative(),
  nbPages: z.number().int().nonnegative(),
  hitsPerPage: z.number().int().positive(),
});

/** The second a hit was posted, or undefined when it says neither `created_at_i` nor a parsable `created_at`. */
function secondOf(hit: Record<string, unknown>): number | undefined {
  if (typeof hit.created_at_i === 'number' && Number.isInteger(hit.created_at_i)) return hit.created_at_i;
  const at = typeof hit.created_at === 'string' ? Date.parse(hit.created_at) : NaN;
  return Number.isFinite(at) ? Math.floor(at / 1000) : undefined;
}

/** Turns one Algolia hit into a mention, or says why it cannot be one. */
export function hitToMention(raw: unknown): { mention: Mention } | { reason: string } {
  const parsed = hitSchema.safeParse(raw);
  if (!parsed.success) {
    return { reason: `Hacker News hit: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(hit)'}: ${i.message}`).join('; ')}` };
  }
  const hit = parsed.data;
  const id = String(hit.objectID);
  const second = secondOf(hit);
  if (second === undefined) return { reason: `Hacker News hit ${id}: no created_at_i or created_at` };
  const isComment = hit._tags?.includes('comment') ?? typeof hit.comment_text === 'string';
  const mention: Record<string, unknown> = {
    source: 'hackernews',
    id,
    url: `https://news.ycombinator.com/item?id=${encodeURIComponent(id)}`,
    createdAt: new Date(second * 1000).toISOString(),
    author: { handle: hit.author, name: hit.author, followers: 0 },
  };
  if (isComment) {
    const html = hit.comment_text ?? '';
    mention.text = htmlToText(html);
    mention.links = htmlLinks(html);
    if (hit.story_title) mention.context = hit.story_title;
    if (hit.parent_id !== undefined && hit.parent_id !== null) mention.inReplyTo = { id: String(hit.parent_id) };
  } else {
    const body = hit.story_text ? htmlToText(hit.story_text) : '';
    mention.text = [hit.title?.trim() ?? '', body].filter(Boolean).join('\n\n');
    mention.links = [...(hit.url ? [hit.url] : []), ...(hit.story_text ? htmlLinks(hit.story_text) : [])];
  }
  if (!String(mention.text).trim()) return { reason: `Hacker News hit ${id}: no text (${isComment ? 'comment_text' : 'title or story_text'} is empty)` };
  const result = parseMention(mention);
  return result.ok ? { mention: result.mention } : { reason: `Hacker News hit ${id}: ${result.reason}` };
}

function parseCursor(cursor: string | undefined, context: ReadContext): HnCursor {
  return readCursor(cursor, cursorSchema, () => ({ v: 2, queries: {} }), context.log, 'hackernews');
}

/**
 * Reads Hacker News stories and comments for each query (default: the brand's names)
 * through `GET <apiUrl>/search_by_date`. About one request per query per poll (one more
 * for every further 100 hits, counting the ten-minute overlap read again). When more
 * than Algolia's 1,000 reachable hits are new, the window is narrowed to `created_at_i<=`
 * the oldest hit read and read again.
 * Hacker News has no API for replies: there is no replier.
 */
export function createHackerNewsSource(config: HackerNewsSourceConfig & { name: string }, deps: SourceDeps): Source {
  const queries = [...new Set(config.queries ?? brandNames(deps.brand))];
  const lookbackSeconds = Math.round(config.lookbackHours * 3600);

  const pageUrl = (query: string, from: number, upper: number | undefined, page: number): string => {
    const filters = [`created_at_i>=${from}`, ...(upper === undefined ? [] : [`created_at_i<=${upper}`])];
    const params = new URLSearchParams({
      query,
      tags: '(story,comment)',
      numericFilters: filters.join(','),
      hitsPerPage: String(HITS_PER_PAGE),
      page: String(page),
    });
    return `${config.apiUrl}/search_by_date?${params}`;
  };

  async function* readQuery(query: string, cursor: HnCursor, taken: Set<string>, context: ReadContext): AsyncGenerator<SourceBatch> {
    let state = cursor.queries[query]!;
    // A window is a run of pages under one upper bound (pages shift if it moves); the next
    // window starts at the oldest hit read.
    for (let window = 0; ; window++) {
      const upperAtStart = state.sweep?.until;
      let page = 0;
      let more = true;
      let capped = false;
      while (more) {
        if (context.signal.aborted) return;
        const url = pageUrl(query, state.from, upperAtStart, page);
        const response = await httpGet(url, { signal: context.signal, fetch: deps.fetch, now: context.now });
        const body = pageSchema.safeParse(parseJsonBody(response, url));
        if (!body.success) throw new SourceError(`hackernews: ${config.apiUrl}/search_by_date answered an unexpected shape (${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}); expected Algolia's {hits, nbHits, page, nbPages}`);
        const { hits, nbHits, nbPages, hitsPerPage } = body.data;
        const batch: SourceBatch = { mentions: [], rejects: [], cursor: '' };
        const at = `hackernews:search "${query}" page ${page}${window ? ` (window ${window})` : ''}`;
        for (const hit of hits) {
          const record = (typeof hit === 'object' && hit !== null ? hit : {}) as Record<string, unknown>;
          // A hit without an objectID is remembered by its content, so the overlap does not reject it again.
          const id = typeof record.objectID === 'string' || typeof record.objectID === 'number' ? String(record.objectID) : `raw:${contentKey(hit)}`;
          const t = secondOf(record);
          if (t !== undefined) {
            const where = place(state, id, t);
            if (where !== 'take') continue;
            mark(state, id, t);
            if (taken.has(id)) continue;
            taken.add(id);
          }
          const result = hitToMention(hit);
          if ('mention' in result) batch.mentions.push(result.mention);
          else batch.rejects.push(reject(at, result.reason, hit));
        }
        more = hits.length > 0 && page + 1 < nbPages;
        // More hits matched than Algolia lets us page to: read again below the oldest one read.
        capped = !more && nbHits > nbPages * hitsPerPage && state.sweep !== undefined;
        if (!more && !capped) state = finishSweep(state);
        else if (capped && state.sweep && state.sweep.until === upperAtStart) {
          // A whole reachable window inside one second: nothing filters finer, so skip past it.
          context.log.warn({ query, second: state.sweep.until }, 'hackernews: over 1,000 hits in one second; the rest of that second is skipped');
          state.sweep = { ...state.sweep, until: state.sweep.until - 1, untilIds: [] };
        }
        cursor.queries[query] = state;
        batch.cursor = JSON.stringify(cursor);
        yield batch;
        page++;
      }
      if (!capped) return;
    }
  }

  return {
    name: config.name,
    platform: 'hackernews',
    pollSeconds: config.pollSeconds,
    async *read(stored, context) {
      const cursor = parseCursor(stored, context);
      const firstSince = Math.floor(context.now().getTime() / 1000) - lookbackSeconds;
      // Queries dropped from the config are forgotten; new ones start from the look-back.
      cursor.queries = Object.fromEntries(queries.map((q) => [q, cursor.queries[q] ?? startAt(firstSince)]));
      const taken = new Set<string>();
      for (const query of queries) {
        if (context.signal.aborted) return;
        yield* readQuery(query, cursor, taken, context);
      }
    },
  };
}

const contentKey = (hit: unknown) => createHash('sha256').update(JSON.stringify(hit) ?? String(hit)).digest('base64url').slice(0, 16);

function reject(at: string, reason: string, raw: unknown): SourceReject {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return { at, reason, raw: text.slice(0, 10_000) };
}
