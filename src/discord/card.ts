import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { buttonId, type CardAction, type MentionStatus } from '../core/card-actions.js';
import type { Classification } from '../core/classification.js';
import { cleanText, plainForDiscord, safeForDiscord } from '../core/display-text.js';
import type { Platform } from '../core/mention.js';
import { languageName } from '../core/reply-languages.js';
import { formatMinutes } from '../core/sla.js';
import type { CardState, Notice, ThreadLine } from '../pipeline/notifier.js';
import type { GroupSummary } from '../store/duplicate-groups.js';
import type { CardRef } from '../store/mention-store.js';
import { renderAlert } from './alert-card.js';
import { renderDigest } from './digest-card.js';
import { formatCount, isLinkable, maskedLink } from './format.js';
import { wrongMenu } from './corrections.js';

export type { CardState };

export type CardMessage = RESTPostAPIChannelMessageJSONBody;

const PLATFORM_LABEL: Record<Platform, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  hackernews: 'Hacker News',
  reddit: 'Reddit',
  rss: 'RSS',
  file: 'Replay',
};

type Mood = 'angry' | 'unhappy' | 'neutral' | 'happy';

const MOOD_LOOK: Record<Mood, { emoji: string; label: string; color: number }> = {
  angry: { emoji: '😠', label: 'Angry', color: 0xd83c3e },
  unhappy: { emoji: '😕', label: 'Unhappy', color: 0xe8912d },
  neutral: { emoji: '💬', label: 'Neutral', color: 0x808791 },
  happy: { emoji: '😊', label: 'Happy', color: 0x3ba55c },
};

const STATUS_LABEL: Record<MentionStatus, string> = {
  new: '🆕 New, unclaimed',
  claimed: '🙋 Claimed',
  escalated: '🚨 Escalated to leads',
  resolved: '✅ Resolved',
  dismissed: '🗑️ Dismissed',
};

/** The mood a card and a reply speak to: the angry flag first, then polarity. */
export function moodOf(classification: Pick<Classification, 'flags' | 'polarity'>): Mood {
  if (classification.flags.includes('angry')) return 'angry';
  if (classification.flags.includes('happy')) return 'happy';
  if (classification.polarity === 'negative') return 'unhappy';
  if (classification.polarity === 'positive') return 'happy';
  return 'neutral';
}

export { formatCount } from './format.js';

function field(name: string, value: string, inline = true): APIEmbedField {
  return { name, value: value.slice(0, 1024) || '—', inline };
}

/** A code block that the text inside cannot close. */
export function codeBlock(text: string, max: number): string {
  const body = text.replace(/```/g, '`\u200b``').slice(0, max - 8);
  return `\`\`\`\n${body}\n\`\`\``;
}

/** Inline code shows its text literally, so a cue quoted from hostile text cannot format or ping. */
export function inlineCode(text: string): string {
  return `\`${cleanText(text).replace(/`/g, 'ʹ').slice(0, 60)}\``;
}

/** A Discord timestamp that each reader sees in their own terms ("in 20 minutes"); empty for an unreadable time. */
function relativeTime(iso: string): string {
  const at = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(at) ? `<t:${at}:R>` : '';
}

const LAST_ACTION_WORD: Record<string, string> = {
  claim: 'Claimed',
  resolve: 'Resolved',
  escalate: 'Escalated',
  dismiss: 'Dismissed',
  release: 'Released',
  reopen: 'Reopened',
  takeover: 'Taken over',
  reassign: 'Reassigned',
  corrected: 'Corrected',
  'follow-up': 'Follow-up',
};

/** The SLA line: when the claim or resolve is due, or that it is overdue. */
function dueLine(due: NonNullable<CardState['due']>): string {
  const what = due.kind === 'claim' ? 'Claim' : 'Resolve';
  return due.overdue ? `⏰ **${what} overdue** (was due ${relativeTime(due.at)})` : `⏱️ ${what} due ${relativeTime(due.at)}`;
}

/** The last state change: what, by whom, when (and why, for a dismissal). */
function lastActionLine(last: NonNullable<CardState['lastAction']>): string {
  const word = LAST_ACTION_WORD[last.action] ?? last.action;
  const to = last.targetName ? ` to ${safeForDiscord(last.targetName, 80)}` : '';
  const by = last.userName ? ` by ${safeForDiscord(last.userName, 80)}` : '';
  const why = last.detail ? `: ${safeForDiscord(last.detail, 200)}` : '';
  return `🕘 Last: ${word}${to}${by} ${relativeTime(last.at)}${why}`;
}

/** First time here, or returning: how many earlier mentions, how many open, and the last one's mood and outcome. */
export function authorLine(author: NonNullable<CardState['author']>): string {
  if (author.earlier === 0) return '🆕 First mention from them';
  const { last } = author;
  const plural = author.earlier === 1 ? '' : 's';
  const open = author.open ? ` · ${author.open} still open` : '';
  const mood = last ? MOOD_LOOK[moodOf({ polarity: last.polarity, flags: [...last.flags] })].label.toLowerCase() : '';
  const lastOne = last ? ` · last ${relativeTime(last.at)}: ${mood}, ${last.status}${last.channelKey ? ` in #${last.channelKey}` : ''}` : '';
  return `🔁 Returning: ${author.earlier} earlier mention${plural}${open}${lastOne}`;
}

/** The card's status line: who holds the mention, the reply once sent from Discord, the SLA time and the last change. */
export function holderLine(state: CardState): string {
  const who = state.holder ? ` by ${safeForDiscord(state.holder.name, 80)}` : '';
  const lines = [`${STATUS_LABEL[state.status]}${state.status === 'new' ? '' : who}`];
  if (state.sent) {
    const link = state.sent.url && /^https?:\/\/[^\s()<>[\]]+$/.test(state.sent.url) ? ` · [see the reply](${state.sent.url})` : '';
    const at = relativeTime(state.sent.at);
    lines.push(`↩️ Replied by ${safeForDiscord(state.sent.by.name, 80)}${at ? ` ${at}` : ''}${link}`);
  }
  if (state.due && state.status !== 'resolved' && state.status !== 'dismissed') lines.push(dueLine(state.due));
  if (state.lastAction) lines.push(lastActionLine(state.lastAction));
  return lines.join('\n');
}

/** The card's action row: the five buttons, enabled as the mention's status allows. */
export function buttons(state: CardState): APIActionRowComponent<APIButtonComponentWithCustomId> {
  const closed = state.status === 'resolved' || state.status === 'dismissed';
  const button = (action: CardAction, label: string, style: APIButtonComponentWithCustomId['style'], disabled: boolean) => ({
    type: ComponentType.Button as const,
    custom_id: buttonId(action, state.key),
    label,
    style,
    disabled,
  });
  const claimable = state.status === 'new' || state.status === 'escalated';
  const claimLabel = state.holder && !claimable ? plainForDiscord(`Claimed by ${state.holder.name}`, 80) : 'Claim';
  return {
    type: ComponentType.ActionRow,
    components: [
      button('claim', claimLabel, ButtonStyle.Primary, !claimable),
      button('reply', 'Reply…', ButtonStyle.Secondary, closed),
      button('resolve', 'Resolve', ButtonStyle.Success, closed),
      button('escalate', 'Escalate', ButtonStyle.Danger, closed || state.status === 'escalated'),
      button('dismiss', 'Dismiss', ButtonStyle.Secondary, closed),
    ],
  };
}

/**
 * The card's second row, for what changes who holds it: Release, Take over and Reassign…
 * while claimed, Reassign… while unclaimed, Reopen once closed. Only on a card alone in its
 * message (a stack has a row per card and no room for more).
 */
export function holdButtons(state: CardState): APIActionRowComponent<APIButtonComponentWithCustomId> {
  const button = (action: CardAction, label: string) => ({ type: ComponentType.Button as const, custom_id: buttonId(action, state.key), label, style: ButtonStyle.Secondary as const, disabled: false });
  const components =
    state.status === 'claimed'
      ? [button('release', 'Release'), button('takeover', 'Take over'), button('reassign', 'Reassign…')]
      : state.status === 'resolved' || state.status === 'dismissed'
        ? [button('reopen', 'Reopen')]
        : [button('reassign', 'Assign…')];
  return { type: ComponentType.ActionRow, components: [...components, button('note', 'Note…')] };
}

/** The channel key whose cards are word of mouth (happy mentions for marketing), with their own actions. */
export const WORD_OF_MOUTH_CHANNEL = 'marketing';

/** Whether a card in this channel is a word-of-mouth card. */
export function isWordOfMouth(channelKey: string | undefined): boolean {
  return channelKey === WORD_OF_MOUTH_CHANNEL;
}

/**
 * A word-of-mouth card's actions: Thank… (a reply of gratitude, through the Reply modal),
 * Share (the post ready to quote, privately), Done (resolved), Dismiss and Note…; once
 * closed, Reopen and Note….
 */
export function wordOfMouthButtons(state: CardState): APIActionRowComponent<APIButtonComponentWithCustomId> {
  const button = (action: CardAction, label: string, style: APIButtonComponentWithCustomId['style'] = ButtonStyle.Secondary) => ({
    type: ComponentType.Button as const,
    custom_id: buttonId(action, state.key),
    label,
    style,
    disabled: false,
  });
  const closed = state.status === 'resolved' || state.status === 'dismissed';
  const components = closed
    ? [button('reopen', 'Reopen'), button('share', 'Share'), button('note', 'Note…')]
    : [button('thank', 'Thank…', ButtonStyle.Primary), button('share', 'Share'), button('resolve', 'Done', ButtonStyle.Success), button('dismiss', 'Dismiss'), button('note', 'Note…')];
  return { type: ComponentType.ActionRow, components };
}

/** The authors of a group card with the most reach, each with a link to their post where it has one. */
export function groupLine(group: GroupSummary): string {
  const authors = group.top.map((a) => {
    return maskedLink(`@${safeForDiscord(a.handle, 60)} (${formatCount(a.reach)})`, a.url);
  });
  return `Near duplicates share this card. Most reach: ${authors.join(', ') || 'unknown'}`.slice(0, 1024);
}

/**
 * The Discord message body for a mention's card: an embed with the mention, why it was
 * judged so, where it was routed and the suggested reply, and the action buttons. The
 * exact body the bot POSTs, and what `render` prints.
 */
export function renderCard(state: CardState, channelKey?: string): CardMessage {
  const { mention, classification, route, reply, reach } = state.triage;
  const mood = MOOD_LOOK[moodOf(classification)];
  const author = `${mention.author.name} (@${mention.author.handle}) on ${PLATFORM_LABEL[mention.source]}`;
  const score = `${classification.score >= 0 ? '+' : '−'}${Math.abs(classification.score).toFixed(2)}`;
  const evidence = classification.evidence.length ? classification.evidence.slice(0, 10).map(inlineCode).join(' ') : 'no strong cue';
  const embed: APIEmbed = {
    color: mood.color,
    author: { name: plainForDiscord(author, 256), ...(mention.url ? { url: mention.url } : {}) },
    title: `${mood.emoji} ${mood.label} · ${classification.intent}`,
    description: `${mention.context ? `*in ${safeForDiscord(mention.context, 200)}*\n` : ''}${safeForDiscord(mention.text, 2000) || '*(no text)*'}`,
    fields: [
      field('Mood', `${classification.polarity} (${score})${classification.flags.length ? ` · ${classification.flags.join(', ')}` : ''}`),
      field('Severity', `${'●'.repeat(classification.severity)}${'○'.repeat(3 - classification.severity)} ${classification.severity}/3`),
      field('Reach', `${formatCount(reach)} followers${mention.author.verified ? ' · verified' : ''}${state.group && state.group.count > 1 ? `\n🔁 +${formatCount(state.group.count - 1)} similar` : ''}`),
      ...(state.author ? [field('Author', authorLine(state.author), false)] : []),
      field('Why', evidence, false),
      ...(state.group && state.group.count > 1 ? [field(`Posted ${formatCount(state.group.count)} times`, groupLine(state.group), false)] : []),
      field(
        'Routed',
        `#${route.channel}${route.alsoTo.length ? ` (+ ${route.alsoTo.map((c) => `#${c}`).join(', ')})` : ''} by rule \`${route.rules?.length ? route.rules.join(' + ') : route.rule}\` · priority ${route.priority} · claim within ${route.claimWithinMinutes} min${route.pingRoleId ? ` · pings <@&${route.pingRoleId}>` : ''}${route.tags?.length ? `\n🏷️ ${route.tags.map(inlineCode).join(' ')}` : ''}`,
        false,
      ),
      field('Status', holderLine(state), false),
      field(`Suggested reply (edit before sending)${reply.replyIn ? ` · reply in ${languageName(reply.replyIn)}` : ''}`, codeBlock(reply.text, 1024), false),
    ],
    footer: { text: `${state.key} · template ${reply.template}`.slice(0, 2048) },
    timestamp: mention.createdAt,
  };
  return {
    embeds: [embed],
    components: isWordOfMouth(channelKey) ? [wordOfMouthButtons(state), wrongMenu(state)] : [buttons(state), holdButtons(state), wrongMenu(state)],
    allowed_mentions: { parse: [] },
  };
}

/** A message under a card: a reply to it that pings only the roles and users given. */
function underCard(card: CardRef, content: string, ping: { roles?: string[]; users?: string[] } = {}): CardMessage {
  return {
    content: content.slice(0, 2000),
    message_reference: { message_id: card.messageId, fail_if_not_exists: false },
    allowed_mentions: { parse: [], roles: ping.roles ?? [], users: ping.users ?? [] },
  };
}

/** An SLA reminder under the card: how long it has waited and since when it is due; a resolve reminder nudges the holder. */
export function renderReminder(notice: Extract<Notice, { kind: 'reminder' }>): CardMessage {
  const waited = formatMinutes(notice.waitedMinutes);
  const due = relativeTime(notice.dueAt);
  if (notice.due === 'claim') return underCard(notice.card, `⏰ This mention has waited ${waited} and nobody has claimed it yet (claim was due ${due}). Can someone take it?`);
  const holder = notice.holder ? `<@${notice.holder.id}>` : 'Whoever holds this';
  return underCard(
    notice.card,
    `⏰ ${holder}, this mention has been open for ${waited}; it was due to be resolved ${due}. Resolve it, or Release it so someone else can.`,
    notice.holder ? { users: [notice.holder.id] } : {},
  );
}

/** An escalated card: says who escalated it and pings the leads' role, if one is configured. */
export function withEscalation(card: CardMessage, escalatedBy: string, leadRoleId?: string): CardMessage {
  const who = safeForDiscord(escalatedBy, 80);
  return {
    ...card,
    content: `${leadRoleId ? `<@&${leadRoleId}> ` : ''}Escalated by ${who}`,
    allowed_mentions: { parse: [], roles: leadRoleId ? [leadRoleId] : [] },
  };
}

/** The Discord message body for anything the pipeline posts: a card (as shown in `channelKey`), an escalated card, an alert. */
export function renderNotice(notice: Notice, channelKey?: string): CardMessage {
  switch (notice.kind) {
    case 'card':
      return renderCard(notice.state, channelKey);
    case 'escalation':
      return withEscalation(renderCard(notice.state), notice.escalatedBy, notice.leadRoleId);
    case 'alert':
      return renderAlert(notice.alert);
    case 'digest':
      return renderDigest(notice.states, notice.waiting);
    case 'reminder':
      return renderReminder(notice);
    case 'assigned':
      return underCard(notice.card, `👋 <@${notice.to.id}>, ${safeForDiscord(notice.by.name, 80)} gave you this mention: it is yours now.`, { users: [notice.to.id] });
    case 'escalated-again':
      return underCard(notice.card, `${notice.leadRoleId ? `<@&${notice.leadRoleId}> ` : ''}Escalated again by ${safeForDiscord(notice.escalatedBy, 80)}`, notice.leadRoleId ? { roles: [notice.leadRoleId] } : {});
    case 'thread-line':
      // Under the card when it has to go in the channel; in the thread the reference is dropped.
      return underCard(notice.card, threadLine(notice.line));
  }
}

/** One line in a card's thread: a note, a follow-up, a state change; every name and text shown literally, nobody pinged. */
export function threadLine(line: ThreadLine): string {
  const about = (handle?: string) => (handle ? ` (about @${safeForDiscord(handle, 60)})` : '');
  switch (line.what) {
    case 'note':
      return `📝 Note by ${safeForDiscord(line.by.name, 80)}${about(line.about)}:\n${safeForDiscord(line.text, 1700)}`;
    case 'follow-up': {
      const link = isLinkable(line.url) && line.url.length <= 300 ? `\n${line.url}` : '';
      return `↪️ Follow-up from @${safeForDiscord(line.handle, 60)}: this post joined the card and bumped it.\n${safeForDiscord(line.text, 1500)}${link}`;
    }
    case 'history': {
      const word = LAST_ACTION_WORD[line.action] ?? safeForDiscord(line.action, 40);
      const to = line.target ? ` to ${safeForDiscord(line.target, 80)}` : '';
      const by = line.by ? ` by ${safeForDiscord(line.by, 80)}` : '';
      const why = line.detail ? `: ${safeForDiscord(line.detail, 300)}` : '';
      return `🕘 ${word}${to}${by}${about(line.about)} ${relativeTime(line.at)}${why}`;
    }
  }
}
