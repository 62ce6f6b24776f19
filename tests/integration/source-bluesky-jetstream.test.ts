import type { Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIRST_START_BACK_MS } from '../../src/sources/bluesky-jetstream.js';
import { createBlueskySource } from '../../src/sources/bluesky.js';
import type { ListenContext, SourceBatch } from '../../src/sources/source.js';
import { mentionFacet, refTo, startBlueskyPeer, type BlueskyPeer, type PeerAccount } from '../peers/bluesky/bluesky-peer.js';
import { blueskyConfig, blueskyDeps, captureLog, minutesAgo } from '../peers/bluesky/harness.js';
import { cidOf } from '../peers/bluesky/ids.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext } from '../support/source-context.js';

const REWIND_US = 5_000_000;

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A listener run as the scheduler runs it: deliver enqueues, then stores the cursor. */
interface Run {
  batches: SourceBatch[];
  /** The cursor the scheduler stored (after the batch was enqueued). */
  stored(): string | undefined;
  stop(): Promise<void>;
  done: Promise<void>;
}

describe('the Bluesky Jetstream listener', () => {
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

  function listen(options: { cursor?: string; deliver?: (batch: SourceBatch) => Promise<void>; idleCursorMs?: number; silenceMs?: number; log?: Logger } = {}): Run {
    const source = createBlueskySource(blueskyConfig(peer, { jetstream: { enabled: true, url: peer.jetstreamUrl } }), blueskyDeps(peer), {
      jetstream: { flushMs: 100, backoffMs: 50, idleCursorMs: options.idleCursorMs ?? 60_000, ...(options.silenceMs ? { silenceMs: options.silenceMs } : {}) },
    });
    const abort = new AbortController();
    const batches: SourceBatch[] = [];
    let stored = options.cursor;
    const context: ListenContext = {
      ...aReadContext(t, 'bluesky', { signal: abort.signal }),
      ...(options.log ? { log: options.log } : {}),
      cursor: options.cursor,
      async deliver(batch) {
        await options.deliver?.(batch);
        batches.push(batch);
        stored = batch.cursor;
      },
    };
    const done = source.listen!(context);
    return {
      batches,
      stored: () => stored,
      done,
      async stop() {
        abort.abort();
        await done;
      },
    };
  }

  const delivered = (run: Run) => run.batches.flatMap((b) => b.mentions);

  it('delivers new posts that name the brand or answer its account, with follower counts, and ignores the rest', async () => {
    const run = listen();
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    const brandPost = await peer.addPost({ author: peer.brand, text: 'Parcelly 3.2 is out', indexedAt: minutesAgo(60) });

    const naming = await peer.publish({ author: dana, text: 'parcelly lost my parcel', langs: ['en'] });
    const reply = await peer.publish({ author: dana, text: 'thanks, that fixed it', reply: { root: refTo(brandPost), parent: refTo(brandPost) } });
    const tagText = 'hey @shipdesk can you help';
    const tagged = await peer.publish({ author: dana, text: tagText, facets: [mentionFacet(tagText, 'shipdesk', peer.brand.did)] });
    await peer.publish({ author: dana, text: 'I love shipping day' });
    await peer.publish({ author: dana, text: 'parcellyx is not us' });
    await peer.publish({ author: peer.brand, text: 'Parcelly release notes' });
    const broken = await peer.publish({ author: dana, record: { $type: 'app.bsky.feed.post', text: 'Parcelly broke', createdAt: 'soon' } });
    peer.jetstream.emit({ did: dana.did, time_us: broken.event.time_us + 1, kind: 'commit', commit: { rev: '3l3qo2vutsw2b', operation: 'delete', collection: 'app.bsky.feed.post', rkey: naming.post.rkey } });
    peer.jetstream.emit({ did: dana.did, time_us: broken.event.time_us + 2, kind: 'identity', identity: { did: dana.did, handle: dana.handle, seq: 1, time: new Date().toISOString() } });

    await until(() => delivered(run).length === 3 && run.batches.some((b) => b.rejects.length), 'three mentions and a reject');
    await run.stop();

    expect(delivered(run).map((m) => [m.id, m.addressesBrand])).toEqual([
      [naming.post.uri, false],
      [reply.post.uri, true],
      [tagged.post.uri, true],
    ]);
    expect(delivered(run)[0]).toMatchObject({
      source: 'bluesky',
      text: 'parcelly lost my parcel',
      url: `https://bsky.app/profile/dana.bsky.social/post/${naming.post.rkey}`,
      author: { handle: 'dana.bsky.social', name: 'Dana Reyes', followers: 1200, id: dana.did },
      language: 'en',
      replyRef: { cid: naming.post.cid, rootUri: naming.post.uri, rootCid: naming.post.cid },
    });
    expect(run.batches.flatMap((b) => b.rejects)).toEqual([
      { at: `bluesky:jetstream ${broken.event.time_us}`, reason: expect.stringMatching(/^record is not a valid app\.bsky\.feed\.post: Record\/createdAt/), raw: expect.stringContaining('Parcelly broke') },
    ]);
    expect(peer.requestsTo('app.bsky.actor.getProfiles').map((r) => r.query.actors)).toEqual([[dana.did]]);
    const [connection] = peer.jetstream.connections;
    expect(connection?.wantedCollections).toEqual(['app.bsky.feed.post']);
    expect(Number(connection?.cursor)).toBeGreaterThan((Date.now() - 24 * 3_600_000 - 60_000) * 1000);
    expect(run.stored()).toBe(run.batches.at(-1)?.cursor);
  });

  it('reconnects after a drop from the delivered cursor (a little earlier), losing nothing and repeating nothing', async () => {
    const run = listen();
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    const first = await peer.publish({ author: dana, text: 'Parcelly one' });
    await until(() => delivered(run).length === 1, 'the first mention');
    const cursor = run.stored();
    expect(cursor).toBe(String(first.event.time_us));

    peer.jetstream.drop();
    const whileAway = await peer.publish({ author: dana, text: 'Parcelly two, sent while the listener was away' });
    await until(() => delivered(run).length === 2, 'the mention sent during the drop');
    const later = await peer.publish({ author: dana, text: 'Parcelly three' });
    await until(() => delivered(run).length === 3, 'a live mention after the reconnect');
    await run.stop();

    expect(delivered(run).map((m) => m.id)).toEqual([first.post.uri, whileAway.post.uri, later.post.uri]);
    expect(peer.jetstream.connections.map((c) => c.cursor).slice(1)).toEqual([String(Number(cursor) - REWIND_US)]);
  });

  it('lets the scheduler store a cursor only for delivered batches: a failed delivery stops it, and a restart delivers that post', async () => {
    let calls = 0;
    const run = listen({
      async deliver() {
        calls += 1;
        if (calls === 2) throw new Error('redis went away');
      },
    });
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    const first = await peer.publish({ author: dana, text: 'Parcelly one' });
    await until(() => delivered(run).length === 1, 'the first mention');
    const second = await peer.publish({ author: dana, text: 'Parcelly two' });

    await expect(run.done).rejects.toThrow('redis went away');
    expect(run.stored()).toBe(String(first.event.time_us));

    const restarted = listen({ cursor: run.stored() });
    await until(() => delivered(restarted).some((m) => m.id === second.post.uri), 'the undelivered mention after the restart');
    await restarted.stop();
    expect(peer.jetstream.connections.at(-1)?.cursor).toBe(String(first.event.time_us - REWIND_US));
    expect(restarted.stored()).toBe(String(second.event.time_us));
  });

  it('moves its cursor on while nothing matches, so a restart does not replay hours of posts', async () => {
    const run = listen({ idleCursorMs: 50 });
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    await peer.publish({ author: dana, text: 'shipping day' });
    await new Promise((r) => setTimeout(r, 60));
    const last = await peer.publish({ author: dana, text: 'still shipping' });
    await until(() => run.stored() === String(last.event.time_us), 'the cursor to reach the last event');
    await run.stop();
    expect(run.batches.every((b) => b.mentions.length === 0 && b.rejects.length === 0)).toBe(true);
  });

  it('turns a post that cannot be mapped into a reject of its batch and goes on on the same connection', async () => {
    const run = listen();
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    // Valid as a record, but its rkey makes no AT URI: the mapping throws for it.
    const record = { $type: 'app.bsky.feed.post', text: 'Parcelly with a broken rkey', createdAt: new Date().toISOString() };
    const badTimeUs = (Date.now() - 1) * 1000;
    peer.jetstream.emit({ did: dana.did, time_us: badTimeUs, kind: 'commit', commit: { rev: '3l3qo2vutsw2b', operation: 'create', collection: 'app.bsky.feed.post', rkey: 'not a valid rkey', record, cid: await cidOf(record) } });
    const after = await peer.publish({ author: dana, text: 'Parcelly after the broken one' });

    await until(() => delivered(run).length === 1 && run.stored() === String(after.event.time_us), 'the next post and its cursor');
    await run.stop();

    expect(delivered(run).map((m) => m.id)).toEqual([after.post.uri]);
    expect(run.batches.flatMap((b) => b.rejects)).toEqual([
      { at: `bluesky:jetstream ${badTimeUs}`, reason: expect.stringMatching(/^the post could not be mapped: Invalid AT uri/), raw: expect.stringContaining('not a valid rkey') },
    ]);
    expect(peer.jetstream.connections).toHaveLength(1);
  });

  it('delivers posts at 0 followers when getProfiles fails, warning with the message only, and asks again for the next batch', async () => {
    const captured = captureLog();
    const run = listen({ log: captured.log });
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    peer.failNext('app.bsky.actor.getProfiles', { status: 500, error: 'InternalServerError', message: 'Internal Server Error' });
    const first = await peer.publish({ author: dana, text: 'Parcelly while the AppView is down' });
    await until(() => delivered(run).length === 1, 'the first mention');
    const second = await peer.publish({ author: dana, text: 'Parcelly once it is back' });
    await until(() => delivered(run).length === 2, 'the second mention');
    await run.stop();

    expect(delivered(run).map((m) => [m.id, m.author.id, m.author.followers])).toEqual([
      [first.post.uri, dana.did, 0],
      [second.post.uri, dana.did, 1200],
    ]);
    expect(peer.requestsTo('app.bsky.actor.getProfiles').map((r) => r.status)).toEqual([500, 200]);
    expect(captured.records().filter((r) => r.level === 40 && typeof r.msg === 'string' && r.msg.startsWith('could not read the authors'))).toEqual([
      expect.objectContaining({ err: 'Internal Server Error', posts: 1 }),
    ]);
    expect(peer.jetstream.connections).toHaveLength(1);
  });

  it('drops a half-open connection that stays silent and reconnects from the delivered cursor, losing nothing', async () => {
    const run = listen({ silenceMs: 400 });
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    const first = await peer.publish({ author: dana, text: 'Parcelly before the stall' });
    await until(() => delivered(run).length === 1, 'the first mention');

    peer.jetstream.stall();
    const unheard = await peer.publish({ author: dana, text: 'Parcelly sent to a dead connection' });
    await until(() => delivered(run).length === 2, 'the mention replayed on a new connection');
    await run.stop();

    expect(delivered(run).map((m) => m.id)).toEqual([first.post.uri, unheard.post.uri]);
    expect(peer.jetstream.connections.map((c) => c.cursor)).toContain(String(first.event.time_us - REWIND_US));
  });

  it('starts a first run (no stored cursor) at about now, not at the look-back: the past hours of the firehose are not replayed', async () => {
    const hoursAgo = await peer.publish({ author: dana, text: 'Parcelly three hours ago', timeUs: (Date.now() - 3 * 3_600_000) * 1000 });
    const run = listen();
    await until(() => peer.jetstream.openCount() === 1, 'a connection');
    const live = await peer.publish({ author: dana, text: 'Parcelly now' });
    await until(() => delivered(run).length === 1, 'the live mention');
    await run.stop();

    expect(delivered(run).map((m) => m.id)).toEqual([live.post.uri]);
    expect(delivered(run).map((m) => m.id)).not.toContain(hoursAgo.post.uri);
    const from = Number(peer.jetstream.connections[0]?.cursor) / 1000;
    expect(from).toBeGreaterThan(live.event.time_us / 1000 - FIRST_START_BACK_MS - 60_000);
    expect(from).toBeLessThanOrEqual(live.event.time_us / 1000);
  });
});
