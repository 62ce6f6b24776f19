/**
 * The operations endpoints: `GET /metrics` (Prometheus text), `GET /healthz` (the
 * process answers) and `GET /readyz` (its dependencies answer too).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

/** One dependency readiness depends on: resolves with why it is not ready, or undefined when it is. */
export interface ReadinessCheck {
  /** Names the check in the `/readyz` answer, e.g. `redis`. */
  name: string;
  check(): Promise<string | undefined> | string | undefined;
}

export interface HttpEndpointsOptions {
  /** Port to listen on; 0 takes a free one (tests). */
  port: number;
  /** Address to listen on. @defaultValue `127.0.0.1` (reachable only from the host or container itself) */
  host?: string;
  metrics: Pick<Metrics, 'registry'>;
  /** Every check must pass for `/readyz` to answer 200. */
  checks: readonly ReadinessCheck[];
  log: Logger;
  /** Longest a check may take before it counts as failed. @defaultValue 1000 ms */
  checkTimeoutMs?: number;
}

/** A listening endpoints server. */
export interface HttpEndpoints {
  /** e.g. `http://127.0.0.1:9464` */
  url: string;
  port: number;
  /** Stops listening and drops open connections (a scraper's keep-alive would hold it open). */
  close(): Promise<void>;
}

/** What `/readyz` answers: `ready`, and per check `ok` or why not. */
export interface Readiness {
  ready: boolean;
  /** The failing checks' reasons, `name: reason; ...` (only when not ready). */
  reason?: string;
  checks: Record<string, string>;
}

/** The Redis connection is open and answers PING. */
export function redisReadiness(redis: Pick<Redis, 'status' | 'ping'>): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      // With `maxRetriesPerRequest: null` a command waits for a reconnect forever: ask only when connected.
      if (redis.status !== 'ready') return `connection is ${redis.status}`;
      const answer = await redis.ping().catch((error: Error) => error);
      if (answer instanceof Error) return `PING failed: ${answer.message}`;
      return answer === 'PONG' ? undefined : `PING answered ${JSON.stringify(answer)}`;
    },
  };
}

/** The bot's gateway session is ready (it receives button clicks). */
export function discordReadiness(client: { isReady(): boolean }): ReadinessCheck {
  return { name: 'discord', check: () => (client.isReady() ? undefined : 'gateway session is not ready') };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs)));
  try {
    return await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
  } catch (error) {
    return (error as Error).message || 'check failed';
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once. */
export async function readiness(checks: readonly ReadinessCheck[], timeoutMs = 1000): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c, timeoutMs)] as const));
  const failing = results.filter(([, reason]) => reason !== undefined);
  return {
    ready: failing.length === 0,
    ...(failing.length ? { reason: failing.map(([name, reason]) => `${name}: ${reason}`).join('; ') } : {}),
    checks: Object.fromEntries(results.map(([name, reason]) => [name, reason ?? 'ok'])),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);

/** Starts the endpoints server; rejects naming the address when it cannot listen (port taken). */
export async function startHttpEndpoints(options: HttpEndpointsOptions): Promise<HttpEndpoints> {
  const { port, host = '127.0.0.1', metrics, checks, log, checkTimeoutMs = 1000 } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://endpoints').pathname;
    const known = path === '/metrics' || path === '/healthz' || path === '/readyz';
    if (!known) return json(res, 404, { error: `no endpoint ${path} (known: /metrics, /healthz, /readyz)` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return json(res, 405, { error: `${path} answers GET only, not ${req.method}` });
    }
    if (path === '/healthz') return json(res, 200, { alive: true });
    if (path === '/readyz') {
      const answer = await readiness(checks, checkTimeoutMs);
      return json(res, answer.ready ? 200 : 503, answer);
    }
    send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      log.error({ err: error.message, path: req.url }, 'operations endpoint failed');
      if (!res.headersSent) json(res, 500, { error: error.message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const refused = (error: Error) => reject(new Error(`operations endpoints: cannot listen on ${host}:${port} (${error.message}): free the port or set METRICS_PORT to another`));
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  server.on('error', (error: Error) => log.error({ err: error.message }, 'operations endpoints server error'));
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  log.info({ host, port: bound }, 'operations endpoints listening (/metrics, /healthz, /readyz)');
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
