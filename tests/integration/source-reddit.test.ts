import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redditSourceSchema } from '../../src/config/source-schemas.js';
import { SourceHttpError } from '../../src/sources/http-get.js';
import { createRedditSource } from '../../src/sources/reddit.js';
import { SourceDisabledError, SourceRateLimitedError } from '../../src/sources/source-errors.js';
import type { Source, SourceBatch } from '../../src/sources/source.js';
import { startRedditPeer, type RedditPeer } from '../peers/reddit/reddit-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext, lastCursor, readBatches } from '../support/source-context.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const brand = { name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly'] };
const USER_AGENT = 'mention-triage/0.1 (self-hosted social support desk)';

let redis: TestRedis;
let peer: RedditPeer;
let sourceName: string;
let counter = 0;

beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  await redis.cleanup();
});
beforeEach(async () => {
  peer = await startRedditPeer();
  sourceName = `reddit-${++counter}`; // each test its own token cache
});
afterEach(async () => {
  await peer.close();
});

type Env = Record<string, string | undefined>;

/** The app's credentials, and the account's when `asAccount`. */
function envFor(asAccount: boolean): Env {
  return {
    REDDIT_CLIENT_ID: peer.app.clientId,
    REDDIT_CLIENT_SECRET: peer.app.clientSecret,
    ...(asAccount ? { REDDIT_USERNAME: peer.account.username, REDDIT_PASSWORD: peer.account.password } : {}),
  };
}

function aSource(overrides: Record<string, unknown> = {}, env: Env = envFor(false)): Source {
  const config = redditSourceSchema.parse({ type: 'reddit', apiUrl: peer.apiUrl, authUrl: peer.authUrl, ...overrides });
  return createRedditSource({ ...config, name: sourceName }, { brand, secret: (name) => env[name] || undefined, log: pino({ level: 'silent' }) });
}

const context = () => aReadContext(redis, sourceName, { now: () => NOW });
const ids = (batches: SourceBatch[]) => batches.flatMap((b) => b.mentions.map((m) => m.id));

/** `count` posts naming the brand, a minute apart (newest first), `perSecond` sharing each second; ids in listing order. */
function addPosts(count: number, { perSecond = 1, newestAt = NOW_S - 60, step = 60 } = {}): string[] {
  const added = Array.from({ length: count }, (_, i) => {
    const createdUtc = newestAt - step * Math.floor(i / perSecond);
    return { name: peer.addPost({ subreddit: 'shipping', author: `user${i}`, title: `Parcelly post ${i}`, selftext: 'it arrived', createdUtc }), createdUtc };
  });
  return added.sort((a, b) => b.createdUtc - a.createdUtc || (b.name < a.name ? -1 : 1)).map((p) => p.name);
}

describe('the Reddit source', () => {
  it('without the app credentials, refuses every read with what to set and makes no request', async () => {
    const source = aSource({}, {});
    await expect(readBatches(source, undefined, context())).rejects.toThrow(
      new SourceDisabledError(
        "disabled: needs an approved Reddit OAuth app (set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET; new apps need Reddit's approval since late 2025)",
      ),
    );
    const renamed = aSource({ credentials: { clientId: 'BRAND_REDDIT_ID', clientSecret: 'BRAND_REDDIT_SECRET' } }, { BRAND_REDDIT_ID: 'x' });
    await expect(readBatches(renamed, undefined, context())).rejects.toThrow(/set BRAND_REDDIT_ID and BRAND_REDDIT_SECRET;/);
    await expect(readBatches(renamed, undefined, context())).rejects.toBeInstanceOf(SourceDisabledError);
    expect(peer.requests).toEqual([]);
  });

  it('pages through search results newest first with after, a batch per page, with its User-Agent and token', async () => {
    const expected = addPosts(250);
    peer.addPost({ subreddit: 'shipping', author: 'old', title: 'Parcelly two days ago', createdUtc: NOW_S - 48 * 3600 });

    const batches = await readBatches(aSource(), undefined, context());

    expect(batches.map((b) => b.mentions.length)).toEqual([100, 100, 50]);
    expect(ids(batches)).toEqual(expected);
    const [token, ...calls] = peer.requests;
    expect(token).toMatchObject({ host: 'auth', method: 'POST', path: '/api/v1/access_token', body: 'grant_type=client_credentials' });
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from(`${peer.app.clientId}:${peer.app.clientSecret}`).toString('base64')}`);
    expect(calls.map((r) => [r.path, r.query])).toEqual([
      ['/search', { q: 'Parcelly', sort: 'new', limit: '100', type: 'link', raw_json: '1' }],
      ['/search', { q: 'Parcelly', sort: 'new', limit: '100', type: 'link', after: expected[99], raw_json: '1' }],
      ['/search', { q: 'Parcelly', sort: 'new', limit: '100', type: 'link', after: expected[199], raw_json: '1' }],
    ]);
    expect(peer.requests.every((r) => r.headers['user-agent'] === USER_AGENT)).toBe(true);
    expect(calls.every((r) => /^bearer \S+$/.test(r.headers.authorization ?? ''))).toBe(true);
  });

  it('maps link and self posts, and the account\'s mentions as addressing the brand', async () => {
    const link = peer.addPost({ subreddit: 'smallbusiness', author: 'pat', title: 'Parcelly & friends <compared>', url: 'https://blog.example/parcelly', createdUtc: NOW_S - 300 });
    const self = peer.addPost({ subreddit: 'shipping', author: 'sam', title: 'Parcelly lost my parcel', selftext: 'Third time this month.', createdUtc: NOW_S - 200 });
    const mention = peer.addMention({ subreddit: 'ecommerce', author: 'dana', body: 'u/parcelly my label printed blank', linkTitle: 'Label printers', parentId: 't1_abc', createdUtc: NOW_S - 100 });

    const batches = await readBatches(aSource({}, envFor(true)), undefined, context());

    expect(batches.flatMap((b) => b.rejects)).toEqual([]);
    const byId = Object.fromEntries(batches.flatMap((b) => b.mentions).map((m) => [m.id, m]));
    expect(byId[link]).toEqual({
      source: 'reddit',
      id: link,
      text: 'Parcelly & friends <compared>',
      url: expect.stringMatching(new RegExp(`^https://www\\.reddit\\.com/r/smallbusiness/comments/${link.slice(3)}/parcelly_friends_compared/$`)),
      createdAt: new Date((NOW_S - 300) * 1000).toISOString(),
      author: { handle: 'pat', name: 'pat', followers: 0, id: expect.stringMatching(/^t2_/) },
      links: ['https://blog.example/parcelly'],
      context: 'r/smallbusiness',
    });
    expect(byId[self]).toMatchObject({ text: 'Parcelly lost my parcel\n\nThird time this month.', context: 'r/shipping' });
    expect(byId[self]?.links).toBeUndefined();
    expect(byId[mention]).toEqual({
      source: 'reddit',
      id: mention,
      text: 'u/parcelly my label printed blank',
      url: expect.stringMatching(/^https:\/\/www\.reddit\.com\/r\/ecommerce\/comments\/[a-z0-9]+\/label_printers\/[a-z0-9]+\/$/),
      createdAt: new Date((NOW_S - 100) * 1000).toISOString(),
      author: { handle: 'dana', name: 'dana', followers: 0, id: expect.stringMatching(/^t2_/) },
      inReplyTo: { id: 't1_abc' },
      addressesBrand: true,
      context: 'r/ecommerce · Label printers',
    });
    expect(peer.tokenRequests()[0]?.body).toBe(`grant_type=password&username=${peer.account.username}&password=${peer.account.password}`);
    expect(peer.apiRequests().map((r) => r.path)).toEqual(['/search', '/message/mentions']);
  });

  it('searches only the configured subreddits', async () => {
    const inside = peer.addPost({ subreddit: 'shipping', author: 'a', title: 'Parcelly in shipping', selftext: '', createdUtc: NOW_S - 30 });
    peer.addPost({ subreddit: 'elsewhere', author: 'b', title: 'Parcelly elsewhere', selftext: '', createdUtc: NOW_S - 20 });

    const batches = await readBatches(aSource({ subreddits: ['r/shipping', 'smallbusiness'] }), undefined, context());

    expect(ids(batches)).toEqual([inside]);
    expect(peer.apiRequests()[0]).toMatchObject({ path: '/r/shipping+smallbusiness/search', query: expect.objectContaining({ restrict_sr: '1' }) });
  });

  it('yields only new posts on the next poll, including one in the boundary second', async () => {
    addPosts(5);
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    const sameSecond = peer.addPost({ subreddit: 'shipping', author: 'late', title: 'Parcelly same second', selftext: 'x', createdUtc: NOW_S - 60 });
    const newer = peer.addPost({ subreddit: 'shipping', author: 'new', title: 'Parcelly newer', selftext: 'x', createdUtc: NOW_S - 10 });
    peer.clearRequests();

    const second = await readBatches(source, lastCursor(first, undefined), context());

    expect(ids(second).sort()).toEqual([newer, sameSecond].sort());
    expect(peer.requests).toHaveLength(1); // the token is cached: one search, nothing else
    const third = await readBatches(source, lastCursor(second, undefined), context());
    expect(ids(third)).toEqual([]);
  });

  it('reads a post search listed late, behind a younger post already read, on the next poll and only once', async () => {
    const [newest] = addPosts(5);
    // Posted 30 s before the newest post, listed by search only after the first poll read that one.
    const late = peer.addPost({ subreddit: 'shipping', author: 'slow', title: 'Parcelly listed late', selftext: 'x', createdUtc: NOW_S - 90, indexed: false });
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    expect(ids(first)[0]).toBe(newest);
    expect(ids(first)).not.toContain(late);
    peer.index(late);
    peer.clearRequests();

    const second = await readBatches(source, lastCursor(first, undefined), context());

    expect(ids(second)).toEqual([late]);
    expect(peer.requests).toHaveLength(1);
    const third = await readBatches(source, lastCursor(second, lastCursor(first, undefined)), context());
    expect(ids(third)).toEqual([]);
  });

  it('resumes a sweep cut short after a page without losing or repeating posts', async () => {
    const old = addPosts(250, { perSecond: 3 });
    const source = aSource();
    const delivered: string[] = [];
    let cursor: string | undefined;
    for await (const batch of source.read(undefined, context())) {
      delivered.push(...batch.mentions.map((m) => m.id));
      cursor = batch.cursor;
      break;
    }
    const fresh = [
      peer.addPost({ subreddit: 'shipping', author: 'n1', title: 'Parcelly new one', selftext: 'x', createdUtc: NOW_S - 5 }),
      peer.addPost({ subreddit: 'shipping', author: 'n2', title: 'Parcelly new two', selftext: 'x', createdUtc: NOW_S - 4 }),
    ];

    peer.clearRequests();

    const resumed = await readBatches(source, cursor, context());
    delivered.push(...ids(resumed));
    expect(peer.requests[0]?.query.after).toBe(delivered[99]);
    const next = await readBatches(source, lastCursor(resumed, cursor), context());
    delivered.push(...ids(next));

    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual([...old, ...fresh].sort());
    expect(ids(next).sort()).toEqual([...fresh].sort());
  });

  it('resumes from the top, skipping what it delivered, when the post it stopped at is gone', async () => {
    const old = addPosts(250, { perSecond: 3 });
    const source = aSource();
    const first = (await source.read(undefined, context())[Symbol.asyncIterator]().next()).value as SourceBatch;
    peer.dropPost(first.mentions.at(-1)!.id);
    peer.clearRequests();

    const resumed = await readBatches(source, first.cursor, context());

    expect(peer.requests.map((r) => r.query.after ?? 'top')).toEqual([old[99], 'top', old[100], old[200]]);
    const delivered = [...first.mentions.map((m) => m.id), ...ids(resumed)];
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual([...old].sort());
  });

  it('loses and repeats nothing when the service stops after every single page', async () => {
    const all = addPosts(250, { perSecond: 3 });
    const source = aSource();
    const delivered: string[] = [];
    let cursor: string | undefined;
    for (let reads = 0; reads < 20; reads++) {
      const step = await source.read(cursor, context())[Symbol.asyncIterator]().next();
      const batch = step.value as SourceBatch | undefined;
      if (!batch || (batch.mentions.length === 0 && batch.cursor === cursor)) break;
      delivered.push(...batch.mentions.map((m) => m.id));
      cursor = batch.cursor;
    }
    expect(delivered).toEqual(all);
  });

  it('turns the same post found by two queries into one mention', async () => {
    const both = peer.addPost({ subreddit: 'shipping', author: 'dana', title: 'Parcelly label printer broke', selftext: '', createdUtc: NOW_S - 100 });
    const onlyPrinter = peer.addPost({ subreddit: 'shipping', author: 'lee', title: 'my label printer is fine', selftext: '', createdUtc: NOW_S - 90 });

    const batches = await readBatches(aSource({ queries: ['Parcelly', 'label printer'] }), undefined, context());

    expect(ids(batches)).toEqual([both, onlyPrinter]);
    expect(peer.apiRequests().map((r) => r.query.q)).toEqual(['Parcelly', 'label printer']);
  });

  it('rejects a malformed child, skips deleted and removed posts, and goes on', async () => {
    const good = peer.addPost({ subreddit: 'shipping', author: 'dana', title: 'Parcelly works', selftext: '', createdUtc: NOW_S - 50 });
    peer.addPost({ subreddit: 'shipping', author: '[deleted]', title: 'Parcelly deleted', selftext: '[deleted]', createdUtc: NOW_S - 45 });
    peer.addPost({ subreddit: 'shipping', author: 'mod-removed', title: 'Parcelly removed', selftext: '[removed]', removedBy: 'moderator', createdUtc: NOW_S - 44 });
    peer.addRawChild('search', { kind: 't3', data: { name: 't3_bad1', created_utc: NOW_S - 40, subreddit: 'shipping', title: 'Parcelly with no author' } }, NOW_S - 40);
    peer.addRawChild('search', 'not a thing', NOW_S - 30);
    const source = aSource();

    const batches = await readBatches(source, undefined, context());

    expect(ids(batches)).toEqual([good]);
    const rejects = batches.flatMap((b) => b.rejects);
    expect(rejects).toEqual([
      { at: 'reddit:search:Parcelly page 0', reason: expect.stringMatching(/^Reddit thing: /), raw: '"not a thing"' },
      { at: 'reddit:search:Parcelly page 0', reason: expect.stringMatching(/^Reddit t3: data\.author: /), raw: expect.stringContaining('"t3_bad1"') },
    ]);
    const again = await readBatches(source, lastCursor(batches, undefined), context());
    // The one with a fullname and a time is behind the watermark now; the other cannot be placed.
    expect(again.flatMap((b) => b.rejects).map((r) => r.raw)).toEqual(['"not a thing"']);
  });

  it('gets the token once and keeps it across reads', async () => {
    addPosts(3);
    const source = aSource({}, envFor(true));
    const first = await readBatches(source, undefined, context());
    await readBatches(source, lastCursor(first, undefined), context());
    await readBatches(aSource({}, envFor(true)), lastCursor(first, undefined), context()); // a restarted service, same Redis

    expect(peer.tokenRequests()).toHaveLength(1);
    expect(peer.apiRequests()).toHaveLength(6);
  });

  it('gets a new token once when the API refuses it, and goes on', async () => {
    addPosts(3);
    const source = aSource();
    const first = await readBatches(source, undefined, context());
    peer.revokeTokens();
    peer.addPost({ subreddit: 'shipping', author: 'n', title: 'Parcelly after revoke', selftext: 'x', createdUtc: NOW_S - 1 });

    const second = await readBatches(source, lastCursor(first, undefined), context());

    expect(ids(second)).toHaveLength(1);
    expect(peer.tokenRequests()).toHaveLength(2);
    expect(peer.apiRequests().map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('backs off on a 403 for a private subreddit, after reading the other streams, without disabling or a new token', async () => {
    peer.setPrivate('secretclub');
    peer.addPost({ subreddit: 'shipping', author: 'a', title: 'Parcelly in shipping', selftext: 'x', createdUtc: NOW_S - 50 });
    const mention = peer.addMention({ subreddit: 'ecommerce', author: 'dana', body: 'u/parcelly help', linkTitle: 'Labels', createdUtc: NOW_S - 40 });
    const source = aSource({ subreddits: ['shipping', 'secretclub'] }, envFor(true));
    const batches: SourceBatch[] = [];
    const error = await (async () => {
      for await (const batch of source.read(undefined, context())) batches.push(batch);
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).not.toBeInstanceOf(SourceDisabledError);
    expect((error as SourceHttpError).status).toBe(403);
    expect((error as Error).message).toMatch(
      new RegExp(`^reddit: GET /r/shipping\\+secretclub/search was refused \\(403 Forbidden\\) though the access token works: a subreddit in "subreddits" of source ${sourceName} is private, quarantined or banned; .*Reading again after a back-off$`),
    );
    expect(ids(batches)).toEqual([mention]);
    expect(peer.tokenRequests()).toHaveLength(1);
    expect(peer.apiRequests().map((r) => [r.path, r.status])).toEqual([['/r/shipping+secretclub/search', 403], ['/message/mentions', 200]]);

    peer.setPrivate('secretclub', false);
    const again = await readBatches(source, lastCursor(batches, undefined), context());
    expect(again.flatMap((b) => b.mentions.map((m) => m.text))).toEqual(['Parcelly in shipping\n\nx']);
    expect(peer.tokenRequests()).toHaveLength(1);
  });

  it('does not get a new token for a 403, only for a 401', async () => {
    addPosts(3);
    peer.failNext({ path: /search/, status: 403, body: { message: 'Forbidden', error: 403 } });
    const error = await readBatches(aSource(), undefined, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect((error as Error).message).toMatch(/^reddit: GET \/search was refused \(403 Forbidden\).*check "userAgent" of source/);
    expect(peer.tokenRequests()).toHaveLength(1);
    expect(peer.apiRequests().map((r) => r.status)).toEqual([403]);
  });

  it('is disabled when a fresh token is refused too', async () => {
    addPosts(3);
    peer.refuseAllTokens(true);
    const error = await readBatches(aSource(), undefined, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceDisabledError);
    expect((error as Error).message).toMatch(/refused a fresh access token too; check that the app of REDDIT_CLIENT_ID is approved/);
    expect(peer.tokenRequests()).toHaveLength(2);
    expect(peer.apiRequests()).toHaveLength(2);
  });

  it('is disabled naming the variables when Reddit refuses the login or the app', async () => {
    const wrongPassword = await readBatches(aSource({}, { ...envFor(true), REDDIT_PASSWORD: 'nope' }), undefined, context()).catch((e: unknown) => e);
    expect(wrongPassword).toBeInstanceOf(SourceDisabledError);
    expect((wrongPassword as Error).message).toMatch(/invalid_grant\): check REDDIT_USERNAME and REDDIT_PASSWORD/);
    const wrongSecret = await readBatches(aSource({}, { ...envFor(false), REDDIT_CLIENT_SECRET: 'nope' }), undefined, context()).catch((e: unknown) => e);
    expect(wrongSecret).toBeInstanceOf(SourceDisabledError);
    expect((wrongSecret as Error).message).toMatch(/credentials refused \(401\).*check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET/);
    expect(peer.apiRequests()).toEqual([]);
  });

  it('stops after the page that used up the rate limit, until its reset', async () => {
    await peer.close();
    peer = await startRedditPeer({ rateLimit: { limit: 2, windowSeconds: 600 } });
    const all = addPosts(250);
    const source = aSource();
    const batches: SourceBatch[] = [];
    const error = await (async () => {
      for await (const batch of source.read(undefined, context())) batches.push(batch);
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SourceRateLimitedError);
    const last = peer.apiRequests().at(-1)!;
    expect(last.responseHeaders['x-ratelimit-remaining']).toBe('0.0');
    expect((error as SourceRateLimitedError).resumeAt).toEqual(new Date(NOW.getTime() + Number(last.responseHeaders['x-ratelimit-reset']) * 1000));
    expect(batches.map((b) => b.mentions.length)).toEqual([100, 100]);
    expect(peer.apiRequests()).toHaveLength(2);
    peer.resetRateLimits();
    const rest = await readBatches(source, lastCursor(batches, undefined), context());
    expect([...ids(batches), ...ids(rest)]).toEqual(all);
  });

  it('stops as rate limited on a 429 until the reset Reddit sends', async () => {
    addPosts(150);
    peer.failNext({ path: /search/, status: 429, body: { message: 'Too Many Requests', error: 429 }, headers: { 'x-ratelimit-remaining': '0.0', 'x-ratelimit-used': '1000', 'x-ratelimit-reset': '120' } });
    const error = await readBatches(aSource(), undefined, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceRateLimitedError);
    expect((error as SourceRateLimitedError).resumeAt).toEqual(new Date(NOW.getTime() + 120_000));
  });

  it('makes one search request per poll with the default config, two with the account logged in', async () => {
    addPosts(40);
    peer.addMention({ subreddit: 'shipping', author: 'dana', body: 'hey u/parcelly', linkTitle: 'Help', createdUtc: NOW_S - 30 });
    for (const [env, expected] of [[envFor(false), ['/search']], [envFor(true), ['/search', '/message/mentions']]] as const) {
      sourceName = `reddit-${++counter}`;
      const source = aSource({}, env);
      const first = await readBatches(source, undefined, context());
      peer.clearRequests();
      await readBatches(source, lastCursor(first, undefined), context());
      expect(peer.requests.map((r) => r.path)).toEqual(expected);
    }
  });
});
