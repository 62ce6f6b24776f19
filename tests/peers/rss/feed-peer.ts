/**
 * A feed server for tests: serves feeds from memory per path, answers conditional GETs
 * as a web server does (RFC 9110: `If-None-Match` against the ETag first, else
 * `If-Modified-Since` against Last-Modified, 304 without a body), and lets a test script
 * failures (429 with Retry-After, 403, garbage, redirects, a huge streamed body). Every
 * request is recorded with its headers.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the peer received it. */
export interface FeedRequest {
  method: string;
  path: string;
  /** Lower-case header names, as node gives them. */
  headers: Record<string, string>;
  /** What the peer answered. */
  status: number;
}

export interface FeedOptions {
  /** @defaultValue `application/rss+xml; charset=utf-8` */
  contentType?: string;
  /** A strong ETag from the body's hash unless given; `false`: send none. */
  etag?: string | false;
  /** Set to the peer's clock (and never equal to the previous one) unless given; `false`: send none. */
  lastModified?: Date | false;
}

/** A scripted answer, given instead of the feed. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

interface Served {
  body: string;
  contentType: string;
  etag?: string;
  lastModified?: Date;
}

export interface FeedPeer {
  /** The full URL of a path on the peer. */
  url(path: string): string;
  /** Serves `body` at `path` from now on (replacing what was there: the feed "changes"). */
  setFeed(path: string, body: string, options?: FeedOptions): void;
  /** The next `times` requests to `path` get `answer` instead of the feed. */
  failNext(path: string, answer: ScriptedAnswer, times?: number): void;
  /** Requests to `from` are redirected to `to`. @param status @defaultValue 301 */
  redirect(from: string, to: string, status?: number): void;
  /** Serves `bytes` of XML-looking text at `path`, streamed in chunks with no Content-Length. */
  serveHuge(path: string, bytes: number): void;
  /** Every request so far, oldest first. */
  readonly requests: FeedRequest[];
  /** The requests to one path. */
  requestsTo(path: string): FeedRequest[];
  close(): Promise<void>;
}

/** Whether an `If-None-Match` list matches an ETag (weak comparison, as for GET). */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Starts the peer on 127.0.0.1 on a free port. */
export async function startFeedPeer(): Promise<FeedPeer> {
  const feeds = new Map<string, Served>();
  const scripted = new Map<string, ScriptedAnswer[]>();
  const redirects = new Map<string, { to: string; status: number }>();
  const huge = new Map<string, number>();
  const requests: FeedRequest[] = [];
  let lastStamp = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const record = (status: number) => requests.push({ method: req.method ?? 'GET', path, headers, status });

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      record(405);
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const queue = scripted.get(path);
    const answer = queue?.shift();
    if (answer) {
      record(answer.status);
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '');
      return;
    }
    const redirect = redirects.get(path);
    if (redirect) {
      record(redirect.status);
      res.writeHead(redirect.status, { location: redirect.to }).end();
      return;
    }
    const hugeBytes = huge.get(path);
    if (hugeBytes !== undefined) {
      record(200);
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = `<item><title>${'x'.repeat(64 * 1024 - 30)}</title></item>\n`;
      let sent = 0;
      const pump = () => {
        while (sent < hugeBytes) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      pump();
      return;
    }
    const feed = feeds.get(path);
    if (!feed) {
      record(404);
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>Not Found</h1></body></html>');
      return;
    }
    const validators: Record<string, string> = {};
    if (feed.etag) validators['etag'] = feed.etag;
    if (feed.lastModified) validators['last-modified'] = feed.lastModified.toUTCString();
    const ifNoneMatch = headers['if-none-match'];
    const ifModifiedSince = headers['if-modified-since'];
    let notModified = false;
    if (ifNoneMatch !== undefined) notModified = feed.etag !== undefined && etagMatches(ifNoneMatch, feed.etag);
    else if (ifModifiedSince !== undefined && feed.lastModified) {
      const since = Date.parse(ifModifiedSince);
      notModified = Number.isFinite(since) && Math.floor(feed.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
    }
    if (notModified) {
      record(304);
      res.writeHead(304, validators).end();
      return;
    }
    record(200);
    res.writeHead(200, { 'content-type': feed.contentType, 'cache-control': 'max-age=300', ...validators });
    res.end(req.method === 'HEAD' ? undefined : feed.body);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    setFeed(path, body, options = {}) {
      // HTTP dates have whole seconds: a feed that changes within a second must still get a later date.
      lastStamp = Math.max(Math.floor(Date.now() / 1000) * 1000, lastStamp + 1000);
      const etag = options.etag === false ? undefined : (options.etag ?? `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`);
      const lastModified = options.lastModified === false ? undefined : (options.lastModified ?? new Date(lastStamp));
      huge.delete(path);
      feeds.set(path, { body, contentType: options.contentType ?? 'application/rss+xml; charset=utf-8', ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) });
    },
    failNext(path, answer, times = 1) {
      const queue = scripted.get(path) ?? [];
      for (let i = 0; i < times; i++) queue.push(answer);
      scripted.set(path, queue);
    },
    redirect(from, to, status = 301) {
      redirects.set(from, { to, status });
    },
    serveHuge(path, bytes) {
      huge.set(path, bytes);
    },
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
