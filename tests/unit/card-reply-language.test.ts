import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/discord/card.js';
import { aMention, aTriage } from '../support/fixtures.js';

describe('the card of a mention in a language the templates do not speak', () => {
  const replyField = (replyIn?: string) => {
    const triage = aTriage(aMention({ text: 'min pakke er ikke kommet' }));
    const reply = { ...triage.reply, ...(replyIn ? { replyIn } : {}) };
    return renderCard({ key: 'x-1', status: 'new', triage: { ...triage, reply } }).embeds![0]!.fields!.find((f) => f.name.startsWith('Suggested reply'))!;
  };

  it('says which language to reply in, by name', () => {
    expect(replyField('da').name).toBe('Suggested reply (edit before sending) · reply in Danish');
  });

  it('says nothing more when the draft is in the mention language', () => {
    expect(replyField().name).toBe('Suggested reply (edit before sending)');
  });
});
