import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { redisAnswers } from '../../src/infra/private-redis.js';

const run = promisify(execFile);

/** A Redis Cluster of primaries this process started on loopback, nothing kept on disk. */
export interface TestCluster {
  nodes: Array<{ host: string; port: number }>;
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,…` */
  url: string;
  /** Stops every node and removes the working directory. Safe to call twice. */
  stop(): Promise<void>;
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).status === 0;
}

/** Why a cluster cannot be started here (a binary missing), or undefined when it can. */
export function clusterToolsMissing(): string | undefined {
  const missing = ['redis-server', 'redis-cli'].filter((binary) => !onPath(binary));
  return missing.length ? `${missing.join(' and ')} not found: install Redis (Debian/Ubuntu: apt-get install redis-server redis-tools) to run the Redis Cluster test` : undefined;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair (port, port + 10000) for a cluster node');
}

async function waitFor(what: string, timeoutMs: number, done: () => Promise<boolean>, alive: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    alive();
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

async function clusterStateOk(port: number): Promise<boolean> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info']).catch(() => ({ stdout: '' }));
  return /^cluster_state:ok\b/m.test(stdout);
}

/**
 * Starts `count` (at least 3) redis-server processes in cluster mode in a temporary
 * directory, joins them with `redis-cli --cluster create` (primaries only) and waits
 * until every node says `cluster_state:ok`.
 */
export async function startRedisCluster(options: { count?: number; timeoutMs?: number } = {}): Promise<TestCluster> {
  const { count = 3, timeoutMs = 20_000 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'mention-triage-cluster-'));
  const children: ChildProcess[] = [];
  const onExit = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              // Held (not unref'd): the caller awaits the exit, so the process must wait for it.
              const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    })());

  try {
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freeClusterPort(taken);
      taken.add(port);
      ports.push(port);
    }
    for (const port of ports) {
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout', '5000', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir, '--logfile', join(dir, `${port}.log`)],
        { stdio: 'ignore' },
      );
      child.unref();
      children.push(child);
    }
    const alive = () => {
      const exited = children.find((child) => child.exitCode !== null);
      if (exited) throw new Error(`a cluster node exited with code ${exited.exitCode} (logs in ${dir})`);
    };
    for (const port of ports) await waitFor(`redis-server did not answer on port ${port}`, timeoutMs, () => redisAnswers('127.0.0.1', port, 200), alive);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: timeoutMs });
    for (const port of ports) await waitFor(`node ${port} did not report cluster_state:ok`, timeoutMs, () => clusterStateOk(port), alive);
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    return { nodes, url: `redis+cluster://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
