import { REST } from 'discord.js';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Classification } from '../../src/core/classification.js';
import { nextRunAt } from '../../src/core/marketing-digest.js';
import { localBucket } from '../../src/core/stats.js';
import { replyMood } from '../../src/core/suggest-reply.js';
import { createDiscordNotifier } from '../../src/discord/discord-notifier.js';
import { startRuntime } from '../../src/main.js';
import { createMarketingDigestProcessor, digestJobId, MARKETING_DIGEST_QUEUE, startMarketingDigest, type MarketingDigestJob, type MarketingDigestSettings } from '../../src/pipeline/marketing-digest.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { createStatsIndex, type StatsIndex } from '../../src/store/stats-index.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { pixelColours, pngSize } from '../support/png.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const HOUR = 3_600_000;
const moods: Record<string, Classification> = {
  happy: { polarity: 'positive', score: 0.7, flags: ['happy'], intent: 'praise', severity: 0, evidence: [] },
  angry: { polarity: 'negative', score: -0.6, flags: ['angry'], intent: 'bug', severity: 2, evidence: [] },
  neutral: { polarity: 'neutral', score: 0, flags: [], intent: 'question', severity: 1, evidence: [] },
  spam: { polarity: 'positive', score: 0.8, flags: ['happy'], intent: 'spam', severity: 0, evidence: [] },
};
const silent = pino({ level: 'silent' });
type Field = { name: string; value: string };
const field = (fields: Field[] | undefined, name: string) => fields?.find((f) => f.name === name)?.value;

describe('the marketing digest: once a day, posted by the notify role', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let store: MentionStore;
  let index: StatsIndex;
  // The run is the next whole minute at least two minutes ahead; the clock is moved to just before it.
  const runAtMs = Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000;
  const offset = runAtMs - 1500 - Date.now();
  const now = () => new Date(Date.now() + offset);
  const settings: MarketingDigestSettings = { channel: 'marketing', at: new Date(runAtMs).toISOString().slice(11, 16), timeZone: 'UTC', top: 3 };
  const day = localBucket(runAtMs, 'day', 'UTC');
  const seeds: Array<{ key: string; hoursBefore: number; mood: string; source: 'x' | 'bluesky' | 'reddit'; reach: number }> = [
    { key: 'x-2001', hoursBefore: 1, mood: 'happy', source: 'x', reach: 5000 },
    { key: 'bluesky-2002', hoursBefore: 3, mood: 'happy', source: 'bluesky', reach: 200 },
    { key: 'x-2003', hoursBefore: 5, mood: 'happy', source: 'x', reach: 90 },
    { key: 'x-2004', hoursBefore: 6, mood: 'happy', source: 'x', reach: 10 },
    { key: 'x-2005', hoursBefore: 7, mood: 'angry', source: 'x', reach: 300 },
    { key: 'reddit-2006', hoursBefore: 8, mood: 'neutral', source: 'reddit', reach: 1 },
    // Happy spam with the most reach: counted, never listed as word of mouth.
    { key: 'x-2011', hoursBefore: 2, mood: 'spam', source: 'x', reach: 900_000 },
    { key: 'x-2007', hoursBefore: 30, mood: 'happy', source: 'x', reach: 40 },
    { key: 'x-2008', hoursBefore: 31, mood: 'angry', source: 'x', reach: 10 },
    { key: 'bluesky-2009', hoursBefore: 32, mood: 'angry', source: 'bluesky', reach: 10 },
    { key: 'x-2010', hoursBefore: 80, mood: 'neutral', source: 'x', reach: 10 },
  ];
  const digestMessages = () => peer.messagesIn(peer.channels.marketing).filter((m) => m.embeds[0]?.title?.startsWith('Word of mouth'));
  const notifier = () => createDiscordNotifier(new REST({ api: peer.apiUrl }).setToken(peer.token), peer.channels);

  beforeAll(async () => {
    peer = await startDiscordPeer();
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
    index = createStatsIndex(t.redis, { prefix: t.prefix, now });
    for (const seed of seeds) {
      const id = seed.key.replace(/\D/g, '');
      const posted = new Date(runAtMs - seed.hoursBefore * HOUR);
      const mention = aMention({ id, source: seed.source, createdAt: posted.toISOString(), url: `https://example.com/${seed.source}/${id}`, text: `post ${id} **from** @everyone`, author: { handle: `fan${id}`, name: 'Fan', followers: seed.reach } });
      await store.saveTriaged(seed.key, aTriage(mention, { classification: moods[seed.mood]!, reach: seed.reach }), posted);
    }
    await index.record(seeds.map((s) => ({ key: s.key, postedAt: new Date(runAtMs - s.hoursBefore * HOUR).toISOString() })));
  });

  afterAll(async () => {
    await peer?.close();
    await t?.cleanup();
  });

  it('posts at its time of day: the top happy mentions by reach with links, counts against the day before, the week as a chart', async () => {
    const digest = await startMarketingDigest({ redis: t.redis, prefix: t.prefix, notifier: notifier(), store, index, settings: () => settings, log: silent, now });
    try {
      const [message] = await peer.waitFor(() => (digestMessages().length ? digestMessages() : undefined), 15_000);
      const embed = message!.embeds[0]!;
      expect(embed.title).toBe(`Word of mouth · ${day}`);
      const top = embed.description!.split('\n').filter((line) => /^\d\. /.test(line));
      expect(top).toEqual([
        '1. **@fan2001** on x (5k): post 2001 \\*\\*from\\*\\* @\u200beveryone · [post](https://example.com/x/2001)',
        '2. **@fan2002** on bluesky (200): post 2002 \\*\\*from\\*\\* @\u200beveryone · [post](https://example.com/bluesky/2002)',
        '3. **@fan2003** on x (90): post 2003 \\*\\*from\\*\\* @\u200beveryone · [post](https://example.com/x/2003)',
      ]);
      expect(message!.mentions).toHaveLength(0);
      expect(message!.mention_everyone).toBe(false);

      // The counts, as the stored triages say: the 24 hours to the run against the 24 before.
      const read = await Promise.all(seeds.map(async (s) => ({ ...s, state: (await store.get(s.key))! })));
      const countIn = (from: number, to: number, keep: (r: (typeof read)[number]) => boolean) => read.filter((r) => r.hoursBefore > from && r.hoursBefore <= to && keep(r)).length;
      const happy = (r: (typeof read)[number]) => replyMood(r.state.triage.classification) === 'happy';
      expect(embed.description).toContain(`**${countIn(0, 24, happy)}** happy mentions (+${countIn(0, 24, happy) - countIn(24, 48, happy)} on the day before)`);
      expect(field(embed.fields, 'By mood (vs the day before)')).toBe('angry: **1** (−1)\nunhappy: **0** (±0)\nneutral: **1** (+1)\nhappy: **5** (+4)');
      expect(field(embed.fields, 'By source (vs the day before)')).toBe('x: **5** (+3)\nbluesky: **1** (±0)\nreddit: **1** (+1)');
      expect(field(embed.fields, 'All mentions')).toBe(`**${countIn(0, 24, () => true)}** (+${countIn(0, 24, () => true) - countIn(24, 48, () => true)})`);

      // The chart arrived as a multipart upload and is the embed's image.
      const upload = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/).find((r) => r.files.length)!;
      expect(upload.files[0]).toMatchObject({ field: 'files[0]', filename: 'marketing-week.png', contentType: 'image/png' });
      expect(pngSize(upload.files[0]!.data)).toEqual({ width: 960, height: 480 });
      // The week has happy, angry and neutral mentions and no unhappy one: those bars, in their colours.
      const colours = await pixelColours(upload.files[0]!.data);
      expect(colours.get('#3ba55d') ?? 0).toBeGreaterThan(colours.get('#ed4245') ?? 0);
      expect(colours.get('#ed4245') ?? 0).toBeGreaterThan(0);
      expect(colours.get('#99aab5') ?? 0).toBeGreaterThan(0);
      expect(colours.get('#faa61a') ?? 0).toBe(0);
      expect(embed.image?.url).toBe(message!.attachments[0]?.url);
      expect((upload.body as { enforce_nonce?: boolean }).enforce_nonce).toBe(true);

      expect(await t.redis.exists(`${t.prefix}:mdigest:posted:${day}`)).toBe(1);
      const nextDay = localBucket(runAtMs + 24 * HOUR, 'day', 'UTC');
      const next = await until(() => digest.queue.getJob(digestJobId(nextDay)), 5000, "the next day's job");
      expect(await next.isDelayed()).toBe(true);
      expect(next.data.runAt).toBe(new Date(runAtMs + 24 * HOUR).toISOString());
    } finally {
      await digest.close();
    }
  });

  it('does not post the same day twice: a second run, a restart, or two runs at once', async () => {
    const restarted = await startMarketingDigest({ redis: t.redis, prefix: t.prefix, notifier: notifier(), store, index, settings: () => settings, log: silent, now });
    try {
      // The restart scheduled nothing new: the next day's job was there already.
      expect(await restarted.queue.getDelayedCount()).toBe(1);
      // The same day's job run again (a retry, a manual run).
      const again = await restarted.queue.add('digest', { day, runAt: new Date(runAtMs).toISOString() }, { jobId: `${digestJobId(day)}-again` });
      await until(async () => ((await again.getState()) === 'completed' ? true : undefined), 10_000, 'the second run');
      expect((await restarted.queue.getJob(again.id!))?.returnvalue).toBe('already-posted');
      expect(digestMessages()).toHaveLength(1);
    } finally {
      await restarted.close();
    }

    // Two runs of a new day at the same moment: one posts, the other finds it being posted.
    const run = createMarketingDigestProcessor({ redis: t.redis, prefix: t.prefix, notifier: notifier(), store, index, settings: () => settings, log: silent });
    const job = (id: string): { id: string; data: MarketingDigestJob } => ({ id, data: { day: 'racing-day', runAt: new Date(runAtMs).toISOString() } });
    const outcomes = await Promise.allSettled([run(job('a')), run(job('b'))]);
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'posted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' || o.value === 'already-posted')).toHaveLength(1);
    expect(await run(job('c'))).toBe('already-posted');
    expect(digestMessages()).toHaveLength(2);
  });
});

describe('the marketing digest in the runtime', () => {
  it('is scheduled by the notify role when discord.marketingDigest is set, as a delayed job of its day', async () => {
    const t = await openTestRedis();
    const base = await loadConfig('config');
    const marketingDigest = { channel: 'marketing', at: '07:30', timeZone: 'America/New_York', top: 5 };
    const config = { ...base, discord: { ...base.discord, marketingDigest } };
    const runtime = await startRuntime({ roles: ['notify'], config, redisUrl: t.url, prefix: t.prefix, log: silent, terminal: process.stderr });
    const queue = new Queue<MarketingDigestJob>(MARKETING_DIGEST_QUEUE, { connection: t.redis, prefix: t.prefix });
    try {
      const runAt = nextRunAt(new Date(), '07:30', 'America/New_York');
      const job = await until(() => queue.getJob(digestJobId(localBucket(runAt.getTime(), 'day', 'America/New_York'))), 5000, 'the day job');
      expect(await job.isDelayed()).toBe(true);
      expect(job.data.runAt).toBe(runAt.toISOString());
    } finally {
      await queue.close();
      await runtime.close();
      await t.cleanup();
    }
  });
});
