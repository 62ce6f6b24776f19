import { safeForDiscord } from './display-text.js';
/**
 * What each card button does to a mention's state, as data. The store applies a rule
 * atomically; the Discord handler only parses the click and words the outcome.
 */

export const MENTION_STATUSES = ['new', 'claimed', 'escalated', 'resolved', 'dismissed'] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

/** The channel key escalated mentions are posted to. */
export const ESCALATION_CHANNEL = 'leads';

export const CARD_ACTIONS = ['claim', 'reply', 'resolve', 'escalate', 'dismiss', 'release', 'reopen', 'takeover', 'reassign', 'note', 'thank', 'share', 'open'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/**
 * Actions that change no state: `reply` and `thank` open a draft, `note` writes in the
 * card's thread, `share` shows the post ready to quote, `open` posts a digest's mention
 * as a card of its own.
 */
export const NON_STATE_ACTIONS = ['reply', 'note', 'thank', 'share', 'open'] as const;

/** An action that changes state. */
export type StateAction = Exclude<CardAction, (typeof NON_STATE_ACTIONS)[number]>;

/**
 * Who holds the mention after the action: `keep` as it was, `actor-if-none` the actor when
 * nobody holds it, `actor` the actor in any case (a take-over), `target` the person the
 * actor named (a reassignment), `none` nobody.
 */
export type HolderChange = 'keep' | 'actor-if-none' | 'actor' | 'target' | 'none';

/** A state change a button asks for. */
export interface TransitionRule {
  /** Statuses the action may start from. */
  from: readonly MentionStatus[];
  to: MentionStatus;
  /** Only the person holding the mention may do it (when someone holds it), unless the caller overrides it (a lead). */
  claimerOnly: boolean;
  holder: HolderChange;
}

export const TRANSITIONS: Record<StateAction, TransitionRule> = {
  claim: { from: ['new', 'escalated'], to: 'claimed', claimerOnly: false, holder: 'actor-if-none' },
  resolve: { from: ['new', 'claimed', 'escalated'], to: 'resolved', claimerOnly: true, holder: 'actor-if-none' },
  // Escalate: the leads take it from there.
  escalate: { from: ['new', 'claimed'], to: 'escalated', claimerOnly: true, holder: 'none' },
  dismiss: { from: ['new', 'claimed', 'escalated'], to: 'dismissed', claimerOnly: true, holder: 'keep' },
  release: { from: ['claimed'], to: 'new', claimerOnly: true, holder: 'none' },
  reopen: { from: ['resolved', 'dismissed'], to: 'new', claimerOnly: false, holder: 'none' },
  takeover: { from: ['claimed'], to: 'claimed', claimerOnly: false, holder: 'actor' },
  reassign: { from: ['new', 'claimed', 'escalated'], to: 'claimed', claimerOnly: false, holder: 'target' },
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

const CUSTOM_ID = new RegExp(`^mt:(${CARD_ACTIONS.join('|')}):([A-Za-z0-9._-]{1,80})$`);

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
      if (action === 'reopen') return `This mention is still open (${outcome.status}): there is nothing to reopen.`;
      if ((action === 'release' || action === 'takeover') && !outcome.holder) return 'Nobody holds this mention now: claim it instead.';
      return `This mention is already ${outcome.status}${outcome.holder ? ` (by ${outcome.holder.name})` : ''}.`;
  }
}

/** Who sets a mention aside when the service itself does (a rule suppressed it, it shares a group's card). */
export const SERVICE_ACTOR: Actor = { id: 'mention-triage', name: 'mention-triage' };
