import { describe, expect, it } from 'vitest';
import { buttonId, describeRefusal, parseButtonId } from '../../src/core/card-actions.js';
import { formatCount, renderCard, type CardState } from '../../src/discord/card.js';
import { formatCardForTerminal } from '../../src/discord/terminal-card.js';
import { aMention, aTriage } from '../support/fixtures.js';

type Button = { custom_id: string; label: string; disabled: boolean };

function embedLength(card: ReturnType<typeof renderCard>): number {
  const e = card.embeds![0]!;
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.author?.name.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

const buttonsOf = (card: ReturnType<typeof renderCard>) => (card.components![0] as unknown as { components: Button[] }).components;

describe('the card', () => {
  const state: CardState = { key: 'x-1860000000000000001', status: 'new', triage: aTriage() };

  it('carries the five actions with ids that name the mention, Claim first and enabled', () => {
    const buttons = buttonsOf(renderCard(state));
    expect(buttons.map((b) => b.label)).toEqual(['Claim', 'Reply…', 'Resolve', 'Escalate', 'Dismiss']);
    expect(buttons.map((b) => parseButtonId(b.custom_id))).toEqual(['claim', 'reply', 'resolve', 'escalate', 'dismiss'].map((action) => ({ action, key: state.key })));
    expect(buttons.every((b) => !b.disabled)).toBe(true);
  });

  it('shows who holds a claimed mention and disables Claim', () => {
    const card = renderCard({ ...state, status: 'claimed', holder: { id: '1', name: '@alice' } });
    expect(buttonsOf(card)[0]).toMatchObject({ label: 'Claimed by @alice', disabled: true });
    expect(card.embeds![0]!.fields!.find((f) => f.name === 'Status')?.value).toBe('🙋 Claimed by @alice');
  });

  it('says where the mention was said and whether its author is verified', () => {
    const mention = aMention({ text: 'Parcelly ate our labels again', context: 'Ask HN: **which** label printer?', author: { handle: 'ana', name: 'Ana', followers: 2500, verified: true } });
    const e = renderCard({ ...state, triage: aTriage(mention) }).embeds![0]!;
    expect(e.description).toBe('*in Ask HN: \\*\\*which\\*\\* label printer?*\nParcelly ate our labels again');
    expect(e.fields!.find((f) => f.name === 'Reach')?.value).toBe('2.5k followers · verified');
  });

  it('shows a reply sent from Discord with who sent it, when and its link', () => {
    const sent = { id: '99', url: 'https://x.com/parcelly/status/99', by: { id: '1', name: '@alice' }, at: '2026-12-01T10:00:00.000Z' };
    const status = renderCard({ ...state, status: 'claimed', holder: sent.by, sent }).embeds![0]!.fields!.find((f) => f.name === 'Status')?.value;
    expect(status).toBe('🙋 Claimed by @alice\n↩️ Replied by @alice <t:1796119200:R> · [see the reply](https://x.com/parcelly/status/99)');
    const odd = renderCard({ ...state, sent: { ...sent, url: 'https://x.com/a) [click](https://evil' } }).embeds![0]!.fields!.find((f) => f.name === 'Status')?.value;
    expect(odd).not.toContain('evil');
  });

  it('disables every button once the mention is resolved or dismissed', () => {
    for (const status of ['resolved', 'dismissed'] as const) {
      expect(buttonsOf(renderCard({ ...state, status, holder: { id: '1', name: '@a' } })).every((b) => b.disabled)).toBe(true);
    }
  });

  it('pings nobody and shows markdown literally', () => {
    const hostile = aTriage(aMention({ text: '@everyone **buy** `now` <@&123456789012345678>', author: { handle: 'x', name: '@here', followers: 1 } }));
    const card = renderCard({ ...state, triage: hostile });
    expect(card.allowed_mentions).toEqual({ parse: [] });
    const e = card.embeds![0]!;
    expect(e.description).not.toMatch(/@everyone|\*\*buy/);
    expect(e.author?.name).not.toMatch(/@here/);
  });

  it('quotes the evidence so a cue taken from hostile text cannot format', () => {
    const triage = aTriage(aMention(), { classification: { polarity: 'negative', score: -0.5, flags: [], intent: 'complaint', severity: 1, evidence: ['`rm -rf`', '**bold**'] } });
    const why = renderCard({ ...state, triage }).embeds![0]!.fields!.find((f) => f.name === 'Why')!.value;
    expect(why).toBe('`ʹrm -rfʹ` `**bold**`');
  });

  it('keeps within Discord embed limits for the longest mention, reply and evidence', () => {
    const long = aTriage(aMention({ text: '*'.repeat(20_000), author: { handle: 'h'.repeat(200), name: 'n'.repeat(300), followers: 5 } }), {
      reply: { text: '`'.repeat(5000), template: 't#1' },
      classification: { polarity: 'negative', score: -1, flags: ['angry'], intent: 'complaint', severity: 3, evidence: Array.from({ length: 40 }, () => 'e'.repeat(200)) },
    });
    const card = renderCard({ ...state, triage: long });
    const e = card.embeds![0]!;
    expect(embedLength(card)).toBeLessThanOrEqual(6000);
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    expect(e.author!.name.length).toBeLessThanOrEqual(256);
    for (const f of e.fields!) expect(f.value.length).toBeLessThanOrEqual(1024);
  });

  it('writes follower counts the short way', () => {
    expect([0, 999, 1000, 12_345, 2_000_000].map(formatCount)).toEqual(['0', '999', '1k', '12.3k', '2M']);
  });
});

describe('the card in a terminal', () => {
  it('shows the channel, the text as Discord would show it, the reply and the buttons', () => {
    const triage = aTriage(aMention({ text: 'my **label** printed blank' }));
    const text = formatCardForTerminal(renderCard({ key: 'x-1', status: 'new', triage }), 'support');
    expect(text).toMatch(/^┌─ #support · 😠 Angry · bug/);
    expect(text).toContain('my **label** printed blank');
    expect(text).toContain('Thanks for telling us, Dana');
    expect(text).toContain('[Claim] [Reply…] [Resolve] [Escalate] [Dismiss]');
  });

  it('never passes terminal escape sequences through', () => {
    const triage = aTriage(aMention({ text: 'hi \u001b[2J\u001b]0;pwned\u0007 there', author: { handle: 'a', name: '\u001b[31mred', followers: 1 } }));
    const text = formatCardForTerminal(renderCard({ key: 'x-1', status: 'new', triage }), 'support');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });
});

describe('button ids and refusals', () => {
  it('reads back only ids it made', () => {
    expect(parseButtonId(buttonId('claim', 'x-1'))).toEqual({ action: 'claim', key: 'x-1' });
    expect(parseButtonId('mt:launch:x-1')).toBeUndefined();
    expect(parseButtonId('other-bot:claim')).toBeUndefined();
    expect(buttonId('dismiss', `x-${'9'.repeat(19)}`).length).toBeLessThanOrEqual(100);
  });

  it('tells a late clicker who holds the mention', () => {
    const holder = { id: '1', name: '@alice' };
    expect(describeRefusal('claim', { ok: false, reason: 'held-by-other', status: 'claimed', holder })).toBe('Already claimed by @alice.');
    expect(describeRefusal('resolve', { ok: false, reason: 'held-by-other', status: 'claimed', holder })).toBe('Only @alice, who holds this mention, can resolve it.');
    expect(describeRefusal('claim', { ok: false, reason: 'wrong-status', status: 'resolved', holder })).toBe('This mention is already resolved (by @alice).');
  });
});

describe('the /triage queue message', () => {
  it('fits 2,000 characters with whole lines and says how many did not fit', async () => {
    const { queueMessage } = await import('../../src/discord/commands.js');
    const lines = Array.from({ length: 25 }, (_, i) => `P0 · complaint · @someone${i} on x · 3 min ago · 12 min left to claim · [card](https://discord.com/channels/123456789012345678/123456789012345678/12345678901234567${i % 10})`);
    const message = queueMessage(lines);
    expect(message.length).toBeLessThanOrEqual(2000);
    const shown = message.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(shown.every((l) => l.endsWith(')'))).toBe(true);
    expect(message).toMatch(new RegExp(`…and ${25 - shown.length} more not shown`));
    expect(queueMessage([])).toMatch(/^Nothing waiting/);
  });

  it('shows a claimer\'s name literally in refusals', () => {
    expect(describeRefusal('claim', { ok: false, reason: 'held-by-other', status: 'claimed', holder: { id: '1', name: '@**boss** ||x||' } })).toBe('Already claimed by @\\*\\*boss\\*\\* \\|\\|x\\|\\|.');
  });
});
