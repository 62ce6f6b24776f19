/**
 * The peer's HTTP side: Mastodon's REST routes used by the source and the replier, with
 * its pagination (`Link` headers, `min_id`/`max_id`/`since_id`, clamped `limit`), its
 * OAuth checks (Doorkeeper's 401/403 bodies) and its rate-limit headers (rack-attack,
 * 300 requests per 5 minutes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compareIds, escapeHtml, type NotificationJson, type StatusJson } from './entities.js';

/** One HTTP request as the peer received it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path without the query, e.g. `/api/v1/timelines/tag/parcelly`. */
  path: string;
  /** Query parameters; a repeated one (`types[]`) becomes an array. */
  query: Record<string, string | string[]>;
  /** Lower-cased names, values as sent (`authorization: Bearer …`). */
  headers: Record<string, string>;
  /** Parsed JSON or form body; undefined when empty. */
  body: unknown;
  /** What the peer answered. */
  status: number;
  responseHeaders: Record<string, string>;
  response?: unknown;
}

/** A scripted failure for the next matching request(s). */
export interface FailureRule {
  status: 401 | 403 | 404 | 422 | 429 | 500 | 503;
  /** Only requests whose path matches. @defaultValue every path */
  path?: RegExp;
  /** @defaultValue 1 */
  times?: number;
  /** @defaultValue Mastodon's own body for that status */
  body?: unknown;
}

/** What the routes read and change. */
export interface PeerState {
  origin: string;
  domain: string;
  tokens: Record<string, string[]>;
  rateLimit: number;
  tagsNeedToken: boolean;
  statuses: StatusJson[];
  notifications: NotificationJson[];
  requests: RecordedRequest[];
  failures: Array<FailureRule & { left: number }>;
  /** Requests counted in the current 5-minute window. */
  window: { start: number; count: number };
  now(): Date;
  /** Posts a status as the token's account (`POST /api/v1/statuses`). */
  createStatus(input: { text: string; inReplyTo: StatusJson | undefined; visibility: StatusJson['visibility']; idempotencyKey?: string }): StatusJson;
  /** How a status is served (after any test mangling). */
  serve(status: StatusJson): unknown;
}

type Result = { status: number; body: unknown; headers?: Record<string, string> };

const PERIOD_MS = 5 * 60_000;
const ERRORS: Record<number, string> = {
  401: 'The access token is invalid',
  403: 'This action is outside the authorized scopes',
  404: 'Record not found',
  422: 'Validation failed',
  429: 'Too many requests',
  500: "We're sorry, but something went wrong on our end.",
  503: 'Service Unavailable',
};

/** rack-attack's headers; the reset is an ISO time with microseconds, as Mastodon writes it. */
function rateHeaders(state: PeerState): Record<string, string> {
  const reset = new Date(state.window.start + PERIOD_MS);
  return {
    'x-ratelimit-limit': String(state.rateLimit),
    'x-ratelimit-remaining': String(Math.max(0, state.rateLimit - state.window.count)),
    'x-ratelimit-reset': reset.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
  };
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const before = query[key];
    query[key] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return query;
}

/** Mastodon's `limit_param`: the default when absent, else |limit| capped at the maximum. */
function limitOf(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const n = Math.abs(Number.parseInt(raw, 10));
  return Math.min(Number.isFinite(n) ? n : 0, max) || fallback;
}

/** `Paginable#to_a_paginated_by_id`: newest first; with `min_id` the items immediately above it. */
function paginate<T extends { id: string }>(items: T[], url: URL, limit: number): T[] {
  const maxId = url.searchParams.get('max_id');
  const sinceId = url.searchParams.get('since_id');
  const minId = url.searchParams.get('min_id');
  const kept = items.filter(
    (i) => (!maxId || compareIds(i.id, maxId) < 0) && (!sinceId || compareIds(i.id, sinceId) > 0) && (!minId || compareIds(i.id, minId) > 0),
  );
  if (minId) return kept.sort((a, b) => compareIds(a.id, b.id)).slice(0, limit).reverse();
  return kept.sort((a, b) => compareIds(b.id, a.id)).slice(0, limit);
}

/** `rel="next"` (older, `max_id` = last) and `rel="prev"` (newer, `min_id` = first), keeping the permitted params. */
function linkHeader(state: PeerState, url: URL, items: Array<{ id: string }>, keep: string[]): Record<string, string> {
  if (items.length === 0) return {};
  const build = (key: 'max_id' | 'min_id', id: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of url.searchParams) if (keep.includes(k)) params.append(k, v);
    params.set(key, id);
    return `${state.origin}${url.pathname}?${params.toString()}`;
  };
  return { link: `<${build('max_id', items.at(-1)!.id)}>; rel="next", <${build('min_id', items[0]!.id)}>; rel="prev"` };
}

function bearer(headers: Record<string, string>): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

/** Doorkeeper: a missing or unknown token is 401; a token lacking every listed scope is 403. */
function authorize(state: PeerState, headers: Record<string, string>, scopes: string[]): Result | undefined {
  const token = bearer(headers);
  const granted = token ? state.tokens[token] : undefined;
  if (!granted) return { status: 401, body: { error: ERRORS[401] }, headers: { 'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${ERRORS[401]}"` } };
  if (!scopes.some((s) => granted.includes(s))) return { status: 403, body: { error: ERRORS[403] } };
  return undefined;
}

function listNotifications(state: PeerState, url: URL, headers: Record<string, string>): Result {
  const denied = authorize(state, headers, ['read', 'read:notifications']);
  if (denied) return denied;
  const types = url.searchParams.getAll('types[]');
  const excluded = url.searchParams.getAll('exclude_types[]');
  const pool = state.notifications.filter((n) => (types.length === 0 || types.includes(n.type)) && !excluded.includes(n.type));
  const page = paginate(pool, url, limitOf(url, 40, 80));
  return {
    status: 200,
    body: page.map((n) => (n.status ? { ...n, status: state.serve(n.status) } : n)),
    headers: linkHeader(state, url, page, ['limit', 'types[]', 'exclude_types[]', 'account_id']),
  };
}

function tagTimeline(state: PeerState, url: URL, headers: Record<string, string>, tag: string): Result {
  // With timeline previews off (Mastodon 4.x setting) the tag timeline needs a read token; otherwise it ignores tokens.
  if (state.tagsNeedToken) {
    const denied = authorize(state, headers, ['read', 'read:statuses']);
    if (denied) return denied;
  }
  const name = tag.toLowerCase();
  const pool = state.statuses.filter((s) => s.visibility === 'public' && s.reblog === null && s.tags.some((t) => t.name === name));
  const page = paginate(pool, url, limitOf(url, 20, 40));
  return { status: 200, body: page.map((s) => state.serve(s)), headers: linkHeader(state, url, page, ['limit', 'local', 'only_media']) };
}

function postStatus(state: PeerState, headers: Record<string, string>, body: unknown): Result {
  const denied = authorize(state, headers, ['write', 'write:statuses']);
  if (denied) return denied;
  const params = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = typeof params.status === 'string' ? params.status : '';
  if (!text.trim()) return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
  if ([...text].length > 500) return { status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } };
  const visibility = (params.visibility ?? 'public') as StatusJson['visibility'];
  if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) return { status: 422, body: { error: `Validation failed: Visibility is not included in the list` } };
  let inReplyTo: StatusJson | undefined;
  if (params.in_reply_to_id !== undefined && params.in_reply_to_id !== null && params.in_reply_to_id !== '') {
    inReplyTo = state.statuses.find((s) => s.id === String(params.in_reply_to_id));
    if (!inReplyTo) return { status: 404, body: { error: 'The post you are trying to reply to does not appear to exist.' } };
  }
  const key = headers['idempotency-key'];
  return { status: 200, body: state.createStatus({ text, inReplyTo, visibility, ...(key ? { idempotencyKey: key } : {}) }) };
}

function instanceV2(state: PeerState): Result {
  return {
    status: 200,
    body: {
      domain: state.domain,
      title: 'Social Test',
      version: '4.5.0',
      source_url: 'https://github.com/mastodon/mastodon',
      description: 'A local Mastodon for tests.',
      usage: { users: { active_month: 3 } },
      thumbnail: { url: `https://${state.domain}/packs/media/images/preview.png` },
      languages: ['en'],
      configuration: {
        urls: { streaming: `wss://${state.domain}` },
        accounts: { max_featured_tags: 10 },
        statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
      },
      registrations: { enabled: false, approval_required: false, message: null },
      contact: { email: `admin@${state.domain}`, account: null },
      rules: [],
    },
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return undefined;
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function route(state: PeerState, method: string, url: URL, headers: Record<string, string>, body: unknown): Result {
  const path = url.pathname;
  const tag = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(path);
  if (method === 'GET' && path === '/api/v1/notifications') return listNotifications(state, url, headers);
  if (method === 'GET' && tag) return tagTimeline(state, url, headers, decodeURIComponent(tag[1]!));
  if (method === 'POST' && path === '/api/v1/statuses') return postStatus(state, headers, body);
  if (method === 'GET' && path === '/api/v2/instance') return instanceV2(state);
  return { status: 404, body: { error: ERRORS[404] } };
}

/** Handles one request: records it, counts it against the limit, fires scripted failures, routes it. */
export async function handleRequest(state: PeerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
  const body = await readBody(req);
  const recorded: RecordedRequest = { method, path: decodeURIComponent(url.pathname), query: queryOf(url), headers, body, status: 0, responseHeaders: {} };
  state.requests.push(recorded);

  const now = state.now();
  if (now.getTime() >= state.window.start + PERIOD_MS) state.window = { start: now.getTime() - (now.getTime() % PERIOD_MS), count: 0 };
  state.window.count += 1;

  let result: Result;
  const failure = state.failures.find((f) => f.left > 0 && (!f.path || f.path.test(url.pathname)));
  if (failure) {
    failure.left -= 1;
    if (failure.status === 429) state.window.count = Math.max(state.window.count, state.rateLimit + 1);
    const extra: Record<string, string> =
      failure.status === 401 ? { 'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${ERRORS[401]}"` } : {};
    result = { status: failure.status, body: failure.body ?? { error: ERRORS[failure.status] }, headers: extra };
  } else if (state.window.count > state.rateLimit) {
    result = { status: 429, body: { error: ERRORS[429] } };
  } else {
    result = route(state, method, url, headers, body);
  }
  const responseHeaders = { ...rateHeaders(state), ...result.headers, 'content-type': 'application/json; charset=utf-8' };
  recorded.status = result.status;
  recorded.responseHeaders = responseHeaders;
  recorded.response = result.body;
  res.writeHead(result.status, responseHeaders).end(JSON.stringify(result.body));
}

/** The HTML Mastodon makes of a plain-text status: paragraphs, `<br />`, escaped text. */
export function plainTextToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br />')}</p>`)
    .join('');
}
