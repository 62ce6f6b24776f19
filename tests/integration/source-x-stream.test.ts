import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListenContext, Source, SourceBatch } from '../../src/sources/source.js';
import { SourceBudgetError, SourceDisabledError } from '../../src/sources/source-errors.js';
import { createXSource } from '../../src/sources/x.js';
import { xConfig, xDeps } from '../peers/x/x-fixtures.js';
import { startXPeer, type XPeer } from '../peers/x/x-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext } from '../support/source-context.js';

const DEFAULT_QUERY = '("Parcelly" OR "Parcel Ly") -from:parcelly';

let t: TestRedis;
let peer: XPeer;
let source: Source;
let controller: AbortController;
beforeAll(async () => {
  t = await openTestRedis();
});
afterAll(async () => t.cleanup());
beforeEach(async () => {
  peer = await startXPeer({ keepAliveMs: 25 });
  controller = new AbortController();
});
afterEach(async () => {
  controller.abort();
  await source?.close?.();
  await peer.close();
});

/** Starts the listener; `delivered` fills as the source delivers batches. */
function listen(overrides: Record<string, unknown> = {}) {
  const config = xConfig(peer, { stream: true, ...overrides });
  source = createXSource(config, xDeps(peer));
  const delivered: SourceBatch[] = [];
  const ctx: ListenContext = {
    ...aReadContext(t, config.name, { signal: controller.signal }),
    cursor: undefined,
    async deliver(batch) {
      delivered.push(batch);
    },
  };
  const running = source.listen!(ctx);
  running.catch(() => undefined);
  return { delivered, running, ctx };
}

const connected = (made = 1) => peer.waitFor(() => peer.streamConnections().open === 1 && peer.streamConnections().made === made);

describe('the X filtered stream', () => {
  it('keeps its own rules equal to the queries and leaves other tools\' rules alone', async () => {
    peer.addRule('parcelly old wording', 'mention-triage');
    peer.addRule(DEFAULT_QUERY, 'mention-triage');
    peer.addRule('from:competitor', 'another-tool');
    listen();
    await connected();
    expect(peer.rules().map((r) => [r.value, r.tag])).toEqual([
      [DEFAULT_QUERY, 'mention-triage'],
      ['from:competitor', 'another-tool'],
    ]);

    controller.abort();
    controller = new AbortController();
    await peer.waitFor(() => peer.streamConnections().open === 0);
    listen({ queries: ['"Parcel Ly" lang:en', DEFAULT_QUERY] });
    await connected(2);
    expect(peer.rules().map((r) => r.value).sort()).toEqual(['"Parcel Ly" lang:en', DEFAULT_QUERY, 'from:competitor'].sort());
    const [add] = peer.requestsTo('POST', /stream\/rules$/).slice(-1);
    expect(add?.body).toEqual({ add: [{ value: '"Parcel Ly" lang:en', tag: 'mention-triage' }] });
  });

  it('delivers each matching post as a batch, ignoring the \\r\\n keep-alives, and ends when aborted', async () => {
    const { delivered, running } = listen();
    await connected();
    peer.streamKeepAlive();
    const first = peer.streamPost({ author: 'dana', text: '@parcelly my labels print blank' });
    peer.streamKeepAlive();
    peer.streamPost({ author: 'parcelly', text: 'Parcelly status: all good' }); // the brand's own: not matched by -from
    const second = peer.streamPost({ author: 'eli', text: 'Parcel Ly is down?' });
    await peer.waitFor(() => delivered.length === 2);
    await new Promise((r) => setTimeout(r, 60)); // a few timer keep-alives too

    expect(first.delivered).toBe(1);
    expect(delivered.map((b) => b.mentions.map((m) => [m.id, m.author.handle, m.addressesBrand]))).toEqual([
      [[first.post.id, 'dana', true]],
      [[second.post.id, 'eli', false]],
    ]);
    expect(delivered.flatMap((b) => b.rejects)).toEqual([]);
    expect(JSON.parse(delivered[1]!.cursor)).toEqual({ lastId: second.post.id });
    const [stream] = peer.requestsTo('GET', /search\/stream$/);
    expect(stream?.query.expansions).toContain('author_id');

    controller.abort();
    await expect(running).resolves.toBeUndefined();
    await peer.waitFor(() => peer.streamConnections().open === 0);
  });

  it('reconnects after a dropped connection and delivers again', async () => {
    const { delivered } = listen();
    await connected();
    peer.streamPost({ author: 'dana', text: 'Parcelly one' });
    await peer.waitFor(() => delivered.length === 1);

    peer.dropStream();
    await connected(2);
    const after = peer.streamPost({ author: 'eli', text: 'Parcelly two' });
    await peer.waitFor(() => delivered.length === 2);
    expect(delivered[1]?.mentions[0]?.id).toBe(after.post.id);
  });

  it('bills stream posts as post reads', async () => {
    const { delivered, ctx } = listen();
    await connected();
    peer.streamPost({ author: 'dana', text: 'Parcelly one' });
    peer.streamPost({ author: 'dana', text: 'Parcelly two' });
    await peer.waitFor(() => delivered.length === 2);
    expect(await source.describe!(ctx.kv)).toMatchObject({ postReadsThisMonth: 2, userReadsThisMonth: 1, spentUsdThisMonth: 0.02 });
    expect(peer.bill()).toMatchObject({ postReads: 2, userReads: 1, usd: 0.02 });
  });

  it('ends with SourceDisabledError when X refuses the connection, and SourceBudgetError at the usage cap', async () => {
    peer.fail('stream', 'unauthorized');
    const refused = listen();
    await expect(refused.running).rejects.toThrow(SourceDisabledError);
    await expect(refused.running).rejects.toThrow(/bearer token in X_BEARER_TOKEN/);

    await source.close?.();
    peer.fail('stream', 'usage-capped');
    const capped = listen();
    await expect(capped.running).rejects.toBeInstanceOf(SourceBudgetError);
    expect(peer.streamConnections().made).toBe(0);
  });
});
