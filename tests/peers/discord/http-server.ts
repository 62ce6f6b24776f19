/**
 * The REST half of the peer: parses and records every request, enforces bot authorization,
 * injects random faults when asked to, fires scripted 429s, and hands the request to the
 * matching route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serverErrorBody } from './faults.js';
import type { UploadedFile } from './messages.js';
import { matchesPath, rateLimitResponse } from './rate-limit.js';
import type { PeerState, RecordedRequest } from './state.js';

type Json = Record<string, unknown>;

/** What a route sees. */
export interface RouteContext {
  state: PeerState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (or multipart `payload_json`), `{}` when there was none. */
  body: Json;
  files: UploadedFile[];
}

/** What a route answers; `body` undefined means 204 No Content unless `status` says otherwise. */
export interface RouteResult {
  status: number;
  body?: unknown;
  /** The answer is the message an earlier request created under the same `enforce_nonce` nonce. */
  nonceReplay?: true;
}

/** One REST route; `pattern` uses `:name` segments, matched against the path after `/api/v10`. */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  pattern: string;
  /** `bot` routes need `Authorization: Bot …`; interaction and webhook routes need none. */
  auth: 'bot' | 'none';
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

interface CompiledRoute extends RouteDefinition {
  regex: RegExp;
  names: string[];
}

/** Shorthand for a Discord JSON error. */
export function discordError(status: number, code: number, message: string): RouteResult {
  return { status, body: { message, code } };
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/:(\w+)/g, (_all, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

function decodePath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/** Discord takes at most 10 files a message, each within the upload limit (10 MiB for a server without boosts). */
export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** What Discord answers an upload it refuses: too many files (50035), or a file too large (413, 40005). */
function uploadProblem(files: readonly UploadedFile[]): RouteResult | undefined {
  if (files.length > MAX_FILES) {
    return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { files: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_FILES} or fewer in length.` }] } } } };
  }
  if (files.some((file) => file.size > MAX_FILE_BYTES)) return discordError(413, 40005, 'Request entity too large');
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (body === undefined || status === 204) {
    res.writeHead(status === 200 ? 204 : status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Creates the HTTP server (not yet listening) serving `routes` under `/api/v10`. */
export function createRestServer(state: PeerState, routes: RouteDefinition[]): Server {
  const compiled = routes.map(compile);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = decodePath(url.pathname);
    const route = path.replace(/^\/api(\/v\d+)?/, '') || '/';
    const { body, files } = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
    );
    const recorded: RecordedRequest = {
      method,
      path,
      route,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      files,
      status: 0,
      responseHeaders: {},
      at: Date.now(),
    };
    state.requests.push(recorded);

    const reply = (result: RouteResult, extraHeaders: Record<string, string> = {}) => {
      recorded.status = result.body === undefined && result.status === 200 ? 204 : result.status;
      recorded.responseHeaders = result.body === undefined ? extraHeaders : { ...extraHeaders, 'content-type': 'application/json' };
      recorded.response = result.body;
      send(res, result.status, result.body, extraHeaders);
    };

    let params: Record<string, string> = {};
    const match = compiled.find((candidate) => {
      if (candidate.method !== method) return false;
      const found = candidate.regex.exec(route);
      if (!found) return false;
      params = Object.fromEntries(candidate.names.map((name, i) => [name, found[i + 1] ?? '']));
      return true;
    });
    if (!match) return reply(discordError(404, 0, '404: Not Found'));
    const tooMany = uploadProblem(files);
    if (tooMany) return reply(tooMany);
    if (match.auth === 'bot' && !/^Bot \S+/.test(headers.authorization ?? '')) {
      return reply(discordError(401, 0, '401: Unauthorized'));
    }
    const fault = match.auth === 'bot' ? state.faults?.draw(method, route, path) : undefined;
    if (fault) recorded.fault = fault.kind;
    if (fault?.kind === '5xx') return reply({ status: fault.status, body: serverErrorBody(fault.status) });
    if (fault?.kind === '429') {
      const injected = rateLimitResponse({ retryAfterSeconds: fault.retryAfterSeconds }, method, route);
      return reply({ status: 429, body: injected.body }, injected.headers);
    }
    if (fault?.kind === 'reset' && !fault.afterEffect) {
      res.socket?.destroy();
      return;
    }
    const limited = state.rateLimiter.take(method, route, path);
    if (limited) {
      // A reset due after the effect never comes: the request had no effect.
      delete recorded.fault;
      return reply({ status: 429, body: limited.body }, limited.headers);
    }

    const json = typeof body === 'object' && body !== null ? (body as Json) : {};
    const result = await match.handle({ state, params, query: url.searchParams, body: json, files });
    if (result.nonceReplay) recorded.nonceReplay = true;
    const drop = state.dropResponses.findIndex((rule) => (rule.method === undefined || rule.method.toUpperCase() === method) && matchesPath(rule.path, route, path));
    const resetAfterEffect = fault?.kind === 'reset';
    if (drop >= 0 || resetAfterEffect) {
      if (drop >= 0) {
        const rule = state.dropResponses[drop]!;
        rule.count -= 1;
        if (rule.count <= 0) state.dropResponses.splice(drop, 1);
      }
      recorded.dropped = true;
      recorded.response = result.body;
      // The work is done (the message stored); the answer is lost on the way back.
      res.socket?.destroy();
      return;
    }
    reply(result, state.rateLimiter.okHeaders(method, route));
  };

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `peer error: ${String(error)}`, code: 0 }, {});
    });
  });
}
