import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type APIEmbedField } from 'discord.js';
import { buttonId, parseButtonId, type CardAction } from '../core/card-actions.js';
import { plainForDiscord, safeForDiscord } from '../core/display-text.js';
import { buttons, codeBlock, holderLine, inlineCode, isWordOfMouth, renderCard, wordOfMouthButtons, type CardMessage, type CardState } from './card.js';

/**
 * Most cards one message carries: each card brings its own action row of five buttons,
 * and Discord allows five rows per message.
 */
export const STACK_MAX = 5;

/**
 * Embed characters a stack may use. Discord refuses a message whose embeds add up to more
 * than 6,000 (titles, descriptions, field names and values, footers, author names); the
 * rest is margin.
 */
const STACK_TEXT_BUDGET = 5_800;

/** Caps for the short lines of a compact card, so the mention text keeps most of the room. */
const AUTHOR_MAX = 80;
const ROUTED_MAX = 160;
const STATUS_MAX = 300;
const FOOTER_MAX = 120;
const CONTEXT_MAX = 200;
const TEXT_MAX = 2_000;

/** A reply preview shorter than this says little: the card points to the Reply… button instead. */
const REPLY_PREVIEW_MIN = 100;
const REPLY_NAME = 'Suggested reply';
const REPLY_NOTE = 'Reply… opens the suggested draft';

/** How the room left after the fixed lines is shared (text, cues, reply): the mention first, then the reply. */
const WEIGHTS = [3, 1, 2] as const;

/** What Discord counts towards the 6,000 characters of a message's embeds. */
function embedTextLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/**
 * Shares `total` between parts in proportion to `weights`, never giving a part more than
 * it asks for; what a modest part leaves is shared again among the others.
 */
function share(total: number, demands: readonly number[], weights: readonly number[]): number[] {
  const given = demands.map(() => 0);
  let open = demands.map((_, i) => i);
  let left = Math.max(0, total);
  while (open.length > 0) {
    const weight = open.reduce((sum, i) => sum + (weights[i] ?? 0), 0);
    const fair = (i: number) => Math.floor((left * (weights[i] ?? 0)) / weight);
    const met = open.filter((i) => (demands[i] ?? 0) <= fair(i));
    if (met.length === 0) {
      for (const i of open) given[i] = fair(i);
      break;
    }
    for (const i of met) {
      given[i] = demands[i] ?? 0;
      left -= given[i];
    }
    open = open.filter((i) => !met.includes(i));
  }
  return given;
}

/** Cuts a line from the configuration (a rule name can be long), closing an inline code span it cut open. */
function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  const cut = plainForDiscord(line, max - 1);
  return (cut.match(/`/g) ?? []).length % 2 === 1 ? `${cut}\`` : cut;
}

/** The description: where the mention was said and its text, within `max` characters. */
function description(state: CardState, max: number): string {
  const { text, context } = state.triage.mention;
  const where = context ? `*in ${safeForDiscord(context, Math.min(CONTEXT_MAX, Math.floor(max / 4)))}*\n` : '';
  return `${where}${safeForDiscord(text, max - where.length) || '*(no text)*'}`;
}

/** The cues, whole, as many as fit in `max`, then how many more there were. */
function evidence(state: CardState, max: number): string {
  const cues = state.triage.classification.evidence.slice(0, 10).map(inlineCode);
  if (cues.length === 0) return 'no strong cue';
  let shown = cues.length;
  const line = (n: number) => `${cues.slice(0, n).join(' ')}${n < cues.length ? `${n > 0 ? ' ' : ''}+${cues.length - n} more` : ''}`;
  while (shown > 0 && line(shown).length > max) shown -= 1;
  return line(shown);
}

/**
 * The suggested reply within `max`: whole as on the full card when it fits, else its
 * start on one line, else a pointer to the Reply… button, which opens the whole draft.
 */
function replyPreview(text: string, max: number): string {
  const whole = codeBlock(text, 1024);
  if (whole.length <= max) return whole;
  // The code-block escape lengthens the text a little; shorten until the block fits.
  for (let room = max - 8; room >= REPLY_PREVIEW_MIN; ) {
    const block = codeBlock(plainForDiscord(text, room), 1024);
    if (block.length <= max) return block;
    room -= block.length - max;
  }
  return REPLY_NOTE;
}

/** The status line within its cap: without the sent reply's link when the link is what makes it long. */
function status(state: CardState): string {
  const line = holderLine(state);
  if (line.length <= STATUS_MAX || !state.sent?.url) return line;
  return holderLine({ ...state, sent: { by: state.sent.by, at: state.sent.at } });
}

/**
 * One card of a stack: the full card's look (colour, mood title, author line, mood,
 * severity, reach, route, status, key) with the mention text, the cues and the reply
 * cut to fit `budget` embed characters.
 */
function compactEmbed(state: CardState, budget: number): APIEmbed {
  const full = (renderCard(state).embeds ?? [])[0] as APIEmbed;
  const fullValue = (name: string) => full.fields?.find((f) => f.name === name)?.value ?? '—';
  const { reply } = state.triage;
  const fixed: APIEmbedField[] = [
    { name: 'Mood', value: fullValue('Mood'), inline: true },
    { name: 'Severity', value: fullValue('Severity'), inline: true },
    { name: 'Reach', value: fullValue('Reach'), inline: true },
  ];
  const routed: APIEmbedField = { name: 'Routed', value: cutLine(fullValue('Routed'), ROUTED_MAX), inline: false };
  const held: APIEmbedField = { name: 'Status', value: status(state), inline: false };
  const frame: APIEmbed = {
    ...(full.color !== undefined ? { color: full.color } : {}),
    ...(full.author ? { author: { ...full.author, name: plainForDiscord(full.author.name, AUTHOR_MAX) } } : {}),
    ...(full.title ? { title: full.title } : {}),
    footer: { text: plainForDiscord(`${state.key} · template ${reply.template}`, FOOTER_MAX) },
    ...(full.timestamp ? { timestamp: full.timestamp } : {}),
  };
  const framed = embedTextLength({ ...frame, fields: [...fixed, routed, held, { name: 'Why', value: '' }, { name: REPLY_NAME, value: '' }] });
  const room = budget - framed;

  const demands = [description(state, TEXT_MAX + CONTEXT_MAX).length, evidence(state, 1024).length, codeBlock(reply.text, 1024).length];
  let [textRoom = 0, whyRoom = 0, replyRoom = 0] = share(room, demands, WEIGHTS);
  const replyValue = replyPreview(reply.text, replyRoom);
  // Too little room for a useful preview: the pointer to the draft takes less, the rest goes back to the text.
  if (replyValue === REPLY_NOTE) [textRoom = 0, whyRoom = 0] = share(room - REPLY_NOTE.length, demands.slice(0, 2), WEIGHTS.slice(0, 2));
  return {
    ...frame,
    description: description(state, textRoom),
    fields: [...fixed, { name: 'Why', value: evidence(state, whyRoom), inline: false }, routed, held, { name: REPLY_NAME, value: replyValue, inline: false }],
  };
}

/** Discord's limits for a message: rows, and buttons in a row. */
const ROWS_MAX = 5;
const BUTTONS_PER_ROW = 5;

/**
 * The second-row actions of each stacked card, most wanted first: Note… for every card,
 * then Release (claimed) or Reopen (closed). Labels name the card's author, since the
 * buttons of several cards share the rows.
 */
function secondRowButtons(state: CardState): APIButtonComponentWithCustomId[] {
  const who = plainForDiscord(`@${state.triage.mention.author.handle}`, 40);
  const button = (action: CardAction, label: string) => ({ type: ComponentType.Button as const, custom_id: buttonId(action, state.key), label: plainForDiscord(`${label} ${who}`, 80), style: ButtonStyle.Secondary as const, disabled: false });
  const hold = state.status === 'claimed' ? [button('release', 'Release')] : state.status === 'resolved' || state.status === 'dismissed' ? [button('reopen', 'Reopen')] : [];
  return [button('note', 'Note…'), ...hold];
}

/**
 * The rows left after each card's own row, filled with the cards' second-row actions as
 * far as Discord's 5 rows of 5 buttons allow: all of them for up to three cards, Note…
 * for each of four, none for five (each card's own row takes them all).
 */
export function sharedRows(states: readonly CardState[]): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  const room = (ROWS_MAX - states.length) * BUTTONS_PER_ROW;
  if (room <= 0) return [];
  const perCard = states.map(secondRowButtons);
  // Every card's first choice before any card's second, so each card gets what matters most.
  const picked: APIButtonComponentWithCustomId[] = [];
  for (let rank = 0; picked.length < room && perCard.some((list) => list.length > rank); rank += 1) {
    for (const list of perCard) if (list[rank] && picked.length < room) picked.push(list[rank]!);
  }
  // Shown card by card, in the cards' order.
  const order = new Map(perCard.flat().map((b, i) => [b.custom_id, i]));
  picked.sort((a, b) => (order.get(a.custom_id) ?? 0) - (order.get(b.custom_id) ?? 0));
  const rows: Array<APIActionRowComponent<APIButtonComponentWithCustomId>> = [];
  for (let i = 0; i < picked.length; i += BUTTONS_PER_ROW) rows.push({ type: ComponentType.ActionRow, components: picked.slice(i, i + BUTTONS_PER_ROW) });
  return rows;
}

/**
 * One message carrying several mentions' cards, for when a channel's posting rate cannot
 * keep up with a backlog: a compact embed per card and, in the same order, each card's
 * action row with the same button ids as its own card, so clicks are handled unchanged.
 * All embeds together stay within Discord's 6,000 characters; a one-card stack is exactly
 * {@link renderCard}, so callers can always post stacks.
 *
 * @param states - 1 to {@link STACK_MAX} cards with distinct keys (Discord refuses repeated button ids).
 */
export function renderStack(states: readonly CardState[], channelKey?: string): CardMessage {
  if (states.length < 1 || states.length > STACK_MAX) {
    throw new RangeError(`renderStack: a stack holds 1 to ${STACK_MAX} cards (one action row each), got ${states.length}`);
  }
  const keys = states.map((s) => s.key);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated !== undefined) throw new RangeError(`renderStack: each card in a stack needs its own mention key, got "${repeated}" twice`);
  if (states.length === 1) return renderCard(states[0] as CardState, channelKey);
  const budget = Math.floor(STACK_TEXT_BUDGET / states.length);
  return {
    embeds: states.map((state) => compactEmbed(state, budget)),
    components: [...states.map(isWordOfMouth(channelKey) ? wordOfMouthButtons : buttons), ...sharedRows(states)],
    allowed_mentions: { parse: [] },
  };
}

/** A posted message as far as {@link stackKeys} reads it: API JSON (`custom_id`) or discord.js objects (`customId`). */
export interface MessageWithComponents {
  components?: readonly unknown[];
}

/**
 * The mention keys of the cards in a message, in the order shown, read from their Claim
 * (or, on word-of-mouth cards, Share) buttons: one key for a single card, several for a stack, none for a message that is
 * not one of ours.
 */
export function stackKeys(message: MessageWithComponents): string[] {
  const keys: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const { custom_id: rawId, customId, components } = node as { custom_id?: unknown; customId?: unknown; components?: unknown };
    const id = typeof rawId === 'string' ? rawId : customId;
    const parsed = typeof id === 'string' ? parseButtonId(id) : undefined;
    // Each card's own row has one of these: Claim on a support card, Share on a word-of-mouth one.
    if (parsed?.action === 'claim' || parsed?.action === 'share') keys.push(parsed.key);
    if (Array.isArray(components)) components.forEach(visit);
  };
  (message.components ?? []).forEach(visit);
  return keys;
}
