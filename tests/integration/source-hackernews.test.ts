import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hackerNewsSourceSchema } from '../../src/config/source-schemas.js';
import { SourceRateLimitedError } from '../../src/sources/source-errors.js';
import { SourceHttpError } from '../../src/sources/http-get.js';
import { createHackerNewsSource } from '../../src/sources/hackernews.js';
import { OVERLAP_SECONDS, SEEN_MAX } from '../../src/sources/watermark.js';
import type { Source, SourceBatch } from '../../src/sources/source.js';
import { startHackerNewsPeer, type HackerNewsPeer } from '../peers/hackernews/hackernews-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext, lastCursor, readBatches } from '../support/source-context.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const brand = { name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly'] };

let redis: TestRedis;
let peer: HackerNewsPeer;

beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  await redis.cleanup();
});
beforeEach(async () => {
  peer = await startHackerNewsPeer();
});
afterEach(async () => {
  await peer.close();
});

function aSource(overrides: Record<string, unknown> = {}): Source {
  const config = hackerNewsSourceSchema.parse({ type: 'hackernews', apiUrl: peer.apiUrl, ...overrides });
  return createHackerNewsSource({ ...config, name: 'hackernews' }, { brand, secret: () => undefined, log: pino({ level: 'silent' }) });
}

const context = () => aReadContext(redis, 'hackernews', { now: () => NOW });
const ids = (batches: SourceBatch[]) => batches.flatMap((b) => b.mentions.map((m) => m.id));

/**
 * `count` stories naming the brand, `perSecond` of them sharing each second, `step` seconds
 * apart; returns their ids in the order search_by_date gives them (newest first, and within
 * a second the peer, like Algolia, puts the higher objectID first).
 */
function addStories(count: number, { perSecond = 1, newestAt = NOW_S - 60, step = 60 } = {}): string[] {
  const added = Array.from({ length: count }, (_, i) => {
    const createdAt = newestAt - step * Math.floor(i / perSecond);
    return { id: peer.addStory({ author: `user${i}`, title: `Parcelly story ${i}`, createdAt }), createdAt };
  });
  return added.sort((a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id)).map((s) => s.id);
}

describe('the Hacker News source', () => {
  it('pages through new stories and comments newest first, a batch per page, from the look-back on', async () => {
    const expected = addStories(250);
    peer.addStory({ author: 'old', title: 'Parcelly from two days ago', createdAt: NOW_S - 48 * 3600 });

    const batches = await readBatches(aSource(), undefined, context());

    expect(batches.map((b) => b.mentions.length)).toEqual([100, 100, 50]);
    expect(ids(batches)).toEqual(expected);
    expect(peer.searches().map((r) => r.query)).toEqual(
      [0, 1, 2].map((page) => ({
        query: 'Parcelly',
        tags: '(story,comment)',
        numericFilters: `created_at_i>=${NOW_S - 24 * 3600}`,
        hitsPerPage: '100',
        page: String(page),
      })),
    );
  });

  it('maps a comment\'s HTML to text and links, with the story title as context', async () => {
    const story = peer.addStory({ author: 'pat', title: 'Parcelly raises prices', url: 'https://news.example/parcelly', createdAt: NOW_S - 300 });
    const comment = peer.addComment({
      author: 'dana',
      text: '<p>Parcelly&#x27;s label printer failed again.</p><p>See <a href="https://status.parcelly.app/x?a=1&amp;b=2" rel="nofollow">status</a> &gt; meh</p>',
      createdAt: NOW_S - 200,
      storyId: Number(story),
      storyTitle: 'Parcelly raises prices',
      parentId: 999,
    });
    const ask = peer.addStory({ author: 'sam', title: 'Ask HN: Parcelly alternatives?', storyText: 'We ship <i>40</i> parcels a day.<p>Any ideas?', createdAt: NOW_S - 100 });

    const [batch] = await readBatches(aSource(), undefined, context());

    expect(batch?.rejects).toEqual([]);
    expect(batch?.mentions).toEqual([
      {
        source: 'hackernews',
        id: ask,
        text: 'Ask HN: Parcelly alternatives?\n\nWe ship 40 parcels a day.\nAny ideas?',
        url: `https://news.ycombinator.com/item?id=${ask}`,
        createdAt: new Date((NOW_S - 100) * 1000).toISOString(),
        author: { handle: 'sam', name: 'sam', followers: 0 },
      },
      {
        source: 'hackernews',
        id: comment,
        text: "Parcelly's label printer failed again.\nSee status > meh",
        url: `https://news.ycombinator.com/item?id=${comment}`,
        createdAt: new Date((NOW_S - 200) * 1000).toISOString(),
        author: { handle: 'dana', name: 'dana', followers: 0 },
        links: ['https://status.parcelly.app/x?a=1&b=2'],
        inReplyTo: { id: '999' },
        context: 'Parcelly raises prices',
      },
      {
        source: 'hackernews',
        id: story,
        text: 'Parcelly raises prices',
        url: `https://news.ycombinator.com/item?id=${story}`,
        createdAt: new Date((NOW_S - 300) * 1000).toISOString(),
        author: { handle: 'pat', name: 'pat', followers: 0 },
        links: ['https://news.example/parcelly'],
      },
    ]);
  });

  it('yields only new hits on the next poll, including one posted in the boundary second', async () => {
    addStories(5);
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    const sameSecond = peer.addStory({ author: 'late', title: 'Parcelly in the same second', createdAt: NOW_S - 60 });
    const newer = peer.addStory({ author: 'new', title: 'Parcelly again', createdAt: NOW_S - 10 });
    peer.clearRequests();

    const second = await readBatches(source, lastCursor(first, undefined), context());

    expect(ids(second)).toEqual([newer, sameSecond]);
    expect(peer.searches()).toHaveLength(1);
    // Each poll reads again the overlap below the newest hit read, skipping what it handled there.
    expect(peer.searches()[0]?.query.numericFilters).toBe(`created_at_i>=${NOW_S - 60 - OVERLAP_SECONDS}`);
    const third = await readBatches(source, lastCursor(second, lastCursor(first, undefined)), context());
    expect(ids(third)).toEqual([]);
  });

  it('reads a hit Algolia indexed late, behind a younger hit already read, on the next poll and only once', async () => {
    const [newest] = addStories(5);
    // Posted 30 s before the newest hit, indexed only after the first poll read that one.
    const late = peer.addStory({ author: 'slow', title: 'Parcelly indexed late', createdAt: NOW_S - 90, indexed: false });
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    expect(ids(first)[0]).toBe(newest);
    expect(ids(first)).not.toContain(late);
    peer.index(late);
    peer.clearRequests();

    const second = await readBatches(source, lastCursor(first, undefined), context());

    expect(ids(second)).toEqual([late]);
    expect(peer.searches().map((r) => r.query.numericFilters)).toEqual([`created_at_i>=${NOW_S - 60 - OVERLAP_SECONDS}`]);
    const third = await readBatches(source, lastCursor(second, lastCursor(first, undefined)), context());
    expect(ids(third)).toEqual([]);
  });

  it('reads a hit indexed late into the stretch a cut-short sweep had read on the poll after it resumes, once', async () => {
    const old = addStories(250);
    const source = aSource();
    const firstPage = (await source.read(undefined, context())[Symbol.asyncIterator]().next()).value as SourceBatch;
    // Indexed after the first page was read, inside it: the resumed sweep reads below that page only.
    const late = peer.addStory({ author: 'slow', title: 'Parcelly indexed late', createdAt: NOW_S - 75 });

    const resumed = await readBatches(source, firstPage.cursor, context());
    const next = await readBatches(source, lastCursor(resumed, firstPage.cursor), context());
    const after = await readBatches(source, lastCursor(next, lastCursor(resumed, firstPage.cursor)), context());

    expect(ids(next)).toEqual([late]);
    expect(ids(after)).toEqual([]);
    expect([...firstPage.mentions.map((m) => m.id), ...ids(resumed), ...ids(next)]).toEqual([...old, late]);
  });

  it(`remembers at most ${SEEN_MAX} hits of the overlap, raising its floor past the rest, and repeats none`, async () => {
    // 700 hits in 350 s: more than the overlap's memory holds.
    addStories(700, { perSecond: 2, step: 1 });
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    expect(ids(first)).toHaveLength(700);
    const cursor = lastCursor(first, undefined)!;
    expect((JSON.parse(cursor) as { queries: Record<string, { seen: unknown[] }> }).queries.Parcelly?.seen).toHaveLength(SEEN_MAX);
    peer.clearRequests();

    const second = await readBatches(source, cursor, context());

    expect(ids(second)).toEqual([]);
    // The newest 500 fill 250 seconds: the next poll starts at the oldest of them.
    expect(peer.searches()[0]?.query.numericFilters).toBe(`created_at_i>=${NOW_S - 60 - 249}`);
  });

  it('resumes a sweep cut short after a page without losing or repeating hits', async () => {
    // Three stories a second, so a page boundary falls inside a second.
    const old = addStories(250, { perSecond: 3 });
    const source = aSource();
    const delivered: string[] = [];
    let cursor: string | undefined;
    for await (const batch of source.read(undefined, context())) {
      delivered.push(...batch.mentions.map((m) => m.id));
      cursor = batch.cursor;
      break; // the service stops after the first page is enqueued
    }
    const fresh = [
      peer.addStory({ author: 'n1', title: 'Parcelly new one', createdAt: NOW_S - 5 }),
      peer.addStory({ author: 'n2', title: 'Parcelly new two', createdAt: NOW_S - 4 }),
    ];
    peer.clearRequests();

    const resumed = await readBatches(source, cursor, context());
    delivered.push(...ids(resumed));
    expect(peer.searches()[0]?.query.numericFilters).toMatch(/^created_at_i>=\d+,created_at_i<=\d+$/);
    const next = await readBatches(source, lastCursor(resumed, cursor), context());
    delivered.push(...ids(next));

    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.sort()).toEqual([...old, ...fresh].sort());
    expect(ids(next).sort()).toEqual(fresh.sort());
  });

  it('turns the same story found by two queries into one mention', async () => {
    const both = peer.addStory({ author: 'dana', title: 'Parcelly label printer broke', createdAt: NOW_S - 100 });
    const onlyPrinter = peer.addStory({ author: 'lee', title: 'my label printer is fine', createdAt: NOW_S - 90 });

    const batches = await readBatches(aSource({ queries: ['Parcelly', 'label printer'] }), undefined, context());

    expect(ids(batches)).toEqual([both, onlyPrinter]);
    expect(peer.searches().map((r) => r.query.query)).toEqual(['Parcelly', 'label printer']);
  });

  it('rejects a malformed hit with its reason and goes on with the page', async () => {
    const good = peer.addStory({ author: 'dana', title: 'Parcelly works', createdAt: NOW_S - 50 });
    peer.addRawHit({ objectID: '777', _tags: ['story'], created_at_i: NOW_S - 40, author: null, title: 'Parcelly with no author' });
    peer.addRawHit({ _tags: ['comment'], created_at_i: NOW_S - 30, author: 'x', comment_text: 'Parcelly hit without an objectID' });
    peer.addRawHit({ objectID: '778', _tags: ['comment'], created_at_i: NOW_S - 20, author: 'y', comment_text: '<img src="https://img.example/parcelly.png">', story_title: 'Parcelly' });
    const source = aSource();

    const batches = await readBatches(source, undefined, context());

    expect(ids(batches)).toEqual([good]);
    const rejects = batches.flatMap((b) => b.rejects);
    expect(rejects.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^Hacker News hit 778: no text/),
      expect.stringMatching(/^Hacker News hit: objectID: /),
      expect.stringMatching(/^Hacker News hit: author: /),
    ]);
    expect(rejects[0]).toMatchObject({ at: 'hackernews:search "Parcelly" page 0', raw: expect.stringContaining('"objectID":"778"') });
    // A rejected hit with an objectID is behind the watermark: the next poll does not reject it again.
    const again = await readBatches(source, lastCursor(batches, undefined), context());
    expect(again.flatMap((b) => b.rejects)).toEqual([]);
  });

  it('stops as rate limited for a minute on a 429, and the next read resumes from the last batch', async () => {
    const all = addStories(150);
    const source = aSource();
    const reading = source.read(undefined, context())[Symbol.asyncIterator]();
    const first = await reading.next();
    peer.failNext({ status: 429, body: { message: 'Too many requests', status: 429 } });

    const error = await reading.next().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SourceRateLimitedError);
    expect((error as SourceRateLimitedError).resumeAt).toEqual(new Date(NOW.getTime() + 60_000));
    const batch = first.value as SourceBatch;
    const rest = await readBatches(source, batch.cursor, context());
    expect([...batch.mentions.map((m) => m.id), ...ids(rest)]).toEqual(all);
  });

  it('backs off (a retryable HTTP error) on a server error', async () => {
    addStories(3);
    peer.failNext({ status: 503, body: { message: 'unavailable' } });
    await expect(readBatches(aSource(), undefined, context())).rejects.toBeInstanceOf(SourceHttpError);
  });

  it('reads every hit when more than the 1,000 Algolia pages to are new, by narrowing the window', async () => {
    const all = addStories(1250, { perSecond: 3, step: 150 });

    const batches = await readBatches(aSource(), undefined, context());

    expect(ids(batches)).toEqual(all);
    const filters = peer.searches().map((r) => `${r.query.numericFilters} p${r.query.page}`);
    expect(filters).toHaveLength(13);
    const oldestOfFirstWindow = NOW_S - 60 - 150 * Math.floor(999 / 3);
    expect(filters[10]).toBe(`created_at_i>=${NOW_S - 24 * 3600},created_at_i<=${oldestOfFirstWindow} p0`);
  });

  it('loses and repeats nothing when the service stops after every single page of a long sweep', async () => {
    const all = addStories(1250, { perSecond: 3, step: 150 });
    const source = aSource();
    const delivered: string[] = [];
    let cursor: string | undefined;
    for (let reads = 0; reads < 40; reads++) {
      const step = await source.read(cursor, context())[Symbol.asyncIterator]().next();
      const batch = step.value as SourceBatch | undefined;
      if (!batch || (batch.mentions.length === 0 && batch.cursor === cursor)) break;
      delivered.push(...batch.mentions.map((m) => m.id));
      cursor = batch.cursor;
    }
    expect(delivered).toEqual(all);
  });

  it('stops between pages when the service stops', async () => {
    addStories(250);
    const controller = new AbortController();
    const batches: SourceBatch[] = [];
    for await (const batch of aSource().read(undefined, aReadContext(redis, 'hackernews', { now: () => NOW, signal: controller.signal }))) {
      batches.push(batch);
      controller.abort();
    }
    expect(batches).toHaveLength(1);
    expect(peer.searches()).toHaveLength(1);
  });

  it('makes one request per poll with the default config when fewer than 100 hits are new', async () => {
    addStories(40);
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    addStories(3, { newestAt: NOW_S - 1, step: 1 });
    peer.clearRequests();

    const second = await readBatches(source, lastCursor(first, undefined), context());

    expect(ids(second)).toHaveLength(3);
    expect(peer.requests).toHaveLength(1);
  });
});
