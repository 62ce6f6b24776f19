import { safeForDiscord } from '../core/display-text.js';
import type { CardState } from '../pipeline/notifier.js';
import type { CardMessage } from './card.js';
import { formatCount, isLinkable, maskedLink } from './format.js';

/** Room for the list in the embed's description (Discord allows 4,096 characters). */
const LIST_MAX = 4000;
const TEXT_MAX = 160;

/** One mention's line: who, where, reach, the start of the text, and a link to the post. */
function line(state: CardState): string {
  const { mention, reach } = state.triage;
  const who = `**@${safeForDiscord(mention.author.handle, 60)}** on ${mention.source} (${formatCount(reach)})`;
  const text = safeForDiscord(mention.text.replace(/\s+/g, ' '), TEXT_MAX) || '*(no text)*';
  const link = isLinkable(mention.url) ? ` · ${maskedLink('post', mention.url)}` : '';
  return `• ${who}: ${text}${link} · \`${state.key}\``;
}

/**
 * A digest of quiet mentions, posted while the channel has a backlog: one line each (who,
 * reach, the start of the text, a link), whole lines only, within Discord's limits. Each
 * mention keeps its own state; `/triage queue` and `/triage find` reach them.
 */
export function renderDigest(states: readonly CardState[], waiting: number): CardMessage {
  const lines: string[] = [];
  let length = 0;
  for (const state of states) {
    const next = line(state);
    if (length + next.length + 1 > LIST_MAX) break;
    lines.push(next);
    length += next.length + 1;
  }
  const left = states.length - lines.length + waiting;
  return {
    embeds: [
      {
        title: `🗞️ ${states.length} quieter mention${states.length === 1 ? '' : 's'} while this channel is busy`,
        description: lines.join('\n'),
        color: 0x8a8f98,
        footer: { text: `Backlog digest: neutral, low priority, small reach${left > 0 ? ` · ${left} more in the next digest` : ''}` },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
