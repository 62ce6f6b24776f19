import type { Actor, MentionStatus } from '../core/card-actions.js';
import type { MarketingDigest } from '../core/marketing-digest.js';
import type { AuthorHistory } from '../core/author-history.js';
import type { SlaDue } from '../core/sla.js';
import type { TriageResult } from '../core/triage-result.js';
import type { GroupSummary } from '../store/duplicate-groups.js';
import type { CardRef } from '../store/mention-store.js';
import type { AlertJob } from './queues.js';

/** The parts of a mention's state a card shows. */
export interface CardState {
  key: string;
  status: MentionStatus;
  triage: TriageResult;
  holder?: Actor;
  /** A reply sent from Discord through the platform. */
  sent?: { url?: string; by: Actor; at: string };
  /** The SLA time that runs now (claim or resolve), and whether it has passed. */
  due?: SlaDue;
  /** Near duplicates that share this card: how many and who, by reach. */
  group?: GroupSummary;
  /** The author's earlier mentions (first time here, or returning). */
  author?: AuthorHistory;
  /** The last state change, shown with who and when. */
  lastAction?: { action: string; at: string; userName?: string; targetName?: string; detail?: string };
}

/**
 * What to post. The adapter decides how it looks: the pipeline hands over state, never
 * a rendered message.
 */
export type Notice =
  /** A mention's card, as routed. */
  | { kind: 'card'; state: CardState }
  /** A mention's card for the leads: says who escalated it and pings `leadRoleId`, when set. */
  | { kind: 'escalation'; state: CardState; escalatedBy: string; leadRoleId?: string }
  /** A notice for the leads about the service itself. */
  | { kind: 'alert'; alert: AlertJob }
  /**
   * An SLA reminder under a posted card, in its channel: the claim is overdue (nobody is
   * pinged), or the resolve is and its holder is nudged.
   */
  | { kind: 'reminder'; card: CardRef; due: 'claim' | 'resolve'; dueAt: string; waitedMinutes: number; holder?: Actor }
  /** A mention a lead gave to someone: a reply to its card that pings only them. */
  | { kind: 'assigned'; card: CardRef; to: Actor; by: Actor }
  /** Quiet mentions listed in one message while the channel has a backlog; `waiting` more are in line for the next. */
  | { kind: 'digest'; states: readonly CardState[]; waiting: number }
  /** A mention escalated again whose card is already in the leads' channel: a reply to it that pings `leadRoleId`. */
  | { kind: 'escalated-again'; card: CardRef; escalatedBy: string; leadRoleId?: string }
  /** A line in a card's thread: a team note, the author's follow-up, a state change. */
  | { kind: 'thread-line'; card: CardRef; line: ThreadLine };

/** What a line in a card's thread says. */
export type ThreadLine =
  /** An internal note; `about` names the mention when the thread is shared by a stack of cards. */
  | { what: 'note'; by: Actor; text: string; about?: string }
  /** The author wrote again in the same conversation: the post joined this card. */
  | { what: 'follow-up'; handle: string; text: string; url?: string }
  /** A state change from the history (claim, resolve…), with who and when. */
  | { what: 'history'; action: string; at: string; by?: string; target?: string; detail?: string; about?: string };

/** Where cards go: Discord in production, the terminal in the demo. */
export interface Notifier {
  /** Whether cards for this channel key can be posted (a channel may be left unconfigured). */
  accepts(channelKey: string): boolean;
  /** Posts a new message; `nonce` lets the platform drop a retried duplicate while it remembers it. */
  post(channelKey: string, notice: Notice, nonce: string): Promise<CardRef>;
  /**
   * Posts several mentions' cards as one message (a channel with a backlog), each card with
   * its own buttons, in the order given; the one reference is every card's.
   */
  postStack(channelKey: string, states: readonly CardState[], nonce: string): Promise<CardRef>;
  /**
   * Replaces an existing card's content (state changes). A card in a stack is shown again
   * with the others: `stack` is every card of that message, in order, `state` among them.
   */
  edit(ref: CardRef, state: CardState, stack?: readonly CardState[]): Promise<void>;
  /**
   * The mention's card already in the channel, if an earlier attempt posted one whose
   * answer was lost: looked up among the channel's recent messages, so a retry does not
   * rely on the platform still remembering the nonce.
   */
  findCard(channelKey: string, key: string): Promise<CardRef | undefined>;
  /**
   * The backlog digest already in the channel that lists any of `keys`, if an earlier
   * attempt posted it and its answer was lost (looked up among the channel's recent
   * messages, as {@link findCard} does). Absent: a retried digest relies on the nonce.
   */
  findDigest?(channelKey: string, keys: readonly string[]): Promise<CardRef | undefined>;
  /**
   * Posts a notice in the card's thread (on Discord, the thread started from the card's
   * message), opening it under `threadName` when there is none yet and reusing one that
   * exists. When the card's message is gone and it had no thread, the notice goes under
   * the card in its channel instead. Returns where it went. Absent: notices go under the
   * card in the channel (see `postUnderCard` in card-thread-post.ts).
   */
  postInThread?(card: CardRef, notice: Notice, nonce: string, threadName: string): Promise<CardRef>;
  /**
   * Posts the day's marketing digest (top word-of-mouth mentions, counts against the day
   * before, the week's volume by mood; Discord attaches the week as a chart image). `nonce`
   * lets the platform drop a retried duplicate. Absent: this notifier posts no digest.
   */
  postMarketingDigest?(channelKey: string, digest: MarketingDigest, nonce: string): Promise<CardRef>;
}

/** The platform refused a stack of cards as a whole (a field of one of them): post each alone instead. */
export class StackRefusedError extends Error {
  override readonly name = 'StackRefusedError';
  constructor(readonly refused: string[]) {
    super(`the platform refused the stacked message (${refused.join(', ') || 'no field named'})`);
  }
}
