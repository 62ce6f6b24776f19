import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server this process started, on a free loopback port, with nothing kept on disk. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops the server and removes its working directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when no redis-server binary can be found; its message says how to install one. */
export class RedisServerMissingError extends Error {
  constructor(binary: string) {
    super(
      `redis-server not found (looked for "${binary}"): install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis`,
    );
    this.name = 'RedisServerMissingError';
  }
}

/** Whether something answers a Redis PING at host:port within the timeout. */
export function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function findBinary(binary: string): string | undefined {
  if (binary.includes('/')) return binary;
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

async function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before it was ready`);
    if (await redisAnswers('127.0.0.1', port, 200)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts a private redis-server on a free loopback port: no persistence, `noeviction`
 * (BullMQ needs every key it writes), its files in a temporary directory.
 */
export async function startPrivateRedis(options: { binary?: string; timeoutMs?: number } = {}): Promise<PrivateRedis> {
  const { binary = 'redis-server', timeoutMs = 10_000 } = options;
  const path = findBinary(binary);
  if (!path) throw new RedisServerMissingError(binary);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'mention-triage-redis-'));
    const child = spawn(
      path,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
        '--maxmemory-policy', 'noeviction', '--dir', dir, '--logfile', ''],
      { stdio: 'ignore' },
    );
    child.unref();
    try {
      await waitUntilReady(child, port, timeoutMs);
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    // However this process ends, the server and its folder go with it.
    const onExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', onExit);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= new Promise<void>((resolve) => {
        const finish = () => {
          process.off('exit', onExit);
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return finish();
        child.once('exit', finish);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }));
    return { url: `redis://127.0.0.1:${port}`, port, stop };
  }
  throw lastError instanceof Error ? lastError : new Error('could not start redis-server');
}
