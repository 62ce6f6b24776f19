/**
 * The XRPC half of the peer: `/xrpc/<nsid>` requests are parsed, recorded, checked for
 * the bearer token the method needs, answered with a scripted fault when the test asked
 * for one, and otherwise handed to the method's handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PeerState, RecordedRequest, SessionTokens } from './state.js';

type Json = Record<string, unknown>;

/** What a handler sees. */
export interface XrpcContext {
  state: PeerState;
  query: URLSearchParams;
  body: Json;
  /** The session of the bearer token, for `auth: 'access'` and `'refresh'` methods. */
  session?: SessionTokens;
  /** The bearer token as sent. */
  token?: string;
}

export interface XrpcResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One XRPC method. */
export interface XrpcMethod {
  nsid: string;
  type: 'query' | 'procedure';
  /** Which token the method takes: none, an access token, or the refresh token. */
  auth: 'none' | 'access' | 'refresh';
  handle(context: XrpcContext): XrpcResult | Promise<XrpcResult>;
}

/** An XRPC error body: `{ error, message }` with its status. */
export function xrpcError(status: number, error: string, message: string, headers?: Record<string, string>): XrpcResult {
  return { status, body: { error, message }, ...(headers ? { headers } : {}) };
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

function authorize(method: XrpcMethod, state: PeerState, authorization: string | undefined): XrpcResult | { session?: SessionTokens; token?: string } {
  if (method.auth === 'none') return {};
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return xrpcError(401, 'AuthMissing', 'Authentication Required');
  if (method.auth === 'refresh') {
    if (state.accessTokens.has(token)) return xrpcError(400, 'InvalidToken', 'Invalid token type');
    const session = state.refreshTokens.get(token);
    if (!session) return xrpcError(400, 'ExpiredToken', 'Token has been revoked');
    return { session, token };
  }
  const session = state.accessTokens.get(token);
  if (!session) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
  if (session.expired) return xrpcError(400, 'ExpiredToken', 'Token has expired');
  return { session, token };
}

/** Creates the HTTP server (not yet listening) answering `methods` under `/xrpc/`. */
export function createXrpcServer(state: PeerState, methods: XrpcMethod[]): Server {
  const byNsid = new Map(methods.map((m) => [m.nsid, m]));
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    const body = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const recorded: RecordedRequest = { method: req.method ?? 'GET', nsid, query, headers, body, status: 0 };
    state.requests.push(recorded);

    const reply = (result: XrpcResult) => {
      recorded.status = result.status;
      recorded.response = result.body;
      res.writeHead(result.status, { ...result.headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result.body));
    };

    const method = byNsid.get(nsid);
    if (!url.pathname.startsWith('/xrpc/') || !method) return reply(xrpcError(501, 'MethodNotImplemented', 'Method Not Implemented'));
    const expected = method.type === 'query' ? 'GET' : 'POST';
    if (req.method !== expected) return reply(xrpcError(400, 'InvalidRequest', `Incorrect HTTP method (${req.method}) expected ${expected}`));
    const fault = state.faults.get(nsid)?.shift();
    if (fault) return reply(xrpcError(fault.status, fault.error, fault.message, fault.headers));
    const auth = authorize(method, state, headers.authorization);
    if ('status' in auth) return reply(auth);
    const json = typeof body === 'object' && body !== null ? (body as Json) : {};
    reply(await method.handle({ state, query: url.searchParams, body: json, ...auth }));
  };
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'InternalServerError', message: String(error) }));
    });
  });
}
