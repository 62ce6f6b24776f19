import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinLong } from '../../src/store/long-fields.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

describe('the mention store on a real Redis', () => {
  let t: TestRedis;
  let store: MentionStore;
  const now = new Date('2026-11-20T10:05:00Z');
  const alice = { id: '200000000000000001', name: '@alice' };
  const bob = { id: '200000000000000002', name: '@bob' };

  beforeEach(async () => {
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
  });
  afterEach(() => t.cleanup());

  it('records a triaged mention as new, once', async () => {
    expect(await store.saveTriaged('x-1', aTriage(), now)).toBe(true);
    expect(await store.saveTriaged('x-1', aTriage(), now)).toBe(false);
    const state = await store.get('x-1');
    expect(state?.status).toBe('new');
    expect(state?.holder).toBeUndefined();
    expect(state?.triage.mention.author.handle).toBe('dana');
  });

  it('gives a mention to exactly one of many people clicking Claim at the same moment', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    const people = Array.from({ length: 25 }, (_, i) => ({ id: String(300000000000000000n + BigInt(i)), name: `@p${i}` }));
    const outcomes = await Promise.all(people.map((p) => store.transition('x-1', 'claim', p, now)));
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    const state = await store.get('x-1');
    expect(state?.status).toBe('claimed');
    expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'held-by-other' && o.holder.id === state?.holder?.id)).toBe(true);
    const claims = (await store.history('x-1')).filter((e) => e.action === 'claim');
    expect(claims).toHaveLength(1);
  });

  it('lets only the holder resolve a claimed mention', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    await store.transition('x-1', 'claim', alice, now);
    expect(await store.transition('x-1', 'resolve', bob, now)).toEqual({ ok: false, reason: 'held-by-other', status: 'claimed', holder: alice });
    expect(await store.transition('x-1', 'resolve', alice, now)).toEqual({ ok: true, status: 'resolved', holder: alice });
    expect(await store.transition('x-1', 'claim', bob, now)).toMatchObject({ ok: false, reason: 'wrong-status', status: 'resolved' });
  });

  it('keeps an append-only history of every change', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    await store.transition('x-1', 'claim', alice, now);
    await store.transition('x-1', 'escalate', alice, now);
    const history = await store.history('x-1');
    expect(history.map((e) => [e.action, e.from, e.to])).toEqual([
      ['triaged', undefined, 'new'],
      ['claim', 'new', 'claimed'],
      ['escalate', 'claimed', 'escalated'],
    ]);
    expect(history[1]).toMatchObject({ userId: alice.id, userName: '@alice', at: now.toISOString() });
  });

  it('hands an escalated mention to whoever takes it next, a lead in the leads channel', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    await store.transition('x-1', 'claim', alice, now);
    expect(await store.transition('x-1', 'escalate', alice, now)).toEqual({ ok: true, status: 'escalated' });
    expect((await store.get('x-1'))?.holder).toBeUndefined();
    expect(await store.transition('x-1', 'claim', bob, now)).toEqual({ ok: true, status: 'claimed', holder: bob });
    expect(await store.transition('x-1', 'resolve', bob, now)).toEqual({ ok: true, status: 'resolved', holder: bob });
  });

  it('says a closed mention is closed rather than naming who held it, and forgets it after a while', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    await store.transition('x-1', 'claim', alice, now);
    await store.transition('x-1', 'resolve', alice, now);
    expect(await store.transition('x-1', 'dismiss', bob, now)).toEqual({ ok: false, reason: 'wrong-status', status: 'resolved', holder: alice });
    expect(await t.redis.ttl(`${t.prefix}:mention:x-1`)).toBeGreaterThan(89 * 24 * 3600);
    expect(await t.redis.ttl(`${t.prefix}:mention:x-1:history`)).toBeGreaterThan(89 * 24 * 3600);
  });

  it('counts mentions by status and lists the unclaimed ones, most urgent first', async () => {
    const urgent = aTriage();
    urgent.route = { ...urgent.route, priority: 0 };
    await store.saveTriaged('x-low', aTriage(), now);
    await store.saveTriaged('x-urgent', urgent, now);
    await store.saveTriaged('x-taken', aTriage(), now);
    await store.transition('x-taken', 'claim', alice, now);
    expect((await store.unclaimed(10)).map((s) => s.key)).toEqual(['x-urgent', 'x-low']);
    expect(await store.counts()).toEqual({ new: 2, claimed: 1, escalated: 0, resolved: 0, dismissed: 0 });
  });

  it('says a mention it never saw is missing', async () => {
    expect(await store.transition('x-404', 'claim', alice, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('remembers a card per channel', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    await store.recordCard('x-1', { channelKey: 'support', channelId: '100000000000000001', messageId: '100000000000000009' }, now);
    expect(await store.card('x-1', 'support')).toEqual({ channelKey: 'support', channelId: '100000000000000001', messageId: '100000000000000009', postedAt: now.toISOString() });
    expect(await store.card('x-1', 'marketing')).toBeUndefined();
    expect((await store.get('x-1'))?.cards).toHaveLength(1);
  });

  it('writes the triage as plain JSON and makes it compact once, when its card is posted or when asked', async () => {
    const triage = aTriage();
    // The whole value, its pieces joined (see src/store/long-fields.ts).
    const stored = async () => joinLong(await t.redis.hgetallBuffer(`${t.prefix}:mention:x-1`), 'triage');
    await store.saveTriaged('x-1', triage, now);
    const plain = (await stored())!;
    expect(plain.toString('utf8')).toBe(JSON.stringify(triage));
    await store.recordCard('x-1', { channelKey: 'support', channelId: '100000000000000001', messageId: '100000000000000009' }, now, triage);
    const compact = (await stored())!;
    expect(compact[0]).toBe(1);
    expect(compact.length).toBeLessThan(plain.length / 2);
    expect((await store.get('x-1'))?.triage).toEqual(triage);
    // Once only: a later call leaves the compact form as it is; a mention gone is not recreated.
    await store.compact([{ key: 'x-1', triage: aTriage(undefined, { reach: 5 }) }, { key: 'x-404', triage }]);
    expect((await store.get('x-1'))?.triage).toEqual(triage);
    expect(await t.redis.exists(`${t.prefix}:mention:x-404`)).toBe(0);
  });

  it('remembers which mention keys were ingested', async () => {
    expect(await store.seen(['x-1', 'x-2'])).toEqual([false, false]);
    await store.markSeen(['x-2']);
    expect(await store.seen(['x-1', 'x-2'])).toEqual([false, true]);
    expect(await t.redis.ttl(`${t.prefix}:seen:x-2`)).toBeGreaterThan(29 * 24 * 3600);
  });

  it('counts a recorded mention as seen, and drops the queued marker once triage records it', async () => {
    await store.markSeen(['x-3']);
    await store.saveTriaged('x-3', aTriage(), now);
    await store.saveTriaged('x-4', aTriage(), now);
    expect(await store.seen(['x-3', 'x-4', 'x-5'])).toEqual([true, true, false]);
    // The state itself says so: no second record per mention.
    expect(await t.redis.exists(`${t.prefix}:seen:x-3`)).toBe(0);
  });

  it('keeps the triage as written, and the first triage when a mention is recorded again', async () => {
    // As JSON keeps it (no undefined fields): what any stage reads back.
    const first = JSON.parse(JSON.stringify(aTriage())) as ReturnType<typeof aTriage>;
    const again = { ...first, reach: first.reach + 1 };
    expect(await store.saveTriagedMany([{ key: 'x-6', triage: first }], now)).toEqual([{ created: true, triage: first }]);
    expect(await store.saveTriagedMany([{ key: 'x-6', triage: again }, { key: 'x-7', triage: again }], now)).toEqual([
      { created: false, triage: first },
      { created: true, triage: again },
    ]);
    expect((await store.get('x-6'))?.triage).toEqual(first);
  });

  it('reads the history of an untouched mention from its state: triaged, then each card posted', async () => {
    await store.saveTriaged('x-8', aTriage(), now);
    await store.recordCard('x-8', { channelKey: 'support', channelId: '100000000000000001', messageId: '100000000000000019' }, new Date(now.getTime() + 1000));
    expect(await t.redis.exists(`${t.prefix}:mention:x-8:history`)).toBe(0);
    await store.appendHistory('x-8', { action: 'note', at: new Date(now.getTime() + 500).toISOString() });
    expect((await store.history('x-8')).map((e) => e.action)).toEqual(['triaged', 'note', 'posted']);
  });
});
