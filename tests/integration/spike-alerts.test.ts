import type { Job } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { createQueues, type IngestJob, type Queues } from '../../src/pipeline/queues.js';
import { createTriageProcessor } from '../../src/pipeline/triage-worker.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { createVolumeStore } from '../../src/store/volume-store.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-11-20T10:05:00.000Z');

describe('spike alerts from the triage stage (real Redis)', () => {
  let t: TestRedis;
  let config: Config;
  let queues: Queues;
  beforeAll(async () => {
    config = await loadConfig('config');
  });
  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix);
  });
  afterEach(async () => {
    await queues.close();
    await t.cleanup();
  });

  const batch = (from: number, n: number, text: (i: number) => string): Job<IngestJob> =>
    ({
      id: `batch-${from}`,
      data: {
        sourceName: 'test',
        receivedAt: NOW.toISOString(),
        mentions: Array.from({ length: n }, (_, i) =>
          aMention({ id: String(1860000000000300000n + BigInt(from + i)), text: text(from + i), createdAt: new Date(NOW.getTime() - (n - i) * 1000).toISOString(), author: { handle: `p${from + i}`, name: `P ${from + i}`, followers: from + i } }),
        ),
      },
    }) as unknown as Job<IngestJob>;

  it('alerts the leads once when mentions spike, with the mood and example posts, and not for a quiet hour', async () => {
    const store = createMentionStore(t.redis, { prefix: t.prefix });
    const volume = createVolumeStore(t.redis, { prefix: t.prefix, now: () => NOW });
    const run = createTriageProcessor({ policy: () => config, store, queues, log: silent, now: () => NOW, spikes: { volume, channel: 'leads', checkEverySeconds: 0 } });
    await run(batch(0, 10, (i) => `@parcelly tracking page is down again for order ${i}, furious`));
    expect(await queues.alert.count()).toBe(0);
    await run(batch(10, 60, (i) => `@parcelly label printing is down for everyone, we cannot ship anything today ${i}`));
    await run(batch(70, 30, (i) => `@parcelly still down, day ruined ${i}`));
    const alerts = await queues.alert.getJobs(['waiting']);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!.data;
    expect(alert).toMatchObject({ channelKey: 'leads', level: 'warning' });
    expect(alert.title).toMatch(/spike/i);
    expect(alert.text).toMatch(/mentions in the last \d+ min/);
    expect(alert.text).toMatch(/Mood: /);
    expect(alert.text).toMatch(/Examples:\n• /);
  });
});
