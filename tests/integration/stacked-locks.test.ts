import { Worker } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeCards } from '../../src/main.js';
import { createQueues, type NotifyJob, type Queues } from '../../src/pipeline/queues.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cards taken for a stack', () => {
  let t: TestRedis;
  let queues: Queues;
  let taker: Worker<NotifyJob> | undefined;
  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix);
  });
  afterEach(async () => {
    await taker?.close();
    await queues.close();
    await t.cleanup();
  });

  it('keep their locks while a post is held past the lock duration, and let them go once settled', async () => {
    const queue = queues.notifyFor('support');
    await queue.addBulk(['a', 'b'].map((key) => ({ name: 'card', data: { key, channelKey: 'support' }, opts: { jobId: `card-${key}` } })));
    taker = new Worker<NotifyJob>(queue.name, undefined, { connection: t.redis, prefix: t.prefix, autorun: false, lockDuration: 1_000 });
    const taken = await takeCards(taker, 5, queues, silent);
    expect(taken.map((x) => x.job.id)).toEqual(['card-a', 'card-b']);
    const lockKey = (id: string) => `${t.prefix}:${queue.name}:${id}:lock`;
    // Three lock durations later (a post waiting out a rate limit), both are still held.
    await sleep(3_000);
    for (const id of ['card-a', 'card-b']) expect(await t.redis.pttl(lockKey(id))).toBeGreaterThan(0);
    expect(await queue.getActiveCount()).toBe(2);
    await taken[0]!.complete('posted');
    await taken[1]!.fail(new Error('Discord refused it'));
    for (const id of ['card-a', 'card-b']) expect(await t.redis.exists(lockKey(id))).toBe(0);
    expect(await queue.getActiveCount()).toBe(0);
  });
});
