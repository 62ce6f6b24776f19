import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/infra/metrics.js';
import { withHandlingTimes } from '../../src/pipeline/handling-times.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

describe('time to claim and to resolve', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await openTestRedis();
  });
  afterEach(() => t.cleanup());

  it('counts seconds from arrival to the first claim and to each resolve, by routed channel, and nothing for a refused change', async () => {
    const arrived = new Date('2026-12-03T10:00:00Z');
    let clock = new Date('2026-12-03T10:04:00Z');
    const metrics = createMetrics({ processMetrics: false });
    const store = withHandlingTimes(createMentionStore(t.redis, { prefix: t.prefix }), metrics, () => clock);
    await store.saveTriaged('x-1', aTriage(), arrived);
    const ana = { id: '1', name: '@ana' };
    const bo = { id: '2', name: '@bo' };
    expect((await store.transition('x-1', 'claim', ana, clock)).ok).toBe(true);
    // Refused (someone holds it) and a claim after a release: no new time to claim.
    expect((await store.transition('x-1', 'claim', bo, clock)).ok).toBe(false);
    await store.transition('x-1', 'release', ana, clock);
    await store.transition('x-1', 'claim', bo, clock);
    clock = new Date('2026-12-03T11:00:00Z');
    expect((await store.transition('x-1', 'resolve', bo, clock)).ok).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('mention_triage_time_to_claim_seconds_count{channel="support"} 1');
    expect(text).toContain('mention_triage_time_to_claim_seconds_sum{channel="support"} 240');
    expect(text).toContain('mention_triage_time_to_resolve_seconds_count{channel="support"} 1');
    expect(text).toContain('mention_triage_time_to_resolve_seconds_sum{channel="support"} 3600');
    expect(text).toContain('mention_triage_time_to_claim_seconds_bucket{le="300",channel="support"} 1');
  });
});
