import { ApiResponseError } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/core/mention.js';
import type { Source, SourceBatch } from '../../src/sources/source.js';
import { ReplyRefusedError, SourceBudgetError, SourceDisabledError, SourceRateLimitedError } from '../../src/sources/source-errors.js';
import { createXReplier, createXSource } from '../../src/sources/x.js';
import { createXClient } from '../../src/sources/x-client.js';
import { xConfig, xDeps } from '../peers/x/x-fixtures.js';
import { startXPeer, type XPeer } from '../peers/x/x-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext, lastCursor, readBatches } from '../support/source-context.js';

let t: TestRedis;
let peer: XPeer;
const sources: Source[] = [];
beforeAll(async () => {
  t = await openTestRedis();
});
afterAll(async () => t.cleanup());
beforeEach(async () => {
  peer = await startXPeer();
});
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close?.()));
  await peer.close();
});

function aSource(overrides: Record<string, unknown> = {}, env: Record<string, string | undefined> = {}, on: XPeer = peer) {
  const config = xConfig(on, overrides);
  const source = createXSource(config, xDeps(on, env));
  sources.push(source);
  return { source, config, ctx: aReadContext(t, config.name) };
}

/** The same source after a restart: a new instance with the same name (same kv). */
function restarted(config: ReturnType<typeof xConfig>) {
  const source = createXSource(config, xDeps(peer));
  sources.push(source);
  return source;
}

const idsOf = (batches: SourceBatch[]) => batches.flatMap((b) => b.mentions.map((m) => m.id));
const sorted = (ids: string[]) => [...ids].sort();

async function readError(source: Source, cursor: string | undefined, ctx: ReturnType<typeof aReadContext>) {
  const batches: SourceBatch[] = [];
  try {
    for await (const batch of source.read(cursor, ctx)) batches.push(batch);
  } catch (error) {
    return { batches, error: error as Error };
  }
  throw new Error(`read ended without an error after ${batches.length} batches`);
}

describe('the X source, polling', () => {
  it('pages through the mentions timeline and the search, one batch per page, each post once', async () => {
    const mentioning = peer.addPosts(150, (i) => ({ text: `@parcelly where is parcel ${i}?` }));
    const naming = peer.addPosts(120, (i) => ({ author: `shopper_${i}`, text: `Parcel Ly lost box ${i}` }));
    const { source, ctx } = aSource();

    const batches = await readBatches(source, undefined, ctx);

    // Mentions timeline: 100 + 50; search (matches all 270, 150 already yielded): 3 pages, 120 new.
    expect(batches).toHaveLength(5);
    expect(batches.slice(0, 2).map((b) => b.mentions.length)).toEqual([100, 50]);
    expect(idsOf(batches.slice(2))).toHaveLength(120);
    expect(sorted(idsOf(batches))).toEqual(sorted([...mentioning, ...naming].map((p) => p.id)));
    const mentionsReqs = peer.requestsTo('GET', /\/mentions$/);
    expect(mentionsReqs.map((r) => r.query.pagination_token ?? null)).toEqual([null, expect.any(String)]);
    const searches = peer.requestsTo('GET', /search\/recent$/);
    expect(searches).toHaveLength(3);
    expect(new Set(searches.map((r) => r.query.start_time)).size).toBe(1);
    expect(searches.map((r) => r.query.since_id)).toEqual([undefined, undefined, undefined]);
    expect(peer.requestsTo('GET', /users\/by\/username\/parcelly$/)).toHaveLength(1);
  });

  it('asks X with the default query, fields and expansions, and looks the account up only once', async () => {
    peer.addPost({ author: 'dana', text: '@parcelly hello' });
    const { source, config, ctx } = aSource();
    await readBatches(source, undefined, ctx);
    await readBatches(restarted(config), undefined, ctx);

    const [search] = peer.requestsTo('GET', /search\/recent$/);
    expect(search?.query).toMatchObject({
      query: '("Parcelly" OR "Parcel Ly") -from:parcelly',
      max_results: '100',
      expansions: 'author_id,referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id,entities.mentions.username',
      'user.fields': 'public_metrics,verified,verified_type,name,username',
    });
    expect(search?.query['tweet.fields']).toContain('created_at,lang,entities,conversation_id,referenced_tweets,in_reply_to_user_id,author_id');
    expect(search?.headers.authorization).toBe(`Bearer ${peer.bearerToken}`);
    expect(peer.requestsTo('GET', new RegExp(`/2/users/${peer.owner.id}/mentions$`))).toHaveLength(2);
    expect(peer.requestsTo('GET', /users\/by\/username/)).toHaveLength(1);
  });

  it("starts the next poll after the first page's newest id, and a post that arrived while paging is read then", async () => {
    peer.addPosts(130, (i) => ({ text: `Parcel Ly question ${i}` }));
    const { source, ctx } = aSource({ mentions: false });
    const firstRound: SourceBatch[] = [];
    for await (const batch of source.read(undefined, ctx)) {
      firstRound.push(batch);
      if (firstRound.length === 1) peer.addPost({ author: 'late', text: 'Parcel Ly arrived while paging', createdAt: new Date() });
    }
    const newestOfFirstPage = (peer.requestsTo('GET', /search\/recent$/)[0]?.response as { meta: { newest_id: string } }).meta.newest_id;
    const fresh = peer.addPost({ author: 'later', text: 'Parcel Ly next poll', createdAt: new Date() });

    const second = await readBatches(source, lastCursor(firstRound, undefined), ctx);

    expect(idsOf(firstRound)).toHaveLength(130);
    const [poll2] = peer.requestsTo('GET', /search\/recent$/).slice(2);
    expect(poll2?.query.since_id).toBe(newestOfFirstPage);
    expect(poll2?.query.start_time).toBeUndefined();
    expect(second.flatMap((b) => b.mentions.map((m) => m.text))).toEqual([fresh.text, 'Parcel Ly arrived while paging']);
  });

  it('resumes mid-pagination from the stored cursor after a restart: nothing lost, nothing repeated', async () => {
    const posts = peer.addPosts(250, (i) => ({ text: `Parcelly review ${i}` }));
    const { source, config, ctx } = aSource({ mentions: false });
    const before: SourceBatch[] = [];
    for await (const batch of source.read(undefined, ctx)) {
      before.push(batch);
      break; // the process stops after enqueueing page 1
    }
    const cursor = lastCursor(before, undefined);

    const after = await readBatches(restarted(config), cursor, ctx);

    const searches = peer.requestsTo('GET', /search\/recent$/);
    expect(searches.map((r) => Boolean(r.query.next_token))).toEqual([false, true, true]);
    expect(searches[1]?.query.start_time).toBe(searches[0]?.query.start_time);
    const firstIds = idsOf(before);
    const laterIds = idsOf(after);
    expect(firstIds.filter((id) => laterIds.includes(id))).toEqual([]);
    expect(sorted([...firstIds, ...laterIds])).toEqual(sorted(posts.map((p) => p.id)));
    const next = await readBatches(restarted(config), lastCursor(after, cursor), ctx);
    expect(peer.requestsTo('GET', /search\/recent$/).at(-1)?.query.since_id).toBe(posts.at(-1)?.id);
    expect(idsOf(next)).toEqual([]);
  });

  it('yields a post found by both the mentions timeline and a search once, billed once', async () => {
    const posts = peer.addPosts(3, (i) => ({ text: `@parcelly Parcelly app crashed ${i}` }));
    const { source, ctx } = aSource();
    const batches = await readBatches(source, undefined, ctx);
    expect(sorted(idsOf(batches))).toEqual(sorted(posts.map((p) => p.id)));
    expect(batches.map((b) => b.mentions.length)).toEqual([3, 0]);
    const spent = await source.describe!(ctx.kv);
    expect(peer.bill()).toMatchObject({ ownedReads: 3, postReads: 0, userReads: 4 });
    expect(spent).toMatchObject({ ownedReadsThisMonth: 3, postReadsThisMonth: 0, userReadsThisMonth: 4, spentUsdThisMonth: peer.bill().usd });
  });

  it('maps author, followers, verified, language, links, replies, quotes and whether the post addresses the brand', async () => {
    peer.addUser({ username: 'bigshop', name: 'Big Shop Ltd', followers: 12000, verified: false, verifiedType: 'business' });
    peer.addUser({ username: 'plain', followers: 7 });
    const brandPost = peer.addPost({ author: 'parcelly', text: 'Parcelly: new label printer support is live' });
    const atBrand = peer.addPost({ author: 'bigshop', text: '@parcelly labels print blank & I have 40 <urgent> parcels', urls: ['https://example.com/screenshot'], lang: 'en' });
    const reply = peer.addPost({ author: 'plain', text: 'Parcelly thanks, that fixed it', replyTo: brandPost.id, lang: 'de' });
    const quote = peer.addPost({ author: 'plain', text: 'Parcelly finally! ' + 'x'.repeat(300), quote: brandPost.id, lang: 'und' });
    const aside = peer.addPost({ author: 'plain', text: 'I tried Parcelly once' });
    peer.addPost({ author: 'plain', text: `RT @bigshop: ${atBrand.text}`, retweetOf: atBrand.id });
    const { source, ctx } = aSource({ queries: ['Parcelly'] });

    const mentions = new Map<string, Mention>((await readBatches(source, undefined, ctx)).flatMap((b) => b.mentions).map((m) => [m.id, m]));

    expect([...mentions.keys()].sort()).toEqual(sorted([atBrand.id, reply.id, quote.id, aside.id]));
    expect(mentions.get(atBrand.id)).toEqual({
      source: 'x',
      id: atBrand.id,
      text: '@parcelly labels print blank & I have 40 <urgent> parcels',
      url: `https://x.com/bigshop/status/${atBrand.id}`,
      createdAt: atBrand.createdAt,
      author: { handle: 'bigshop', name: 'Big Shop Ltd', followers: 12000, id: expect.any(String), verified: true },
      language: 'en',
      links: ['https://example.com/screenshot'],
      addressesBrand: true,
      replyRef: { conversationId: atBrand.id },
    });
    expect(mentions.get(reply.id)).toMatchObject({ inReplyTo: { id: brandPost.id, handle: 'parcelly' }, addressesBrand: true, language: 'de', author: { handle: 'plain', followers: 7, verified: false } });
    expect(mentions.get(quote.id)).toMatchObject({ addressesBrand: true, text: quote.text });
    expect(mentions.get(quote.id)?.language).toBeUndefined();
    expect(mentions.get(aside.id)?.addressesBrand).toBe(false);
  });

  it('rejects a malformed post with the reason and the raw JSON, and goes on with the page', async () => {
    const good = peer.addPost({ author: 'dana', text: 'Parcelly is fine' });
    const noText = peer.addPost({ author: 'eli', text: 'Parcelly text gone', corrupt: ({ text: _t, ...rest }) => rest });
    const noAuthor = peer.addPost({ author: 'fay', text: 'Parcelly author hidden', hideAuthor: true });
    peer.addPost({ author: 'gus', text: 'Parcelly numeric id', corrupt: (json) => ({ ...json, id: Number(json.id) }) });
    const good2 = peer.addPost({ author: 'hal', text: 'Parcelly is great' });
    const { source, config, ctx } = aSource({ mentions: false });

    const [batch] = await readBatches(source, undefined, ctx);

    expect(batch?.mentions.map((m) => m.id).sort()).toEqual(sorted([good.id, good2.id]));
    const at = `${config.name}:search "("Parcelly" OR "Parcel Ly") -from:parcelly" page 1`;
    expect(batch?.rejects).toEqual(
      expect.arrayContaining([
        { at, reason: `post ${noText.id} has no text`, raw: expect.stringContaining(`"id":"${noText.id}"`) },
        { at, reason: `post ${noAuthor.id}: its author ${noAuthor.authorId} is not in includes.users`, raw: expect.stringContaining('author hidden') },
        { at, reason: expect.stringMatching(/^post has no id \(expected a string of digits, got \d+\)$/), raw: expect.stringContaining('numeric id') },
      ]),
    );
    expect(batch?.rejects).toHaveLength(3);
  });
});

describe('the X peer, as the real client meets it', () => {
  it('refuses what X refuses: max_results outside 10–100, a query over 512 characters, an unknown page token', async () => {
    const { api } = createXClient({ apiUrl: peer.apiUrl, token: peer.bearerToken });
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ApiResponseError ? `${e.code} ${JSON.stringify(e.data)}` : String(e)));
    expect(await status(api.v2.search('Parcelly', { max_results: 5 }))).toMatch(/^400 .*max_results.*is not between 10 and 100/);
    expect(await status(api.v2.search('x'.repeat(513)))).toMatch(/^400 .*exceeds 512 characters/);
    expect(await status(api.v2.search('Parcelly', { next_token: 'b26v89c19zqg8o3fo7' }))).toMatch(/^400 .*next_token.*is not valid/);
    expect(await status(api.v2.search('Parcelly', { 'tweet.fields': ['created_at'], 'user.fields': 'followers' }))).toMatch(/^400 .*user\.fields/);
    expect(await status(api.v2.search('Parcelly'))).toBe(200);
  });
});

describe('the X source, errors and limits', () => {
  it('starts a round again when X no longer takes a stored page token', async () => {
    const posts = peer.addPosts(3, (i) => ({ text: `Parcelly ${i}` }));
    const { source, ctx } = aSource({ mentions: false });
    const key = `search:${'("Parcelly" OR "Parcel Ly") -from:parcelly'}`;
    const cursor = JSON.stringify({ v: 1, reads: { [key]: { startTime: new Date(Date.now() - 3_600_000).toISOString(), token: 'gone', newestId: '1' } } });
    const batches = await readBatches(source, cursor, ctx);
    expect(peer.requestsTo('GET', /search\/recent$/).map((r) => [r.status, r.query.next_token])).toEqual([[400, 'gone'], [200, undefined]]);
    expect(sorted(idsOf(batches))).toEqual(sorted(posts.map((p) => p.id)));
    expect(JSON.parse(lastCursor(batches, cursor)!).reads[key]).toEqual({ sinceId: posts.at(-1)!.id });
  });

  it('reads a query whose last post is older than the 7-day search window from the window\'s start, not from a since_id X refuses', async () => {
    const old = peer.addPost({ author: 'quiet', text: 'Parcelly once', createdAt: new Date(Date.now() - 9 * 86_400_000) });
    const fresh = peer.addPost({ author: 'back', text: 'Parcelly again' });
    const { source, ctx } = aSource({ mentions: false });
    const key = `search:${'("Parcelly" OR "Parcel Ly") -from:parcelly'}`;
    const cursor = JSON.stringify({ v: 1, reads: { [key]: { sinceId: old.id } } });
    const batches = await readBatches(source, cursor, ctx);
    const [request] = peer.requestsTo('GET', /search\/recent$/);
    expect([request?.status, request?.query.since_id, typeof request?.query.start_time]).toEqual([200, undefined, 'string']);
    expect(idsOf(batches)).toEqual([fresh.id]);
  });

  it('waits for the reset of a 429 rate limit, keeping the batches read before it', async () => {
    peer.addPost({ author: 'dana', text: '@parcelly hi' });
    const resetAt = Math.floor(Date.now() / 1000) + 600;
    peer.fail('search', 'rate-limited', { resetAt });
    const { source, ctx } = aSource();
    const { batches, error } = await readError(source, undefined, ctx);
    expect(error).toBeInstanceOf(SourceRateLimitedError);
    expect((error as SourceRateLimitedError).resumeAt.getTime()).toBe(resetAt * 1000);
    expect(error.message).toMatch(/recent search/);
    expect(idsOf(batches)).toHaveLength(1);
  });

  it('stops before a request it knows the window has no room for', async () => {
    peer.addPosts(150, (i) => ({ text: `Parcelly ${i}` }));
    peer.setWindow('search', { remaining: 1 });
    const { source, ctx } = aSource({ mentions: false });
    const { batches, error } = await readError(source, undefined, ctx);
    expect(error).toBeInstanceOf(SourceRateLimitedError);
    expect(batches).toHaveLength(1);
    expect(peer.requestsTo('GET', /search\/recent$/).map((r) => r.status)).toEqual([200]);
  });

  it("pauses until next month on X's usage cap (429 usage-capped) and on spent credits (402)", async () => {
    const { source, ctx } = aSource({ mentions: false });
    peer.fail('search', 'usage-capped');
    const capped = await readError(source, undefined, ctx);
    expect(capped.error).toBeInstanceOf(SourceBudgetError);
    const now = new Date();
    expect((capped.error as SourceBudgetError).resumeAt).toEqual(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
    expect(capped.error.message).toMatch(/usage cap/);

    peer.fail('search', 'credits-depleted');
    const broke = await readError(source, undefined, ctx);
    expect(broke.error).toBeInstanceOf(SourceBudgetError);
    expect(broke.error.message).toMatch(/credits are used up.*add credits/);
  });

  it('is disabled, naming the variable, when X refuses the bearer token (401) or there is none', async () => {
    const wrong = aSource({}, { X_BEARER_TOKEN: 'not-the-token' });
    const refused = await readError(wrong.source, undefined, wrong.ctx);
    expect(refused.error).toBeInstanceOf(SourceDisabledError);
    expect(refused.error.message).toMatch(/^X refused the bearer token in X_BEARER_TOKEN: Unauthorized/);

    const before = peer.requests.length;
    const none = aSource({ credentials: { bearerToken: 'MY_X_TOKEN' } }, { X_BEARER_TOKEN: undefined });
    const missing = await readError(none.source, undefined, none.ctx);
    expect(missing.error).toBeInstanceOf(SourceDisabledError);
    expect(missing.error.message).toMatch(/set the environment variable MY_X_TOKEN/);
    expect(peer.requests.length).toBe(before);
  });

  it('is disabled with what to fix when X answers 403', async () => {
    peer.fail('mentions', 'forbidden');
    const { source, ctx } = aSource();
    const { error } = await readError(source, undefined, ctx);
    expect(error).toBeInstanceOf(SourceDisabledError);
    expect(error.message).toMatch(/403 Client Forbidden.*client-not-enrolled.*attached to a Project.*access level/);
  });

  it('stops at the monthly budget mid-read, with the spend visible', async () => {
    peer.addPosts(250, (i) => ({ text: `Parcelly order ${i}` }));
    const { source, ctx } = aSource({ mentions: false, monthlyBudgetUsd: 1 });
    const { batches, error } = await readError(source, undefined, ctx);

    expect(batches.map((b) => b.mentions.length)).toEqual([100]);
    expect(error).toBeInstanceOf(SourceBudgetError);
    expect(error.message).toMatch(/\$1\.50 spent of \$1\.00 .*raise monthlyBudgetUsd of source "x-.*" in sources\.yaml/);
    expect(await source.describe!(ctx.kv)).toMatchObject({ spentUsdThisMonth: 1.5, budgetUsd: 1, postReadsThisMonth: 100, userReadsThisMonth: 100, xProjectUsage: 100 });
    expect(peer.bill()).toMatchObject({ postReads: 100, userReads: 100, usd: 1.5 });

    const requests = peer.requests.length;
    const again = await readError(source, lastCursor(batches, undefined), ctx);
    expect(again.error).toBeInstanceOf(SourceBudgetError);
    expect(peer.requestsTo('GET', /search\/recent$/)).toHaveLength(1);
    expect(peer.requests.length).toBe(requests);
  });

  it('bills a post read twice in one UTC day once', async () => {
    peer.addPosts(5, (i) => ({ text: `Parcelly ${i}` }));
    const { source, ctx } = aSource({ mentions: false });
    await readBatches(source, undefined, ctx);
    await readBatches(source, undefined, ctx); // from the look-back again: the same five posts
    expect(peer.requestsTo('GET', /search\/recent$/)).toHaveLength(2);
    expect(await source.describe!(ctx.kv)).toMatchObject({ postReadsThisMonth: 5, userReadsThisMonth: 5, spentUsdThisMonth: 0.075 });
    expect(peer.bill()).toMatchObject({ postReads: 5, userReads: 5, usd: 0.075 });
  });

  it('costs, per poll of the default config, 2 requests (3 on first start) and per 100 mentions what X bills', async () => {
    peer.addPosts(100, (i) => ({ text: `@parcelly help with order ${i}` }));
    const { source, ctx } = aSource();
    const first = await readBatches(source, undefined, ctx);
    const firstRequests = peer.requests.length;
    const afterFirst = await source.describe!(ctx.kv);
    peer.clearRequests();
    await readBatches(source, lastCursor(first, undefined), ctx);

    expect(idsOf(first)).toHaveLength(100);
    expect(firstRequests).toBe(3); // user lookup, mentions timeline, search
    expect(peer.requests.filter((r) => !r.path.startsWith('/2/usage'))).toHaveLength(2);
    // 100 owned reads ($0.10) + 100 authors ($1.00) + the account lookup ($0.01).
    expect(afterFirst).toMatchObject({ ownedReadsThisMonth: 100, postReadsThisMonth: 0, userReadsThisMonth: 101, spentUsdThisMonth: 1.11 });

    const other = await startXPeer();
    try {
      other.addPosts(100, (i) => ({ text: `Parcel Ly delivery ${i}` }));
      const searchOnly = aSource({ mentions: false }, {}, other);
      await readBatches(searchOnly.source, undefined, searchOnly.ctx);
      // Found by search only: 100 post reads ($0.50) + 100 authors ($1.00).
      expect(await searchOnly.source.describe!(searchOnly.ctx.kv)).toMatchObject({ postReadsThisMonth: 100, userReadsThisMonth: 100, spentUsdThisMonth: 1.5 });
      expect(other.bill()).toMatchObject({ postReads: 100, userReads: 100, usd: 1.5 });
    } finally {
      await other.close();
    }
  });
});

describe('the X replier', () => {
  async function mentionsRead() {
    const addressing = peer.addPost({ author: 'dana', text: '@parcelly my labels print blank' });
    const aside = peer.addPost({ author: 'eli', text: 'Parcelly labels print blank for me too' });
    const { source, ctx } = aSource();
    const all = (await readBatches(source, undefined, ctx)).flatMap((b) => b.mentions);
    return { addressing: all.find((m) => m.id === addressing.id)!, aside: all.find((m) => m.id === aside.id)! };
  }

  it('posts the reply as X receives it and links to it', async () => {
    const { addressing } = await mentionsRead();
    const replier = createXReplier(xConfig(peer), xDeps(peer))!;
    expect(replier.check(addressing)).toEqual({ ok: true });

    const sent = await replier.reply(addressing, 'Sorry Dana, we are on it: check your DMs');

    const [request] = peer.requestsTo('POST', /^\/2\/tweets$/);
    expect(request?.body).toEqual({ text: 'Sorry Dana, we are on it: check your DMs', reply: { in_reply_to_tweet_id: addressing.id } });
    expect(request?.headers.authorization).toMatch(/^OAuth oauth_consumer_key="peer-app-key"/);
    expect(request?.status).toBe(201);
    expect(sent).toEqual({ id: peer.sent()[0]!.id, url: `https://x.com/parcelly/status/${peer.sent()[0]!.id}` });
  });

  it('refuses, without asking X, a post that does not address the brand; X refuses one that only claims to', async () => {
    const { aside } = await mentionsRead();
    const replier = createXReplier(xConfig(peer), xDeps(peer))!;
    const verdict = replier.check(aside);
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(/only to posts that @mention or quote @parcelly.*copy and paste/) });
    await expect(replier.reply(aside, 'hi')).rejects.toBeInstanceOf(ReplyRefusedError);
    expect(peer.requestsTo('POST', /^\/2\/tweets$/)).toHaveLength(0);

    const refused = replier.reply({ ...aside, addressesBrand: true }, 'hi');
    await expect(refused).rejects.toThrow(ReplyRefusedError);
    await expect(refused).rejects.toThrow(/X refused this reply \(Forbidden: Reply to this conversation is not allowed/);
    expect(peer.sent()).toEqual([]);
  });

  it('is told when X refuses the write credentials (the peer checks the OAuth 1.0a signature)', async () => {
    const { addressing } = await mentionsRead();
    const replier = createXReplier(xConfig(peer), xDeps(peer, { X_ACCESS_SECRET: 'not-the-secret' }))!;
    await expect(replier.reply(addressing, 'hi')).rejects.toThrow(/refused the brand account's write credentials .*X_ACCESS_SECRET/);
    expect(peer.requestsTo('POST', /^\/2\/tweets$/).map((r) => r.status)).toEqual([401]);
  });

  it('exists only when all four OAuth 1.0a variables are set', () => {
    expect(createXReplier(xConfig(peer), xDeps(peer, { X_ACCESS_SECRET: undefined }))).toBeUndefined();
    expect(createXReplier(xConfig(peer), xDeps(peer))).toBeDefined();
  });
});
