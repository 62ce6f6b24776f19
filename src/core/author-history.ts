/**
 * What the card says about the author: first time here or returning, how many earlier
 * mentions, how many still open, and the last one's mood and outcome. Service recovery
 * depends on the relationship: a first-time customer expects more than a long-time fan.
 */
import type { MentionStatus } from './card-actions.js';
import type { MoodFlag, Polarity } from './classification.js';

export interface AuthorHistory {
  /** Earlier mentions of theirs the team has had cards for (within the retention). */
  earlier: number;
  /** How many of the earlier ones looked at are still open. */
  open: number;
  /** The most recent earlier one. */
  last?: { key: string; at: string; polarity: Polarity; flags: readonly MoodFlag[]; status: MentionStatus; channelKey?: string };
}

/** The earlier mentions as the summary needs them, newest first. */
export interface EarlierMention {
  key: string;
  status: MentionStatus;
  createdAt: string;
  polarity: Polarity;
  flags: readonly MoodFlag[];
  channelKey?: string;
}

/** Sums up an author's earlier mentions (`count` in all; `recent` the newest of them, newest first). */
export function summariseAuthor(count: number, recent: readonly EarlierMention[]): AuthorHistory {
  const open = recent.filter((m) => m.status !== 'resolved' && m.status !== 'dismissed').length;
  const last = recent[0];
  return {
    earlier: Math.max(count, recent.length),
    open,
    ...(last
      ? { last: { key: last.key, at: last.createdAt, polarity: last.polarity, flags: last.flags, status: last.status, ...(last.channelKey ? { channelKey: last.channelKey } : {}) } }
      : {}),
  };
}
