import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duplicateSignature, type DuplicateSignature } from '../../src/core/near-duplicate.js';
import { createDuplicateGroups, type DuplicateGroups } from '../../src/store/duplicate-groups.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

/** A signature made by hand, so each test says which keys two mentions share. */
const sig = (exact: string, ...bands: string[]): DuplicateSignature => ({ exact: `e.${exact}`, bands: bands.map((b, i) => `b${i}.${b}`) });

const at = new Date('2026-11-20T10:00:00Z');
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
const by = (handle: string, reach: number, when = at) => ({ handle, reach, platform: 'x', at: when });

describe('duplicate groups on a real Redis', () => {
  let t: TestRedis;
  let groups: DuplicateGroups;

  beforeEach(async () => {
    t = await openTestRedis();
    groups = createDuplicateGroups(t.redis, { prefix: t.prefix, windowSeconds: 3600 });
  });
  afterEach(() => t.cleanup());

  it('opens a group led by the first mention and counts the copies that follow', async () => {
    expect(await groups.join('x-1', sig('same', 'p', 'q'), by('dana', 1200))).toEqual({
      leader: 'x-1',
      created: true,
      repeated: false,
      count: 1,
      top: [{ key: 'x-1', handle: 'dana', platform: 'x', reach: 1200 }],
    });
    const second = await groups.join('x-2', sig('same', 'p', 'q'), by('sam', 90_000, later(60)));
    expect(second).toMatchObject({ leader: 'x-1', created: false, repeated: false, count: 2 });
    expect(second.top.map((a) => a.handle)).toEqual(['sam', 'dana']);
    expect(await groups.group('x-1')).toEqual({
      leader: 'x-1',
      count: 2,
      firstAt: '2026-11-20T10:00:00.000Z',
      lastAt: '2026-11-20T10:01:00.000Z',
      top: second.top,
      members: ['x-1', 'x-2'],
    });
    expect(await groups.leaderOf('x-2')).toBe('x-1');
  });

  it('joins a near duplicate through one shared band', async () => {
    await groups.join('x-1', sig('one', 'p', 'q', 'r'), by('dana', 10));
    expect(await groups.join('x-2', sig('two', 'z', 'q', 'y'), by('sam', 10))).toMatchObject({ leader: 'x-1', count: 2 });
    expect(await groups.join('x-3', sig('three', 'z', 'w', 'y'), by('lee', 10))).toMatchObject({ leader: 'x-3', created: true, count: 1 });
  });

  it("does not let a group drift: a post like a member's but not like the leader's opens its own", async () => {
    await groups.join('x-1', sig('a', 'a0', 'a1'), by('dana', 10));
    await groups.join('x-2', sig('b', 'a0', 'b1'), by('sam', 10));
    // Shares only x-2's own band b1, never x-1's.
    expect(await groups.join('x-3', sig('c', 'c0', 'b1'), by('lee', 10))).toMatchObject({ leader: 'x-3', created: true });
    // An exact copy of a member still joins the group.
    expect(await groups.join('x-4', sig('b', 'zz', 'yy'), by('kim', 10))).toMatchObject({ leader: 'x-1', count: 3 });
  });

  it('groups real reposts, quotes and handle-swapped copies of one post by their signatures', async () => {
    const post = 'been on hold with parcelly for over an hour trying to change the delivery address for my mum before tomorrow';
    const texts = [post, `RT @dana: ${post}`, `@parcelly @bob ${post} https://t.co/x1`, `this, exactly: ${post}`, post.replace('mum', 'dad')];
    const results = [];
    for (const [i, text] of texts.entries()) results.push(await groups.join(`x-${i}`, duplicateSignature({ text })!, by(`p${i}`, i)));
    expect(results.map((r) => r.leader)).toEqual(['x-0', 'x-0', 'x-0', 'x-0', 'x-0']);
    expect(results.at(-1)?.count).toBe(5);
    const other = duplicateSignature({ text: 'my parcelly label printed blank again and I have forty parcels to ship today' })!;
    expect(await groups.join('x-9', other, by('zed', 1))).toMatchObject({ leader: 'x-9', created: true });
  });

  it('does not count a mention twice when its job is retried', async () => {
    await groups.join('x-1', sig('same'), by('dana', 10));
    await groups.join('x-2', sig('same'), by('sam', 20));
    expect(await groups.join('x-2', sig('same'), by('sam', 20))).toMatchObject({ leader: 'x-1', created: false, repeated: true, count: 2 });
    expect(await groups.join('x-1', sig('same'), by('dana', 10))).toMatchObject({ leader: 'x-1', created: false, repeated: true, count: 2 });
    expect((await groups.group('x-1'))?.members).toEqual(['x-1', 'x-2']);
  });

  it('makes one group with the right count from many joins at the same moment', async () => {
    const joins = Array.from({ length: 60 }, (_, i) => groups.join(`x-${i}`, sig('storm', `band${i % 3}`, 'shared'), by(`user${i}`, i * 10)));
    const results = await Promise.all([...joins, ...Array.from({ length: 20 }, (_, i) => groups.join(`x-${i}`, sig('storm', `band${i % 3}`, 'shared'), by(`user${i}`, i * 10)))]);
    const leaders = new Set(results.map((r) => r.leader));
    expect(leaders.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => r.repeated)).toHaveLength(20);
    const group = await groups.group([...leaders][0]!);
    expect(group?.count).toBe(60);
    expect(group?.top.map((a) => a.reach)).toEqual([590, 580, 570, 560, 550]);
  });

  it('keeps the five authors with most reach, each once with their post of most reach, equals in joining order', async () => {
    const authors: Array<[string, number]> = [['a', 50], ['b', 900], ['c', 50], ['d', 10], ['e', 700], ['b', 2000], ['f', 50], ['g', 5]];
    for (const [i, [handle, reach]] of authors.entries()) await groups.join(`x-${i}`, sig('same'), by(handle, reach));
    const group = await groups.group('x-0');
    expect(group?.count).toBe(8);
    expect(group?.top).toEqual([
      { key: 'x-5', handle: 'b', platform: 'x', reach: 2000 },
      { key: 'x-4', handle: 'e', platform: 'x', reach: 700 },
      { key: 'x-0', handle: 'a', platform: 'x', reach: 50 },
      { key: 'x-2', handle: 'c', platform: 'x', reach: 50 },
      { key: 'x-6', handle: 'f', platform: 'x', reach: 50 },
    ]);
  });

  it('keeps the link of each top author\'s post', async () => {
    await groups.join('x-1', sig('same'), { ...by('dana', 10), url: 'https://x.com/dana/status/1' });
    const result = await groups.join('x-2', sig('same'), { ...by('sam', 20), url: 'https://x.com/sam/status/2\t' });
    expect(result.top).toEqual([
      { key: 'x-2', handle: 'sam', platform: 'x', reach: 20, url: 'https://x.com/sam/status/2' },
      { key: 'x-1', handle: 'dana', platform: 'x', reach: 10, url: 'https://x.com/dana/status/1' },
    ]);
  });

  it('tells apart one handle on two platforms', async () => {
    await groups.join('x-1', sig('same'), by('wren', 10));
    const result = await groups.join('bluesky-1', sig('same'), { handle: 'wren', platform: 'bluesky', reach: 20, at });
    expect(result.top.map((a) => `${a.platform}:${a.handle}`)).toEqual(['bluesky:wren', 'x:wren']);
  });

  it('lists a bounded number of members while the count goes on', async () => {
    const small = createDuplicateGroups(t.redis, { prefix: t.prefix, windowSeconds: 3600, maxMembers: 3, topAuthors: 2 });
    for (let i = 0; i < 6; i++) await small.join(`x-${i}`, sig('same'), by(`u${i}`, i));
    const group = await small.group('x-0');
    expect(group?.count).toBe(6);
    expect(group?.members).toEqual(['x-0', 'x-1', 'x-2']);
    expect(group?.top.map((a) => a.handle)).toEqual(['u5', 'u4']);
  });

  it('measures the window in post time: a copy posted after the window opens a new group', async () => {
    await groups.join('x-1', sig('same', 'p'), by('dana', 10));
    await groups.join('x-2', sig('same', 'p'), by('sam', 10, later(3000)));
    // Within the window of the latest post (x-2), not of the first.
    expect(await groups.join('x-3', sig('same', 'p'), by('lee', 10, later(6000)))).toMatchObject({ leader: 'x-1', count: 3 });
    expect(await groups.join('x-4', sig('same', 'p'), by('kim', 10, later(6000 + 3601)))).toMatchObject({ leader: 'x-4', created: true });
    // A later copy of x-4's text finds x-4's group, not the closed one.
    expect(await groups.join('x-5', sig('same', 'p'), by('ash', 10, later(6000 + 3700)))).toMatchObject({ leader: 'x-4', count: 2 });
  });

  it('keeps pointers a few windows in one hash per slot, groups of two for the retention, and no group for a lone post', async () => {
    await groups.join('x-1', sig('pair', 'p'), by('dana', 10));
    await groups.join('x-2', sig('pair', 'p'), by('sam', 10));
    await groups.join('x-3', sig('alone', 'q'), by('lee', 10));
    const ttl = (key: string) => t.redis.ttl(`${t.prefix}:${key}`);
    // Every pointer of the hour in one hash, with a line for each post alone so far.
    const slot = `dup:slot:${Math.floor(at.getTime() / 3_600_000)}`;
    const fields = await t.redis.hgetall(`${t.prefix}:${slot}`);
    expect(Object.keys(fields).sort()).toEqual(['b0.p', 'b0.q', 'e.alone', 'e.pair', 'i.x-1', 'i.x-3']);
    expect([fields['e.pair'], fields['b0.p'], fields['e.alone']]).toEqual(['x-1', 'x-1', 'x-3']);
    expect(await ttl(slot)).toBeGreaterThan(3 * 3600 - 100);
    expect(await ttl(slot)).toBeLessThanOrEqual(3 * 3600);
    for (const key of ['dup:group:x-1', 'dup:group:x-1:members', 'dup:of:x-2']) expect(await ttl(key)).toBeGreaterThan(6 * 24 * 3600);
    // A leader is found by its group's name; a lone post has no group and no key of its own.
    expect(await t.redis.exists(`${t.prefix}:dup:of:x-1`, `${t.prefix}:dup:of:x-3`, `${t.prefix}:dup:group:x-3`)).toBe(0);
    expect([await groups.leaderOf('x-1'), await groups.leaderOf('x-2'), await groups.leaderOf('x-3'), await groups.leaderOf('x-404')]).toEqual(['x-1', 'x-1', undefined, undefined]);
    expect(await groups.group('x-3')).toBeUndefined();
  });

  it('opens a new group once the lookup keys have expired', async () => {
    const brief = createDuplicateGroups(t.redis, { prefix: t.prefix, windowSeconds: 1 });
    await brief.join('x-1', sig('same'), by('dana', 10));
    await until(async () => (await t.redis.exists(`${t.prefix}:dup:slot:${Math.floor(at.getTime() / 1000)}`)) === 0, 8000, 'the pointers to expire');
    expect(await brief.join('x-2', sig('same'), by('sam', 10))).toMatchObject({ leader: 'x-2', created: true, count: 1 });
  });

  it('joins a batch in order in one call: later entries find the groups earlier ones opened', async () => {
    const results = await groups.joinMany([
      { key: 'x-1', signature: sig('same', 'p'), mention: by('dana', 10) },
      { key: 'x-2', signature: sig('other', 'q'), mention: by('sam', 10) },
      { key: 'x-3', signature: sig('else', 'p'), mention: by('lee', 10, later(30)) },
      { key: 'x-1', signature: sig('same', 'p'), mention: by('dana', 10) },
    ]);
    expect(results.map((r) => [r.leader, r.created, r.repeated, r.count])).toEqual([
      ['x-1', true, false, 1],
      ['x-2', true, false, 1],
      ['x-1', false, false, 2],
      ['x-1', false, true, 2],
    ]);
    expect(await groups.joinMany([])).toEqual([]);
  });

  it('finds a group across the boundary of two slots of post time', async () => {
    const boundary = new Date(Math.ceil(at.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
    await groups.join('x-1', sig('same'), by('dana', 10, new Date(boundary.getTime() - 60_000)));
    expect(await groups.join('x-2', sig('same'), by('sam', 10, new Date(boundary.getTime() + 60_000)))).toMatchObject({ leader: 'x-1', count: 2 });
    // And backwards: an earlier post replayed after a later one.
    await groups.join('x-3', sig('late', 'r'), by('lee', 10, new Date(boundary.getTime() + 120_000)));
    expect(await groups.join('x-4', sig('late', 'r'), by('kim', 10, new Date(boundary.getTime() - 120_000)))).toMatchObject({ leader: 'x-3', count: 2 });
  });

  it('refuses a window or retention it cannot keep', () => {
    expect(() => createDuplicateGroups(t.redis, { prefix: t.prefix, windowSeconds: 0 })).toThrow(/windowSeconds/);
    expect(() => createDuplicateGroups(t.redis, { prefix: t.prefix, windowSeconds: 7200, retentionSeconds: 3600 })).toThrow(/retentionSeconds/);
    expect(() => createDuplicateGroups(t.redis, { prefix: t.prefix, windowSeconds: 60, maxMembers: 1 })).toThrow(/maxMembers/);
  });
});
