import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { triage } from '../../src/core/triage.js';
import { renderCard } from '../../src/discord/card.js';
import { formatCardForTerminal } from '../../src/discord/terminal-card.js';
import { aMention } from '../support/fixtures.js';

// Pieces that patterns in the pass look for: repeated and mixed, they probe for
// patterns that backtrack without end on hostile input (a card must never stall a worker).
const PIECES = ['parcelly ', '@parcelly ', '@a ', ' ', '\n', "don't ", 'not ', 'why ', 'is my ', '?', '!', '...', '…', 'http://x.y/ ', '😡', '👍🏽', 'so ', 'thanks ', 'hour ', 'for ', '&amp;', '<@1>', '**', '\u200b', '#fail ', 'CAPS ', '9 days ', 'charged ', 'twice '];

describe('hostile and pathological mention text', () => {
  let config: Config;
  beforeAll(async () => {
    config = await loadConfig('config');
  });

  it('is triaged and rendered within Discord limits for every repeated pair of pattern pieces', () => {
    for (const a of PIECES) {
      for (const b of PIECES) {
        const text = (a + b).repeat(Math.ceil(600 / (a + b).length));
        const result = triage(aMention({ text }), config);
        expect(['negative', 'neutral', 'positive']).toContain(result.classification.polarity);
        expect(Math.abs(result.classification.score)).toBeLessThanOrEqual(1);
        const embed = renderCard({ key: 'x-1', status: 'new', triage: result }).embeds![0]!;
        for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
        expect(embed.description!.length).toBeLessThanOrEqual(4096);
      }
    }
  }, 60_000);

  it('handles the longest accepted text of a single repeated piece', () => {
    for (const piece of PIECES) {
      const text = piece.repeat(Math.ceil(20_000 / piece.length)).slice(0, 20_000);
      const card = renderCard({ key: 'x-1', status: 'new', triage: triage(aMention({ text }), config) });
      expect(formatCardForTerminal(card, 'support')).not.toContain('\u001b');
    }
  }, 60_000);
});
