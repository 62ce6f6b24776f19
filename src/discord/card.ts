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
import type { CardState, Notice } from '../pipeline/notifier.js';
import { renderAlert } from './alert-card.js';

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
export function moodOf(classification: Classification): Mood {
  if (classification.flags.includes('angry')) return 'angry';
  if (classification.flags.includes('happy')) return 'happy';
  if (classification.polarity === 'negative') return 'unhappy';
  if (classification.polarity === 'positive') return 'happy';
  return 'neutral';
}

/** 12345 → "12.3k". */
export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(n);
}

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

/** The card's status line: who holds the mention and, once sent from Discord, the reply. */
export function holderLine(state: CardState): string {
  const who = state.holder ? ` by ${safeForDiscord(state.holder.name, 80)}` : '';
  const status = `${STATUS_LABEL[state.status]}${state.status === 'new' ? '' : who}`;
  if (!state.sent) return status;
  const at = Math.floor(Date.parse(state.sent.at) / 1000);
  const link = state.sent.url && /^https?:\/\/[^\s()<>[\]]+$/.test(state.sent.url) ? ` · [see the reply](${state.sent.url})` : '';
  return `${status}\n↩️ Replied by ${safeForDiscord(state.sent.by.name, 80)}${Number.isFinite(at) ? ` <t:${at}:R>` : ''}${link}`;
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
 * The Discord message body for a mention's card: an embed with the mention, why it was
 * judged so, where it was routed and the suggested reply, and the action buttons. The
 * exact body the bot POSTs, and what `render` prints.
 */
export function renderCard(state: CardState): CardMessage {
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
      field('Reach', `${formatCount(reach)} followers${mention.author.verified ? ' · verified' : ''}`),
      field('Why', evidence, false),
      field(
        'Routed',
        `#${route.channel}${route.alsoTo.length ? ` (+ ${route.alsoTo.map((c) => `#${c}`).join(', ')})` : ''} by rule \`${route.rule}\` · priority ${route.priority} · claim within ${route.claimWithinMinutes} min`,
        false,
      ),
      field('Status', holderLine(state), false),
      field('Suggested reply (edit before sending)', codeBlock(reply.text, 1024), false),
    ],
    footer: { text: `${state.key} · template ${reply.template}`.slice(0, 2048) },
    timestamp: mention.createdAt,
  };
  return {
    embeds: [embed],
    components: [buttons(state)],
    allowed_mentions: { parse: [] },
  };
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

/** The Discord message body for anything the pipeline posts: a card, an escalated card, an alert. */
export function renderNotice(notice: Notice): CardMessage {
  switch (notice.kind) {
    case 'card':
      return renderCard(notice.state);
    case 'escalation':
      return withEscalation(renderCard(notice.state), notice.escalatedBy, notice.leadRoleId);
    case 'alert':
      return renderAlert(notice.alert);
  }
}
