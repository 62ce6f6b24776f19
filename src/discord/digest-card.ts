import { safeForDiscord } from '../core/display-text.js';
import type { CardState } from '../pipeline/notifier.js';
import type { CardMessage } from './card.js';
import { ComponentType, type APIActionRowComponent, type APIStringSelectComponent } from 'discord.js';
import { plainForDiscord } from '../core/display-text.js';
import { DIGEST_OPEN_ID } from './digest-open.js';
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

/** Most options a Discord select menu takes. */
const MENU_MAX = 25;

/** The "Open as card" menu: one option per listed mention (who and the start of the text), its key as the value. */
export function openMenu(states: readonly CardState[]): APIActionRowComponent<APIStringSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: DIGEST_OPEN_ID,
        placeholder: 'Open as card…',
        min_values: 1,
        max_values: 1,
        options: states.slice(0, MENU_MAX).map((state) => ({
          label: plainForDiscord(`@${state.triage.mention.author.handle}: ${state.triage.mention.text.replace(/\s+/g, ' ')}`, 100),
          value: state.key,
          description: plainForDiscord(`${state.triage.mention.source} · ${formatCount(state.triage.reach)} followers`, 100),
        })),
      },
    ],
  };
}

/**
 * A digest of quiet mentions, posted while the channel has a backlog: one line each (who,
 * reach, the start of the text, a link), whole lines only, within Discord's limits. Each
 * mention keeps its own state; `/triage queue` and `/triage find` reach them, and the
 * "Open as card" menu posts one as a card of its own.
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
  const listed = states.slice(0, lines.length);
  return {
    embeds: [
      {
        title: `🗞️ ${states.length} quieter mention${states.length === 1 ? '' : 's'} while this channel is busy`,
        description: lines.join('\n'),
        color: 0x8a8f98,
        footer: { text: `Backlog digest: neutral, low priority, small reach${left > 0 ? ` · ${left} more in the next digest` : ''}` },
      },
    ],
    ...(listed.length ? { components: [openMenu(listed)] } : {}),
    allowed_mentions: { parse: [] },
  };
}
