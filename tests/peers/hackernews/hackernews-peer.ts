/**
 * A local Algolia HN Search API for integration tests: `GET /api/v1/search_by_date` with
 * Algolia's documented hit and page shapes, real `tags` / `numericFilters` / `query`
 * filtering, `hitsPerPage` / `page` paging, and the index's 1,000-hit pagination limit.
 * Tests add stories and comments (also ones the index lists late, after younger ones, as
 * Algolia does), inject failures, and read the request log.
 *
 * @example
 * const peer = await startHackerNewsPeer();
 * peer.addStory({ author: 'dana', title: 'Parcelly is down', createdAt: 1_800_000_000 });
 * // source config: { apiUrl: peer.apiUrl }
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlgoliaQueryError, matches, parseNumericFilters, parseTags, type StoredHit } from './algolia-filters.js';

/** One request as the peer received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  status: number;
  responseHeaders: Record<string, string>;
  at: number;
}

/** A scripted answer for the next search request(s). */
export interface InjectedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StoryInput {
  id?: number;
  author: string;
  title: string;
  /** Unix seconds. */
  createdAt: number;
  url?: string;
  /** HTML, for Ask HN style stories. */
  storyText?: string;
  points?: number;
  /** False: kept out of searches until {@link HackerNewsPeer.index} (Algolia indexes some items minutes late). @defaultValue true */
  indexed?: boolean;
}

export interface CommentInput {
  id?: number;
  author: string;
  /** HTML as HN stores it (`<p>`, `<a href>`, entities). */
  text: string;
  createdAt: number;
  storyId: number;
  storyTitle: string;
  storyUrl?: string;
  /** @defaultValue the story */
  parentId?: number;
  /** False: kept out of searches until {@link HackerNewsPeer.index}. @defaultValue true */
  indexed?: boolean;
}

export interface HackerNewsPeerOptions {
  /** Algolia's `paginationLimitedTo` on the HN index. @defaultValue 1000 */
  paginationLimit?: number;
}

export interface HackerNewsPeer {
  /** Pass as the source's `apiUrl`: `http://127.0.0.1:PORT/api/v1`. */
  readonly apiUrl: string;
  /** Every request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** The `search_by_date` requests, in order. */
  searches(): RecordedRequest[];
  /** Adds a story; returns its objectID. */
  addStory(input: StoryInput): string;
  /** Adds a comment; returns its objectID. */
  addComment(input: CommentInput): string;
  /** Adds a hit exactly as given (for malformed hits); it needs `_tags` and `created_at_i` to be found. */
  addRawHit(hit: StoredHit): void;
  /** Lets searches find an item added with `indexed: false`, at its own `created_at_i`: behind younger hits already served. */
  index(objectID: string): void;
  /** Answers the next `count` searches with this instead. */
  failNext(response: InjectedResponse, count?: number): void;
  clearRequests(): void;
  close(): Promise<void>;
}

function highlight(value: unknown): Record<string, unknown> {
  return { value: typeof value === 'string' ? value : '', matchLevel: 'none', matchedWords: [] };
}

/** Starts the peer on a free port of 127.0.0.1. */
export async function startHackerNewsPeer(options: HackerNewsPeerOptions = {}): Promise<HackerNewsPeer> {
  const paginationLimit = options.paginationLimit ?? 1000;
  const hits: StoredHit[] = [];
  const requests: RecordedRequest[] = [];
  const injected: InjectedResponse[] = [];
  /** objectIDs added but not indexed yet. */
  const unindexed = new Set<string>();
  let nextId = 41_000_000;

  const search = (query: URLSearchParams): { status: number; body: unknown } => {
    let tags: string[][];
    let numeric: ReturnType<typeof parseNumericFilters>;
    try {
      tags = parseTags(query.get('tags'));
      numeric = parseNumericFilters(query.get('numericFilters'));
    } catch (error) {
      if (error instanceof AlgoliaQueryError) return { status: 400, body: { message: error.message, status: 400 } };
      throw error;
    }
    const hitsPerPage = Math.min(1000, Math.max(1, Number(query.get('hitsPerPage') ?? 20) || 20));
    const page = Math.max(0, Number(query.get('page') ?? 0) || 0);
    const text = query.get('query') ?? '';
    const found = hits
      .filter((hit) => !unindexed.has(String(hit.objectID)) && matches(hit, text, tags, numeric))
      .sort((a, b) => Number(b.created_at_i) - Number(a.created_at_i) || Number(b.objectID) - Number(a.objectID));
    const reachable = found.slice(0, paginationLimit);
    const nbPages = Math.min(Math.ceil(found.length / hitsPerPage), Math.ceil(paginationLimit / hitsPerPage));
    return {
      status: 200,
      body: {
        hits: reachable.slice(page * hitsPerPage, (page + 1) * hitsPerPage),
        nbHits: found.length,
        page,
        nbPages,
        hitsPerPage,
        exhaustiveNbHits: true,
        exhaustiveTypo: true,
        exhaustive: { nbHits: true, typo: true },
        query: text,
        params: query.toString(),
        processingTimeMS: 1,
        serverTimeMS: 1,
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: Buffer.concat(chunks).toString('utf8'),
      status: 0,
      responseHeaders: {},
      at: Date.now(),
    };
    requests.push(recorded);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      recorded.responseHeaders = { ...headers, 'content-type': 'application/json; charset=utf-8' };
      res.writeHead(status, recorded.responseHeaders).end(JSON.stringify(body));
    };
    if (url.pathname !== '/api/v1/search_by_date' && url.pathname !== '/api/v1/search') return reply(404, { message: 'Not Found', status: 404 });
    if (recorded.method !== 'GET') return reply(405, { message: 'Method Not Allowed', status: 405 });
    const scripted = injected.shift();
    if (scripted) return reply(scripted.status, scripted.body ?? { message: `HTTP ${scripted.status}`, status: scripted.status }, scripted.headers);
    const answer = search(url.searchParams);
    reply(answer.status, answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    searches: () => requests.filter((r) => r.path === '/api/v1/search_by_date'),
    addStory(input) {
      const id = input.id ?? nextId++;
      const iso = new Date(input.createdAt * 1000).toISOString();
      const hit: StoredHit = {
        _highlightResult: { author: highlight(input.author), title: highlight(input.title), url: highlight(input.url) },
        _tags: ['story', `author_${input.author}`, `story_${id}`],
        author: input.author,
        children: [],
        created_at: iso,
        created_at_i: input.createdAt,
        num_comments: 0,
        objectID: String(id),
        points: input.points ?? 1,
        story_id: id,
        title: input.title,
        updated_at: iso,
      };
      if (input.url !== undefined) hit.url = input.url;
      if (input.storyText !== undefined) hit.story_text = input.storyText;
      hits.push(hit);
      if (input.indexed === false) unindexed.add(String(id));
      return String(id);
    },
    addComment(input) {
      const id = input.id ?? nextId++;
      const iso = new Date(input.createdAt * 1000).toISOString();
      hits.push({
        _highlightResult: { author: highlight(input.author), comment_text: highlight(input.text), story_title: highlight(input.storyTitle) },
        _tags: ['comment', `author_${input.author}`, `story_${input.storyId}`],
        author: input.author,
        comment_text: input.text,
        created_at: iso,
        created_at_i: input.createdAt,
        objectID: String(id),
        parent_id: input.parentId ?? input.storyId,
        story_id: input.storyId,
        story_title: input.storyTitle,
        story_url: input.storyUrl ?? null,
        updated_at: iso,
      });
      if (input.indexed === false) unindexed.add(String(id));
      return String(id);
    },
    addRawHit: (hit) => void hits.push(hit),
    index(objectID) {
      if (!unindexed.delete(objectID)) throw new Error(`hackernews peer: ${objectID} is not waiting to be indexed`);
    },
    failNext(response, count = 1) {
      for (let i = 0; i < count; i++) injected.push(response);
    },
    clearRequests: () => void requests.splice(0),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
