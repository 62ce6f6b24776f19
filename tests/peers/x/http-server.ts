/**
 * The HTTP half of the X peer: records every request, checks its authorization (app
 * bearer token, or OAuth 1.0a user context with a verified signature), answers scripted
 * faults, counts each endpoint's 15-minute rate-limit window into `x-rate-limit-*` headers,
 * and hands the request to its route.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { problems, type ProblemAnswer } from './problems.js';
import type { PeerState, RecordedRequest, RouteKey } from './state.js';

export interface RouteContext {
  state: PeerState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  req: IncomingMessage;
  res: ServerResponse;
  /** Rate-limit headers of this request, for routes that answer themselves (the stream). */
  limitHeaders: Record<string, string>;
}

/** An answer, or `streaming` when the route keeps the response open itself. */
export type RouteResult = { status: number; body?: unknown } | 'streaming';

export interface RouteDefinition {
  method: 'GET' | 'POST';
  /** `:name` segments, matched against the path. */
  pattern: string;
  key: RouteKey;
  auth: 'bearer' | 'oauth1';
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

const WINDOW_SECONDS = 15 * 60;

const percent = (s: string) => encodeURIComponent(s).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Checks an `OAuth …` header against the peer's keys, signature included (RFC 5849, HMAC-SHA1). */
export function verifyOAuth1(header: string, method: string, url: URL, state: PeerState): string | undefined {
  if (!header.startsWith('OAuth ')) return 'not an OAuth 1.0a header';
  const fields = Object.fromEntries(
    [...header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)]),
  );
  if (fields.oauth_consumer_key !== state.oauth.appKey) return 'unknown oauth_consumer_key';
  if (fields.oauth_token !== state.oauth.accessToken) return 'unknown oauth_token';
  if (fields.oauth_signature_method !== 'HMAC-SHA1' || fields.oauth_version !== '1.0') return 'unsupported signature method';
  if (Math.abs(Number(fields.oauth_timestamp) - Date.now() / 1000) > 300) return 'stale oauth_timestamp';
  const { oauth_signature: signature, ...signed } = fields;
  const all: Array<[string, string]> = [...Object.entries(signed), ...url.searchParams.entries()];
  const paramString = all.map(([k, v]) => [percent(k), percent(v)]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  const base = `${method}&${percent(`${url.protocol}//${url.host}${url.pathname}`)}&${percent(paramString)}`;
  const expected = createHmac('sha1', `${percent(state.oauth.appSecret)}&${percent(state.oauth.accessSecret)}`).update(base).digest('base64');
  return expected === signature ? undefined : 'bad oauth_signature';
}

function windowHeaders(state: PeerState, key: RouteKey): { headers: Record<string, string>; exhausted: boolean } {
  const nowSeconds = Math.floor(state.now().getTime() / 1000);
  let window = state.windows.get(key);
  if (!window || window.reset <= nowSeconds) {
    window = { limit: state.limits[key], remaining: state.limits[key], reset: nowSeconds + WINDOW_SECONDS };
    state.windows.set(key, window);
  }
  const exhausted = window.remaining <= 0;
  if (!exhausted) window.remaining--;
  return {
    exhausted,
    headers: { 'x-rate-limit-limit': String(window.limit), 'x-rate-limit-remaining': String(window.remaining), 'x-rate-limit-reset': String(window.reset) },
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Creates the server (not yet listening) for `routes`. */
export function createXServer(state: PeerState, routes: RouteDefinition[]): Server {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/:(\w+)/g, (_all, name: string) => (names.push(name), '([^/]+)'));
    return { ...route, regex: new RegExp(`^${source}$`), names };
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const body = await readBody(req);
    const recorded: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body, status: 0, at: Date.now() };
    state.requests.push(recorded);
    const reply = (status: number, json: unknown, extra: Record<string, string> = {}) => {
      recorded.status = status;
      recorded.response = json;
      const problem = status >= 400 && typeof json === 'object' && json !== null && 'title' in json;
      res.writeHead(status, { ...extra, 'content-type': problem ? 'application/problem+json' : 'application/json; charset=utf-8' }).end(JSON.stringify(json));
    };
    const answer = (a: ProblemAnswer, extra: Record<string, string> = {}) => reply(a.status, a.body, extra);

    let params: Record<string, string> = {};
    const route = compiled.find((r) => {
      const m = r.method === method ? r.regex.exec(url.pathname) : null;
      if (m) params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return m !== null;
    });
    if (!route) return reply(404, { title: 'Not Found Error', detail: `Sorry, that page does not exist: ${method} ${url.pathname}`, type: 'about:blank', status: 404 });

    const authorization = headers.authorization ?? '';
    if (route.auth === 'bearer' && authorization !== `Bearer ${state.bearerToken}`) return answer(problems.unauthorized());
    if (route.auth === 'oauth1') {
      if (authorization.startsWith('Bearer ')) return answer(problems.unsupportedAuthentication());
      if (verifyOAuth1(authorization, method, url, state)) return answer(problems.unauthorized());
    }

    const fault = state.faults.get(route.key)?.[0];
    if (fault) {
      if (--fault.times <= 0) state.faults.get(route.key)!.shift();
      return reply(fault.status, fault.body, fault.headers);
    }
    const limit = windowHeaders(state, route.key);
    if (limit.exhausted) return answer(problems.rateLimited(), limit.headers);

    const result = await route.handle({ state, params, query: url.searchParams, body, req, res, limitHeaders: limit.headers });
    if (result === 'streaming') {
      recorded.status = 200;
      return;
    }
    reply(result.status, result.body, limit.headers);
  };

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'Internal Error', detail: String(error), type: 'about:blank' }));
    });
  });
}
