/**
 * `/triage find` and `/triage explain`: one mention looked up by its link or key, and how
 * a text would be judged and routed. The answers are private and fit one message.
 */
import { safeForDiscord } from '../core/display-text.js';
import { keysForReference } from '../core/mention-reference.js';
import type { TriagePolicy } from '../core/triage.js';
import { explainMention, formatExplanation, type Explanation } from '../commands/rules-explain.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import { moodOf } from './card.js';

/** Discord's limit on a message's content. */
const MESSAGE_MAX = 2000;

/** The link to a mention's card: the one in its route's channel, else the first posted. */
export function cardLink(state: MentionState, guildId: string | null): string | undefined {
  const card = state.cards.find((c) => c.channelKey === state.triage.route.channel) ?? state.cards[0];
  return card && guildId ? `https://discord.com/channels/${guildId}/${card.channelId}/${card.messageId}` : undefined;
}

/**
 * The mention `reference` names, read by key (at most a few reads, never a scan); a link
 * whose shape names no key finds nothing.
 */
export async function findMention(store: Pick<MentionStore, 'get'>, reference: string): Promise<MentionState | undefined> {
  for (const key of keysForReference(reference)) {
    const state = await store.get(key);
    if (state) return state;
  }
  return undefined;
}

/** What `/triage find` answers about a mention: status, holder, mood, rule, a link to its card and the post. */
export function findMessage(state: MentionState, guildId: string | null): string {
  const { mention, classification, route } = state.triage;
  const rules = route.rules?.length ? route.rules : [route.rule];
  const card = cardLink(state, guildId);
  const lines = [
    `**${safeForDiscord(`@${mention.author.handle}`, 80)}** on ${mention.source} · \`${state.key}\``,
    `status: **${state.status}**${state.holder ? ` · held by ${safeForDiscord(state.holder.name, 80)}` : ' · held by nobody'}`,
    `mood: ${moodOf(classification)} · ${classification.intent} · severity ${classification.severity}`,
    `rule: ${safeForDiscord(rules.join(', '), 200)} → #${safeForDiscord(route.channel, 100)} · priority ${route.priority}${route.suppressed ? ' · suppressed (no card)' : ''}`,
    card ? `[card](${card})` : 'no card posted yet',
    `> ${safeForDiscord(mention.text.replace(/\s+/g, ' '), 300)}`,
  ];
  const post = mention.url && mention.url.length <= 500 && /^https?:\/\/[^\s<>]+$/.test(mention.url) ? `\n<${mention.url}>` : '';
  return `${lines.join('\n')}${post}`;
}

/** What `/triage find` says when `reference` names no stored mention. */
export function notFoundMessage(reference: string): string {
  return `Not found: ${safeForDiscord(reference, 200)} is no mention the store holds. Give the post's link (X, Bluesky by DID, Mastodon, Hacker News, Reddit) or the mention key from its card, e.g. \`x-1834…\`.`;
}

/**
 * How `policy` would judge and route a mention with `text`: posted on X now by an author
 * with no followers whose history is unknown (what `rules explain` assumes for a text).
 */
export function explainText(text: string, policy: TriagePolicy, at: Date): Explanation {
  const mention = { source: 'x' as const, id: 'explain', text, createdAt: at.toISOString(), author: { handle: 'someone', name: 'someone', followers: 0 } };
  return explainMention(mention, policy);
}

/**
 * The explanation as one message of at most 2,000 characters: the text, the judgement
 * with its evidence, the route, then the rule trace, each line made safe for markdown;
 * trace lines that do not fit are counted, never cut.
 */
export function explainMessage(text: string, explanation: Explanation): string {
  const [judged = '', routed = '', , ...trace] = formatExplanation(explanation);
  const evidence = explanation.classification.evidence;
  const head = [
    `**How this would be triaged** (posted on x now, by an author with no followers)`,
    `> ${safeForDiscord(text.replace(/\s+/g, ' '), 300)}`,
    safeForDiscord(judged, 400),
    `evidence: ${evidence.length ? safeForDiscord(evidence.join(', '), 300) : 'none'}`,
    safeForDiscord(routed, 400),
    '',
  ].join('\n');
  let body = head;
  let shown = 0;
  for (const line of trace) {
    const next = `${body}\n${safeForDiscord(line, 300)}`;
    if (next.length > MESSAGE_MAX - 80) break;
    body = next;
    shown += 1;
  }
  const hidden = trace.length - shown;
  return hidden ? `${body}\n…and ${hidden} more rule${hidden === 1 ? '' : 's'} not shown (2,000-character limit)` : body;
}
