import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import type { Mention } from '../core/mention.js';
import { mentionKey } from '../core/mention-key.js';
import { parseMention } from '../core/parse-mention.js';
import type { Incident } from '../core/incident.js';
import { judge, type TriagePolicy } from '../core/triage.js';
import type { TriageResult } from '../core/triage-result.js';
import { detectSpike } from '../core/spike.js';
import { replyMood } from '../core/suggest-reply.js';
import type { MentionStore } from '../store/mention-store.js';
import type { SuppressedStore } from '../store/suppressed-store.js';
import type { AuthorIndex } from '../store/author-index.js';
import type { VolumeStore } from '../store/volume-store.js';
import { SERVICE_ACTOR } from '../core/card-actions.js';
import { coalesceBatch, groupRefreshJobId, type Coalescing } from './coalesce.js';
import { deferQuiet, type Digesting } from './digest.js';
import { joinFollowUps, type FollowUps } from './follow-up.js';
import { cardJobId, cardPriority, deadLetter, raiseAlert, ingestMentions, notifyPriority, QUEUE, type IngestJob, type NotifyJob, type Queues } from './queues.js';

export interface TriageDeps {
  /** The policy in force, read once a batch: a reloaded config applies from the next batch on. */
  policy: () => TriagePolicy;
  store: Pick<MentionStore, 'saveTriagedMany' | 'compact' | 'transition'>;
  queues: Pick<Queues, 'notifyFor' | 'deadLetter' | 'alert'>;
  /**
   * Counts each new mention by time and mood and, at most once a `checkEverySeconds`, looks
   * for a spike against the usual for that time of day; one found goes to `channel` as an
   * alert, once per spike across processes. Absent: no spike alerts.
   */
  spikes?: { volume: Pick<VolumeStore, 'recordMany' | 'window' | 'claimSpikeAlert'>; channel: string; checkEverySeconds?: number; quietHours?: number };
  log: Logger;
  now?: () => Date;
  /** Records each job's duration (`triageSeconds`) and each malformed mention (`deadLetters`), when given. */
  metrics?: Pick<Metrics, 'triageSeconds' | 'deadLetters'>;
  /** Quiet mentions go to digest cards while a channel has a backlog (src/pipeline/digest.ts). Absent: a card each. */
  digest?: Digesting;
  /** Who wrote before, for rules on first-time or returning authors. Absent: unknown, those conditions fail. */
  authors?: Pick<AuthorIndex, 'seenBefore'>;
  /** Near duplicates share one card (see src/pipeline/coalesce.ts). Absent: a card each. */
  coalescing?: Coalescing;
  /** Where mentions a routing rule suppressed are listed (they get no card). Absent: they are only logged. */
  suppressed?: Pick<SuppressedStore, 'record'>;
  /** The incident the leads set (`/triage incident`), read once a job: outage drafts speak to it. Absent: no incidents. */
  incident?: () => Promise<Incident | undefined>;
  /** The word model learned from the team's corrections, read once a job (cached by the caller). Absent: the rules alone. */
  model?: () => Promise<TriagePolicy['model']>;
  /** Replies from the same author join their open card (src/pipeline/follow-up.ts). Absent: every reply gets its own card. */
  followUps?: FollowUps;
}

/** Gives a card still waiting in its queue a more urgent place; one taken or posted is left alone. */
async function moveAhead(queue: Queue<NotifyJob>, jobId: string, priority: number): Promise<void> {
  const job = await queue.getJob(jobId);
  if (!job || (job.priority || Infinity) <= priority) return;
  if (!['prioritized', 'waiting'].includes(await job.getState())) return;
  // It may be taken in between: BullMQ then refuses, and the card is on its way anyway.
  await job.changePriority({ priority }).catch(() => undefined);
}

/** What one triage job did. */
export interface TriageOutcome {
  triaged: number;
  /** Of those, recorded for the first time now (the others were recorded before and keep their triage). */
  created: number;
  malformed: number;
}

/**
 * The triage stage: validates each ingested mention (a malformed one goes to the
 * dead-letter with the reason, the rest of its batch goes on), runs the pure triage pass,
 * records the mentions' state in one round trip and queues one card per channel on that
 * channel's notify queue, ordered by the route's priority, then by reach. A job of a
 * single malformed mention fails for good, so its payload is the dead letter.
 */
export function createTriageProcessor(deps: TriageDeps) {
  const { policy, store, queues, log, now = () => new Date(), metrics, spikes } = deps;
  let lastSpikeCheck = 0;

  /** Looks for a spike now and then; a failure here never fails the triage of a batch. */
  async function watchVolume(created: TriageResult[], at: Date): Promise<void> {
    if (!spikes) return;
    await spikes.volume.recordMany(
      created.map(({ mention, classification, reach }) => ({
        at: new Date(Date.parse(mention.createdAt) || at.getTime()),
        mood: replyMood(classification),
        sample: { key: mentionKey(mention), text: mention.text.slice(0, 500), reach },
      })),
    );
    if (at.getTime() - lastSpikeCheck < (spikes.checkEverySeconds ?? 60) * 1000) return;
    lastSpikeCheck = at.getTime();
    const report = detectSpike(await spikes.volume.window(at));
    if (!report.spike) return;
    // Once per spike: the hold is renewed while it lasts, so it alerts again only after a quiet spell.
    if (!(await spikes.volume.claimSpikeAlert('mentions', Math.round((spikes.quietHours ?? 2) * 3600)))) return;
    const examples = report.examples.map((e) => `• ${e.text.replace(/\s+/g, ' ').slice(0, 200)} (reach ${e.reach}, ${e.key})`);
    const title = report.reasons.includes('negative') ? 'Spike of negative mentions' : 'Spike of mentions';
    await raiseAlert(queues, { channelKey: spikes.channel, title, text: [report.summary, ...(examples.length ? ['Examples:', ...examples] : [])].join('\n'), level: 'warning' }, `spike-${at.toISOString().slice(0, 13)}`, at);
    log.warn({ reasons: report.reasons, current: report.volume.current, usual: report.volume.usual }, 'mention spike: the leads were alerted');
  }

  const run = async (job: Job<IngestJob>): Promise<TriageOutcome> => {
    // The incident is read fresh for each batch; triage itself stays pure.
    const incident = await deps.incident?.();
    const model = await deps.model?.();
    const jobPolicy = { ...policy(), ...(incident ? { incident } : {}), ...(model ? { model } : {}) };
    const raw = ingestMentions(job.data);
    const valid: Array<{ key: string; triage: TriageResult }> = [];
    const malformed: Array<{ payload: unknown; reason: string }> = [];
    const mentions: Mention[] = [];
    for (const item of raw) {
      const parsed = parseMention(item);
      if (parsed.ok) mentions.push(parsed.mention);
      else malformed.push({ payload: item, reason: parsed.reason });
    }
    // First-time or returning author, for the rules that ask (one round trip per batch).
    const returning = deps.authors ? await deps.authors.seenBefore(mentions, now()) : [];
    // Recorded without a draft: a card's reader drafts it (src/pipeline/drafts.ts), and most mentions of a spike get no card of their own.
    mentions.forEach((mention, i) => valid.push({ key: mentionKey(mention), triage: judge(mention, jobPolicy, i < returning.length ? { authorSeenBefore: returning[i]! } : {}) as TriageResult }));
    // A job of one mention fails for good as a whole: its payload is the dead letter.
    if (raw.length <= 1 && valid.length === 0) throw new UnrecoverableError(`malformed mention: ${malformed[0]?.reason ?? 'the job carries no mention'}`);
    const at = now();
    // On a retry or a re-ingest the recorded triage stands: the card must not change under a claimer.
    const saved = valid.length ? await store.saveTriagedMany(valid, at) : [];
    // Near duplicates: the first one's card shows them all; they get none of their own there.
    const coalesced = deps.coalescing ? await coalesceBatch(valid.map(({ key }, i) => ({ key, triage: saved[i]!.triage })), deps.coalescing) : undefined;
    // A reply from the same author in the same conversation joins their open card (reads Redis only for replies).
    const followUps = deps.followUps ? await joinFollowUps(valid.map(({ key }, i) => ({ key, ...saved[i]! })), deps.followUps, now()) : undefined;
    const cards = new Map<string, Array<{ name: string; data: NotifyJob; opts: { jobId: string; priority: number; delay?: number; removeOnFail?: boolean } }>>();
    let created = 0;
    const suppressedNow: Array<{ key: string; triage: TriageResult }> = [];
    valid.forEach(({ key }, i) => {
      const { created: isNew, triage: standing } = saved[i]!;
      if (isNew) created += 1;
      const { route } = standing;
      // Suppressed by a rule: saved above like every mention, listed below, never carded.
      if (route.suppressed) {
        suppressedNow.push({ key, triage: standing });
        log.info({ key, rule: route.suppressed.rule, reason: route.suppressed.reason }, 'suppressed by a routing rule: no card');
        return;
      }
      if (followUps?.joined.has(i)) return;
      const priority = cardPriority(standing);
      for (const channelKey of [route.channel, ...route.alsoTo]) {
        if (coalesced?.joined.get(i)?.has(channelKey)) continue;
        const list = cards.get(channelKey) ?? [];
        list.push({ name: 'card', data: { key, channelKey, priority }, opts: { jobId: cardJobId(key, channelKey), priority } });
        cards.set(channelKey, list);
      }
      log.debug({ key, created: isNew, channels: [route.channel, ...route.alsoTo], rule: route.rule, intent: standing.classification.intent }, 'triaged');
    });
    // Under a backlog, quiet mentions wait for their channel's digest card.
    if (deps.digest) await deferQuiet(cards, valid.map(({ key }, i) => ({ key, triage: saved[i]!.triage })), deps.digest, (channelKey) => queues.notifyFor(channelKey), at);
    // The group's card goes at its most urgent copy's place: an angry repost moves it ahead.
    for (const [leader, byChannel] of coalesced?.urgent ?? []) {
      for (const [channelKey, priority] of byChannel) {
        const queued = cards.get(channelKey)?.find((c) => c.data.key === leader && c.name === 'card');
        if (queued) queued.opts.priority = Math.min(queued.opts.priority, priority);
        else await moveAhead(queues.notifyFor(channelKey), cardJobId(leader, channelKey), priority);
      }
    }
    for (const [leader, { channels, priority: routePriority }] of coalesced?.refresh ?? []) {
      // Last among the cards of its priority: a count can wait, a person cannot.
      const priority = notifyPriority(routePriority, 0);
      for (const channelKey of channels) {
        const list = cards.get(channelKey) ?? [];
        list.push({ name: 'group', data: { key: leader, channelKey, priority, refresh: 'group' }, opts: { jobId: groupRefreshJobId(leader, channelKey), priority, removeOnFail: true } });
        cards.set(channelKey, list);
      }
    }
    for (const { channelKey, job: bump } of followUps?.bumps ?? []) cards.set(channelKey, [...(cards.get(channelKey) ?? []), bump]);
    if (suppressedNow.length && deps.suppressed) await deps.suppressed.record(suppressedNow, at);
    // A suppressed mention gets no card, whose posting would make its stored triage compact,
    // and waits for nobody: it is set aside (dismissed, with the rule), kept and then forgotten like any closed one.
    if (suppressedNow.length) {
      await store.compact(suppressedNow);
      for (const { key, triage: t } of suppressedNow) await store.transition(key, 'dismiss', SERVICE_ACTOR, at, { detail: `suppressed by rule ${t.route.suppressed!.rule}: ${t.route.suppressed!.reason}` });
    }
    await Promise.all([...cards].map(([channelKey, jobs]) => queues.notifyFor(channelKey).addBulk(jobs)));
    await watchVolume(
      valid.filter((_, i) => saved[i]!.created).map((v) => v.triage),
      at,
    ).catch((error: Error) => log.warn({ err: error.message }, 'could not count mentions for spike alerts'));
    // The good ones are safe: now the ones that could not be read, each with its reason.
    for (const { payload, reason } of malformed) {
      const sourceName = job.data?.sourceName;
      log.warn({ jobId: job.id, reason }, 'malformed mention sent to dead-letter');
      await deadLetter(queues, { fromQueue: QUEUE.ingest, reason: `malformed mention: ${reason}`, payload: { mention: payload, sourceName, receivedAt: job.data?.receivedAt } }, at);
      metrics?.deadLetters.inc({ from_queue: QUEUE.ingest });
    }
    return { triaged: valid.length, created, malformed: malformed.length };
  };
  if (!metrics) return run;
  return async (job: Job<IngestJob>): Promise<TriageOutcome> => {
    const done = metrics.triageSeconds.startTimer();
    try {
      const outcome = await run(job);
      done({ outcome: 'triaged' });
      return outcome;
    } catch (error) {
      done({ outcome: 'failed' });
      throw error;
    }
  };
}
