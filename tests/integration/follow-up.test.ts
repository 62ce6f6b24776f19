import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { SERVICE_ACTOR } from '../../src/core/card-actions.js';
import type { Mention } from '../../src/core/mention.js';
import { joinFollowUps, type FollowUps } from '../../src/pipeline/follow-up.js';
import { createFollowUpLinks } from '../../src/store/follow-up-links.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const author = (handle: string) => ({ handle, name: handle, followers: 10 });
const mention = (id: string, handle: string, extra: Partial<Mention> = {}) => aMention({ id, text: `post ${id}`, author: author(handle), ...extra });

describe('follow-ups joining open cards, on a real Redis', () => {
  let t: TestRedis;
  let store: MentionStore;
  let f: FollowUps;
  let monitor: Redis;
  const seen: string[][] = [];

  beforeAll(async () => {
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
    f = { store, links: createFollowUpLinks(t.redis, { prefix: t.prefix, ttlSeconds: 3600 }) };
    monitor = await t.redis.duplicate().monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => String(a).includes(t.prefix))) seen.push(args.map(String));
    });
    // Two earlier mentions with cards: one open, one resolved.
    for (const [id, handle] of [['100', 'rae'], ['200', 'sam']] as const) {
      const key = `x-${id}`;
      await store.saveTriaged(key, aTriage(mention(id, handle)), new Date());
      await store.recordCard(key, { channelKey: 'support', channelId: '1', messageId: `9${id}` }, new Date());
    }
    await store.transition('x-200', 'resolve', SERVICE_ACTOR, new Date());
  });
  afterAll(async () => {
    await monitor?.disconnect();
    await t?.cleanup();
  });

  const settle = () => new Promise((r) => setTimeout(r, 100));
  const item = (m: Mention) => ({ key: `x-${m.id}`, triage: aTriage(m), created: true });

  it('reads nothing from Redis for a batch without reply references', async () => {
    await settle();
    seen.length = 0;
    const batch = [mention('1', 'a'), mention('2', 'b'), mention('3', 'c')].map(item);
    const result = await joinFollowUps(batch, f, new Date());
    await settle();
    expect(result.joined.size).toBe(0);
    expect(seen).toEqual([]);
  });

  it('joins replies of the same author to their open card, with one look-up of links for the batch', async () => {
    await settle();
    seen.length = 0;
    const own = mention('101', 'rae', { inReplyTo: { id: '100', handle: 'rae' } });
    const chained = mention('102', 'Rae', { inReplyTo: { id: '101' } });
    const stranger = mention('103', 'zed', { inReplyTo: { id: '100' } });
    const toClosed = mention('201', 'sam', { inReplyTo: { id: '200', handle: 'sam' } });
    const toOther = mention('104', 'rae', { inReplyTo: { id: '555', handle: 'brand' } });
    const batch = [own, chained, stranger, toClosed, toOther].map(item);
    const result = await joinFollowUps(batch, f, new Date());
    await settle();
    const lookups = seen.filter((args) => args[0]?.toLowerCase() === 'mget');
    expect(lookups).toHaveLength(1);
    // The parents of the four replies that may be their authors' own: x-100 twice, x-101 (in this batch), x-200.
    expect(lookups[0]!.slice(1)).toEqual([`${t.prefix}:followup:x-100`, `${t.prefix}:followup:x-101`, `${t.prefix}:followup:x-100`, `${t.prefix}:followup:x-200`]);
    expect([...result.joined]).toEqual([
      [0, 'x-100'],
      [1, 'x-100'],
    ]);
    expect(result.bumps.map((b) => [b.channelKey, b.job.data.key, (b.job.data as { followUp?: string }).followUp])).toEqual([
      ['support', 'x-100', 'x-101'],
      ['support', 'x-100', 'x-102'],
    ]);
    expect(await t.redis.get(`${t.prefix}:followup:x-102`)).toBe('x-100');
    const history = (await store.history('x-100')).filter((e) => e.action === 'follow-up');
    expect(history.map((e) => [e.userName, e.detail])).toEqual([
      ['@rae', 'post 101'],
      ['@Rae', 'post 102'],
    ]);
    expect((await store.get('x-100'))?.lastAction).toMatchObject({ action: 'follow-up', detail: 'post 102' });
  });
});
