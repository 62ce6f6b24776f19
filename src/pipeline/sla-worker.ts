import type { Job, JobsOptions, Queue } from 'bullmq';
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
  queue: Pick<Queues['sla'], 'add' | 'remove'>;
  store: Pick<MentionStore, 'setDue' | 'history'>;
  settings: SlaSettings;
  now?: () => Date;
}

export type SlaTimers = ReturnType<typeof createSlaTimers>;

/** Queues one SLA step as a delayed job, due at its time (at once if that has passed). */
function addTimer(queue: Pick<Queue<SlaJob>, 'add'>, job: SlaJob, nowMs: number): Promise<unknown> {
  const options: JobsOptions = { jobId: slaJobId(job.key, job.rev, job.step), delay: Math.max(0, Date.parse(job.dueAt) - nowMs) };
  return queue.add(job.step, job, options);
}

/**
 * Sets a mention's SLA timers for the state it is in: delayed jobs with ids of the mention,
 * state change count and step, so setting them twice is once, and the timers of the state
 * before are removed. A timer left over (set late by a slower process) finds the state
 * moved on when it fires and does nothing.
 */
export function createSlaTimers(deps: SlaTimerDeps) {
  const { queue, store, settings, now = () => new Date() } = deps;

  async function set(state: MentionState): Promise<MentionState> {
    const { key, rev, status } = state;
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
    const at = now().getTime();
    // One timer waits at a time: the first step's job carries the next, set when it fires.
    const [first, next] = plan.timers;
    if (first) {
      const job: SlaJob = { key, rev, step: first.step, dueAt: first.dueAt.toISOString(), since: first.since.toISOString(), ...(next ? { then: { step: next.step, dueAt: next.dueAt.toISOString() } } : {}) };
      await addTimer(queue, job, at);
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
      if (then) await addTimer(queues.sla, { key, rev, step: then.step, dueAt: then.dueAt, since }, now().getTime());
      jobLog.info({ outcome }, 'SLA timer fired');
      return outcome;
    } catch (error) {
      await store.unmarkSlaFired(key, rev, step).catch(() => undefined);
      throw error;
    }
  };
}
