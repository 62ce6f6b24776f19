/**
 * Coalescing: near-duplicate mentions (reposts, quote chains, one text from many accounts)
 * share the card of the first one, which shows how many there are and the authors with the
 * most reach. Each mention keeps its own state; only the card is shared.
 */
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { SERVICE_ACTOR } from '../core/card-actions.js';
import { duplicateSignature } from '../core/near-duplicate.js';
import type { TriageResult } from '../core/triage-result.js';
import type { DuplicateGroups, JoinResult } from '../store/duplicate-groups.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import type { Notifier } from './notifier.js';
import { cardPriority, type NotifyJob } from './queues.js';

export interface Coalescing {
  groups: Pick<DuplicateGroups, 'joinMany'>;
  store: Pick<MentionStore, 'get' | 'setGroups' | 'compact' | 'transition'>;
  /**
   * Reach from which a near duplicate still gets a card of its own (and is counted on the
   * group's card too): a large audience is worth a person's look of its own.
   */
  ownCardFromReach: number;
}

/** Edits of one group card per refresh job, when copies keep joining during the edits. */
const MAX_REFRESH_EDITS = 3;

/** The notify job id of a group card's refresh: one waiting refresh per card, however many join. */
export function groupRefreshJobId(leader: string, channelKey: string): string {
  return `group--${leader}--${channelKey}`;
}

/** What coalescing decided for a triage batch. */
export interface CoalescedBatch {
  /** Index in the batch → the channels where its card is the group's card (no card of its own there). */
  joined: Map<number, Set<string>>;
  /** Leader → channel → the most urgent notify priority of a copy that joined it there. */
  urgent: Map<string, Map<string, number>>;
  /** Group cards to refresh: leader → the channels of its card and its route's priority. */
  refresh: Map<string, { channels: string[]; priority: number }>;
}

const channelsOf = (triage: TriageResult) => [triage.route.channel, ...triage.route.alsoTo];

/**
 * Joins a batch's mentions to their groups (in one round trip), records each changed
 * group's summary on its leader's state and says which cards the batch does not need:
 * a mention that joined another's group has no card in the channels that group's card is
 * in (the others still get one), unless its reach earns it its own.
 *
 * @param items  The batch as triage recorded it: key and the standing triage.
 */
export async function coalesceBatch(items: ReadonlyArray<{ key: string; triage: TriageResult }>, c: Coalescing): Promise<CoalescedBatch> {
  const entries: Array<{ index: number; key: string; signature: NonNullable<ReturnType<typeof duplicateSignature>>; triage: TriageResult }> = [];
  items.forEach(({ key, triage }, index) => {
    // A suppressed mention has no card to share.
    if (triage.route.suppressed) return;
    const signature = duplicateSignature(triage.mention);
    if (signature) entries.push({ index, key, signature, triage });
  });
  const result: CoalescedBatch = { joined: new Map(), urgent: new Map(), refresh: new Map() };
  if (entries.length === 0) return result;
  const joins = await c.groups.joinMany(
    entries.map(({ key, signature, triage: { mention, reach } }) => ({
      key,
      signature,
      mention: { reach, handle: mention.author.handle, platform: mention.source, url: mention.url, at: new Date(Date.parse(mention.createdAt) || Date.now()) },
    })),
  );
  const inBatch = new Map(items.map(({ key, triage }) => [key, triage]));
  const latest = new Map<string, JoinResult>();
  const members: Array<{ index: number; leader: string; triage: TriageResult }> = [];
  joins.forEach((join, i) => {
    const { index, key, triage } = entries[i]!;
    if (join.leader === key) return;
    if (!join.repeated) latest.set(join.leader, join);
    if (triage.reach < c.ownCardFromReach) members.push({ index, leader: join.leader, triage });
  });
  // A leader from an earlier batch: its channels are read from its recorded triage.
  const leaders = [...new Set([...members.map((m) => m.leader), ...latest.keys()])];
  const states = await Promise.all(leaders.map(async (leader) => (inBatch.has(leader) ? undefined : c.store.get(leader))));
  const recorded = leaders.map((leader, i) => inBatch.get(leader) ?? states[i]?.triage);
  const leaderChannels = new Map(leaders.map((leader, i) => [leader, new Set(recorded[i] ? channelsOf(recorded[i]!) : [])]));
  // A group whose card was resolved or dismissed takes no more cards' places: a copy
  // posted after is counted there but gets its own card, so a person sees it.
  const closed = new Set(leaders.filter((_, i) => states[i] !== undefined && (states[i]!.status === 'resolved' || states[i]!.status === 'dismissed')));
  const cardless: Array<{ key: string; triage: TriageResult }> = [];
  for (const { index, leader, triage } of members) {
    if (closed.has(leader)) continue;
    const channels = channelsOf(triage);
    const shared = new Set(channels.filter((channel) => leaderChannels.get(leader)!.has(channel)));
    if (shared.size > 0) result.joined.set(index, shared);
    if (shared.size === channels.length) cardless.push(items[index]!);
    const priority = cardPriority(triage);
    const byChannel = result.urgent.get(leader) ?? new Map<string, number>();
    for (const channel of shared) byChannel.set(channel, Math.min(priority, byChannel.get(channel) ?? Infinity));
    result.urgent.set(leader, byChannel);
  }
  // Shown on the group's card and answered there: compact now (no card of its own will),
  // and set aside so it waits in no queue; reopening it brings it back.
  await c.store.compact(cardless);
  const now = new Date();
  for (const { key } of cardless) {
    const leader = members.find((m) => items[m.index]!.key === key)!.leader;
    await c.store.transition(key, 'dismiss', SERVICE_ACTOR, now, { detail: `a near duplicate, on the group card of ${leader}` });
  }
  if (latest.size > 0) await c.store.setGroups([...latest].map(([leader, join]) => ({ key: leader, group: { count: join.count, top: join.top } })));
  leaders.forEach((leader, i) => {
    const channels = leaderChannels.get(leader)!;
    if (latest.has(leader) && channels.size > 0) result.refresh.set(leader, { channels: [...channels], priority: recorded[i]!.route.priority });
  });
  return result;
}

/**
 * Shows a group card's new count: edits the leader's posted card in the channel (with the
 * other cards of its message, when it shares one). A card not posted yet needs nothing:
 * it is rendered with the group when it is. A copy that joins while the edit is under way
 * cannot queue a refresh of its own (this one holds the job id), so the count is read
 * again after the edit and the card edited again when it moved (a few times at most).
 */
export function createGroupRefresher(deps: { notifier: Pick<Notifier, 'edit'>; store: Pick<MentionStore, 'get' | 'card' | 'stackOf'>; log: Logger }) {
  const { notifier, store, log } = deps;
  return async (job: Job<NotifyJob>): Promise<string> => {
    const { key, channelKey } = job.data;
    const ref = await store.card(key, channelKey);
    if (!ref) return 'not-posted-yet';
    let state = await store.get(key);
    if (!state) return 'gone';
    const keys = await store.stackOf(ref.messageId);
    for (let edits = 1; ; edits++) {
      let stack: MentionState[] | undefined;
      if (keys && keys.length > 1 && keys.includes(key)) {
        const shown: MentionState = state;
        const states = await Promise.all(keys.map((k) => (k === key ? shown : store.get(k))));
        stack = states.filter((s): s is MentionState => s !== undefined);
      }
      await notifier.edit(ref, state, stack);
      const after = await store.get(key);
      if (!after || after.group?.count === state.group?.count || edits === MAX_REFRESH_EDITS) break;
      state = after;
    }
    log.debug({ key, channelKey, count: state.group?.count }, 'group card refreshed');
    return 'refreshed';
  };
}
