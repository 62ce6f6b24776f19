/**
 * Follow-ups: a post from the same author in the same conversation (a reply to their own
 * earlier mention, or to a reply of theirs that already joined) joins the earlier mention's
 * open card instead of getting a card of its own, and bumps it: the card shows "Follow-up"
 * with the new text, the history keeps it, and the card's thread gets a line.
 */
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { SERVICE_ACTOR } from '../core/card-actions.js';
import { mentionKey } from '../core/mention-key.js';
import type { Mention } from '../core/mention.js';
import type { TriageResult } from '../core/triage-result.js';
import type { Redis } from 'ioredis';
import { createFollowUpLinks, type FollowUpLinks } from '../store/follow-up-links.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import { postUnderCard } from './card-thread-post.js';
import type { Notifier } from './notifier.js';
import { notifyPriority, type NotifyJob } from './queues.js';

/** What triage needs to join follow-ups to open cards. */
export interface FollowUps {
  links: Pick<FollowUpLinks, 'rootsOf' | 'link'>;
  store: Pick<MentionStore, 'get' | 'note' | 'compact' | 'transition'>;
}

/** What triage needs to join follow-ups, the links kept as long as a closed mention (`retention.closedDays`). */
export function followUpsFor(redis: Redis, store: FollowUps['store'], options: { prefix: string; closedDays: number }): FollowUps {
  return { store, links: createFollowUpLinks(redis, { prefix: options.prefix, ttlSeconds: Math.max(1, Math.round(options.closedDays * 86_400)) }) };
}

/** A notify job that shows a follow-up on the card it joined (edit and thread line); `key` is the card's mention. */
export type FollowUpJob = NotifyJob & { followUp: string };

type QueuedJob = { name: string; data: NotifyJob; opts: { jobId: string; priority: number; removeOnFail?: boolean } };

/** What a batch's follow-ups came to. */
export interface FollowUpBatch {
  /** Index in the batch → the mention whose card it joined (it gets no card of its own). */
  joined: Map<number, string>;
  /** The notify jobs that bump the joined cards, by channel. */
  bumps: Array<{ channelKey: string; job: QueuedJob }>;
}

const OPEN = new Set(['new', 'claimed', 'escalated']);

/** Whether two posts have the same author: the platform's account id when both have one, else the handle. */
export function sameAuthor(a: Mention, b: Mention): boolean {
  if (a.source !== b.source) return false;
  if (a.author.id && b.author.id) return a.author.id === b.author.id;
  return a.author.handle.toLowerCase() === b.author.handle.toLowerCase();
}

/** The key of the post a mention replies to, when it may be the author's own (the parent's handle, when known, is theirs). */
export function parentKeyOf(mention: Mention): string | undefined {
  const parent = mention.inReplyTo;
  if (!parent?.id) return undefined;
  if (parent.handle && parent.handle.replace(/^@/, '').toLowerCase() !== mention.author.handle.toLowerCase()) return undefined;
  return mentionKey({ source: mention.source, id: parent.id });
}

/** The job id of a follow-up's bump of a card in one channel. */
export function followUpJobId(followUp: string, channelKey: string): string {
  return `followup--${followUp}--${channelKey}`;
}

/**
 * Joins a batch's new replies to the open cards of their authors' earlier mentions. Only
 * mentions with a reply reference cost anything: their links are read in one round trip
 * and the earlier mentions' states together; a batch without replies reads nothing.
 */
export async function joinFollowUps(items: ReadonlyArray<{ key: string; triage: TriageResult; created: boolean }>, f: FollowUps, at: Date): Promise<FollowUpBatch> {
  const result: FollowUpBatch = { joined: new Map(), bumps: [] };
  const candidates = items.flatMap(({ key, triage, created }, index) => {
    const parent = created && !triage.route.suppressed ? parentKeyOf(triage.mention) : undefined;
    return parent && parent !== key ? [{ index, key, triage, parent }] : [];
  });
  if (candidates.length === 0) return result;
  const linked = await f.links.rootsOf(candidates.map((c) => c.parent));
  const inBatch = new Map(items.map((item, index) => [item.key, { ...item, index }]));
  // A parent earlier in this batch: its root is its own, or the one it joined just now.
  const rootOf = (parent: string, i: number) => result.joined.get(inBatch.get(parent)?.index ?? -1) ?? linked[i] ?? parent;
  const roots = [...new Set(candidates.map((c, i) => linked[i] ?? c.parent))].filter((root) => !inBatch.has(root));
  const states = new Map((await Promise.all(roots.map((root) => f.store.get(root)))).filter((s): s is MentionState => s !== undefined).map((s) => [s.key, s]));
  const links: Array<{ key: string; root: string }> = [];
  const joinedItems: Array<{ key: string; triage: TriageResult }> = [];
  const bumped = new Map<string, { channels: Set<string>; triage: TriageResult }>();
  candidates.forEach((c, i) => {
    const root = rootOf(c.parent, i);
    const batchRoot = inBatch.get(root);
    const recorded = states.get(root);
    const rootTriage = batchRoot && batchRoot.index < c.index && !result.joined.has(batchRoot.index) ? batchRoot.triage : recorded && OPEN.has(recorded.status) && recorded.cards.length > 0 ? recorded.triage : undefined;
    if (!rootTriage || !sameAuthor(rootTriage.mention, c.triage.mention)) return;
    result.joined.set(c.index, root);
    links.push({ key: c.key, root });
    joinedItems.push({ key: c.key, triage: c.triage });
    const channels = recorded ? recorded.cards.map((card) => card.channelKey) : [rootTriage.route.channel, ...rootTriage.route.alsoTo];
    const entry = bumped.get(root) ?? { channels: new Set<string>(), triage: rootTriage };
    channels.forEach((ch) => entry.channels.add(ch));
    bumped.set(root, entry);
    const priority = notifyPriority(4, 0);
    for (const channelKey of entry.channels) {
      result.bumps.push({ channelKey, job: { name: 'follow-up', data: { key: root, channelKey, priority, followUp: c.key } as FollowUpJob, opts: { jobId: followUpJobId(c.key, channelKey), priority, removeOnFail: true } } });
    }
  });
  if (links.length === 0) return result;
  await f.links.link(links);
  await f.store.compact(joinedItems);
  for (const { key, triage } of joinedItems) {
    const root = result.joined.get(items.findIndex((item) => item.key === key))!;
    const { mention } = triage;
    await f.store.note(root, { action: 'follow-up', at: at.toISOString(), userName: `@${mention.author.handle}`, detail: mention.text.slice(0, 500) });
    await f.store.transition(key, 'dismiss', SERVICE_ACTOR, at, { detail: `a follow-up from the same author, on the card of ${root}` });
  }
  return result;
}

/**
 * The notify side of a follow-up: shows it on the card it joined in the job's channel
 * (the card is rendered again, with "Follow-up" and the text as its last change) and
 * writes it in the card's thread. A card not posted yet shows it when it is.
 */
export function createFollowUpBumper(deps: { notifier: Pick<Notifier, 'edit' | 'post' | 'postInThread'>; store: Pick<MentionStore, 'get' | 'card' | 'stackOf'>; log: Logger }) {
  const { notifier, store, log } = deps;
  return async (job: Job<NotifyJob>): Promise<string> => {
    const { key, channelKey } = job.data;
    const followUp = (job.data as Partial<FollowUpJob>).followUp ?? '';
    const [ref, state, joined] = await Promise.all([store.card(key, channelKey), store.get(key), store.get(followUp)]);
    if (!ref || !state) return 'not-posted-yet';
    const keys = await store.stackOf(ref.messageId);
    const stack = keys && keys.length > 1 ? (await Promise.all(keys.map((k) => (k === key ? state : store.get(k))))).filter((s): s is MentionState => s !== undefined) : undefined;
    await notifier.edit(ref, state, stack);
    if (joined) {
      const { mention } = joined.triage;
      await postUnderCard(notifier, ref, state, { kind: 'thread-line', card: ref, line: { what: 'follow-up', handle: mention.author.handle, text: mention.text, ...(mention.url ? { url: mention.url } : {}) } }, `followup/${followUp}/${channelKey}`);
    }
    log.info({ key, channelKey, followUp }, 'follow-up shown on its card');
    return 'bumped';
  };
}
