import { safeForDiscord } from './display-text.js';
/**
 * What each card button does to a mention's state, as data. The store applies a rule
 * atomically; the Discord handler only parses the click and words the outcome.
 */

export const MENTION_STATUSES = ['new', 'claimed', 'escalated', 'resolved', 'dismissed'] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

/** The channel key escalated mentions are posted to. */
export const ESCALATION_CHANNEL = 'leads';

export const CARD_ACTIONS = ['claim', 'reply', 'resolve', 'escalate', 'dismiss'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/** A state change a button asks for. `reply` opens a draft and changes no state. */
export interface TransitionRule {
  /** Statuses the action may start from. */
  from: readonly MentionStatus[];
  to: MentionStatus;
  /** Only the person holding the mention may do it (when someone holds it). */
  claimerOnly: boolean;
  /** The actor becomes the holder when nobody holds the mention. */
  takesHold: boolean;
  /** Nobody holds the mention afterwards (escalate: the leads take it from there). */
  releasesHold: boolean;
}

export const TRANSITIONS: Record<Exclude<CardAction, 'reply'>, TransitionRule> = {
  claim: { from: ['new', 'escalated'], to: 'claimed', claimerOnly: false, takesHold: true, releasesHold: false },
  resolve: { from: ['new', 'claimed', 'escalated'], to: 'resolved', claimerOnly: true, takesHold: true, releasesHold: false },
  escalate: { from: ['new', 'claimed'], to: 'escalated', claimerOnly: true, takesHold: false, releasesHold: true },
  dismiss: { from: ['new', 'claimed', 'escalated'], to: 'dismissed', claimerOnly: true, takesHold: false, releasesHold: false },
};

/** A Discord user as the state records them. */
export interface Actor {
  id: string;
  name: string;
}

export type TransitionOutcome =
  | { ok: true; status: MentionStatus; holder?: Actor }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'held-by-other'; status: MentionStatus; holder: Actor }
  | { ok: false; reason: 'wrong-status'; status: MentionStatus; holder?: Actor };

const CUSTOM_ID = /^mt:(claim|reply|resolve|escalate|dismiss):([A-Za-z0-9._-]{1,80})$/;

/** The custom id a card button carries: `mt:<action>:<mention key>` (≤ 100 chars). */
export function buttonId(action: CardAction, key: string): string {
  return `mt:${action}:${key}`;
}

/** Reads a button or modal custom id; undefined when it is not one of ours. */
export function parseButtonId(customId: string): { action: CardAction; key: string } | undefined {
  const match = CUSTOM_ID.exec(customId);
  if (!match) return undefined;
  return { action: match[1] as CardAction, key: match[2] as string };
}

/** Words for a refused action, for an ephemeral reply to the person who clicked (names shown literally). */
export function describeRefusal(action: CardAction, outcome: Exclude<TransitionOutcome, { ok: true }>): string {
  if ('holder' in outcome && outcome.holder) outcome = { ...outcome, holder: { ...outcome.holder, name: safeForDiscord(outcome.holder.name, 80) } };
  switch (outcome.reason) {
    case 'missing':
      return 'This mention is no longer tracked: it was closed long ago or its state was removed.';
    case 'held-by-other':
      return action === 'claim'
        ? `Already claimed by ${outcome.holder.name}.`
        : `Only ${outcome.holder.name}, who holds this mention, can ${action === 'reply' ? 'reply to' : action} it.`;
    case 'wrong-status':
      return `This mention is already ${outcome.status}${outcome.holder ? ` (by ${outcome.holder.name})` : ''}.`;
  }
}
