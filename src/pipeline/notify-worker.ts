import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import type { CardRef, MentionState, MentionStore } from '../store/mention-store.js';
import { StackRefusedError, type CardState, type Notice, type Notifier } from './notifier.js';
import { createGroupRefresher } from './coalesce.js';
import { createFollowUpBumper } from './follow-up.js';
import { createDigestPoster, type DigestPosterDeps } from './digest.js';
import type { NotifyJob } from './queues.js';

/** A card job taken from the queue beside the one being processed, to share its message. */
export interface TakenJob {
  job: Job<NotifyJob>;
  /** Marks it done. */
  complete(result: string): Promise<void>;
  /** Hands it back to be retried (or, after its last attempt, dead-lettered). */
  fail(error: Error): Promise<void>;
}

/** How cards share a message while a channel has a backlog. */
export interface Stacking {
  /** Cards waiting in the channel from which they are stacked. */
  fromBacklog: number;
  /** Most cards in one message. */
  cardsPerMessage: number;
  /** Cards waiting in the channel's queue now. */
  backlog(channelKey: string): Promise<number>;
  /** Takes up to `n` more jobs from the front of the channel's queue (priority order). */
  take(channelKey: string, n: number): Promise<TakenJob[]>;
}

export interface NotifyDeps {
  notifier: Notifier;
  store: Pick<MentionStore, 'get' | 'card' | 'recordCard' | 'recordStack' | 'stackOf'>;
  log: Logger;
  now?: () => Date;
  /** Role pinged on an escalated card (`discord.leadRoleId`); none pinged when absent. */
  leadRoleId?: string;
  /** Called after each card is posted (the demo counts them). */
  onPosted?: (key: string, channelKey: string) => void;
  /** Counts posted cards and their delay after the post (`cardsPosted`, `cardDelaySeconds`), when given. */
  metrics?: Pick<Metrics, 'cardsPosted' | 'cardDelaySeconds'>;
  /** Posts the channels' backlog digests (src/pipeline/digest.ts); absent: a digest job does nothing. */
  digests?: Pick<DigestPosterDeps, 'digests' | 'settings' | 'queueFor'>;
  /** Several cards to a message under a backlog; absent: one card a message. */
  stacking?: Stacking;
  /**
   * Completes a mention's state before its card is posted (SLA timers and due time, the
   * author's history; see `card-preparation.ts`). @defaultValue the state as recorded
   */
  prepare?: (state: MentionState) => Promise<MentionState>;
}

/**
 * Whether an earlier attempt of this job ran: it failed (`attemptsMade`), or its worker
 * died while holding it (a stalled job is started again without counting as failed).
 */
export function isRetry(job: Pick<Job, 'attemptsMade' | 'attemptsStarted'>): boolean {
  return job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1;
}

const mayBePosted = (job: Job<NotifyJob>) => isRetry(job) || Boolean(job.data.reconcile);

/**
 * The notify stage: posts a mention's card in one channel, once. A retried job finds
 * the card already recorded and does nothing; when an earlier attempt may have posted
 * it without the answer reaching us, the channel's recent messages are searched for it
 * first, so a retry never makes a second card even after Discord forgot the nonce.
 * While the channel has a backlog, the next cards in line are taken with it and posted in
 * the same message (a stack), each with its own buttons.
 */
export function createNotifyProcessor(deps: NotifyDeps) {
  const { notifier, store, log, now = () => new Date(), onPosted, leadRoleId, metrics, stacking, prepare } = deps;
  const refreshGroup = createGroupRefresher({ notifier, store, log });
  const bumpFollowUp = createFollowUpBumper({ notifier, store, log });
  const postDigest = deps.digests ? createDigestPoster({ notifier, store, log, ...deps.digests, ...(deps.now ? { now: deps.now } : {}) }) : undefined;

  function observe(state: CardState, channelKey: string, postedAt: Date, escalated: boolean): void {
    if (!metrics) return;
    metrics.cardsPosted.inc({ channel: channelKey });
    // An escalated copy waited for a person, not for the pipeline: not a delay of ours.
    const createdAt = escalated ? Number.NaN : Date.parse(state.triage.mention.createdAt);
    if (Number.isFinite(createdAt)) metrics.cardDelaySeconds.observe({ channel: channelKey }, Math.max(0, (postedAt.getTime() - createdAt) / 1000));
  }

  async function postOne(job: Job<NotifyJob>, state: MentionState): Promise<string> {
    const { key, channelKey } = job.data;
    const notice: Notice = job.data.escalatedBy
      ? { kind: 'escalation', state, escalatedBy: job.data.escalatedBy, ...(leadRoleId ? { leadRoleId } : {}) }
      : { kind: 'card', state };
    let ref: CardRef | undefined = mayBePosted(job) ? await notifier.findCard(channelKey, key) : undefined;
    const reconciled = ref !== undefined;
    if (ref) log.info({ key, channelKey, messageId: ref.messageId, attempt: job.attemptsStarted }, 'card found already posted by an earlier attempt; recorded instead of posting again');
    ref ??= await notifier.post(channelKey, notice, `${key}/${channelKey}`);
    const postedAt = now();
    await store.recordCard(key, ref, postedAt, state.triage);
    observe(state, channelKey, postedAt, Boolean(job.data.escalatedBy));
    // Someone may have acted on another copy while this one was being posted.
    const after = await store.get(key);
    // A reconciled card was rendered by an earlier attempt, from a state that may be older;
    // it may also sit in a stack, shown again with the others.
    if (after && (reconciled || after.status !== state.status || after.holder?.id !== state.holder?.id)) {
      const siblings = reconciled ? await store.stackOf(ref.messageId) : undefined;
      const stack = siblings ? (await Promise.all(siblings.map((k) => (k === key ? after : store.get(k))))).filter((s): s is MentionState => s !== undefined) : undefined;
      await notifier.edit(ref, after, stack);
    }
    onPosted?.(key, channelKey);
    log.debug({ key, channelKey, messageId: ref.messageId }, 'card posted');
    return ref.messageId;
  }

  /** Takes the next cards in line to share this one's message; those that need nothing more are completed here. */
  async function companions(stack: Stacking, channelKey: string): Promise<Array<{ taken: TakenJob; state: MentionState }>> {
    const taken = await stack.take(channelKey, stack.cardsPerMessage - 1);
    const members: Array<{ taken: TakenJob; state: MentionState }> = [];
    for (const t of taken) {
      const { key } = t.job.data;
      try {
        if ('followUp' in t.job.data) {
          await t.complete(await bumpFollowUp(t.job));
          continue;
        }
        if (t.job.data.refresh) {
          await t.complete(await refreshGroup(t.job));
          continue;
        }
        if (t.job.data.digest && postDigest) {
          await t.complete(await postDigest(t.job));
          continue;
        }
        if (await store.card(key, channelKey)) {
          await t.complete('already-posted');
          continue;
        }
        const found = await store.get(key);
        if (!found) {
          await t.fail(new UnrecoverableError(`mention ${key} has no recorded state`));
          continue;
        }
        const state = prepare ? await prepare(found) : found;
        // An escalation pings the leads with its own message; one found already posted is recorded, not stacked.
        if (t.job.data.escalatedBy || (mayBePosted(t.job) && (await notifier.findCard(channelKey, key)))) {
          await t.complete(await postOne(t.job, state));
          continue;
        }
        members.push({ taken: t, state });
      } catch (error) {
        await t.fail(error as Error).catch(() => undefined);
      }
    }
    return members;
  }

  async function postStacked(job: Job<NotifyJob>, state: MentionState, others: Array<{ taken: TakenJob; state: MentionState }>): Promise<string> {
    const { channelKey } = job.data;
    const states = [state, ...others.map((o) => o.state)];
    const keys = states.map((s) => s.key);
    let ref: CardRef;
    try {
      ref = await notifier.postStack(channelKey, states, `stack/${channelKey}/${keys.join(',')}`);
    } catch (error) {
      if (error instanceof StackRefusedError) {
        // One card's content was refused: each card goes alone, with its own fallback.
        log.warn({ channelKey, keys, refused: error.refused }, 'Discord refused a stack of cards; posting each alone');
        // Each settled whatever happens to the others: one that fails to post is handed back alone.
        for (const other of others) {
          await postOne(other.taken.job, other.state)
            .then((messageId) => other.taken.complete(messageId), (e: Error) => other.taken.fail(e))
            .catch(() => undefined);
        }
        return postOne(job, state);
      }
      for (const other of others) await other.taken.fail(error as Error).catch(() => undefined);
      throw error;
    }
    const postedAt = now();
    await store.recordStack(ref.messageId, keys);
    for (const s of states) {
      await store.recordCard(s.key, ref, postedAt, s.triage);
      observe(s, channelKey, postedAt, false);
    }
    for (const other of others) await other.taken.complete(ref.messageId);
    const after = await Promise.all(states.map((s) => store.get(s.key)));
    const changed = after.some((a, i) => a && (a.status !== states[i]!.status || a.holder?.id !== states[i]!.holder?.id));
    if (changed) {
      const fresh = after.map((a, i) => a ?? states[i]!);
      await notifier.edit(ref, fresh[0]!, fresh);
    }
    for (const s of states) onPosted?.(s.key, channelKey);
    log.debug({ channelKey, keys, messageId: ref.messageId }, 'cards posted as one message');
    return ref.messageId;
  }

  return async (job: Job<NotifyJob>): Promise<string> => {
    if ('followUp' in job.data) return bumpFollowUp(job);
    if (job.data.refresh) return refreshGroup(job);
    if (job.data.digest) return postDigest ? postDigest(job) : 'digests-off';
    const { key, channelKey, escalatedBy } = job.data;
    const posted = await store.card(key, channelKey);
    // Escalated again, or to a channel that already has its card: the leads hear of it every time.
    if (posted && escalatedBy) {
      const notice = await notifier.post(channelKey, { kind: 'escalated-again', card: posted, escalatedBy, ...(leadRoleId ? { leadRoleId } : {}) }, `${job.id ?? key}/${channelKey}`);
      return notice.messageId;
    }
    if (posted) return 'already-posted';
    if (!notifier.accepts(channelKey)) {
      log.warn({ key, channelKey }, 'channel has no Discord id in config; card not posted there');
      return 'channel-not-configured';
    }
    const found = await store.get(key);
    if (!found) throw new UnrecoverableError(`mention ${key} has no recorded state`);
    const state = prepare ? await prepare(found) : found;
    const stackable = stacking && stacking.cardsPerMessage > 1 && !job.data.escalatedBy && !mayBePosted(job);
    if (stackable && (await stacking.backlog(channelKey)) + 1 >= stacking.fromBacklog) {
      const others = await companions(stacking, channelKey);
      if (others.length) return postStacked(job, state, others);
    }
    return postOne(job, state);
  };
}
