import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlueskySource } from '../../src/sources/bluesky.js';
import { createBlueskyReplier } from '../../src/sources/bluesky-replier.js';
import { SESSION_KEY } from '../../src/sources/bluesky-session.js';
import { ReplyRefusedError, SourceDisabledError, SourceRateLimitedError } from '../../src/sources/source-errors.js';
import type { SourceBatch } from '../../src/sources/source.js';
import { linkFacet, mentionFacet, refTo, startBlueskyPeer, type BlueskyPeer, type PeerAccount } from '../peers/bluesky/bluesky-peer.js';
import { blueskyConfig, blueskyDeps, captureLog, minutesAgo, type CapturedLog } from '../peers/bluesky/harness.js';
import { createSourceKv } from '../../src/store/source-kv.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext, lastCursor, readBatches } from '../support/source-context.js';

const SEARCH = 'app.bsky.feed.searchPosts';
const NOTIFICATIONS = 'app.bsky.notification.listNotifications';
const PROFILES = 'app.bsky.actor.getProfiles';
const LOGIN = 'com.atproto.server.createSession';
const REFRESH = 'com.atproto.server.refreshSession';
const CREATE = 'com.atproto.repo.createRecord';

const ids = (batches: SourceBatch[]) => batches.flatMap((b) => b.mentions.map((m) => m.id));

/** Fails the test if any token the peer ever issued, or the app password, is in the log. */
function expectNoSecretsIn(captured: CapturedLog, peer: BlueskyPeer): void {
  const issued = peer.requests.flatMap((r) => {
    const body = r.response as { accessJwt?: unknown; refreshJwt?: unknown } | undefined;
    return [body?.accessJwt, body?.refreshJwt].filter((v): v is string => typeof v === 'string');
  });
  expect(issued.length).toBeGreaterThan(0);
  const text = captured.text();
  for (const secret of [...issued, peer.brand.appPassword!]) expect(text).not.toContain(secret);
}

describe('the Bluesky source against a local PDS and AppView', () => {
  let t: TestRedis;
  let peer: BlueskyPeer;
  let dana: PeerAccount;

  beforeEach(async () => {
    t = await openTestRedis();
    peer = await startBlueskyPeer();
    dana = peer.addAccount({ handle: 'dana.bsky.social', displayName: 'Dana Reyes', followers: 1200, verified: true });
  });
  afterEach(async () => {
    await peer.close();
    await t.cleanup();
  });

  const source = (overrides: Record<string, unknown> = {}, password?: string) =>
    createBlueskySource(blueskyConfig(peer, overrides), blueskyDeps(peer, password));

  it('maps a post: AT URI id, bsky.app url, author with followers, language, links, reply and replyRef', async () => {
    const text = '@parcelly.bsky.social Parcelly printed a blank label, see parcelly.app/status';
    const brandPost = await peer.addPost({ author: peer.brand, text: 'Parcelly status: all good', indexedAt: minutesAgo(30) });
    const post = await peer.addPost({
      author: dana,
      text,
      facets: [mentionFacet(text, 'parcelly.bsky.social', peer.brand.did), linkFacet(text, 'parcelly.app/status', 'https://parcelly.app/status')],
      embed: { $type: 'app.bsky.embed.external', external: { uri: 'https://example.com/blank-label', title: 'Blank', description: '' } },
      reply: { root: refTo(brandPost), parent: refTo(brandPost) },
      langs: ['en-GB'],
      createdAt: minutesAgo(10),
      indexedAt: minutesAgo(9),
    });

    const batches = await readBatches(source({ notifications: false }), undefined, aReadContext(t, 'bluesky'));

    const [mention, ...others] = batches.flatMap((b) => b.mentions);
    expect(others).toEqual([]);
    expect(mention).toEqual({
      source: 'bluesky',
      id: post.uri,
      text,
      url: `https://bsky.app/profile/dana.bsky.social/post/${post.rkey}`,
      createdAt: post.record.createdAt,
      author: { handle: 'dana.bsky.social', name: 'Dana Reyes', followers: 1200, id: dana.did, verified: true },
      language: 'en-GB',
      links: ['https://parcelly.app/status', 'https://example.com/blank-label'],
      inReplyTo: { id: brandPost.uri, handle: 'parcelly.bsky.social' },
      addressesBrand: true,
      replyRef: { cid: post.cid, rootUri: brandPost.uri, rootCid: brandPost.cid },
    });
    const [search] = peer.requestsTo(SEARCH);
    expect(search?.query).toMatchObject({ q: ['Parcelly'], sort: ['latest'], limit: ['100'] });
    expect(Date.parse(search!.query.since![0]!)).toBeGreaterThan(Date.now() - 24 * 3_600_000 - 60_000);
    expect(search?.headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('pages search with its cursor down to the look-back, one batch per page, and next time reads only what is new', async () => {
    for (let i = 0; i < 230; i++) await peer.addPost({ author: dana, text: `Parcelly post ${i}`, indexedAt: minutesAgo(600 - i) });
    await peer.addPost({ author: dana, text: 'Parcelly too old', indexedAt: minutesAgo(25 * 60) });
    const s = source({ notifications: false });
    const context = aReadContext(t, 'bluesky');

    const first = await readBatches(s, undefined, context);
    expect(first.map((b) => b.mentions.length)).toEqual([100, 100, 30]);
    expect(new Set(ids(first)).size).toBe(230);
    expect(peer.requestsTo(SEARCH).map((r) => r.query.cursor?.[0])).toEqual([undefined, '100', '200']);

    const fresh = await peer.addPost({ author: dana, text: 'Parcelly is new', indexedAt: new Date().toISOString() });
    peer.state.requests.length = 0;
    const second = await readBatches(s, lastCursor(first, undefined), context);
    expect(ids(second)).toEqual([fresh.uri]);
    expect(peer.requestsTo(SEARCH)).toHaveLength(1);
  });

  it('resumes a read that stopped mid-pagination from its last stored batch, losing and repeating nothing', async () => {
    for (let i = 0; i < 250; i++) await peer.addPost({ author: dana, text: `Parcelly post ${i}`, indexedAt: minutesAgo(300 - i) });
    const context = aReadContext(t, 'bluesky');
    const delivered: SourceBatch[] = [];
    for await (const batch of source({ notifications: false }).read(undefined, context)) {
      delivered.push(batch);
      if (delivered.length === 2) break; // the process dies after storing the second batch's cursor
    }
    const restarted = await readBatches(source({ notifications: false }), lastCursor(delivered, undefined), context);

    expect(peer.requestsTo(SEARCH).map((r) => r.query.cursor?.[0])).toEqual([undefined, '100', '200']);
    const all = [...ids(delivered), ...ids(restarted)];
    expect(all).toHaveLength(250);
    expect(new Set(all).size).toBe(250);
  });

  it('logs in once: the stored session is reused by later reads and resumed by a new source instance', async () => {
    await peer.addPost({ author: dana, text: 'Parcelly hello', indexedAt: minutesAgo(5) });
    const context = aReadContext(t, 'bluesky');
    const s = source();
    const first = await readBatches(s, undefined, context);
    await readBatches(s, lastCursor(first, undefined), context);
    const stored = JSON.parse((await context.kv.get(SESSION_KEY))!) as { did: string; accessJwt: string };
    expect(stored.did).toBe(peer.brand.did);

    await readBatches(source(), lastCursor(first, undefined), context);

    expect(peer.logins()).toBe(1);
    expect(peer.requestsTo(LOGIN)).toHaveLength(1);
    // The new instance resumed the stored session (the agent refreshes it to check it).
    expect(peer.requestsTo(REFRESH)).toHaveLength(1);
    expect(JSON.parse((await context.kv.get(SESSION_KEY))!).accessJwt).not.toBe(stored.accessJwt);
  });

  it('refreshes an expired access token and stores the new tokens, without logging in again', async () => {
    await peer.addPost({ author: dana, text: 'Parcelly hello', indexedAt: minutesAgo(5) });
    const context = aReadContext(t, 'bluesky');
    const s = source({ notifications: false });
    const first = await readBatches(s, undefined, context);
    const before = await context.kv.get(SESSION_KEY);
    peer.expireAccessTokens();

    await readBatches(s, lastCursor(first, undefined), context);

    expect(peer.logins()).toBe(1);
    expect(peer.requestsTo(REFRESH)).toHaveLength(1);
    const searches = peer.requestsTo(SEARCH);
    expect(searches.slice(-2).map((r) => r.status)).toEqual([400, 200]);
    expect(await context.kv.get(SESSION_KEY)).not.toBe(before);
  });

  it('logs in again when the stored session can no longer be refreshed', async () => {
    const context = aReadContext(t, 'bluesky');
    const first = await readBatches(source(), undefined, context);
    peer.revokeSessions();

    await readBatches(source(), lastCursor(first, undefined), context);

    expect(peer.logins()).toBe(2);
  });

  it('logs a session it could not store with the error message only: the tokens in the refused Redis command stay out of the log', async () => {
    // A Redis user that may read the source's keys but not SET them: storing the session fails with a ReplyError.
    const user = `bsky-${t.prefix}`;
    await t.redis.call('ACL', 'SETUSER', user, 'on', '>not-the-app-password', 'resetkeys', `~${t.prefix}:*`, '+@all', '-set');
    const restricted = new Redis(t.url, { username: user, password: 'not-the-app-password', maxRetriesPerRequest: null });
    try {
      const post = await peer.addPost({ author: dana, text: 'Parcelly hello', indexedAt: minutesAgo(5) });
      const captured = captureLog();
      const context = { ...aReadContext(t, 'bluesky'), kv: createSourceKv(restricted, t.prefix, 'bluesky') };

      const batches = await readBatches(createBlueskySource(blueskyConfig(peer, { notifications: false }), blueskyDeps(peer, undefined, captured.log)), undefined, context);

      expect(ids(batches)).toEqual([post.uri]);
      expect(captured.records().filter((r) => r.msg === 'could not store the Bluesky session')).toEqual([
        expect.objectContaining({ level: 40, source: 'bluesky', err: expect.stringMatching(/^NOPERM/) }),
      ]);
      expectNoSecretsIn(captured, peer);
    } finally {
      await restricted.quit();
      await t.redis.call('ACL', 'DELUSER', user);
    }
  });

  it('goes on with a stored session whose refresh failed for a passing reason, logging the message only', async () => {
    await peer.addPost({ author: dana, text: 'Parcelly hello', indexedAt: minutesAgo(5) });
    const context = aReadContext(t, 'bluesky');
    const first = await readBatches(source({ notifications: false }), undefined, context);
    peer.failNext(REFRESH, { status: 500, error: 'InternalServerError', message: 'Internal Server Error' });
    const captured = captureLog();

    const fresh = await peer.addPost({ author: dana, text: 'Parcelly again', indexedAt: new Date().toISOString() });
    const second = await readBatches(createBlueskySource(blueskyConfig(peer, { notifications: false }), blueskyDeps(peer, undefined, captured.log)), lastCursor(first, undefined), context);

    expect(ids(second)).toEqual([fresh.uri]);
    expect(peer.logins()).toBe(1);
    expect(captured.records().filter((r) => r.msg === 'could not refresh the stored Bluesky session; using it as is')).toEqual([
      expect.objectContaining({ level: 40, err: 'Internal Server Error' }),
    ]);
    expectNoSecretsIn(captured, peer);
  });

  it('turns a 429 into SourceRateLimitedError until ratelimit-reset, keeping the batches already yielded', async () => {
    for (let i = 0; i < 150; i++) await peer.addPost({ author: dana, text: `Parcelly post ${i}`, indexedAt: minutesAgo(200 - i) });
    const reset = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
    const context = aReadContext(t, 'bluesky');
    const s = source({ notifications: false });
    const batches: SourceBatch[] = [];
    let failure: unknown;
    try {
      for await (const batch of s.read(undefined, context)) {
        batches.push(batch);
        peer.rateLimitNext(SEARCH, reset);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SourceRateLimitedError);
    expect((failure as SourceRateLimitedError).resumeAt).toEqual(reset);
    expect(batches).toHaveLength(1);
    expect(peer.requestsTo(SEARCH).at(-1)?.status).toBe(429);

    const rest = await readBatches(s, lastCursor(batches, undefined), context);
    expect(new Set([...ids(batches), ...ids(rest)]).size).toBe(150);
  });

  it('is disabled, saying to create an app password, when the login is refused', async () => {
    const failure = await readBatches(source({}, 'wrong-password'), undefined, aReadContext(t, 'bluesky')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceDisabledError);
    expect((failure as Error).message).toMatch(/Invalid identifier or password.*app password.*BLUESKY_APP_PASSWORD/);
    expect(peer.logins()).toBe(0);
  });

  it('is disabled, naming what to set, without an app password or a handle', async () => {
    const noPassword = await readBatches(source({}, ''), undefined, aReadContext(t, 'bluesky')).catch((e: unknown) => e);
    expect(noPassword).toBeInstanceOf(SourceDisabledError);
    expect((noPassword as Error).message).toMatch(/BLUESKY_APP_PASSWORD is not set/);
    const deps = { ...blueskyDeps(peer), brand: { name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly'] } };
    const noHandle = await readBatches(createBlueskySource(blueskyConfig(peer), deps), undefined, aReadContext(t, 'bluesky')).catch((e: unknown) => e);
    expect(noHandle).toBeInstanceOf(SourceDisabledError);
    expect((noHandle as Error).message).toMatch(/set `handle`.*brand\.handles/);
    expect(peer.requests).toHaveLength(0);
  });

  it('is disabled when the AppView refuses the account (403)', async () => {
    peer.failNext(SEARCH, { status: 403, error: 'Forbidden', message: 'account is suspended' });
    const failure = await readBatches(source({ notifications: false }), undefined, aReadContext(t, 'bluesky')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceDisabledError);
    expect((failure as Error).message).toMatch(/403 Forbidden: account is suspended/);
  });

  it('is disabled when a 401 persists after the session is refreshed', async () => {
    const context = aReadContext(t, 'bluesky');
    const first = await readBatches(source({ notifications: false }), undefined, context);
    for (let i = 0; i < 4; i++) peer.failNext(SEARCH, { status: 401, error: 'AuthenticationRequired', message: 'Authentication Required' });
    const failure = await readBatches(source({ notifications: false }), lastCursor(first, undefined), context).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceDisabledError);
    expect((failure as Error).message).toMatch(/401 AuthenticationRequired.*BLUESKY_APP_PASSWORD/);
    expect(peer.logins()).toBe(1);
  });

  it('rejects a post whose record is not a valid app.bsky.feed.post, with the reason, and reads the rest', async () => {
    const good = await peer.addPost({ author: dana, text: 'Parcelly good one', indexedAt: minutesAgo(3) });
    const bad = await peer.addPost({ author: dana, record: { $type: 'app.bsky.feed.post', text: 'Parcelly broken', createdAt: 'last tuesday' }, indexedAt: minutesAgo(2) });

    const [batch] = await readBatches(source({ notifications: false }), undefined, aReadContext(t, 'bluesky'));

    expect(batch?.mentions.map((m) => m.id)).toEqual([good.uri]);
    expect(batch?.rejects).toEqual([
      { at: 'bluesky:search "Parcelly" page 1', reason: expect.stringMatching(/^record is not a valid app\.bsky\.feed\.post: Record\/createdAt/), raw: expect.stringContaining(bad.uri) },
    ]);
  });

  it('rejects a post view the lexicon refuses (the client throws for the whole page), and reads the rest of the page', async () => {
    const good = await peer.addPost({ author: dana, text: 'Parcelly good one', indexedAt: minutesAgo(3) });
    const odd = peer.addAccount({ handle: 'not a handle!' });
    const bad = await peer.addPost({ author: odd, text: 'Parcelly from a broken account', indexedAt: minutesAgo(2) });
    const s = source({ notifications: false });
    const context = aReadContext(t, 'bluesky');

    const first = await readBatches(s, undefined, context);
    expect(first.flatMap((b) => b.mentions.map((m) => m.id))).toEqual([good.uri]);
    expect(first.flatMap((b) => b.rejects)).toEqual([
      { at: 'bluesky:search "Parcelly" page 1', reason: expect.stringMatching(/^post view does not match the lexicon: .*handle/), raw: expect.stringContaining(bad.uri) },
    ]);
    const second = await readBatches(s, lastCursor(first, undefined), context);
    expect(second.flatMap((b) => [...b.mentions, ...b.rejects])).toEqual([]);
  });

  it('yields a post found by two queries and by the notifications once, flagged as addressing the brand', async () => {
    const text = 'Parcelly shipping labels are great @parcelly.bsky.social';
    const post = await peer.addPost({ author: dana, text, indexedAt: minutesAgo(4) });
    peer.notify(post, 'mention');
    await peer.addPost({ author: dana, text: 'liked', indexedAt: minutesAgo(4) }).then((p) => peer.notify(p, 'like'));

    const batches = await readBatches(source({ queries: ['Parcelly', 'shipping labels'] }), undefined, aReadContext(t, 'bluesky'));

    expect(batches.flatMap((b) => b.mentions).map((m) => [m.id, m.addressesBrand])).toEqual([[post.uri, true]]);
    expect(peer.requestsTo(NOTIFICATIONS)[0]?.query.reasons).toEqual(['mention', 'reply', 'quote']);
    expect(peer.requestsTo(SEARCH).map((r) => r.query.q?.[0])).toEqual(['Parcelly', 'shipping labels']);
  });

  it('reads the brand account notifications (mentions, replies, quotes) page by page', async () => {
    for (let i = 0; i < 120; i++) {
      const p = await peer.addPost({ author: dana, text: `hey @parcelly.bsky.social ${i}`, indexedAt: minutesAgo(150 - i) });
      peer.notify(p, i % 3 === 0 ? 'mention' : i % 3 === 1 ? 'reply' : 'quote');
    }
    const batches = await readBatches(source({ queries: ['nothing-matches-this'] }), undefined, aReadContext(t, 'bluesky'));
    const notified = batches.flatMap((b) => b.mentions);
    expect(notified).toHaveLength(120);
    expect(notified.every((m) => m.addressesBrand)).toBe(true);
    expect(peer.requestsTo(NOTIFICATIONS)).toHaveLength(2);
  });

  it('walks the notifications by their indexedAt: a backdated post notified on page 1 does not end the walk before page 2', async () => {
    const notified: string[] = [];
    for (let i = 0; i < 130; i++) {
      // i = 120 is among the newest 100 (page 1), written to say it is two days old.
      const createdAt = i === 120 ? minutesAgo(48 * 60) : undefined;
      const p = await peer.addPost({ author: dana, text: `hey @parcelly.bsky.social ${i}`, indexedAt: minutesAgo(150 - i), ...(createdAt ? { createdAt } : {}) });
      peer.notify(p, 'mention');
      notified.push(p.uri);
    }

    const batches = await readBatches(source({ queries: ['nothing-matches-this'] }), undefined, aReadContext(t, 'bluesky'));

    expect(peer.requestsTo(NOTIFICATIONS).map((r) => r.query.cursor?.[0] !== undefined)).toEqual([false, true]);
    expect(batches.map((b) => b.mentions.length)).toEqual([100, 30, 0]);
    expect(new Set(ids(batches))).toEqual(new Set(notified));
  });

  it('fetches follower counts with getProfiles, at most 25 actors a call, once per author', async () => {
    for (let i = 0; i < 60; i++) {
      const author = peer.addAccount({ handle: `user${i}.bsky.social`, followers: i * 10 });
      await peer.addPost({ author, text: `Parcelly from user ${i}`, indexedAt: minutesAgo(100 - i) });
    }
    const s = source({ notifications: false });
    const context = aReadContext(t, 'bluesky');
    const first = await readBatches(s, undefined, context);

    const calls = peer.requestsTo(PROFILES);
    expect(calls.map((c) => c.query.actors?.length)).toEqual([25, 25, 10]);
    const followers = new Map(first.flatMap((b) => b.mentions).map((m) => [m.author.handle, m.author.followers]));
    expect(followers.get('user7.bsky.social')).toBe(70);

    const again = await peer.addPost({ author: peer.addAccount({ handle: 'new.bsky.social', followers: 3 }), text: 'Parcelly newcomer', indexedAt: new Date().toISOString() });
    await peer.addPost({ author: peer.state.accounts.get(calls[0]!.query.actors![0]!)!, text: 'Parcelly again', indexedAt: new Date().toISOString() });
    await readBatches(s, lastCursor(first, undefined), context);
    expect(peer.requestsTo(PROFILES).slice(3).map((c) => c.query.actors)).toEqual([[again.authorDid]]);
  });

  it("skips the brand's own posts", async () => {
    await peer.addPost({ author: peer.brand, text: 'Parcelly release notes', indexedAt: minutesAgo(3) });
    const batches = await readBatches(source(), undefined, aReadContext(t, 'bluesky'));
    expect(batches.flatMap((b) => b.mentions)).toEqual([]);
    expect(batches.flatMap((b) => b.rejects)).toEqual([]);
  });

  it('costs one listNotifications and one searchPosts per brand name per steady poll, plus getProfiles for new authors', async () => {
    await peer.addPost({ author: dana, text: 'Parcelly first', indexedAt: minutesAgo(20) });
    const s = source();
    const context = aReadContext(t, 'bluesky');
    const first = await readBatches(s, undefined, context);
    const firstPoll = peer.requests.map((r) => r.nsid);
    peer.state.requests.length = 0;
    const second = await readBatches(s, lastCursor(first, undefined), context);
    const steadyPoll = peer.requests.map((r) => r.nsid);
    peer.state.requests.length = 0;
    const someone = peer.addAccount({ handle: 'someone.bsky.social', followers: 5 });
    await peer.addPost({ author: someone, text: 'Parcelly news', indexedAt: new Date().toISOString() });
    await readBatches(s, lastCursor(second, lastCursor(first, undefined)), context);
    const pollWithNewAuthor = peer.requests.map((r) => r.nsid);

    expect(firstPoll).toEqual([LOGIN, NOTIFICATIONS, SEARCH, PROFILES]);
    expect(steadyPoll).toEqual([NOTIFICATIONS, SEARCH]);
    expect(pollWithNewAuthor).toEqual([NOTIFICATIONS, SEARCH, PROFILES]);
    console.info(`bluesky requests per poll (default config, 1 brand name): first ${firstPoll.length}, steady ${steadyPoll.length}, with a new author ${pollWithNewAuthor.length}`);
  });
});

describe('the Bluesky reply sender', () => {
  let t: TestRedis;
  let peer: BlueskyPeer;
  let dana: PeerAccount;

  beforeEach(async () => {
    t = await openTestRedis();
    peer = await startBlueskyPeer();
    dana = peer.addAccount({ handle: 'dana.bsky.social', displayName: 'Dana Reyes', followers: 1200 });
  });
  afterEach(async () => {
    await peer.close();
    await t.cleanup();
  });

  /** Reads the mentions the source yields, with the context whose kv holds the session. */
  async function readMentions() {
    const context = aReadContext(t, 'bluesky');
    const batches = await readBatches(createBlueskySource(blueskyConfig(peer), blueskyDeps(peer)), undefined, context);
    return { context, mentions: batches.flatMap((b) => b.mentions) };
  }

  it('answers inside the thread: root from the mention, the mention as parent, on the source session', async () => {
    const root = await peer.addPost({ author: peer.brand, text: 'Parcelly 3.2 is out', indexedAt: minutesAgo(60) });
    const middle = await peer.addPost({ author: peer.addAccount({ handle: 'mo.bsky.social' }), text: 'nice', reply: { root: refTo(root), parent: refTo(root) }, indexedAt: minutesAgo(30) });
    const post = await peer.addPost({ author: dana, text: 'Parcelly 3.2 broke my labels', reply: { root: refTo(root), parent: refTo(middle) }, indexedAt: minutesAgo(5) });
    const { context, mentions } = await readMentions();
    const mention = mentions.find((m) => m.id === post.uri)!;
    const replier = createBlueskyReplier(blueskyConfig(peer), { ...blueskyDeps(peer), kv: context.kv })!;

    expect(replier.check(mention)).toEqual({ ok: true });
    const text = 'Sorry @dana.bsky.social! Steps: https://parcelly.app/help';
    const sent = await replier.reply(mention, text);

    const [create] = peer.requestsTo(CREATE);
    const body = create?.body as { repo: string; collection: string; record: Record<string, unknown> };
    expect(body.repo).toBe(peer.brand.did);
    expect(body.collection).toBe('app.bsky.feed.post');
    expect(body.record).toMatchObject({
      $type: 'app.bsky.feed.post',
      text,
      reply: { root: { uri: root.uri, cid: root.cid }, parent: { uri: post.uri, cid: post.cid } },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(body.record.facets).toMatchObject([
      { index: { byteStart: 6, byteEnd: 23 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: dana.did }] },
      { index: { byteStart: 32, byteEnd: 57 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://parcelly.app/help' }] },
    ]);
    const created = (create?.response as { uri: string }).uri;
    expect(sent).toEqual({ id: created, url: `https://bsky.app/profile/parcelly.bsky.social/post/${created.split('/').at(-1)}` });
    expect(peer.logins()).toBe(1);
  });

  it('answers a top-level post with the post itself as root and parent', async () => {
    const post = await peer.addPost({ author: dana, text: 'Is Parcelly down?', indexedAt: minutesAgo(5) });
    const { mentions } = await readMentions();
    await createBlueskyReplier(blueskyConfig(peer), blueskyDeps(peer))!.reply(mentions[0]!, 'Not down, just slow; fixing it now.');
    const record = (peer.requestsTo(CREATE)[0]?.body as { record: { reply: unknown } }).record;
    expect(record.reply).toEqual({ root: refTo(post), parent: refTo(post) });
  });

  it('is absent without the app password, and refuses what Bluesky would refuse', async () => {
    expect(createBlueskyReplier(blueskyConfig(peer), blueskyDeps(peer, ''))).toBeUndefined();
    await peer.addPost({ author: dana, text: 'Parcelly?', indexedAt: minutesAgo(5) });
    const { mentions } = await readMentions();
    const replier = createBlueskyReplier(blueskyConfig(peer), blueskyDeps(peer))!;
    expect(replier.check({ ...mentions[0]!, replyRef: undefined })).toEqual({ ok: false, reason: expect.stringMatching(/no Bluesky reply reference/) });
    expect(replier.check({ ...mentions[0]!, source: 'x' })).toEqual({ ok: false, reason: expect.stringMatching(/not a Bluesky post/) });
    await expect(replier.reply(mentions[0]!, 'x'.repeat(301))).rejects.toThrow(ReplyRefusedError);
    peer.failNext(CREATE, { status: 400, error: 'InvalidRequest', message: 'Record/text must not be longer than 300 graphemes' });
    await expect(replier.reply(mentions[0]!, 'ok')).rejects.toThrow(/Bluesky refused the reply: Record\/text/);
    expect(peer.requestsTo(CREATE)).toHaveLength(1);
  });
});
