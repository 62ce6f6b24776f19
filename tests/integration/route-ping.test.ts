import { REST } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Route } from '../../src/core/triage-result.js';
import { createDiscordNotifier } from '../../src/discord/discord-notifier.js';
import { formatCardForTerminal } from '../../src/discord/terminal-card.js';
import { renderCard } from '../../src/discord/card.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';

type Body = { content?: string; allowed_mentions?: { parse: string[]; roles?: string[] }; embeds: Array<{ fields: Array<{ name: string; value: string }> }> };

const ROLE = '123456789012345678';
const routed = (route: Partial<Route>, id = '1860000000000800001') => {
  const mention = aMention({ id });
  return { key: `x-${id}`, status: 'new' as const, triage: aTriage(mention, { route: { channel: 'leads', rule: 'vip', rules: ['vip'], priority: 0, alsoTo: [], claimWithinMinutes: 10, tags: ['vip', 'security: possible impostor'], ...route } }) };
};

describe('a rule that pings a role and tags the card', () => {
  let peer: DiscordPeer;
  let rest: REST;
  beforeAll(async () => {
    peer = await startDiscordPeer();
    rest = new REST({ api: peer.apiUrl, retries: 0 }).setToken(peer.token);
  });
  afterAll(async () => {
    await peer.close();
  });
  beforeEach(() => peer.clearRequests());

  it('pings the role in the message content when the card is posted, and allows no other mention', async () => {
    const notifier = createDiscordNotifier(rest, peer.channels);
    await notifier.post('leads', { kind: 'card', state: routed({ pingRoleId: ROLE }) }, 'x-1/leads');
    const [post] = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    const body = post!.body as Body;
    expect(body.content).toBe(`<@&${ROLE}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
  });

  it('pings each role of a stack once', async () => {
    const notifier = createDiscordNotifier(rest, peer.channels);
    await notifier.postStack('leads', [routed({ pingRoleId: ROLE }, '1860000000000800002'), routed({ pingRoleId: ROLE }, '1860000000000800003'), routed({}, '1860000000000800004')], 'stack-1');
    const body = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/)[0]!.body as Body;
    expect(body.content).toBe(`<@&${ROLE}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
  });

  it('posts a card without a ping with no content and no mention allowed', async () => {
    const notifier = createDiscordNotifier(rest, peer.channels);
    await notifier.post('leads', { kind: 'card', state: routed({}) }, 'x-2/leads');
    const body = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/)[0]!.body as Body;
    expect(body.content).toBeUndefined();
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('shows the tags, the ping and every rule that fired on the card and in the terminal', () => {
    const card = renderCard(routed({ pingRoleId: ROLE, rules: ['tag-vip', 'vip'] }));
    const routedField = card.embeds![0]!.fields!.find((f) => f.name === 'Routed')!.value;
    expect(routedField).toContain('by rule `tag-vip + vip`');
    expect(routedField).toContain(`pings <@&${ROLE}>`);
    expect(routedField).toContain('🏷️ `vip` `security: possible impostor`');
    // Joined back where the terminal wraps the field.
    const terminal = formatCardForTerminal(card, 'leads').replace(/\n│\s+/g, ' ');
    expect(terminal).toContain(`pings @role:${ROLE}`);
    expect(terminal).toContain('🏷️ `vip` `security: possible impostor`');
  });
});
