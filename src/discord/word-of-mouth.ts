/**
 * The actions of a word-of-mouth card (a happy mention in the marketing channel): Thank…
 * opens the Reply modal with a draft of gratitude (sent or handed back by the reply flow
 * as any reply), Share shows the post ready to quote, privately. Done is Resolve.
 */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { describeRefusal, type Actor } from '../core/card-actions.js';
import { gratitudeDraft } from '../core/gratitude.js';
import { cleanText, safeForDiscord } from '../core/display-text.js';
import type { Mention } from '../core/mention.js';
import type { MentionStore } from '../store/mention-store.js';
import { fenced, fitMessage, LINK_MAX, MISSING } from './interaction-kit.js';
import { replyModal } from './reply-review.js';

/** How much of the post a share quotes. */
const QUOTE_MAX = 1000;

/** The post as a quote block, who said it and where, and the link. */
export function shareText(mention: Mention): string {
  const text = cleanText(mention.text).slice(0, QUOTE_MAX);
  const quoted = safeForDiscord(text, QUOTE_MAX + 200)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const who = `${mention.author.name} (@${mention.author.handle})`;
  const link = mention.url && mention.url.length <= LINK_MAX && /^https?:\/\/\S+$/.test(mention.url) ? mention.url : undefined;
  const plain = `“${text}” — ${who}${link ? ` ${link}` : ''}`;
  return fitMessage(`Ready to quote:\n${quoted}\n— ${safeForDiscord(who, 200)}${link ? `\n${link}` : ''}\n\nTo copy:\n${fenced(plain)}`);
}

export function createWordOfMouth(deps: { store: Pick<MentionStore, 'get'> }) {
  const { store } = deps;

  /** Thank…: the Reply modal, opened with a gratitude draft; only the holder (or anyone, while nobody holds it). */
  async function onThank(interaction: ButtonInteraction, key: string, actor: Actor): Promise<void> {
    const state = await store.get(key);
    if (!state) return void (await interaction.reply({ content: describeRefusal('thank', MISSING), flags: MessageFlags.Ephemeral }));
    if (state.holder && state.holder.id !== actor.id) {
      await interaction.reply({ content: describeRefusal('reply', { ok: false, reason: 'held-by-other', status: state.status, holder: state.holder }), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
      return;
    }
    await interaction.showModal(replyModal(key, state.triage.mention.author.handle, gratitudeDraft(state.triage)));
  }

  /** Share: the link and the text ready to quote, shown only to whoever asked. */
  async function onShare(interaction: ButtonInteraction, key: string): Promise<void> {
    const state = await store.get(key);
    const content = state ? shareText(state.triage.mention) : describeRefusal('share', MISSING);
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  }

  return { onThank, onShare };
}
