import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentStore, IncidentInputError } from '../../src/store/incident-store.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

describe('the incident store', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await openTestRedis();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('keeps the start of an active incident across updates, and its text once resolved without new words', async () => {
    const incidents = createIncidentStore(t.redis, { prefix: `${t.prefix}:a` });
    expect(await incidents.current()).toBeUndefined();
    await incidents.set({ state: 'active', text: 'Label printing down since 10:20', by: '@lee' }, new Date('2026-11-16T10:25:00Z'));
    await incidents.set({ state: 'active', text: 'Label printing down since 10:20; a fix is rolling out' }, new Date('2026-11-16T10:50:00Z'));
    expect(await incidents.current()).toEqual({ state: 'active', text: 'Label printing down since 10:20; a fix is rolling out', since: '2026-11-16T10:25:00.000Z' });
    await incidents.set({ state: 'resolved', by: '@lee' }, new Date('2026-11-16T11:05:00Z'));
    expect(await incidents.current()).toEqual({ state: 'resolved', text: 'Label printing down since 10:20; a fix is rolling out', since: '2026-11-16T10:25:00.000Z', resolvedAt: '2026-11-16T11:05:00.000Z', by: '@lee' });
  });

  it('forgets a resolved incident after its time, and keeps an active one', async () => {
    const incidents = createIncidentStore(t.redis, { prefix: `${t.prefix}:b`, resolvedTtlSeconds: 60 });
    await incidents.set({ state: 'active', text: 'Checkout is down' }, new Date());
    expect(await t.redis.ttl(`${t.prefix}:b:incident`)).toBe(-1);
    await incidents.set({ state: 'resolved', text: 'Checkout is back' }, new Date());
    const ttl = await t.redis.ttl(`${t.prefix}:b:incident`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('refuses an active incident without words, a resolved one with nothing to resolve, and too long a text', async () => {
    const incidents = createIncidentStore(t.redis, { prefix: `${t.prefix}:c` });
    await expect(incidents.set({ state: 'active' }, new Date())).rejects.toBeInstanceOf(IncidentInputError);
    await expect(incidents.set({ state: 'resolved' }, new Date())).rejects.toThrow(/no incident is set/);
    await expect(incidents.set({ state: 'active', text: 'x'.repeat(201) }, new Date())).rejects.toThrow(/at most 200/);
    expect(await incidents.current()).toBeUndefined();
  });
});
