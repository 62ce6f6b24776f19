import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { triage } from '../../src/core/triage.js';
import { createAuthorIndex, type AuthorIndex } from '../../src/store/author-index.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

describe('first-time and returning authors (real Redis)', () => {
  let t: TestRedis;
  let authors: AuthorIndex;
  const now = new Date('2026-11-20T12:00:00.000Z');

  beforeEach(async () => {
    t = await openTestRedis();
    authors = createAuthorIndex(t.redis, { prefix: t.prefix, ttlSeconds: 86_400 });
  });
  afterEach(() => t.cleanup());

  it('says, in one round trip, whether each author had a mention carded before this one', async () => {
    const first = aMention({ id: '1', createdAt: '2026-11-20T10:00:00.000Z' });
    await authors.record('x-1', first, now);
    const later = aMention({ id: '2', createdAt: '2026-11-20T11:00:00.000Z' });
    const earlier = aMention({ id: '3', createdAt: '2026-11-20T09:00:00.000Z' });
    const stranger = aMention({ id: '4', author: { handle: 'kim', name: 'Kim', followers: 5 } });
    const sameHandleElsewhere = aMention({ id: '5', source: 'bluesky', createdAt: '2026-11-20T11:00:00.000Z' });
    expect(await authors.seenBefore([later, earlier, stranger, sameHandleElsewhere, first], now)).toEqual([true, false, false, false, false]);
    expect(await authors.seenBefore([], now)).toEqual([]);
  });

  it('forgets what is older than the retention, whatever is recorded later', async () => {
    await authors.record('x-1', aMention({ id: '1', createdAt: '2026-11-18T10:00:00.000Z' }), now);
    await authors.record('x-2', aMention({ id: '2', createdAt: '2026-11-20T10:00:00.000Z' }), now);
    expect(await t.redis.zrange(`${t.prefix}:author:x:dana`, 0, -1)).toEqual(['x-2']);
  });

  it('lets a returningAuthor rule route by what the pipeline found', async () => {
    const base = await loadConfig('config');
    const policy = { ...base, routing: { ...base.routing, rules: [{ name: 'regulars', when: { returningAuthor: true }, channel: 'leads' }, ...base.routing.rules] } };
    const mention = aMention({ text: 'is there a way to change the delivery day on an order already sent?' });
    expect(triage(mention, policy, { authorSeenBefore: true }).route).toMatchObject({ rule: 'regulars', channel: 'leads' });
    expect(triage(mention, policy, { authorSeenBefore: false }).route.rule).not.toBe('regulars');
    // Unknown: the condition does not hold either way.
    expect(triage(mention, policy).route.rule).not.toBe('regulars');
  });
});
