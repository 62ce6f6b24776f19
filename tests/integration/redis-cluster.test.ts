import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Queue, Worker, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { mentionKey } from '../../src/core/mention-key.js';
import { checkClusterPrefix, connectRedis, parseClusterUrl, RedisUnreachableError, shownRedisUrl } from '../../src/infra/redis-connect.js';
import { cardJobId, createQueues, notifyChannelKeys, QUEUE, type IngestJob, type Queues } from '../../src/pipeline/queues.js';
import { createTriageProcessor, type TriageOutcome } from '../../src/pipeline/triage-worker.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { runCli } from '../support/cli.js';
import { aMention } from '../support/fixtures.js';
import { clusterToolsMissing, startRedisCluster, type TestCluster } from '../support/redis-cluster.js';

const silent = pino({ level: 'silent' });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Removes every key under the prefix: SCAN sees one node's keys only, so each primary is asked. */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  for (const node of (redis as unknown as Cluster).nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      // One slot per prefix, so one UNLINK may take them all.
      if (keys.length) await node.unlink(...keys);
    } while (cursor !== '0');
  }
}

describe('cluster URLs and prefixes', () => {
  it('reads the nodes, user and password of a redis+cluster:// URL, and never shows the password', () => {
    expect(parseClusterUrl('rediss+cluster://ops:p%40ss@10.0.0.5:7000,[::1]:7001,cache.internal')).toEqual({
      nodes: [{ host: '10.0.0.5', port: 7000 }, { host: '::1', port: 7001 }, { host: 'cache.internal', port: 6379 }],
      username: 'ops',
      password: 'p@ss',
      tls: true,
    });
    expect(parseClusterUrl('redis+cluster://:secret@127.0.0.1:7000/')).toEqual({ nodes: [{ host: '127.0.0.1', port: 7000 }], password: 'secret', tls: false });
    expect(shownRedisUrl('redis+cluster://ops:hunter2@10.0.0.5:7000,10.0.0.6:7000')).toBe('redis+cluster://ops:***@10.0.0.5:7000,10.0.0.6:7000');
    expect(() => parseClusterUrl('redis+cluster://10.0.0.5:7000/2')).toThrow(/no database number/);
    expect(() => parseClusterUrl('redis+cluster://10.0.0.5:7000,,10.0.0.6:7000')).toThrow(/"" is not a cluster node/);
  });

  it('accepts a prefix with a hash tag and refuses one without, saying how to fix it in one line', () => {
    expect(checkClusterPrefix('{mt}')).toBeUndefined();
    expect(checkClusterPrefix('acme-{mt}')).toBeUndefined();
    expect(checkClusterPrefix('mt')).toBe('MENTION_TRIAGE_PREFIX "mt" has no hash tag, which a Redis Cluster needs (all of a queue\'s keys must hash to one slot): wrap it in braces, e.g. MENTION_TRIAGE_PREFIX={mt}');
    // Redis ignores an empty tag and hashes the whole key.
    expect(checkClusterPrefix('{}mt')).toMatch(/has no hash tag.*MENTION_TRIAGE_PREFIX=\{mt\}$/);
    expect(checkClusterPrefix('mt}{')).toMatch(/has no hash tag/);
  });

  it('refuses an untagged prefix on a cluster URL in every command that uses Redis, in one line with exit 2, before connecting', async () => {
    const env = { REDIS_URL: `redis+cluster://127.0.0.1:${await freePort()}`, MENTION_TRIAGE_PREFIX: 'mt' };
    const runs = await Promise.all([['dead-letters'], ['sources'], ['report', '--since', '1d'], ['model', 'status'], ['demo']].map((args) => runCli(args, { env })));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('MENTION_TRIAGE_PREFIX "mt" has no hash tag');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('fails at once, naming the URL, when no cluster node answers', async () => {
    const url = `redis+cluster://:hunter2@127.0.0.1:${await freePort()}`;
    const attempt = connectRedis(url, { maxRetriesPerRequest: null });
    await expect(attempt).rejects.toBeInstanceOf(RedisUnreachableError);
    await expect(attempt).rejects.toThrow(/^no Redis Cluster answered at redis\+cluster:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(.+\): start it/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });

  it('says a redis+cluster:// URL names a single Redis, with the URL to use instead', async () => {
    const single = new URL(inject('redisUrl'));
    const attempt = connectRedis(`redis+cluster://${single.host}`, { maxRetriesPerRequest: 1 });
    await expect(attempt).rejects.toThrow(new RegExp(`that is one Redis, not a cluster; name it as redis://${single.hostname}:${single.port}$`));
  });
});

describe('the queues and the mention store on a real three-node Redis Cluster', () => {
  const missing = clusterToolsMissing();
  let cluster: TestCluster | undefined;
  let redis: Redis | undefined;
  let queues: Queues | undefined;
  let worker: Worker | undefined;
  let prefix = '';

  beforeAll(async () => {
    if (!missing) cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  afterEach(async () => {
    await worker?.close();
    await queues?.close();
    if (redis) {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
    [worker, queues, redis] = [undefined, undefined, undefined];
  });

  it('triages an ingested batch through a real Worker and claims a mention, every key of the prefix in one slot', async ({ skip }) => {
    skip(missing !== undefined, missing);
    prefix = `{mt-test-${randomBytes(4).toString('hex')}}`;
    expect(checkClusterPrefix(prefix)).toBeUndefined();
    redis = await connectRedis(cluster!.url, { maxRetriesPerRequest: null });
    expect(redis.isCluster).toBe(true);

    const config = await loadConfig('config');
    queues = createQueues(redis, prefix, notifyChannelKeys(config.discord.channels));
    const store = createMentionStore(redis, { prefix });
    worker = new Worker<IngestJob, TriageOutcome>(QUEUE.ingest, createTriageProcessor({ policy: () => config, store, queues, log: silent }), { connection: redis, prefix });

    const angry = aMention({ id: '1860000000000000301', text: '@parcelly charged me TWICE for one label and no reply for 3 days!!!' });
    const calm = aMention({ id: '1860000000000000302', text: 'Does @parcelly ship to Norway?', author: { handle: 'mo', name: 'Mo', followers: 90 } });
    const keys = [angry, calm].map(mentionKey);
    expect(await store.seen(keys)).toEqual([false, false]);
    await store.markSeen(keys);
    // The job's outcome as the worker reports it: completed jobs may be removed at once.
    const outcome = new Promise<{ id?: string; result?: TriageOutcome; failed?: string }>((resolve) => {
      worker!.once('completed', (job: Job<IngestJob, TriageOutcome>, result: TriageOutcome) => resolve({ ...(job.id ? { id: job.id } : {}), result }));
      worker!.once('failed', (job: Job<IngestJob, TriageOutcome> | undefined, error: Error) => resolve({ ...(job?.id ? { id: job.id } : {}), failed: error.message }));
    });
    const added = await queues.ingest.add('batch', { sourceName: 'file', receivedAt: new Date().toISOString(), mentions: [angry, calm] });
    expect(await outcome).toEqual({ id: added.id, result: { triaged: 2, created: 2, malformed: 0 } });
    expect(await store.seen(keys)).toEqual([true, true]);

    const state = await store.get(keys[0]!);
    expect(state?.status).toBe('new');
    expect(state?.triage.classification.polarity).toBe('negative');
    const channel = state!.triage.route.channel;
    const card = await queues.notifyFor(channel).getJob(cardJobId(keys[0]!, channel));
    expect(card?.data).toMatchObject({ key: keys[0], channelKey: channel });

    // Recorded once: a second save keeps the first triage.
    expect(await store.saveTriaged(keys[0]!, state!.triage, new Date())).toBe(false);

    const dana = { id: '111111111111111111', name: 'dana' };
    const sam = { id: '222222222222222222', name: 'sam' };
    expect(await store.transition(keys[0]!, 'claim', dana, new Date())).toEqual({ ok: true, status: 'claimed', holder: dana });
    expect(await store.transition(keys[0]!, 'resolve', sam, new Date())).toEqual({ ok: false, reason: 'held-by-other', status: 'claimed', holder: dana });
    expect(await store.transition(keys[0]!, 'resolve', dana, new Date())).toEqual({ ok: true, status: 'resolved', holder: dana });
    expect((await store.history(keys[0]!)).map((e) => e.action)).toEqual(['triaged', 'claim', 'resolve']);
    expect(await store.counts()).toMatchObject({ new: 1, claimed: 0, resolved: 1 });

    // The hash tag is what makes this work: the same queue under a plain prefix is refused.
    const untagged = new Queue('ingest', { connection: redis, prefix: prefix.replace(/[{}]/g, '') });
    try {
      await expect(untagged.add('batch', { sourceName: 'file', receivedAt: new Date().toISOString(), mentions: [] })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await untagged.close();
    }
  });

  it('says a redis:// URL names a node of a cluster, with the URL to use instead', async ({ skip }) => {
    skip(missing !== undefined, missing);
    const [node] = cluster!.nodes;
    await expect(connectRedis(`redis://${node!.host}:${node!.port}`, { maxRetriesPerRequest: 1 })).rejects.toThrow(
      `redis://${node!.host}:${node!.port} is a node of a Redis Cluster, which needs a cluster connection: set REDIS_URL=redis+cluster://${node!.host}:${node!.port} (and a prefix with a hash tag, e.g. MENTION_TRIAGE_PREFIX={mt})`,
    );
  });
});
