import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes, type APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordPeer, type DiscordPeer, type DiscordPeerOptions } from '../peers/discord/discord-peer.js';

const MESSAGES = /^\/channels\/\d{17,19}\/messages$/;

const peers: DiscordPeer[] = [];

async function peerWith(options: DiscordPeerOptions<'support' | 'leads' | 'marketing'>): Promise<DiscordPeer> {
  const peer = await startDiscordPeer(options);
  peers.push(peer);
  return peer;
}

function restFor(peer: DiscordPeer, options: ConstructorParameters<typeof REST>[0] = {}): REST {
  return new REST({ api: peer.apiUrl, ...options }).setToken(peer.token);
}

function post(rest: REST, peer: DiscordPeer, body: Record<string, unknown>): Promise<APIMessage> {
  return rest.post(Routes.channelMessages(peer.channels.support), { body }) as Promise<APIMessage>;
}

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

describe('discord peer faults', () => {
  it('answers a 5xx with a Discord error body, which the REST client retries and then reports', async () => {
    const peer = await peerWith({ faults: { rate: 1, kinds: ['5xx'], seed: 1, path: MESSAGES } });
    const rest = restFor(peer, { retries: 2 });

    const failure = await post(rest, peer, { content: 'hello' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(HTTPError);
    const posts = peer.requestsTo('POST', MESSAGES);
    // The first try and two retries, each a 5xx, and nothing stored.
    expect(posts).toHaveLength(3);
    for (const request of posts) {
      expect(request.fault).toBe('5xx');
      expect([500, 502, 503]).toContain(request.status);
      expect(request.response).toEqual({ message: expect.stringMatching(/^50[023]: /), code: 0 });
    }
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(0);
  });

  it('answers an injected 429 with the headers and body of Discord rate limit', async () => {
    const peer = await peerWith({ faults: { rate: 1, kinds: ['429'], seed: 2, path: MESSAGES, maxRetryAfterSeconds: 0.5 } });
    const rest = restFor(peer, { rejectOnRateLimit: ['/channels'] });

    const failure = await post(rest, peer, { content: 'hello' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RateLimitError);
    const [request] = peer.requestsTo('POST', MESSAGES);
    expect(request).toMatchObject({ status: 429, fault: '429' });
    const body = request?.response as { retry_after: number; global: boolean; message: string };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(0.5);
    expect((failure as RateLimitError).retryAfter).toBeGreaterThan(0);
    expect(request?.responseHeaders).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-scope': 'user',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-bucket': expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(0);
  });

  it('resets the connection after storing the message when the reset comes after the effect', async () => {
    const peer = await peerWith({ faults: { rate: 1, kinds: ['reset'], seed: 3, path: MESSAGES, resetAfterEffect: 1 } });
    const rest = restFor(peer, { retries: 0 });

    const failure = await post(rest, peer, { content: 'lost answer' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(DiscordAPIError);
    const [request] = peer.requestsTo('POST', MESSAGES);
    expect(request).toMatchObject({ status: 0, fault: 'reset', dropped: true });
    expect(peer.messagesIn(peer.channels.support).map((m) => m.content)).toEqual(['lost answer']);
  });

  it('resets the connection before anything happens when the reset comes first', async () => {
    const peer = await peerWith({ faults: { rate: 1, kinds: ['reset'], seed: 4, path: MESSAGES, resetAfterEffect: 0 } });
    const rest = restFor(peer, { retries: 0 });

    const failure = await post(rest, peer, { content: 'never stored' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    const [request] = peer.requestsTo('POST', MESSAGES);
    expect(request).toMatchObject({ status: 0, fault: 'reset' });
    expect(request?.dropped).toBeUndefined();
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(0);
  });

  it('records no fault on a request its rate limit answered before a reset after the effect could happen', async () => {
    const peer = await peerWith({ enforceRateLimit: { limit: 1 }, faults: { rate: 1, kinds: ['reset'], seed: 6, path: MESSAGES, resetAfterEffect: 1 } });
    const rest = restFor(peer, { retries: 0, rejectOnRateLimit: ['/channels'] });

    await post(rest, peer, { content: 'first' }).catch(() => undefined);
    const second = await post(rest, peer, { content: 'second' }).catch((error: unknown) => error);

    expect(second).toBeInstanceOf(RateLimitError);
    expect(peer.requestsTo('POST', MESSAGES).map((r) => [r.status, r.fault, r.dropped])).toEqual([
      [0, 'reset', true],
      [429, undefined, undefined],
    ]);
    expect(peer.messagesIn(peer.channels.support).map((m) => m.content)).toEqual(['first']);
  });

  it('faults about the asked share of matching requests, the same ones for the same seed, and leaves other routes alone', async () => {
    const run = async () => {
      const peer = await peerWith({ faults: { rate: 0.2, kinds: ['5xx'], seed: 42, path: /^\/channels\/\d+$/ } });
      const rest = restFor(peer, { retries: 0 });
      for (let i = 0; i < 100; i++) await rest.get(Routes.channel(peer.channels.support)).catch(() => undefined);
      for (let i = 0; i < 20; i++) await rest.get(Routes.user('@me'));
      return peer;
    };
    const first = await run();
    const second = await run();

    const faulted = (peer: DiscordPeer) => peer.requestsTo('GET', /^\/channels\/\d+$/).map((r) => r.fault !== undefined);
    const share = faulted(first).filter(Boolean).length / 100;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
    expect(faulted(second)).toEqual(faulted(first));
    expect(first.requestsTo('GET', /^\/users\/@me$/).every((r) => r.status === 200 && r.fault === undefined)).toBe(true);
  });

  it('injects nothing when no faults are asked for', async () => {
    const peer = await peerWith({});
    const rest = restFor(peer, { retries: 0 });
    for (let i = 0; i < 50; i++) await post(rest, peer, { content: `m${i}` });
    expect(peer.requestsTo('POST', MESSAGES).every((r) => r.status === 200 && r.fault === undefined)).toBe(true);
    expect(peer.faultSeed).toBeUndefined();
  });
});

describe('discord peer nonce memory', () => {
  it('returns the first message for a repeated enforce_nonce create while it remembers the nonce, and a new one after', async () => {
    const peer = await peerWith({ nonceMemoryMs: 200 });
    const rest = restFor(peer);
    const body = { content: 'card', nonce: 'card-1', enforce_nonce: true };

    const first = await post(rest, peer, body);
    const again = await post(rest, peer, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterForgetting = await post(rest, peer, body);

    expect(again.id).toBe(first.id);
    expect(afterForgetting.id).not.toBe(first.id);
    expect(peer.messagesIn(peer.channels.support).map((m) => m.id)).toEqual([first.id, afterForgetting.id]);
    expect(peer.requestsTo('POST', MESSAGES).map((r) => r.nonceReplay ?? false)).toEqual([false, true, false]);
  });

  it('de-duplicates only with enforce_nonce, and per channel', async () => {
    const peer = await peerWith({ nonceMemoryMs: 10_000 });
    const rest = restFor(peer);

    const plain = [await post(rest, peer, { content: 'a', nonce: 'n-1' }), await post(rest, peer, { content: 'a', nonce: 'n-1' })];
    const enforced = await post(rest, peer, { content: 'b', nonce: 'n-2', enforce_nonce: true });
    const elsewhere = (await rest.post(Routes.channelMessages(peer.channels.leads), { body: { content: 'b', nonce: 'n-2', enforce_nonce: true } })) as APIMessage;

    expect(plain[0]?.id).not.toBe(plain[1]?.id);
    expect(elsewhere.id).not.toBe(enforced.id);
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(3);
    expect(peer.messagesIn(peer.channels.leads)).toHaveLength(1);
  });

  it('keeps making a message for every create by default, nonce or not', async () => {
    const peer = await peerWith({});
    const rest = restFor(peer);
    const body = { content: 'card', nonce: 'card-1', enforce_nonce: true };

    const first = await post(rest, peer, body);
    const again = await post(rest, peer, body);

    expect(again.id).not.toBe(first.id);
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(2);
  });

  it('turns a reset after the effect into a replay of the same message when the client retries under the nonce', async () => {
    const peer = await peerWith({ nonceMemoryMs: 10_000, faults: { rate: 1, kinds: ['reset'], seed: 5, path: MESSAGES, resetAfterEffect: 1 } });
    const rest = restFor(peer, { retries: 0 });
    const body = { content: 'card', nonce: 'card-2', enforce_nonce: true };

    await post(rest, peer, body).catch(() => undefined);
    await post(rest, peer, body).catch(() => undefined);

    const posts = peer.requestsTo('POST', MESSAGES);
    expect(posts.map((r) => [r.fault, r.dropped, r.nonceReplay ?? false])).toEqual([
      ['reset', true, false],
      ['reset', true, true],
    ]);
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(1);
  });
});
