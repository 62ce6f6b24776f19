import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rssSourceSchema } from '../../src/config/source-schemas.js';
import { createRssSource, MAX_FEED_BYTES } from '../../src/sources/rss.js';
import { SourceHttpError } from '../../src/sources/http-get.js';
import { SourceDisabledError, SourceRateLimitedError } from '../../src/sources/source-errors.js';
import type { Source } from '../../src/sources/source.js';
import { startFeedPeer, type FeedPeer } from '../peers/rss/feed-peer.js';
import { atomFeed, googleAlertsFeed, googleRedirect, rdfFeed, rss2Feed, type FixtureItem } from '../peers/rss/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext, lastCursor, readBatches } from '../support/source-context.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const brand = { name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly'] };
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();

const blogItems: FixtureItem[] = [
  {
    id: 'ssw-post-2231',
    title: 'Parcelly printed my labels blank & I lost a day',
    link: 'https://smallsellerweekly.example/2026/11/parcelly-blank-labels/',
    author: 'Mina Okafor',
    published: hoursAgo(2),
    html: '<p>Since the update, <strong>Parcelly</strong> prints blank labels on my Rollo.</p><p>Support ticket: <a href="https://help.parcelly.example/t/88412">#88412</a>.</p>',
  },
  {
    id: 'ssw-post-2230',
    title: 'Five ways to batch your Monday shipments',
    link: 'https://smallsellerweekly.example/2026/11/batch-mondays/',
    author: 'Mina Okafor',
    published: hoursAgo(20),
    html: '<p>Batch by carrier first, then by size.</p>',
  },
  {
    id: 'ssw-post-2101',
    title: 'Our holiday shipping calendar',
    link: 'https://smallsellerweekly.example/2026/10/holiday-calendar/',
    author: 'Mina Okafor',
    published: hoursAgo(24 * 30),
    html: '<p>Old news.</p>',
  },
];

describe('the RSS and Atom source', () => {
  let t: TestRedis;
  let peer: FeedPeer;
  beforeAll(async () => {
    t = await openTestRedis();
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(async () => {
    peer = await startFeedPeer();
  });
  afterEach(async () => {
    await peer.close();
  });

  const sourceFor = (path: string, extra: Record<string, unknown> = {}): Source =>
    createRssSource({ ...rssSourceSchema.parse({ type: 'rss', url: peer.url(path), ...extra }), name: `rss:test${path}` }, { brand, secret: () => undefined, log: pino({ level: 'silent' }) });
  const read = (source: Source, cursor?: string) => readBatches(source, cursor, aReadContext(t, source.name, { now: () => NOW }));
  const ids = (batches: Awaited<ReturnType<typeof read>>) => batches.flatMap((b) => b.mentions.map((m) => m.id));
  /** The mention id of an item whose id is only its feed's own (not a permalink): after the feed's address. */
  const inFeed = (path: string, id: string) => `${peer.url(path)}#${id}`;

  it('reads the items within the look-back on first start, one GET per poll', async () => {
    peer.setFeed('/feed', rss2Feed({ language: 'en-us', items: blogItems }));
    const batches = await read(sourceFor('/feed'));
    expect(batches).toHaveLength(1);
    expect(ids(batches)).toEqual([inFeed('/feed', 'ssw-post-2231'), inFeed('/feed', 'ssw-post-2230')]);
    expect(batches[0]?.mentions[0]).toEqual({
      source: 'rss',
      id: inFeed('/feed', 'ssw-post-2231'),
      text: 'Parcelly printed my labels blank & I lost a day\n\nSince the update, Parcelly prints blank labels on my Rollo.\nSupport ticket: #88412.',
      url: 'https://smallsellerweekly.example/2026/11/parcelly-blank-labels/',
      createdAt: hoursAgo(2),
      author: { handle: 'Mina Okafor', name: 'Mina Okafor', followers: 0 },
      links: ['https://smallsellerweekly.example/2026/11/parcelly-blank-labels/', 'https://help.parcelly.example/t/88412'],
      language: 'en-US',
      context: 'Small Seller Weekly',
    });
    expect(peer.requests.map((r) => [r.method, r.path, r.status])).toEqual([['GET', '/feed', 200]]);
    expect(peer.requests[0]?.headers['accept']).toMatch(/application\/rss\+xml/);
    expect(peer.requests[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('sends the stored validators back; a 304 yields one empty batch with the same cursor', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    const source = sourceFor('/feed');
    const first = await read(source);
    const cursor = lastCursor(first, undefined);
    const second = await read(source, cursor);
    expect(second).toEqual([{ mentions: [], rejects: [], cursor }]);
    const [, again] = peer.requests;
    expect(again?.status).toBe(304);
    expect(again?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(again?.headers['if-modified-since']).toMatch(/GMT$/);
    expect(peer.requests).toHaveLength(2);
  });

  it('answers If-Modified-Since alone with a 304 when the feed has no ETag', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems }), { etag: false });
    const source = sourceFor('/feed');
    const cursor = lastCursor(await read(source), undefined);
    expect(await read(source, cursor)).toEqual([{ mentions: [], rejects: [], cursor }]);
    expect(peer.requests[1]).toMatchObject({ status: 304, headers: { 'if-modified-since': expect.stringMatching(/GMT$/) } });
    expect(peer.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('yields only the new items of a changed feed', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    const source = sourceFor('/feed');
    const cursor = lastCursor(await read(source), undefined);
    const fresh: FixtureItem = { id: 'ssw-post-2232', title: 'Parcelly fixed the blank labels', link: 'https://smallsellerweekly.example/2026/11/fixed/', published: hoursAgo(1), html: '<p>Update: fixed in 4.2.1.</p>' };
    peer.setFeed('/feed', rss2Feed({ items: [fresh, ...blogItems] }));
    const second = await read(source, cursor);
    expect(ids(second)).toEqual([inFeed('/feed', 'ssw-post-2232')]);
    expect(peer.requests.map((r) => r.status)).toEqual([200, 200]);
    // The feed drops its oldest item: nothing comes back either.
    peer.setFeed('/feed', rss2Feed({ items: [fresh, ...blogItems.slice(0, 2)] }));
    expect(ids(await read(source, lastCursor(second, cursor)))).toEqual([]);
  });

  it('yields each item once from a feed with no dates and no validators', async () => {
    const undated = blogItems.map(({ published: _published, id: _id, ...item }) => item);
    peer.setFeed('/plain.xml', rss2Feed({ items: undated }), { etag: false, lastModified: false });
    const source = sourceFor('/plain.xml');
    const first = await read(source);
    expect(ids(first)).toEqual(undated.map((i) => i.link));
    expect(first[0]?.mentions[0]?.createdAt).toBe(NOW.toISOString());
    let cursor = lastCursor(first, undefined);
    const same = await read(source, cursor);
    expect(ids(same)).toEqual([]);
    cursor = lastCursor(same, cursor);
    peer.setFeed('/plain.xml', rss2Feed({ items: [{ title: 'Parcelly at the trade fair', link: 'https://smallsellerweekly.example/fair/', html: '<p>Booth 12.</p>' }, ...undated] }), { etag: false, lastModified: false });
    expect(ids(await read(source, cursor))).toEqual(['https://smallsellerweekly.example/fair/']);
    expect(peer.requests.map((r) => [r.status, r.headers['if-none-match'], r.headers['if-modified-since']])).toEqual([
      [200, undefined, undefined],
      [200, undefined, undefined],
      [200, undefined, undefined],
    ]);
  });

  it('delivers the same items again when the cursor was not stored (a crash before enqueue)', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems.slice(1) }));
    const source = sourceFor('/feed');
    const stored = lastCursor(await read(source), undefined);
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    const lost = await read(source, stored);
    expect(ids(lost)).toEqual([inFeed('/feed', 'ssw-post-2231')]);
    // The scheduler never stored lost's cursor: the next read starts from `stored` again.
    const retried = await read(source, stored);
    expect(retried.flatMap((b) => b.mentions)).toEqual(lost.flatMap((b) => b.mentions));
    expect(peer.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(peer.requests[2]?.headers['if-none-match']).toBe(peer.requests[1]?.headers['if-none-match']);
  });

  it('unwraps Google Alerts links and drops their highlighting', async () => {
    const article = 'https://www.shipwire-news.example/2026/11/20/parcelly-series-b?utm_source=feed&id=7';
    peer.setFeed(
      '/alerts/feeds/08151711424242424242/5147036920338812345',
      googleAlertsFeed([
        {
          n: '14872315906643385421',
          title: '<b>Parcelly</b> raises $20M to fix label printing for small sellers - Shipwire News',
          url: article,
          snippet: 'The Berlin startup <b>Parcelly</b>, whose app prints shipping labels for marketplaces, said on Thursday it&#39;s raising&nbsp;...',
          published: hoursAgo(3),
        },
        {
          n: '9920418837716620013',
          title: 'Is <b>Parcelly</b> down? Labels stuck on &quot;pending&quot;',
          url: 'https://forum.sellerhub.example/t/is-parcelly-down/5521',
          snippet: 'Anyone else? See <a href="' + googleRedirect('https://status.parcelly.example/incidents/42') + '">status</a> &nbsp;...',
          published: hoursAgo(5),
        },
      ]),
      { contentType: 'application/atom+xml; charset=utf-8' },
    );
    const [batch] = await read(sourceFor('/alerts/feeds/08151711424242424242/5147036920338812345'));
    expect(batch?.mentions).toHaveLength(2);
    const [news, forum] = batch!.mentions;
    expect(news).toMatchObject({
      id: inFeed('/alerts/feeds/08151711424242424242/5147036920338812345', 'tag:google.com,2013:googlealerts/feed:14872315906643385421'),
      url: article,
      text: "Parcelly raises $20M to fix label printing for small sellers - Shipwire News\n\nThe Berlin startup Parcelly, whose app prints shipping labels for marketplaces, said on Thursday it's raising ...",
      author: { handle: 'shipwire-news.example', name: 'shipwire-news.example', followers: 0 },
      context: 'Google Alert - parcelly',
      links: [article],
      createdAt: hoursAgo(3),
    });
    expect(forum?.text).toBe('Is Parcelly down? Labels stuck on "pending"\n\nAnyone else? See status ...');
    expect(forum?.links).toEqual(['https://forum.sellerhub.example/t/is-parcelly-down/5521', 'https://status.parcelly.example/incidents/42']);
    for (const m of batch!.mentions) expect(`${m.text} ${m.url} ${m.links?.join(' ')}`).not.toMatch(/<b>|&nbsp;|&#39;|google\.com/);
  });

  it('parses Atom 1.0 feeds', async () => {
    peer.setFeed(
      '/atom.xml',
      atomFeed({
        lang: 'en-GB',
        items: [
          { id: 'urn:uuid:0a4c7a5e-1f3b-4c55-8f0e-3d1b2a6c9e01', title: 'Why we moved off Parcelly', link: 'https://ops.example/posts/moving-off/', author: 'Tom Hale', published: hoursAgo(4), html: '<p>Three blank-label days in a month.</p>' },
          { id: 'urn:uuid:0a4c7a5e-1f3b-4c55-8f0e-3d1b2a6c9e02', title: 'Packing bench, version 3', link: 'https://ops.example/posts/bench-v3/', author: 'Tom Hale', published: hoursAgo(6), html: '<p>Now with a scale.</p>' },
        ],
      }),
      { contentType: 'application/atom+xml' },
    );
    const [batch] = await read(sourceFor('/atom.xml'));
    expect(batch?.mentions.map((m) => [m.id, m.url, m.author.handle, m.language, m.context, m.createdAt])).toEqual([
      [inFeed('/atom.xml', 'urn:uuid:0a4c7a5e-1f3b-4c55-8f0e-3d1b2a6c9e01'), 'https://ops.example/posts/moving-off/', 'Tom Hale', 'en-GB', 'Warehouse Floor Notes', hoursAgo(4)],
      [inFeed('/atom.xml', 'urn:uuid:0a4c7a5e-1f3b-4c55-8f0e-3d1b2a6c9e02'), 'https://ops.example/posts/bench-v3/', 'Tom Hale', 'en-GB', 'Warehouse Floor Notes', hoursAgo(6)],
    ]);
    expect(batch?.mentions[0]?.text).toBe('Why we moved off Parcelly\n\nThree blank-label days in a month.');
  });

  it('parses RDF/RSS 1.0 feeds', async () => {
    peer.setFeed(
      '/index.rdf',
      rdfFeed({
        language: 'de',
        items: [
          { link: 'https://courierforum.example/t/19022', title: 'Parcelly Etiketten leer?', author: 'paketpaula', published: hoursAgo(1), html: 'Seit gestern druckt Parcelly nur leere Etiketten.' },
          { link: 'https://courierforum.example/t/19021', title: 'Abholzeiten im Dezember', author: 'jens_k', published: hoursAgo(9), html: 'Wer holt am 24. noch ab?' },
        ],
      }),
      { contentType: 'application/rdf+xml' },
    );
    const [batch] = await read(sourceFor('/index.rdf'));
    expect(batch?.mentions.map((m) => [m.id, m.url, m.author.handle, m.language, m.createdAt])).toEqual([
      ['https://courierforum.example/t/19022', 'https://courierforum.example/t/19022', 'paketpaula', 'de', hoursAgo(1)],
      ['https://courierforum.example/t/19021', 'https://courierforum.example/t/19021', 'jens_k', 'de', hoursAgo(9)],
    ]);
  });

  it('rejects an item with no title, link or description, once, and reads the rest', async () => {
    peer.setFeed('/feed', rss2Feed({ items: [blogItems[0]!, { id: 'ssw-empty-1', published: hoursAgo(1) }, blogItems[1]!] }));
    const source = sourceFor('/feed');
    const [batch] = await read(source);
    expect(batch?.mentions.map((m) => m.id)).toEqual([inFeed('/feed', 'ssw-post-2231'), inFeed('/feed', 'ssw-post-2230')]);
    expect(batch?.rejects).toEqual([{ at: `rss ${peer.url('/feed')} item 2`, reason: 'the item has no title, link or description', raw: expect.stringContaining('"ssw-empty-1"') }]);
    peer.setFeed('/feed', rss2Feed({ items: [blogItems[0]!, { id: 'ssw-empty-1', published: hoursAgo(1) }, blogItems[1]!] }), { etag: '"v2"' });
    const [again] = await read(source, batch?.cursor);
    expect(again).toMatchObject({ mentions: [], rejects: [] });
  });

  it('keeps only items naming the brand when onlyBrandItems is set', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    expect(ids(await read(sourceFor('/feed', { onlyBrandItems: true })))).toEqual([inFeed('/feed', 'ssw-post-2231')]);
  });

  it('reads an Atom feed without entries as empty', async () => {
    peer.setFeed('/alerts/empty', '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>tag:google.com,2005:reader/user/1/state/com.google/alerts/2</id><title>Google Alert - parcelly</title><updated>2026-11-20T11:00:00Z</updated></feed>');
    const batches = await read(sourceFor('/alerts/empty'));
    expect(batches).toMatchObject([{ mentions: [], rejects: [] }]);
  });

  it('throws an error saying so when the body is not a feed', async () => {
    peer.setFeed('/feed', '<!DOCTYPE html><html><head><title>Small Seller Weekly</title></head><body><p>Welcome!<br></p></body></html>', { contentType: 'text/html' });
    await expect(read(sourceFor('/feed'))).rejects.toThrow(/not an RSS, Atom or RDF feed .*content-type text\/html.*starting "<!DOCTYPE html>/);
    peer.setFeed('/feed', 'Service Unavailable', { contentType: 'text/plain' });
    await expect(read(sourceFor('/feed'))).rejects.toThrow(/not an RSS, Atom or RDF feed/);
  });

  it('refuses a body over 5 MB', async () => {
    peer.serveHuge('/huge.xml', MAX_FEED_BYTES + 256 * 1024);
    await expect(read(sourceFor('/huge.xml'))).rejects.toThrow(/larger than 5 MB/);
  });

  it('follows redirects', async () => {
    peer.redirect('/old-feed', '/feed');
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    // Ids hang off the configured address, not wherever it redirects today.
    expect(ids(await read(sourceFor('/old-feed')))).toEqual([inFeed('/old-feed', 'ssw-post-2231'), inFeed('/old-feed', 'ssw-post-2230')]);
    expect(peer.requests.map((r) => [r.path, r.status])).toEqual([['/old-feed', 301], ['/feed', 200]]);
  });

  it('waits for Retry-After on 429', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    peer.failNext('/feed', { status: 429, headers: { 'retry-after': '120' }, body: 'Too Many Requests' });
    const error = await read(sourceFor('/feed')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceRateLimitedError);
    expect((error as SourceRateLimitedError).resumeAt).toEqual(new Date(NOW.getTime() + 120_000));
  });

  it('backs off, without disabling, when the feed refuses access once (403 or 401), and reads on the next poll', async () => {
    peer.setFeed('/feed', rss2Feed({ items: blogItems }));
    const source = sourceFor('/feed');
    for (const status of [403, 401]) {
      peer.failNext('/feed', { status, body: 'Forbidden' });
      const error = await read(source).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceHttpError);
      expect(error).not.toBeInstanceOf(SourceDisabledError);
      expect((error as SourceHttpError).status).toBe(status);
      expect((error as Error).message).toMatch(
        new RegExp(`^the feed at ${peer.url('/feed')} refused access \\(${status}\\); reading again after a back-off, .*check the "url" of source rss:test/feed in sources\\.yaml`),
      );
    }
    expect(ids(await read(source))).toEqual([inFeed('/feed', 'ssw-post-2231'), inFeed('/feed', 'ssw-post-2230')]);
  });

  it('keeps apart the items of two feeds that use the same guid', async () => {
    const item = (n: string): FixtureItem => ({ id: '123', title: `Parcelly news from ${n}`, link: `https://${n}.example/p/123`, published: hoursAgo(1), html: '<p>Labels.</p>' });
    peer.setFeed('/a.xml', rss2Feed({ items: [item('alpha')] }));
    peer.setFeed('/b.xml', rss2Feed({ items: [item('beta')] }));

    const [a, b] = [ids(await read(sourceFor('/a.xml'))), ids(await read(sourceFor('/b.xml')))];

    expect(a).toEqual([inFeed('/a.xml', '123')]);
    expect(b).toEqual([inFeed('/b.xml', '123')]);
  });

  it('keeps apart the items of feeds that differ only in their query, without the query in the id', async () => {
    peer.setFeed('/search', rss2Feed({ items: [blogItems[0]!] }));
    const [a, b] = [ids(await read(sourceFor('/search?q=parcelly&key=s3cret'))), ids(await read(sourceFor('/search?q=labels&key=s3cret')))];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]).not.toBe(b[0]);
    for (const id of [...a, ...b]) expect(id).toMatch(new RegExp(`^${peer.url('/search')}\\?[\\w-]{12}#ssw-post-2231$`));
  });

  it('keeps permalink guids and links as the id, the same in every feed', async () => {
    const permalink: FixtureItem = { id: 'https://smallsellerweekly.example/2026/11/parcelly-blank-labels/', permalink: true, title: 'Parcelly printed my labels blank', published: hoursAgo(2), html: '<p>Blank.</p>' };
    const linkOnly: FixtureItem = { title: 'Parcelly at the fair', link: 'https://smallsellerweekly.example/fair/', published: hoursAgo(3), html: '<p>Booth 12.</p>' };
    peer.setFeed('/feed', rss2Feed({ items: [permalink, linkOnly] }));
    peer.setFeed('/category/parcelly/feed', rss2Feed({ items: [permalink, linkOnly] }));

    const main = ids(await read(sourceFor('/feed')));
    const category = ids(await read(sourceFor('/category/parcelly/feed')));

    expect(main).toEqual(['https://smallsellerweekly.example/2026/11/parcelly-blank-labels/', 'https://smallsellerweekly.example/fair/']);
    expect(category).toEqual(main);
  });
});
