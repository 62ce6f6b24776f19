import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ESCALATION_CHANNEL } from '../core/card-actions.js';
import { formatMinutes, planSla, SLA_STEPS, stepApplies, type BusinessHours, type SlaDue } from '../core/sla.js';
import type { MinutesBySeverity } from '../core/route.js';
import type { TriageResult } from '../core/triage-result.js';
import type { CardRef, MentionState, MentionStore } from '../store/mention-store.js';
import type { Notifier } from './notifier.js';
import { postUnderCard } from './card-thread-post.js';
import { cardJobId, ESCALATION_PRIORITY, slaJobId, type NotifyJob, type Queues, type SlaJob } from './queues.js';

/** The SLA settings the timers read (`sla.yaml`). */
export interface SlaSettings {
  resolveWithinMinutes: MinutesBySeverity;
  businessHours?: BusinessHours;
}

/** The claim and resolve minutes of a mention: its route's own first (a rule may set them), else the configured ones by severity. */
export function slaMinutes(triage: TriageResult, settings: SlaSettings): { claim: number; resolve: number } {
  const { route } = triage;
  return { claim: route.claimWithinMinutes, resolve: route.resolveWithinMinutes ?? settings.resolveWithinMinutes[triage.classification.severity] };
}

/**
 * When the mention reached the team: when its first card was posted (now, for the card
 * being posted). A post read late, from a source's look-back, is not overdue the moment it
 * arrives: nobody could have claimed it before.
 */
function arrivalOf(state: MentionState, now: Date): Date {
  const posted = state.cards.map((c) => Date.parse(c.postedAt ?? '')).filter(Number.isFinite);
  return posted.length ? new Date(Math.min(...posted)) : now;
}

export interface SlaTimerDeps {
  queue: SlaTimerQueue;
  store: Pick<MentionStore, 'setDue' | 'history'>;
  settings: SlaSettings;
  now?: () => Date;
}

export type SlaTimers = ReturnType<typeof createSlaTimers>;

/** The queue SLA timers are kept beside: where they wait, and where a due one runs as a job. */
export type SlaTimerQueue = Pick<Queue<SlaJob>, 'add' | 'addBulk' | 'remove' | 'upsertJobScheduler' | 'toKey' | 'getBackend'>;

/** Name of the repeating job that moves due timers into the queue (see {@link sweepDueSlaTimers}). */
export const SLA_SWEEP_JOB = 'sla-due';
/** How often due timers are looked for, in ms: a step fires at most this much after its time. */
export const SLA_SWEEP_EVERY_MS = 5_000;
/** Timers moved per look-up; a backlog after a long stop takes several within one sweep. */
const SWEEP_BATCH = 500;

/**
 * Waiting timers: one sorted set, scored by due time (ms), beside the SLA queue's keys.
 * A member is `key rev step since [next-step next-due]`, steps by their index in
 * {@link SLA_STEPS}, times in base 36: about 40 bytes where a delayed job cost a kilobyte.
 * A timer becomes a job (id {@link slaJobId}) only once due, so the queue's retries, locks
 * and dead letters apply from there on as before.
 */
const timersKey = (queue: Pick<SlaTimerQueue, 'toKey'>) => queue.toKey('timers');

/** The queue's own ioredis connection (the Redis backend's client). */
async function redisOf(queue: SlaTimerQueue): Promise<Redis> {
  return (await queue.getBackend().client) as unknown as Redis;
}

function timerMember(job: SlaJob): string {
  const since = Date.parse(job.since).toString(36);
  const then = job.then ? ` ${SLA_STEPS.indexOf(job.then.step)} ${Date.parse(job.then.dueAt).toString(36)}` : '';
  return `${job.key} ${job.rev} ${SLA_STEPS.indexOf(job.step)} ${since}${then}`;
}

/** A waiting timer as the job it becomes; undefined for a member this version cannot read. */
function timerJob(member: string, dueMs: number): SlaJob | undefined {
  const [key, rev, step, since, thenStep, thenDue] = member.split(' ');
  const stepName = SLA_STEPS[Number(step)];
  if (!key || !stepName || !Number.isInteger(Number(rev)) || !since) return undefined;
  const job: SlaJob = { key, rev: Number(rev), step: stepName, dueAt: new Date(dueMs).toISOString(), since: new Date(parseInt(since, 36)).toISOString() };
  const next = SLA_STEPS[Number(thenStep)];
  return next && thenDue ? { ...job, then: { step: next, dueAt: new Date(parseInt(thenDue, 36)).toISOString() } } : job;
}

// The sweep is a job scheduler on the queue: kept in Redis, so it survives restarts; set once per process.
const sweepers = new WeakMap<object, Promise<unknown>>();
function ensureSweeper(queue: SlaTimerQueue): Promise<unknown> {
  let set = sweepers.get(queue);
  if (!set) {
    set = queue.upsertJobScheduler(SLA_SWEEP_JOB, { every: SLA_SWEEP_EVERY_MS }, { name: SLA_SWEEP_JOB, opts: { removeOnComplete: true, removeOnFail: true } });
    set.catch(() => sweepers.delete(queue));
    sweepers.set(queue, set);
  }
  return set;
}

/** Sets one SLA step's timer, due at its time (at the next sweep if that has passed). */
async function addTimer(queue: SlaTimerQueue, job: SlaJob): Promise<void> {
  await ensureSweeper(queue);
  const client = await redisOf(queue);
  await client.zadd(timersKey(queue), Date.parse(job.dueAt), timerMember(job));
}

/**
 * Moves every timer due by `now` into the queue as a job, then forgets it. A crash in
 * between moves it again: the job id is the same, and a step that fired is marked, so it
 * never acts twice. @returns how many timers were moved
 */
export async function sweepDueSlaTimers(queue: SlaTimerQueue, now: Date): Promise<number> {
  const client = await redisOf(queue);
  let moved = 0;
  for (;;) {
    const flat = await client.zrangebyscore(timersKey(queue), '-inf', now.getTime(), 'WITHSCORES', 'LIMIT', 0, SWEEP_BATCH);
    if (flat.length === 0) return moved;
    const members: string[] = [];
    const jobs: SlaJob[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      members.push(flat[i]!);
      const job = timerJob(flat[i]!, Number(flat[i + 1]));
      if (job) jobs.push(job);
    }
    if (jobs.length) await queue.addBulk(jobs.map((job) => ({ name: job.step, data: job, opts: { jobId: slaJobId(job.key, job.rev, job.step) } })));
    await client.zrem(timersKey(queue), ...members);
    moved += members.length;
    if (members.length < SWEEP_BATCH) return moved;
  }
}

/** The timers waiting for a mention, soonest first (reads every waiting timer: for tests and inspection). */
export async function slaTimersOf(queue: SlaTimerQueue, key: string): Promise<SlaJob[]> {
  const client = await redisOf(queue);
  const flat = await client.zrange(timersKey(queue), 0, -1, 'WITHSCORES');
  const jobs: SlaJob[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (!flat[i]!.startsWith(`${key} `)) continue;
    const job = timerJob(flat[i]!, Number(flat[i + 1]));
    if (job) jobs.push(job);
  }
  return jobs;
}

/** Makes a mention's waiting timers due at `at` (as if that time had come); they fire at the next sweep. */
export async function makeSlaTimersDue(queue: SlaTimerQueue, key: string, at = new Date()): Promise<number> {
  const client = await redisOf(queue);
  const flat = await client.zrange(timersKey(queue), 0, -1);
  const mine = flat.filter((member) => member.startsWith(`${key} `));
  for (const member of mine) await client.zadd(timersKey(queue), 'XX', at.getTime(), member);
  return mine.length;
}

/**
 * Sets a mention's SLA timers for the state it is in (see {@link sweepDueSlaTimers}): the
 * same timer set twice is kept once. A timer of a state the mention has left (or one set
 * late by a slower process) stays until its time, then finds the state moved on and does
 * nothing; delayed jobs of the state before, as earlier versions set them, are removed.
 */
export function createSlaTimers(deps: SlaTimerDeps) {
  const { queue, store, settings, now = () => new Date() } = deps;

  async function set(state: MentionState): Promise<MentionState> {
    const { key, rev, status } = state;
    // Earlier versions kept each timer as a delayed job.
    if (rev > 0) await Promise.all(SLA_STEPS.map((step) => queue.remove(slaJobId(key, rev - 1, step))));
    const arrival = arrivalOf(state, now());
    const last = state.lastAction;
    // Unclaimed again (released, escalated, reopened): the wait starts at that change.
    const waitingSince = rev > 0 && last ? new Date(last.at) : arrival;
    const reopened = status === 'claimed' ? (await store.history(key)).filter((e) => e.action === 'reopen').at(-1) : undefined;
    const openSince = reopened ? new Date(reopened.at) : arrival;
    const minutes = slaMinutes(state.triage, settings);
    const plan = planSla({
      status,
      waitingSince,
      openSince,
      claimWithinMinutes: minutes.claim,
      resolveWithinMinutes: minutes.resolve,
      ...(settings.businessHours ? { businessHours: settings.businessHours } : {}),
    });
    // One timer waits per state: the first step carries the next, set when it fires.
    const [first, next] = plan.timers;
    if (first) {
      const job: SlaJob = { key, rev, step: first.step, dueAt: first.dueAt.toISOString(), since: first.since.toISOString(), ...(next ? { then: { step: next.step, dueAt: next.dueAt.toISOString() } } : {}) };
      await addTimer(queue, job);
    }
    // The due time keeps its "overdue" once shown for the same state.
    const due: SlaDue | undefined = plan.due && state.due?.kind === plan.due.kind && state.due.at === plan.due.at ? state.due : plan.due;
    await store.setDue(key, rev, due);
    const { due: _old, ...rest } = state;
    return due ? { ...rest, due } : rest;
  }

  return {
    /** Sets the timers for the mention's current state (after any change); returns the state with the due time the card shows. */
    set,
    /** Sets the first timers of a mention nobody has touched (its first card is being posted); others are returned as they are. */
    async ensure(state: MentionState): Promise<MentionState> {
      return state.rev === 0 && !state.due ? set(state) : state;
    },
  };
}

export interface SlaProcessorDeps {
  store: Pick<MentionStore, 'get' | 'setDue' | 'markSlaFired' | 'unmarkSlaFired' | 'stackOf'>;
  notifier: Notifier;
  queues: Pick<Queues, 'notifyFor' | 'sla'>;
  log: Logger;
  /** Channel key of the leads. @defaultValue `leads` */
  escalationChannel?: string;
  now?: () => Date;
}

/** The card reminders go under: the leads' one while escalated, else the one in the channel the mention was routed to, else the first. */
function homeCard(state: MentionState, escalationChannel: string): CardRef | undefined {
  const home = state.status === 'escalated' ? escalationChannel : state.triage.route.channel;
  return state.cards.find((c) => c.channelKey === home) ?? state.cards.find((c) => c.channelKey === state.triage.route.channel) ?? state.cards[0];
}

/**
 * The SLA worker: when a timer fires, acts only if the mention is still in the state the
 * timer was set for (same state change count, a status the step applies to) and the step
 * has not fired before (a mark in Redis); a failed attempt clears its mark so the retry
 * acts, and the post's nonce keeps a retried post from making a second message.
 */
export function createSlaProcessor(deps: SlaProcessorDeps) {
  const { store, notifier, queues, log, escalationChannel = ESCALATION_CHANNEL, now = () => new Date() } = deps;

  async function refreshCards(state: MentionState): Promise<void> {
    for (const ref of state.cards) {
      try {
        const keys = await store.stackOf(ref.messageId);
        const stack = keys ? (await Promise.all(keys.map((k) => (k === state.key ? state : store.get(k))))).filter((s): s is MentionState => s !== undefined) : undefined;
        await notifier.edit(ref, state, stack);
      } catch (error) {
        // A card deleted in Discord cannot show it; the reminder was posted all the same.
        log.warn({ key: state.key, messageId: ref.messageId, err: (error as Error).message }, 'could not show the overdue time on a card');
      }
    }
  }

  async function remind(job: Job<SlaJob>, state: MentionState, waitedMinutes: number): Promise<string> {
    const { key, rev, step, dueAt } = job.data;
    const card = homeCard(state, escalationChannel);
    const due = step === 'claim-remind' ? 'claim' : 'resolve';
    if (card && notifier.accepts(card.channelKey)) {
      await postUnderCard(notifier, card, state, { kind: 'reminder', card, due, dueAt, waitedMinutes, ...(state.holder && due === 'resolve' ? { holder: state.holder } : {}) }, job.id ?? slaJobId(key, rev, step));
    } else {
      log.warn({ key, step }, 'SLA reminder with no card to post it under');
    }
    if (await store.setDue(key, rev, { kind: due, at: dueAt, overdue: true })) await refreshCards({ ...state, due: { kind: due, at: dueAt, overdue: true } });
    return card ? 'reminded' : 'no-card';
  }

  async function toLeads(job: Job<SlaJob>, state: MentionState, waited: string): Promise<string> {
    const { key, rev, step } = job.data;
    const escalatedBy =
      step === 'claim-leads' ? `the SLA clock, unclaimed for ${waited}` : `the SLA clock, open for ${waited} and held by ${state.holder?.name ?? 'nobody'}`;
    const data: NotifyJob = { key, channelKey: escalationChannel, escalatedBy, priority: ESCALATION_PRIORITY };
    await queues.notifyFor(escalationChannel).add('card', data, { jobId: `${cardJobId(key, escalationChannel)}-sla-r${rev}-${step}`, priority: ESCALATION_PRIORITY });
    return 'sent-to-leads';
  }

  return async (job: Job<SlaJob>): Promise<string> => {
    if (job.name === SLA_SWEEP_JOB) return `moved ${await sweepDueSlaTimers(queues.sla, now())}`;
    const { key, rev, step, since } = job.data;
    const jobLog = log.child({ key, step, rev });
    const state = await store.get(key);
    if (!state) return 'gone';
    if (state.rev !== rev || !stepApplies(step, state.status)) return 'stale';
    if (!(await store.markSlaFired(key, rev, step))) return 'already-fired';
    const waitedMinutes = (now().getTime() - Date.parse(since)) / 60_000;
    try {
      const outcome = step.endsWith('leads') ? await toLeads(job, state, formatMinutes(waitedMinutes)) : await remind(job, state, waitedMinutes);
      const { then } = job.data;
      if (then) await addTimer(queues.sla, { key, rev, step: then.step, dueAt: then.dueAt, since });
      jobLog.info({ outcome }, 'SLA timer fired');
      return outcome;
    } catch (error) {
      await store.unmarkSlaFired(key, rev, step).catch(() => undefined);
      throw error;
    }
  };
}
