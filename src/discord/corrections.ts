import { ComponentType, MessageFlags, type APIActionRowComponent, type APIStringSelectComponent, type StringSelectMenuInteraction } from 'discord.js';
import type { Actor, StateAction } from '../core/card-actions.js';
import { CORRECTIONS, correctedIntent, type Correction } from '../core/learned-model.js';
import type { CardState } from '../pipeline/notifier.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import type { ModelStore } from '../store/model-store.js';

/** The custom id prefix of the "Wrong?" menu; the mention key follows. */
const WRONG_PREFIX = 'mt-wrong:';

/** How a correction reads in the menu: "Mood: neutral", "Intent: feature request", "Spam". */
function correctionLabel(correction: Correction): string {
  const intent = correctedIntent(correction);
  if (intent !== undefined) return `Intent: ${intent.replace(/-/g, ' ')}`;
  if (correction === 'spam') return 'Spam';
  if (correction === 'not-for-us') return 'Not for us';
  return `Mood: ${correction}`;
}

/** How a correction reads on the card: "mood → neutral", "intent → question", "spam". */
export function describeCorrection(correction: Correction): string {
  const intent = correctedIntent(correction);
  if (intent !== undefined) return `intent → ${intent.replace(/-/g, ' ')}`;
  return correction === 'spam' || correction === 'not-for-us' ? correction.replace(/-/g, ' ') : `mood → ${correction}`;
}

/** The card's "Wrong?" row: one select menu of what the mention really is (mood, intent, spam, not for us). Only on a card alone in its message. */
export function wrongMenu(state: Pick<CardState, 'key'>): APIActionRowComponent<APIStringSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: `${WRONG_PREFIX}${state.key}`,
        placeholder: 'Wrong? Say what it really is',
        min_values: 1,
        max_values: 1,
        options: CORRECTIONS.map((c) => ({ label: correctionLabel(c), value: c })),
      },
    ],
  };
}

/** Reads a "Wrong?" choice: the mention key and the correction, or undefined when the menu is not ours. */
export function parseCorrection(customId: string, values: readonly string[]): { key: string; correction: Correction } | undefined {
  if (!customId.startsWith(WRONG_PREFIX)) return undefined;
  const correction = values[0] as Correction;
  if (!CORRECTIONS.includes(correction)) return undefined;
  return { key: customId.slice(WRONG_PREFIX.length), correction };
}

/**
 * The label an outcome the team confirmed gives: a mention resolved counts as its triaged
 * mood, one dismissed as spam as spam; anything else says nothing about the mention.
 */
export function outcomeLabel(action: StateAction, state: Pick<MentionState, 'triage'>, detail?: string): Correction | undefined {
  if (action === 'resolve') return state.triage.classification.polarity;
  if (action === 'dismiss' && detail !== undefined && /\bspam\b/i.test(detail)) return 'spam';
  return undefined;
}

export interface CorrectionDeps {
  store: Pick<MentionStore, 'get' | 'note'>;
  labels: Pick<ModelStore, 'addLabel'>;
  /** The card as it is now (a menu is only on a card alone in its message). */
  render(state: MentionState): Parameters<StringSelectMenuInteraction['update']>[0];
  now: () => Date;
}

/**
 * Records a "Wrong?" choice as a label with who made it, notes it in the mention's
 * history (the card's status line shows "corrected by X: mood → neutral") and updates the card.
 */
export async function onCorrection(interaction: StringSelectMenuInteraction, parsed: { key: string; correction: Correction }, actor: Actor, deps: CorrectionDeps): Promise<void> {
  const state = await deps.store.get(parsed.key);
  if (!state) {
    await interaction.reply({ content: 'This mention is no longer kept, so the correction was not recorded.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  const at = deps.now().toISOString();
  await deps.labels.addLabel({ key: parsed.key, text: state.triage.mention.text, correction: parsed.correction, by: actor.name, via: 'wrong-menu', at });
  await deps.store.note(parsed.key, { action: 'corrected', at, userId: actor.id, userName: actor.name, detail: describeCorrection(parsed.correction) });
  const updated = (await deps.store.get(parsed.key)) ?? state;
  await interaction.update(deps.render(updated));
}
