import pino from 'pino';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrandConfig } from '../../src/config/schema.js';
import { mastodonSourceSchema, type MastodonSourceConfig } from '../../src/config/source-schemas.js';
import type { Mention } from '../../src/core/mention.js';
import { parseMention } from '../../src/core/parse-mention.js';
import { createMastodonSource } from '../../src/sources/mastodon.js';
import { createMastodonReplier } from '../../src/sources/mastodon-replier.js';
import type { ReadContext, Source, SourceBatch, SourceDeps } from '../../src/sources/source.js';
import { ReplyRefusedError, SourceDisabledError, SourceRateLimitedError } from '../../src/sources/source-errors.js';
import { startMastodonPeer, type MastodonPeer, type MastodonPeerOptions, type StatusJson } from '../peers/mastodon/mastodon-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext, lastCursor, readBatches } from '../support/source-context.js';

const brand: BrandConfig = { name: 'Parcelly', names: ['Parcelly', 'Parcelly App'], handles: ['parcelly', 'parcelly@social.test'] };
const HOUR = 3600_000;

let t: TestRedis;
let peer: MastodonPeer;
let sourceNo = 0;
beforeAll(async () => {
  t = await openTestRedis();
});
afterAll(async () => t.cleanup());
afterEach(async () => peer?.close());

async function aPeer(options: MastodonPeerOptions = {}): Promise<MastodonPeer> {
  peer = await startMastodonPeer(options);
  return peer;
}

type Config = MastodonSourceConfig & { name: string };

function aConfig(overrides: Record<string, unknown> = {}): Config {
  sourceNo += 1;
  return { ...mastodonSourceSchema.parse({ type: 'mastodon', instance: peer.url, ...overrides }), name: `mastodon:test-${sourceNo}` };
}

function depsWith(env: Record<string, string | undefined> = { MASTODON_ACCESS_TOKEN: peer.token }, log = pino({ level: 'silent' })): SourceDeps {
  return { brand, secret: (name) => env[name] || undefined, log };
}

function aSource(overrides: Record<string, unknown> = {}, env?: Record<string, string | undefined>): Source {
  return createMastodonSource(aConfig(overrides), depsWith(env));
}

function contextFor(source: Source, extra: Partial<ReadContext> = {}): ReadContext {
  return { ...aReadContext(t, source.name), ...extra };
}

const idsOf = (batches: SourceBatch[]) => batches.flatMap((b) => b.mentions.map((m) => m.id));

async function firstBatch(source: Source, cursor: string | undefined): Promise<SourceBatch> {
  for await (const batch of source.read(cursor, contextFor(source))) return batch;
  throw new Error('the read yielded no batch');
}

async function readUntilError(source: Source, cursor: string | undefined): Promise<{ batches: SourceBatch[]; error: unknown }> {
  const batches: SourceBatch[] = [];
  try {
    for await (const batch of source.read(cursor, contextFor(source))) batches.push(batch);
  } catch (error) {
    return { batches, error };
  }
  return { batches, error: undefined };
}

/** Posts `n` statuses in a hashtag by different remote authors, oldest first (ids follow the order posted). */
function postMany(n: number, tag = 'parcelly'): StatusJson[] {
  return Array.from({ length: n }, (_, i) => peer.post({ author: `fan${i}@other.example`, text: `parcel ${i}`, tags: [tag] }));
}

describe('the Mastodon source', () => {
  it("reads the brand account's mention notifications and each hashtag, as mentions with the post's global id", async () => {
    await aPeer();
    const asked = peer.post({ author: 'ana@other.example', text: 'where is my parcel?', mentions: ['parcelly'], account: { display_name: 'Ana Ruiz', followers_count: 312 } });
    const local = peer.post({ author: 'wren', text: 'label printer fixed', tags: ['Parcelly'] });
    const remote = peer.post({ author: 'kim@far.example', text: 'love the app', tags: ['parcellyapp'], language: 'de' });
    const source = aSource();
    const batches = await readBatches(source, undefined, contextFor(source));

    expect(idsOf(batches)).toEqual([asked.uri, local.uri, remote.uri]);
    const mention = batches[0]!.mentions[0]!;
    expect(mention).toEqual({
      source: 'mastodon',
      id: 'https://other.example/users/ana/statuses/100000',
      text: '@parcelly where is my parcel?',
      url: 'https://other.example/@ana/100000',
      createdAt: asked.created_at,
      author: { handle: 'ana@other.example', name: 'Ana Ruiz', followers: 312, id: asked.account.id },
      language: 'en',
      links: [],
      addressesBrand: true,
      replyRef: { instance: peer.url, statusId: asked.id, acct: 'ana@other.example', visibility: 'public' },
    } satisfies Mention);
    expect(batches.flatMap((b) => b.mentions).every((m) => parseMention(m).ok)).toBe(true);
    expect(batches.flatMap((b) => b.mentions).find((m) => m.id === local.uri)?.addressesBrand).toBe(false);

    const notifications = peer.requestsTo('GET', /^\/api\/v1\/notifications$/);
    expect(notifications.map((r) => [r.query['types[]'], r.query.limit, r.headers.authorization])).toEqual([['mention', '80', `Bearer ${peer.token}`]]);
    const tags = peer.requestsTo('GET', /^\/api\/v1\/timelines\/tag\//);
    expect(tags.map((r) => [r.path, r.query.limit])).toEqual([
      ['/api/v1/timelines/tag/parcelly', '40'],
      ['/api/v1/timelines/tag/parcellyapp', '40'],
    ]);
  });

  it('pages a busy hashtag back on first start and forward afterwards, one batch per page', async () => {
    await aPeer();
    const first = postMany(95);
    const source = aSource({ notifications: false });
    const back = await readBatches(source, undefined, contextFor(source));
    expect(back.map((b) => b.mentions.length)).toEqual([40, 40, 15]);
    expect(new Set(idsOf(back))).toEqual(new Set(first.map((s) => s.uri)));
    expect(peer.requestsTo('GET', /tag\/parcelly$/).map((r) => r.query.max_id ?? null)).toEqual([null, first[55]!.id, first[15]!.id]);

    peer.clearRequests();
    const later = postMany(95);
    const forward = await readBatches(source, lastCursor(back, undefined), contextFor(source));
    expect(forward.map((b) => b.mentions.length)).toEqual([40, 40, 15]);
    expect(idsOf(forward)).toEqual([...later.slice(0, 40).reverse(), ...later.slice(40, 80).reverse(), ...later.slice(80).reverse()].map((s) => s.uri));
    // Each page after the first follows the Link rel="prev" of the one before: min_id = its newest id.
    expect(peer.requestsTo('GET', /tag\/parcelly$/).map((r) => r.query.min_id)).toEqual([first.at(-1)!.id, later[39]!.id, later[79]!.id]);
  });

  it('resumes after a crash mid-pagination with nothing lost and nothing repeated', async () => {
    await aPeer();
    const first = postMany(95);
    const source = aSource({ notifications: false });
    // Crash after the first batch of the walk back: its cursor is all the scheduler stored.
    const crashed = await firstBatch(source, undefined);
    const meanwhile = postMany(3);
    const resumed = await readBatches(source, crashed.cursor, contextFor(source));
    const delivered = [...crashed.mentions.map((m) => m.id), ...idsOf(resumed)];
    expect(delivered.length).toBe(new Set(delivered).size);
    expect(new Set(delivered)).toEqual(new Set(first.map((s) => s.uri)));
    // What arrived during the walk comes with the next poll, from the newest id seen at the start.
    const next = await readBatches(source, lastCursor(resumed, crashed.cursor), contextFor(source));
    expect(idsOf(next)).toEqual(meanwhile.map((s) => s.uri).reverse());

    // The same going forward.
    const later = postMany(95);
    const crashedForward = await firstBatch(source, lastCursor(next, undefined));
    const resumedForward = await readBatches(source, crashedForward.cursor, contextFor(source));
    const forward = [...crashedForward.mentions.map((m) => m.id), ...idsOf(resumedForward)];
    expect(forward.length).toBe(new Set(forward).size);
    expect(new Set(forward)).toEqual(new Set(later.map((s) => s.uri)));
  });

  it('stops between pages when the service stops', async () => {
    await aPeer();
    postMany(95);
    const source = aSource({ notifications: false });
    const stopping = new AbortController();
    const batches: SourceBatch[] = [];
    for await (const batch of source.read(undefined, contextFor(source, { signal: stopping.signal }))) {
      batches.push(batch);
      stopping.abort();
    }
    expect(batches.map((b) => b.mentions.length)).toEqual([40]);
    expect(peer.requestsTo('GET', /timelines\/tag/)).toHaveLength(1);
  });

  it('asks the next poll with min_id = the newest ids stored by the last one', async () => {
    await aPeer();
    const mentioned = peer.post({ author: 'ana@other.example', text: 'hello', mentions: ['parcelly'] });
    const tagged = postMany(2);
    const source = aSource();
    const cursor = lastCursor(await readBatches(source, undefined, contextFor(source)), undefined);
    peer.clearRequests();
    expect(await readBatches(source, cursor, contextFor(source))).toEqual([]);
    const notificationId = peer.requestsTo('GET', /notifications/)[0]?.query.min_id;
    expect(notificationId).toBeDefined();
    expect(BigInt(notificationId as string)).toBeGreaterThanOrEqual(BigInt(mentioned.id));
    expect(peer.requestsTo('GET', /timelines\/tag/).map((r) => [r.path.split('/').at(-1), r.query.min_id ?? null])).toEqual([
      ['parcelly', tagged[1]!.id],
      ['parcellyapp', null],
    ]);
  });

  it('on first start reads only the look-back and stops paging at it', async () => {
    await aPeer();
    for (let i = 0; i < 50; i++) peer.post({ author: `old${i}@other.example`, text: 'old news', tags: ['parcelly'], createdAt: new Date(Date.now() - 30 * HOUR - i * 60_000) });
    const fresh = postMany(3);
    const source = aSource({ notifications: false, hashtags: ['parcelly'], lookbackHours: 24 });
    const batches = await readBatches(source, undefined, contextFor(source));
    expect(idsOf(batches)).toEqual(fresh.map((s) => s.uri).reverse());
    expect(peer.requestsTo('GET', /timelines\/tag/)).toHaveLength(1);
    // The cursor already points forward: the next poll reads only what is newer.
    peer.clearRequests();
    await readBatches(source, lastCursor(batches, undefined), contextFor(source));
    expect(peer.requestsTo('GET', /timelines\/tag/)[0]?.query.min_id).toBe(fresh[2]!.id);
  });

  it('makes one mention of a post seen through two hashtags and a notification', async () => {
    await aPeer();
    const status = peer.post({ author: 'ana@other.example', text: 'help', mentions: ['parcelly'], tags: ['parcelly', 'parcellyapp'] });
    const source = aSource();
    const batches = await readBatches(source, undefined, contextFor(source));
    expect(batches.flatMap((b) => b.mentions).map((m) => [m.id, m.addressesBrand])).toEqual([[status.uri, true]]);
    expect(peer.requestsTo('GET', /timelines\/tag\//).map((r) => r.response)).toEqual([[status], [status]]);
  });

  it('turns the HTML into text and keeps only the links the author shared', async () => {
    await aPeer();
    const html =
      '<p>Hi <span class="h-card" translate="no"><a href="https://social.test/@parcelly" class="u-url mention">@<span>parcelly</span></a></span> my parcel &amp; the box &lt;3 didn&#39;t arrive&nbsp;&#x1F4E6;</p>' +
      '<p>Line one<br />line two<br>line three</p>' +
      '<p>Tracking: <a href="https://track.example/parcel?id=42&amp;ref=m" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://</span><span class="ellipsis">track.example/parcel?id=42&amp;</span><span class="invisible">ref=m</span></a> <a href="https://other.example/tags/parcelly" class="mention hashtag" rel="tag">#<span>parcelly</span></a></p>' +
      '<script>alert("x")</script><style>p{color:red}</style><p><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">click</a> <iframe src="https://evil.example/"></iframe><b onclick="x()">bold</b></p>';
    peer.post({ author: 'ana@other.example', html, mentions: ['parcelly'], tags: ['parcelly'], spoilerText: 'parcel rant', card: { url: 'https://track.example/parcel?id=42&ref=m' } });
    peer.post({ author: 'kim@other.example', text: 'see', tags: ['parcelly'], card: { url: 'https://blog.example/post', title: 'A post' } });
    const source = aSource({ notifications: false, hashtags: ['parcelly'] });
    const [card, rant] = (await readBatches(source, undefined, contextFor(source))).flatMap((b) => b.mentions);
    expect(card?.links).toEqual(['https://blog.example/post']);
    expect(rant?.text).toBe(
      "parcel rant\n\nHi @parcelly my parcel & the box <3 didn't arrive\u00a0📦\nLine one\nline two\nline three\nTracking: https://track.example/parcel?id=42&ref=m #parcelly\nclick bold",
    );
    expect(rant?.links).toEqual(['https://track.example/parcel?id=42&ref=m']);
  });

  it('writes handles as user@host, local and remote, with the display name or else the username', async () => {
    await aPeer();
    peer.post({ author: 'wren', text: 'local', tags: ['parcelly'], account: { display_name: '' } });
    peer.post({ author: 'ana@other.example', text: 'remote', tags: ['parcelly'], account: { display_name: ' Ana ' } });
    const source = aSource({ notifications: false, hashtags: ['parcelly'] });
    const authors = (await readBatches(source, undefined, contextFor(source))).flatMap((b) => b.mentions.map((m) => [m.author.handle, m.author.name, m.replyRef?.acct]));
    expect(authors).toEqual([
      ['ana@other.example', 'Ana', 'ana@other.example'],
      ['wren@social.test', 'wren', 'wren'],
    ]);
    // The account domain comes from /api/v2/instance (not the 127.0.0.1 address it is reached at), asked once.
    await readBatches(source, undefined, contextFor(source));
    expect(peer.requestsTo('GET', /\/api\/v2\/instance/)).toHaveLength(1);
  });

  it("skips the brand's own posts and records what a reply answers", async () => {
    await aPeer();
    const own = peer.post({ author: 'parcelly', text: 'We ship on Sundays now', tags: ['parcelly'] });
    const reply = peer.post({ author: 'ana@other.example', text: 'since when?', tags: ['parcelly'], mentions: ['parcelly'], inReplyTo: own });
    const thread = peer.post({ author: 'ana@other.example', text: 'also this', tags: ['parcelly'], inReplyTo: reply });
    const source = aSource({ notifications: false, hashtags: ['parcelly'] });
    const mentions = (await readBatches(source, undefined, contextFor(source))).flatMap((b) => b.mentions);
    expect(mentions.map((m) => [m.id, m.inReplyTo, m.addressesBrand])).toEqual([
      [thread.uri, { id: reply.id, handle: 'ana@other.example' }, false],
      [reply.uri, { id: own.id, handle: 'parcelly@social.test' }, true],
    ]);
  });

  it('rejects a malformed status with the reason, reads the rest, and reads a reblog as the status reblogged', async () => {
    await aPeer();
    const good = peer.post({ author: 'ana@other.example', text: 'fine', tags: ['parcelly'] });
    const noAccount = peer.post({ author: 'bo@other.example', text: 'x', tags: ['parcelly'], mangle: ({ account: _, ...rest }) => rest });
    const noContent = peer.post({ author: 'cy@other.example', text: 'x', tags: ['parcelly'], mangle: (s) => ({ ...s, content: null }) });
    const original = peer.post({ author: 'di@other.example', text: 'original words', tags: [] });
    const reblog = peer.post({ author: 'ed@other.example', text: '', tags: ['parcelly'], mangle: (s) => ({ ...s, content: '', reblog: original }) });
    const source = aSource({ notifications: false, hashtags: ['parcelly'] });
    const batches = await readBatches(source, undefined, contextFor(source));
    expect(idsOf(batches)).toEqual([original.uri, good.uri]);
    expect(batches.flatMap((b) => b.mentions)[0]?.text).toBe('original words');
    const rejects = batches.flatMap((b) => b.rejects);
    expect(rejects.map((r) => [r.at, r.reason])).toEqual([
      [`mastodon ${peer.url} #parcelly id ${noContent.id}`, expect.stringMatching(/^not a readable status: content: /)],
      [`mastodon ${peer.url} #parcelly id ${noAccount.id}`, expect.stringMatching(/^not a readable status: account: /)],
    ]);
    expect(JSON.parse(rejects[1]!.raw)).toMatchObject({ id: noAccount.id, uri: noAccount.uri });
    // The cursor moved past the rejects: the next poll starts above the newest of them.
    peer.clearRequests();
    await readBatches(source, lastCursor(batches, undefined), contextFor(source));
    expect(peer.requestsTo('GET', /timelines\/tag/)[0]?.query.min_id).toBe(reblog.id);
  });

  it('stops on a 429 with the reset time Mastodon gave, keeping the batches already read', async () => {
    // The peer's clock runs an hour ahead, so its reset time is always in our future.
    await aPeer({ now: () => new Date(Date.now() + HOUR) });
    const mentioned = peer.post({ author: 'ana@other.example', text: 'hello', mentions: ['parcelly'] });
    peer.failNext({ status: 429, path: /timelines\/tag\/parcelly$/ });
    const { batches, error } = await readUntilError(aSource(), undefined);
    expect(idsOf(batches)).toEqual([mentioned.uri]);
    expect(error).toBeInstanceOf(SourceRateLimitedError);
    const reset = peer.requestsTo('GET', /timelines\/tag\/parcelly$/)[0]!.responseHeaders['x-ratelimit-reset']!;
    expect(reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect((error as SourceRateLimitedError).resumeAt.getTime()).toBe(Date.parse(reset));
    expect(JSON.parse(batches[0]!.cursor).notifications).toEqual({ min: expect.any(String) });
  });

  it('is disabled by a refused token, naming the variable and the scopes it needs', async () => {
    await aPeer();
    peer.failNext({ status: 401, path: /notifications/ });
    const { error } = await readUntilError(aSource(), undefined);
    expect(error).toBeInstanceOf(SourceDisabledError);
    expect((error as Error).message).toMatch(/HTTP 401: The access token is invalid; the access token in MASTODON_ACCESS_TOKEN was refused/);
    expect((error as Error).message).toContain('read:notifications read:statuses');

    // A real 403: a token without the read scopes.
    await peer.close();
    await aPeer({ tokens: { 'write-only': ['write:statuses'] } });
    const scoped = await readUntilError(aSource({}, { MASTODON_ACCESS_TOKEN: 'write-only' }), undefined);
    expect(scoped.error).toBeInstanceOf(SourceDisabledError);
    expect((scoped.error as Error).message).toMatch(/notifications: HTTP 403: This action is outside the authorized scopes/);
  });

  it('without the access token reads the hashtags only, anonymously, and warns once', async () => {
    await aPeer();
    peer.post({ author: 'ana@other.example', text: 'hello', mentions: ['parcelly'] });
    const tagged = peer.post({ author: 'kim@other.example', text: 'tagged', tags: ['parcelly'] });
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const source = createMastodonSource(aConfig(), depsWith({}));
    const batches = await readBatches(source, undefined, contextFor(source, { log }));
    await readBatches(source, lastCursor(batches, undefined), contextFor(source, { log }));
    expect(idsOf(batches)).toEqual([tagged.uri]);
    expect(peer.requestsTo('GET', /notifications/)).toEqual([]);
    expect(peer.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(lines.map((l) => JSON.parse(l)).map((r) => [r.msg, r.env])).toEqual([["access token not set: reading hashtags only, not the brand account's mentions", 'MASTODON_ACCESS_TOKEN']]);

    // An instance that shows hashtags only to signed-in users says which variable to set.
    await peer.close();
    await aPeer({ tagsNeedToken: true });
    const { error } = await readUntilError(createMastodonSource(aConfig(), depsWith({})), undefined);
    expect((error as Error).message).toMatch(/#parcelly: HTTP 401.*set MASTODON_ACCESS_TOKEN/);
  });

  it('without an instance, the first read says what to set', async () => {
    await aPeer();
    const source = createMastodonSource({ ...aConfig(), instance: undefined }, { ...depsWith(), brand: { ...brand, handles: ['parcelly'] } });
    const { error } = await readUntilError(source, undefined);
    expect(error).toBeInstanceOf(SourceDisabledError);
    expect((error as Error).message).toMatch(/Set `instance`.*brand's Mastodon handle as user@instance/);
    expect(peer.requests).toEqual([]);
  });

  it('costs one request per timeline per quiet poll with the default config', async () => {
    await aPeer();
    peer.post({ author: 'ana@other.example', text: 'hello', mentions: ['parcelly'], tags: ['parcelly'] });
    const source = aSource();
    const cursor = lastCursor(await readBatches(source, undefined, contextFor(source)), undefined);
    const firstPoll = peer.requests.length;
    peer.clearRequests();
    peer.post({ author: 'kim@other.example', text: 'again', tags: ['parcellyapp'] });
    await readBatches(source, cursor, contextFor(source));
    // notifications + #parcelly + #parcellyapp; the first poll also asked /api/v2/instance once.
    expect([firstPoll, peer.requests.length]).toEqual([4, 3]);
  });
});

describe('the Mastodon replier', () => {
  async function aMentionToAnswer(input: Parameters<MastodonPeer['post']>[0]): Promise<{ mention: Mention; status: StatusJson }> {
    const status = peer.post(input);
    const source = aSource({ hashtags: ['nothing'] });
    const mention = (await readBatches(source, undefined, contextFor(source))).flatMap((b) => b.mentions).find((m) => m.id === status.uri);
    if (!mention) throw new Error('the status was not read');
    return { mention, status };
  }

  it('posts the reply in the thread, addressed to the author, as the peer receives it', async () => {
    await aPeer();
    const { mention, status } = await aMentionToAnswer({ author: 'ana@other.example', text: 'where is it?', mentions: ['parcelly'] });
    const replier = createMastodonReplier(aConfig(), depsWith())!;
    expect(replier.check(mention)).toEqual({ ok: true });
    const sent = await replier.reply(mention, 'Sorry, Ana: it left the depot this morning.');
    const [request] = peer.requestsTo('POST', /^\/api\/v1\/statuses$/);
    expect(request?.body).toEqual({ status: '@ana@other.example Sorry, Ana: it left the depot this morning.', in_reply_to_id: status.id, visibility: 'public' });
    expect(request?.headers.authorization).toBe(`Bearer ${peer.token}`);
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f]{40}$/);
    const posted = peer.posted();
    expect(sent).toEqual({ id: posted[0]!.id, url: posted[0]!.url });
    expect(posted[0]).toMatchObject({ in_reply_to_id: status.id, mentions: [{ acct: 'ana@other.example' }] });

    // Sent twice (a retry), it is posted once.
    await replier.reply(mention, 'Sorry, Ana: it left the depot this morning.');
    expect(peer.posted()).toHaveLength(1);
  });

  it('leaves an existing @mention alone and keeps a direct message direct', async () => {
    await aPeer();
    const { mention } = await aMentionToAnswer({ author: 'wren', text: 'private question', mentions: ['parcelly'], visibility: 'direct' });
    const replier = createMastodonReplier(aConfig(), depsWith())!;
    await replier.reply(mention, '@wren we answered by email');
    expect(peer.requestsTo('POST', /statuses/)[0]?.body).toMatchObject({ status: '@wren we answered by email', visibility: 'direct' });
  });

  it('refuses what it cannot answer, with the reason', async () => {
    await aPeer();
    const { mention } = await aMentionToAnswer({ author: 'ana@other.example', text: 'hi', mentions: ['parcelly'] });
    const replier = createMastodonReplier(aConfig(), depsWith())!;
    expect(replier.check({ ...mention, replyRef: undefined })).toEqual({ ok: false, reason: expect.stringMatching(/without its Mastodon status id/) });
    expect(replier.check({ ...mention, replyRef: { ...mention.replyRef, instance: 'https://other.example' } })).toEqual({
      ok: false,
      reason: expect.stringMatching(/read through https:\/\/other\.example/),
    });
    await expect(replier.reply({ ...mention, replyRef: undefined }, 'hello')).rejects.toBeInstanceOf(ReplyRefusedError);
    // Mastodon's own refusal reaches the writer.
    await expect(replier.reply(mention, 'x'.repeat(501))).rejects.toThrow(/Mastodon did not take the reply: Validation failed: Text character limit of 500 exceeded/);
    expect(peer.posted()).toEqual([]);
  });

  it('does not exist without the access token', async () => {
    await aPeer();
    expect(createMastodonReplier(aConfig(), depsWith({}))).toBeUndefined();
  });
});
