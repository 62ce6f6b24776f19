import type { Job, Queue } from 'bullmq';
import { mentionKey } from '../core/mention-key.js';
import { parseMention, parseMentionLine, type ParseResult } from '../core/parse-mention.js';
import { connectRedis } from '../infra/redis-connect.js';
import { cardJobId, createQueues, ESCALATION_PRIORITY, isNotifyQueueName, notifyPriority, QUEUE, type AlertJob, type DeadLetter, type IngestJob, type NotifyJob, type Queues } from '../pipeline/queues.js';
import { createMentionStore } from '../store/mention-store.js';
import { writeLine } from './io.js';

/** The `fromQueue` prefix of a source's rejects (see `deliverBatch`). */
const SOURCE_PREFIX = 'source:';

/** What `--from` accepts, as shown in messages. */
export const REPLAYABLE_QUEUES = `${QUEUE.ingest}, ${QUEUE.notify}, ${QUEUE.alert} or ${SOURCE_PREFIX}NAME`;

/** Whether `--from` names a queue dead letters can come from (`notify` is every channel's `notify-CHANNEL`). */
export function isReplayableQueue(name: string): boolean {
  return name === QUEUE.ingest || isNotifyQueueName(name) || name === QUEUE.alert || (name.startsWith(SOURCE_PREFIX) && name.length > SOURCE_PREFIX.length);
}

/** A job to put back: the queue, the job id that keeps it once-only, and its data. */
export type Requeue =
  | { queue: 'ingest'; jobId: string; data: IngestJob }
  | { queue: 'notify'; jobId: string; data: NotifyJob; priority?: number }
  | { queue: 'alert'; jobId: string; data: AlertJob };

/** Where a dead letter would go back to, or why it cannot. */
export type ReplayPlan = { ok: true; requeue: Requeue } | { ok: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function ingestOf(parsed: ParseResult, sourceName: string, receivedAt: string): ReplayPlan {
  if (!parsed.ok) return parsed;
  return { ok: true, requeue: { queue: 'ingest', jobId: mentionKey(parsed.mention), data: { mention: parsed.mention, sourceName, receivedAt } } };
}

/**
 * Decides, without reading or writing anything, what replaying one dead letter means:
 * mentions (from `ingest` or a source) are validated again with today's parser; cards and
 * alerts go back as they were.
 */
export function planReplay(letter: DeadLetter, now: Date = new Date()): ReplayPlan {
  const { fromQueue, payload } = letter;
  const clock = () => now;
  if (fromQueue === QUEUE.ingest) {
    const job = isRecord(payload) ? payload : {};
    const plan = ingestOf(parseMention(job.mention, clock), typeof job.sourceName === 'string' ? job.sourceName : 'dead-letters replay', typeof job.receivedAt === 'string' ? job.receivedAt : now.toISOString());
    return plan.ok ? plan : { ok: false, reason: `the mention still does not parse: ${plan.reason}` };
  }
  if (fromQueue.startsWith(SOURCE_PREFIX)) {
    const parsed = typeof payload === 'string' ? parseMentionLine(payload, clock) : parseMention(payload, clock);
    const plan = ingestOf(parsed, fromQueue.slice(SOURCE_PREFIX.length), now.toISOString());
    return plan.ok ? plan : { ok: false, reason: `the raw item is not mention JSON (${plan.reason}); only the source can read its own format: fix the source, then let it read the item again` };
  }
  // `notify` is where cards waited before each channel had its own queue: those go back to their channel's.
  if (isNotifyQueueName(fromQueue)) {
    if (!isRecord(payload) || typeof payload.key !== 'string' || typeof payload.channelKey !== 'string') {
      return { ok: false, reason: 'the payload is not a notify job: expected {key, channelKey}' };
    }
    const data = payload as unknown as NotifyJob;
    // The priority the card had when queued: escalations first, else the one it carries
    // (an earlier version's job carried the whole triage instead: route and reach).
    const triage = (isRecord(data.triage) ? data.triage : {}) as Partial<NonNullable<NotifyJob['triage']>>;
    const routePriority = triage.route?.priority;
    const carried = typeof data.priority === 'number' && Number.isInteger(data.priority) && data.priority > 0 ? data.priority : undefined;
    // Unknown route priority: the last one, never ahead of routed cards (a job without a priority would be).
    const priority = data.escalatedBy ? ESCALATION_PRIORITY : (carried ?? notifyPriority(typeof routePriority === 'number' ? routePriority : 4, Number(triage.reach ?? 0)));
    // A refused card may in fact be in the channel already: the notify stage checks first.
    return { ok: true, requeue: { queue: 'notify', jobId: cardJobId(data.key, data.channelKey), data: { ...data, reconcile: true }, priority } };
  }
  if (fromQueue === QUEUE.alert) {
    if (!isRecord(payload) || typeof payload.channelKey !== 'string' || typeof payload.title !== 'string') return { ok: false, reason: 'the payload is not an alert job: expected {channelKey, title, text}' };
    if (!letter.jobId) return { ok: false, reason: 'the dead letter has no job id, and an alert without one could be posted twice' };
    return { ok: true, requeue: { queue: 'alert', jobId: letter.jobId, data: payload as unknown as AlertJob } };
  }
  return { ok: false, reason: `dead letters from "${fromQueue}" cannot be replayed (replayable: ${REPLAYABLE_QUEUES})` };
}

/** Options of {@link replayDeadLetters}. Give at least one of `ids`, `from`, `all`. */
export interface ReplayOptions {
  redisUrl: string;
  prefix: string;
  /** Dead letters by their own id (as replay prints it) or by the failed job's id (`jobId`, as list prints it). */
  ids?: string[];
  /** Every dead letter from this queue (`ingest`, `notify-CHANNEL`, `alert`, `source:NAME`; `notify` is every channel's). */
  from?: string;
  /** Every dead letter (narrowed by `from` when both are given). */
  all?: boolean;
  /** Say what would happen; change nothing. */
  dryRun?: boolean;
  /** How long a re-queued mention is remembered as seen (`retention.seenDays`). @defaultValue the store's, 30 days */
  seenTtlSeconds?: number;
  /** One JSON line per dead letter. */
  output: NodeJS.WritableStream;
  now?: () => Date;
}

/** One output line. `jobId` is the job the letter was (or would be) queued as. */
export interface ReplayLine {
  id: string;
  fromQueue: string | null;
  outcome: 'requeued' | 'kept';
  jobId?: string;
  reason?: string;
  dryRun?: true;
}

/** How a replay went. */
export interface ReplaySummary {
  chosen: number;
  requeued: number;
  kept: number;
  dryRun: boolean;
}

/** The stderr line after a replay. */
export function describeReplay(s: ReplaySummary): string {
  if (s.dryRun) return `dry run: ${s.chosen} dead letters chosen, ${s.requeued} would be requeued, ${s.kept} would be kept; nothing changed`;
  return `${s.chosen} dead letters chosen: ${s.requeued} requeued and removed from the dead-letter queue, ${s.kept} kept there${s.kept ? ' (reasons above)' : ''}`;
}

const PAGE = 500;

async function allLetters(queue: Queue<DeadLetter>): Promise<Array<Job<DeadLetter>>> {
  const jobs: Array<Job<DeadLetter>> = [];
  for (let start = 0; ; start += PAGE) {
    const page = await queue.getJobs(['waiting'], start, start + PAGE - 1, true);
    jobs.push(...page);
    if (page.length < PAGE) return jobs;
  }
}

function choose(letters: Array<Job<DeadLetter>>, options: ReplayOptions): { chosen: Array<Job<DeadLetter>>; missing: string[] } {
  const { ids, from } = options;
  // `notify` chooses the cards of every channel.
  const fromOk = (job: Job<DeadLetter>) => from === undefined || job.data.fromQueue === from || (from === QUEUE.notify && isNotifyQueueName(job.data.fromQueue));
  if (!ids?.length) return { chosen: letters.filter(fromOk), missing: [] };
  const chosen = new Map<string, Job<DeadLetter>>();
  const missing: string[] = [];
  for (const id of ids) {
    // BullMQ refuses integer custom ids, so a dead letter's own id never equals a job id.
    const matches = letters.filter((job) => (job.id === id || job.data.jobId === id) && fromOk(job));
    if (matches.length === 0) missing.push(id);
    for (const job of matches) chosen.set(job.id!, job);
  }
  return { chosen: [...chosen.values()], missing };
}

type Target = Pick<Queue, 'getJobState' | 'remove' | 'add'>;

/**
 * Puts one planned job back. BullMQ ignores an id it still holds, so an old failed (or
 * completed) job of that id is removed first; a job still waiting or running is left alone.
 */
async function requeue(queues: Queues, markSeen: (keys: string[]) => Promise<void>, plan: Requeue, dryRun: boolean): Promise<string | undefined> {
  const queue = plan.queue === 'notify' ? queues.notifyFor(plan.data.channelKey) : queues[plan.queue];
  const target = queue as unknown as Target;
  const state = await target.getJobState(plan.jobId);
  if (state !== 'unknown' && state !== 'failed' && state !== 'completed') {
    return `job "${plan.jobId}" is already in the ${queue.name} queue (${state}), so it is not queued twice; replay again if it fails again`;
  }
  if (dryRun) return undefined;
  if (state !== 'unknown' && (await target.remove(plan.jobId)) !== 1 && (await target.getJobState(plan.jobId)) !== 'unknown') {
    return `the old ${state} job "${plan.jobId}" in the ${queue.name} queue could not be removed (a worker holds it); try again`;
  }
  const name = plan.queue === 'ingest' ? 'mention' : plan.queue === 'notify' ? 'card' : 'alert';
  await target.add(name, plan.data, { jobId: plan.jobId, ...('priority' in plan && plan.priority ? { priority: plan.priority } : {}) });
  // Queue first, remember second, as deliverBatch does. The "seen" record only gates what
  // sources read; a replay bypasses it, and marking it keeps a later re-read from doubling.
  if (plan.queue === 'ingest') await markSeen([plan.jobId]);
  return undefined;
}

/**
 * `dead-letters replay`: puts the chosen dead letters back on their queue, oldest first,
 * one JSON line each ({@link ReplayLine}). A letter leaves the dead-letter queue only
 * after its job was queued; one that cannot be replayed stays, with the reason.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplaySummary> {
  const { output, dryRun = false, now = () => new Date() } = options;
  if (!options.ids?.length && options.from === undefined && !options.all) throw new Error('replayDeadLetters: choose dead letters with ids, from or all');
  const connection = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, options.prefix);
  const queues = createQueues(connection, options.prefix);
  const store = createMentionStore(connection, { prefix: options.prefix, ...(options.seenTtlSeconds ? { seenTtlSeconds: options.seenTtlSeconds } : {}) });
  const summary: ReplaySummary = { chosen: 0, requeued: 0, kept: 0, dryRun };
  const emit = async (line: ReplayLine) => {
    summary[line.outcome === 'requeued' ? 'requeued' : 'kept'] += 1;
    await writeLine(output, JSON.stringify(dryRun ? { ...line, dryRun: true } : line));
  };
  try {
    const { chosen, missing } = choose(await allLetters(queues.deadLetter), options);
    summary.chosen = chosen.length + missing.length;
    const queuedNow = new Map<string, string>();
    for (const letter of chosen) {
      const id = letter.id!;
      const { fromQueue } = letter.data;
      const plan = planReplay(letter.data, now());
      if (!plan.ok) {
        await emit({ id, fromQueue, outcome: 'kept', reason: plan.reason });
        continue;
      }
      const { jobId } = plan.requeue;
      const target = `${plan.requeue.queue}/${jobId}`;
      const earlier = queuedNow.get(target);
      const problem = earlier
        ? `job "${jobId}" was just requeued from dead letter ${earlier}, so it is not queued twice`
        : await requeue(queues, store.markSeen, plan.requeue, dryRun).catch((error: Error) => `could not queue job "${jobId}" in ${plan.requeue.queue}: ${error.message}`);
      if (problem) {
        await emit({ id, fromQueue, outcome: 'kept', jobId, reason: problem });
        continue;
      }
      queuedNow.set(target, id);
      if (!dryRun) {
        const removed = await letter.remove().then(
          () => undefined,
          (error: Error) => `requeued, but the dead letter could not be removed (${error.message}): remove it before replaying again`,
        );
        await emit({ id, fromQueue, outcome: 'requeued', jobId, ...(removed ? { reason: removed } : {}) });
      } else {
        await emit({ id, fromQueue, outcome: 'requeued', jobId });
      }
    }
    for (const id of missing) {
      await emit({ id, fromQueue: null, outcome: 'kept', reason: `no dead letter has the id or job id "${id}"${options.from ? ` from ${options.from}` : ''} (list them with: mention-triage dead-letters)` });
    }
    return summary;
  } finally {
    await queues.close();
    await connection.quit();
  }
}
