import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportMentions } from '../../src/commands/export.js';
import { encodeTriage } from '../../src/store/triage-codec.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

describe("a mention's long values, kept in pieces on a real Redis", () => {
  let t: TestRedis;
  let store: MentionStore;
  const now = new Date('2026-11-20T10:05:00Z');
  // A display name of 32 four-byte characters: 128 bytes, twice what a compact hash value may be.
  const wide = { id: '200000000000000001', name: '𝓐'.repeat(32) };
  const stateKey = (key: string) => `${t.prefix}:mention:${key}`;

  beforeEach(async () => {
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
  });
  afterEach(() => t.cleanup());

  it('keeps a triaged, posted, claimed and noted mention in the compact hash encoding, every value read back whole', async () => {
    const triage = aTriage(aMention({ text: `${'a long post about a delivery that never came, '.repeat(12)}ünïcödé ✨` }));
    await store.saveTriaged('x-1', triage, now);
    expect(await t.redis.object('ENCODING', stateKey('x-1'))).toBe('listpack');
    await store.recordCard('x-1', { channelKey: 'support', channelId: '1578049989375037443', messageId: '1578050013546811392' }, now, triage);
    const claimed = await store.transition('x-1', 'claim', wide, now, { detail: 'd'.repeat(300) });
    expect(claimed.ok).toBe(true);
    await store.note('x-1', { action: 'note', at: now.toISOString(), userId: wide.id, userName: wide.name, detail: 'n'.repeat(500) });
    await store.setDue('x-1', 1, { kind: 'resolve', at: '2026-11-20T14:05:00.000Z' });
    await store.recordSentReply('x-1', { id: '1', by: wide, at: now.toISOString(), url: `https://x.com/acme/status/${'9'.repeat(19)}` }, 'r'.repeat(270));
    expect(await t.redis.object('ENCODING', stateKey('x-1'))).toBe('listpack');
    const state = await store.get('x-1');
    expect(state?.triage).toEqual(triage);
    expect(state?.holder).toEqual(wide);
    expect(state?.lastAction?.detail).toBe('n'.repeat(500));
    expect(state?.due).toEqual({ kind: 'resolve', at: '2026-11-20T14:05:00.000Z' });
    expect(state?.sent?.by).toEqual(wide);
    expect(state?.cards.map((c) => c.messageId)).toEqual(['1578050013546811392']);
  });

  it('drops the pieces a longer value left when a shorter one replaces it, and all of them when it is cleared', async () => {
    await store.saveTriaged('x-1', aTriage(), now);
    await store.transition('x-1', 'claim', wide, now);
    const pieces = async () => (await t.redis.hkeys(stateKey('x-1'))).filter((f) => f.startsWith('holderName')).sort();
    expect(await pieces()).toEqual(['holderName', 'holderName.1']);
    await store.transition('x-1', 'release', wide, now);
    expect(await pieces()).toEqual([]);
    expect((await store.get('x-1'))?.holder).toBeUndefined();
    await store.transition('x-1', 'claim', { id: '2', name: '@bo' }, now);
    expect(await pieces()).toEqual(['holderName']);
    expect((await store.get('x-1'))?.holder).toEqual({ id: '2', name: '@bo' });
  });

  it('still reads a state an earlier version wrote, with its long triage in one field', async () => {
    const triage = aTriage(aMention({ text: 'x'.repeat(400) }));
    await t.redis.hset(stateKey('x-9'), 'status', 'new', 'triage', encodeTriage(triage), 'triagedAt', now.toISOString(), 'updatedAt', now.toISOString());
    expect((await store.get('x-9'))?.triage).toEqual(triage);
    // Recorded before: the stored triage stands and is returned whole.
    const [again] = await store.saveTriagedMany([{ key: 'x-9', triage: aTriage() }], now);
    expect(again).toEqual({ created: false, triage });
  });

  it('returns the stored triage whole to a repeated save', async () => {
    const first = aTriage(aMention({ text: 'é'.repeat(300) }));
    await store.saveTriaged('x-1', first, now);
    const [again] = await store.saveTriagedMany([{ key: 'x-1', triage: aTriage() }], now);
    expect(again).toEqual({ created: false, triage: first });
  });

  it('exports a mention whose triage is kept in pieces, whole', async () => {
    const mention = aMention({ text: `${'a long post, '.repeat(40)}end` });
    await store.saveTriaged('x-1', aTriage(mention), now);
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    expect(await exportMentions({ redisUrl: t.url, prefix: t.prefix, since: new Date(0), output })).toBe(1);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(mention);
  });
});
