import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { explainRoute } from '../../src/core/route.js';
import { triage } from '../../src/core/triage.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { runCli } from '../support/cli.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const ann = { id: '410000000000000201', username: 'ann' };

describe('/triage find and /triage explain against the Discord peer', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let config: Config;

  beforeAll(async () => {
    peer = await startDiscordPeer({ roles: ['member'], members: [{ ...ann, roles: ['member'] }] });
    t = await openTestRedis();
    const base = await loadConfig('config');
    config = { ...base, sources: [], discord: { ...base.discord, channels: { ...peer.channels }, roles: { members: [peer.roles.member!], leads: [] } } };
    runtime = await startRuntime({ roles: ['bot'], config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), discord: { token: peer.token, apiUrl: peer.apiUrl } });
  });
  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  const slash = async (subcommand: string, options: Record<string, string>) => {
    const handle = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand, user: ann, options });
    return handle.waitForCallback(3000);
  };

  it('finds a claimed mention by its post link, key and id: status, holder, mood, rule and a link to its card', async () => {
    const store = createMentionStore(t.redis, { prefix: t.prefix });
    const mention = aMention({ id: '1860000000000777001', url: 'https://x.com/dana/status/1860000000000777001' });
    const triaged = aTriage(mention);
    const key = `x-${mention.id}`;
    await store.saveTriaged(key, { ...triaged, route: { ...triaged.route, rule: 'bugs', rules: ['bugs'] } }, new Date());
    await store.recordCard(key, { channelKey: 'support', channelId: peer.channels.support, messageId: '1860000000000999001' }, new Date());
    await store.transition(key, 'claim', { id: '410000000000000300', name: '**Bea**' }, new Date());

    for (const reference of ['https://twitter.com/dana/status/1860000000000777001?s=20', key, mention.id]) {
      const answer = await slash('find', { link: reference });
      expect(answer.data?.flags).toBe(64);
      const content = String(answer.data?.content);
      expect(content).toContain('status: **claimed**');
      expect(content).toContain('held by \\*\\*Bea\\*\\*');
      expect(content).toContain('mood: angry');
      expect(content).toContain('rule: bugs → #support');
      expect(content).toContain(`[card](https://discord.com/channels/${peer.guildId}/${peer.channels.support}/1860000000000999001)`);
    }
  });

  it('says "not found" for a link of a shape no source makes, without reading other keys', async () => {
    const answer = await slash('find', { link: 'https://example.com/dana/status/1860000000000777001' });
    expect(answer.data?.flags).toBe(64);
    expect(String(answer.data?.content)).toMatch(/^Not found:/);
  });

  it('explains how a text would be judged and routed, with the evidence and the trace explainRoute gives, within 2,000 characters', async () => {
    const text = 'my label printed **blank** again @everyone <@&1> and I want a refund!!';
    const answer = await slash('explain', { text });
    expect(answer.data?.flags).toBe(64);
    const content = String(answer.data?.content);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).not.toContain('@everyone');
    expect(content).not.toContain('<@&1>');
    expect(content).toContain('\\*\\*blank\\*\\*');
    const mention = aMention({ id: 'explain', text, createdAt: new Date().toISOString(), author: { handle: 'someone', name: 'someone', followers: 0 } });
    const { classification, reach } = triage(mention, config);
    expect(content).toContain(`evidence: ${classification.evidence.join(', ').replace(/([*_~`|[\]()\\])/g, '\\$1')}`);
    const { trace } = explainRoute({ mention, classification, reach, fromBrand: false }, config.routing, config.sla);
    expect(trace.length).toBeGreaterThan(0);
    const traceLines = content.split('\n').filter((l) => /^[✓✗·] /.test(l));
    expect(traceLines.map((l) => l.slice(2, l.indexOf(':')))).toEqual(trace.map((s) => s.rule.replace(/([*_~`|[\]()\\])/g, '\\$1')));
    for (const step of trace.filter((s) => s.outcome === 'fired')) expect(content).toContain(`✓ ${step.rule}: fired`);
  });

  it('fits a long trace into one message, counting what it leaves out', async () => {
    const [first] = config.routing.rules;
    const many = Array.from({ length: 60 }, (_, i) => ({ ...first!, name: `rule-number-${i}-with-a-long-name`, when: { intent: ['billing' as const] }, continue: false }));
    runtime.applyConfig({ ...config, routing: { ...config.routing, rules: many } });
    try {
      const answer = await slash('explain', { text: 'the label printer is fine, thanks' });
      const content = String(answer.data?.content);
      expect(content.length).toBeLessThanOrEqual(2000);
      expect(content).toMatch(/…and \d+ more rules not shown/);
    } finally {
      runtime.applyConfig(config);
    }
  });
});

describe('mention-triage commands register against the Discord peer', () => {
  let peer: DiscordPeer;
  beforeAll(async () => {
    peer = await startDiscordPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('registers the bot’s commands in one server with --guild, and globally without', async () => {
    const env = { DISCORD_TOKEN: peer.token, DISCORD_API_URL: peer.apiUrl, DISCORD_APPLICATION_ID: '' };
    const guild = await runCli(['commands', 'register', '--guild', peer.guildId], { env });
    expect(guild.stderr).toBe('');
    expect(guild.code).toBe(0);
    expect(guild.stdout).toContain(`registered /triage for application ${peer.applicationId} in server ${peer.guildId}`);
    const [put] = peer.requestsTo('PUT', new RegExp(`^/applications/${peer.applicationId}/guilds/${peer.guildId}/commands$`));
    const body = put?.body as Array<{ name: string; options: Array<{ name: string }> }>;
    expect(body.map((c) => c.name)).toEqual(['triage']);
    expect(body[0]!.options.map((o) => o.name)).toEqual(expect.arrayContaining(['queue', 'mine', 'stats', 'find', 'explain', 'incident']));

    const global = await runCli(['commands', 'register'], { env });
    expect(global.code).toBe(0);
    expect(global.stdout).toContain('globally');
    expect(peer.requestsTo('PUT', new RegExp(`^/applications/${peer.applicationId}/commands$`))).toHaveLength(1);
  });

  it('exits 2 with one line without a token, for a malformed server id, and for a server the bot is not in', async () => {
    const noToken = await runCli(['commands', 'register'], { env: { DISCORD_TOKEN: '', DISCORD_API_URL: peer.apiUrl } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.trim().split('\n')).toEqual(['commands register: DISCORD_TOKEN is not set: the bot token registers the commands']);
    const badGuild = await runCli(['commands', 'register', '--guild', 'abc'], { env: { DISCORD_TOKEN: peer.token, DISCORD_API_URL: peer.apiUrl } });
    expect(badGuild.code).toBe(2);
    const otherGuild = await runCli(['commands', 'register', '--guild', '1860000000000000999'], { env: { DISCORD_TOKEN: peer.token, DISCORD_API_URL: peer.apiUrl, DISCORD_APPLICATION_ID: '' } });
    expect(otherGuild.code).toBe(2);
    expect(otherGuild.stderr.trim().split('\n')).toHaveLength(1);
    expect(otherGuild.stderr).toContain('may not register commands in server 1860000000000000999');
  });
});
