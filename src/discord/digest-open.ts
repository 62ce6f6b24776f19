/**
 * "Open as card" on a backlog digest: a menu of the listed mentions; the one picked is
 * posted as a card of its own in the digest's channel and marked on the digest.
 */
import { MessageFlags, type APIEmbed, type StringSelectMenuInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { describeRefusal, type Actor } from '../core/card-actions.js';
import { safeForDiscord } from '../core/display-text.js';
import type { SlaTimers } from '../pipeline/sla-worker.js';
import type { Notifier } from '../pipeline/notifier.js';
import type { MentionStore } from '../store/mention-store.js';
import { MISSING } from './interaction-kit.js';

/** The custom id of a digest's "Open as card" menu. */
export const DIGEST_OPEN_ID = 'mt-digest:open';

/** Discord's limit for an embed description. */
const DESCRIPTION_MAX = 4096;

/** The digest's description with the mention's line marked as opened (a shorter mark when the long one does not fit). */
export function markOpened(description: string, key: string, by: Actor, cardUrl: string): string {
  const lines = description.split('\n');
  const i = lines.findIndex((line) => line.includes(`\`${key}\``));
  if (i < 0) return description;
  const long = ` · 📌 [opened as a card](${cardUrl}) by ${safeForDiscord(by.name, 80)}`;
  for (const mark of [long, ' · 📌 opened as a card']) {
    const next = [...lines];
    next[i] = `${lines[i]}${mark}`;
    const joined = next.join('\n');
    if (joined.length <= DESCRIPTION_MAX) return joined;
  }
  return description;
}

export interface DigestOpenDeps {
  store: Pick<MentionStore, 'get' | 'recordCard'>;
  notifier: Pick<Notifier, 'post'>;
  sla?: Pick<SlaTimers, 'set'>;
  log: Logger;
  now: () => Date;
}

/** Handles a pick in a digest's menu: posts that mention's card and marks it on the digest. */
export function createDigestOpen(deps: DigestOpenDeps) {
  const { store, notifier, sla, log, now } = deps;
  return async function onDigestOpen(interaction: StringSelectMenuInteraction, actor: Actor): Promise<void> {
    const key = interaction.values[0] ?? '';
    const tell = (content: string) => interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    await interaction.deferUpdate();
    const found = await store.get(key);
    if (!found) return void (await tell(describeRefusal('open', MISSING)));
    const digestId = interaction.message.id;
    const listed = found.cards.find((c) => c.messageId === digestId);
    if (!listed) return void (await tell('This mention already has a card of its own in this channel.'));
    const state = sla ? await sla.set(found).catch(() => found) : found;
    const ref = await notifier.post(listed.channelKey, { kind: 'card', state }, `open/${key}/${listed.channelKey}`);
    await store.recordCard(key, ref, now(), state.triage);
    const url = `https://discord.com/channels/${interaction.guildId ?? '@me'}/${ref.channelId}/${ref.messageId}`;
    const [embed, ...others] = interaction.message.embeds.map((e) => e.toJSON() as APIEmbed);
    const components = interaction.message.components.map((row) => row.toJSON() as { components: Array<{ options?: Array<{ value: string }> }> });
    // The menu keeps the mentions not opened yet; none left, no menu.
    for (const row of components) for (const menu of row.components) if (menu.options) menu.options = menu.options.filter((o) => o.value !== key);
    const kept = components.filter((row) => row.components.every((menu) => !menu.options || menu.options.length > 0));
    await interaction.editReply({ embeds: embed ? [{ ...embed, description: markOpened(embed.description ?? '', key, actor, url) }, ...others] : others, components: kept as never });
    log.info({ key, channelKey: listed.channelKey, messageId: ref.messageId, userId: actor.id }, 'digest mention opened as a card');
    await tell(`Opened as a card: ${url}`);
  };
}
