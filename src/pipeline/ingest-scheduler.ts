import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { SourceBudgetError, SourceDisabledError, SourceRateLimitedError } from '../sources/source-errors.js';
import type { ListenContext, ReadContext, Source } from '../sources/source.js';
import { createSourceKv } from '../store/source-kv.js';
import type { SourceHealthStore } from '../store/source-health.js';
import { addCounts, cursorKey, deliverBatch, ingestFrom, noCounts, type IngestCounts, type IngestDeps } from './ingest.js';
import { raiseAlert, type Queues } from './queues.js';

export interface SchedulerOptions {
  /** Read each source once and stop (the demo) instead of polling. @defaultValue false */
  once?: boolean;
  /** First back-off after an unexplained failure, doubled per failure in a row. @defaultValue 30 s */
  backoffBaseSeconds?: number;
  /** Longest back-off. @defaultValue 15 min */
  backoffMaxSeconds?: number;
  /** Failures in a row before the leads are told. @defaultValue 3 */
  alertAfterFailures?: number;
  /** Hours without a new mention before the leads are told (0: never). @defaultValue 6 */
  silenceAlertHours?: number;
  /** Channel key of the leads' alerts. @defaultValue `leads` */
  alertChannel?: string;
}

export interface SchedulerDeps extends IngestDeps {
  queues: IngestDeps['queues'] & Pick<Queues, 'alert'>;
  health: SourceHealthStore;
  /** Also counts failed reads by kind (`sourceReadErrors`), when given. */
  metrics?: Pick<Metrics, 'mentionsIngested' | 'deadLetters' | 'sourceReadErrors'>;
}

export interface IngestScheduler {
  /** Resolves once every source was read once (successfully or not). */
  firstRound: Promise<IngestCounts>;
  /** Stops every loop; a read in progress finishes its page so its cursor is stored. */
  stop(): Promise<void>;
}

/** Longest delay a Node timer takes; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sleeps until `ms` pass or the signal aborts (in steps: a budget pause can last weeks). */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0 && !signal.aborted; left = until - Date.now()) await pauseOnce(Math.min(left, MAX_TIMER_MS), signal);
}

function pauseOnce(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The `kind` label of a failed read. */
function errorKind(error: Error): string {
  if (error instanceof SourceRateLimitedError) return 'rate-limited';
  if (error instanceof SourceBudgetError) return 'budget-reached';
  if (error instanceof SourceDisabledError) return 'disabled';
  return 'failed';
}

const fmt = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Runs every source on its own cadence: a read, then a pause of the source's
 * `pollSeconds`, for as long as the service runs. What a failure means decides what
 * happens next: a rate limit waits until its reset, a spent budget until the next
 * period, refused credentials stop the source (the leads are told once), anything else
 * backs off exponentially and tells the leads after several failures in a row. A source
 * that hears nothing for hours is reported too: that usually means a broken query or token.
 */
export function startIngestScheduler(sources: readonly Source[], deps: SchedulerDeps, options: SchedulerOptions = {}): IngestScheduler {
  const { once = false, backoffBaseSeconds = 30, backoffMaxSeconds = 900, alertAfterFailures = 3, silenceAlertHours = 6, alertChannel = 'leads' } = options;
  const now = deps.now ?? (() => new Date());
  const stopping = new AbortController();
  const loops: Array<Promise<unknown>> = [];
  const firsts: Array<Promise<IngestCounts>> = [];

  const alert = (source: Source, kind: string, onceKey: string, level: 'warning' | 'error', title: string, text: string) =>
    raiseAlert(deps.queues, { channelKey: alertChannel, title, text, level, source: source.name }, `${source.name}-${kind}-${onceKey}`, now()).catch((error: Error) =>
      deps.log.error({ source: source.name, err: error.message }, 'could not queue an alert for the leads'),
    );

  function contextFor(source: Source, log: Logger): ReadContext {
    return { signal: stopping.signal, kv: createSourceKv(deps.redis, deps.prefix, source.name), log, now };
  }

  /** One read with its outcome recorded; returns how long to wait before the next, or undefined to stop. */
  async function readOnce(source: Source, log: Logger, counts: IngestCounts): Promise<number | undefined> {
    const context = contextFor(source, log);
    try {
      await ingestFrom(source, deps, context, counts);
      await deps.health.succeeded(source.name, counts.enqueued, now());
      return source.pollSeconds * 1000;
    } catch (error) {
      // Stopping aborts a request in flight: that is not the source failing.
      if (stopping.signal.aborted) return undefined;
      const err = error as Error;
      const at = now();
      deps.metrics?.sourceReadErrors.inc({ source: source.name, kind: errorKind(err) });
      // What was enqueued before the failure counts (its cursor is stored).
      await deps.health.delivered(source.name, counts.enqueued, at);
      if (err instanceof SourceRateLimitedError) {
        await deps.health.waiting(source.name, 'rate-limited', err.message, err.resumeAt);
        log.warn({ source: source.name, until: err.resumeAt.toISOString() }, 'rate limited: waiting for the reset');
        return Math.max(1000, err.resumeAt.getTime() - at.getTime());
      }
      if (err instanceof SourceBudgetError) {
        await deps.health.waiting(source.name, 'budget-reached', err.message, err.resumeAt);
        log.warn({ source: source.name, until: err.resumeAt.toISOString(), reason: err.message }, 'budget reached: reads paused');
        // Once a day at most, however often the platform says to try again.
        await alert(source, 'budget', utcDay(at), 'warning', `Source ${source.name} paused until ${fmt(err.resumeAt)}`, err.message);
        return Math.max(1000, err.resumeAt.getTime() - at.getTime());
      }
      if (err instanceof SourceDisabledError) {
        await deps.health.failed(source.name, 'disabled', err.message, undefined, at);
        log.warn({ source: source.name, reason: err.message }, 'source disabled until restarted with a fixed configuration');
        await alert(source, 'disabled', (await deps.health.get(source.name))?.runningSince ?? fmt(at), 'error', `Source ${source.name} is disabled`, err.message);
        return undefined;
      }
      const failures = await deps.health.failed(source.name, 'backing-off', err.message, undefined, at);
      const delay = Math.min(backoffMaxSeconds, backoffBaseSeconds * 2 ** Math.min(failures.inARow - 1, 20)) * 1000 * (0.8 + Math.random() * 0.4);
      const until = new Date(at.getTime() + delay);
      await deps.health.waiting(source.name, 'backing-off', err.message, until);
      log.error({ source: source.name, err: err.message, failures: failures.inARow, retryAt: until.toISOString() }, 'reading a source failed; backing off');
      if (failures.inARow >= alertAfterFailures) {
        // One notice per streak of failures, keyed by when it began.
        await alert(source, 'failing', failures.since, 'error', `Source ${source.name} keeps failing`, `${failures.inARow} reads in a row failed; the last: ${err.message}. Retrying with back-off (next at ${fmt(until)}).`);
      }
      return delay;
    }
  }

  async function checkSilence(source: Source): Promise<void> {
    if (silenceAlertHours <= 0) return;
    const h = await deps.health.get(source.name);
    if (!h || h.status === 'disabled') return;
    const since = Date.parse(h.lastMentionAt ?? h.runningSince ?? '');
    if (!Number.isFinite(since)) return;
    const quietMs = now().getTime() - since;
    if (quietMs < silenceAlertHours * 3600_000) return;
    const hours = Math.floor(quietMs / 3600_000);
    await alert(
      source,
      'silent',
      h.lastMentionAt ?? h.runningSince ?? '',
      'warning',
      `No mentions from ${source.name} for ${hours} h`,
      `The source reads without errors but has found nothing new since ${h.lastMentionAt ? fmt(new Date(h.lastMentionAt)) : 'it started'}. That usually means a query that matches nothing or a token without access: check its entry in sources.yaml (\`mention-triage sources --dry-run\` shows what it would read).`,
    );
  }

  async function pollLoop(source: Source, first: (counts: IngestCounts) => void): Promise<void> {
    const log = deps.log.child({ source: source.name });
    await deps.health.started(source.name, source.platform, now());
    let isFirst = true;
    while (!stopping.signal.aborted) {
      const counts = noCounts();
      const wait = await readOnce(source, log, counts);
      if (isFirst) {
        isFirst = false;
        first(counts);
      }
      if (once || wait === undefined) return;
      await checkSilence(source).catch(() => undefined);
      await pause(wait, stopping.signal);
    }
  }

  async function listenLoop(source: Source): Promise<void> {
    const log = deps.log.child({ source: source.name, mode: 'listen' });
    const key = cursorKey(deps.prefix, source.name, true);
    let failures = 0;
    while (!stopping.signal.aborted) {
      const context: ListenContext = {
        ...contextFor(source, log),
        cursor: (await deps.redis.get(key)) ?? undefined,
        deliver: async (batch) => {
          const counts = await deliverBatch(source, batch, deps, key);
          context.cursor = batch.cursor;
          failures = 0;
          // Only the counts: the poll's status is the poll's to say.
          await deps.health.delivered(source.name, counts.enqueued, now());
        },
      };
      try {
        await source.listen!(context);
        if (stopping.signal.aborted) return;
        failures += 1;
        deps.metrics?.sourceReadErrors.inc({ source: source.name, kind: 'stream-ended' });
      } catch (error) {
        const err = error as Error;
        if (!stopping.signal.aborted) deps.metrics?.sourceReadErrors.inc({ source: source.name, kind: `stream-${errorKind(err)}` });
        if (err instanceof SourceDisabledError) {
          log.warn({ reason: err.message }, 'stream disabled');
          await alert(source, 'listen-disabled', fmt(now()), 'error', `Stream of ${source.name} is disabled`, err.message);
          return;
        }
        const resumeAt = err instanceof SourceRateLimitedError || err instanceof SourceBudgetError ? err.resumeAt : undefined;
        failures += 1;
        log.warn({ err: err.message, failures }, 'stream ended with an error; reconnecting');
        if (stopping.signal.aborted) return;
        if (resumeAt) {
          await pause(resumeAt.getTime() - now().getTime(), stopping.signal);
          continue;
        }
      }
      await pause(Math.min(backoffMaxSeconds, backoffBaseSeconds * 2 ** Math.min(failures, 10)) * 1000, stopping.signal);
    }
  }

  for (const source of sources) {
    let resolveFirst!: (counts: IngestCounts) => void;
    firsts.push(new Promise<IngestCounts>((resolve) => (resolveFirst = resolve)));
    const loop = pollLoop(source, resolveFirst).catch((error: Error) => {
      deps.log.error({ source: source.name, err: error.message }, 'source loop stopped unexpectedly');
      resolveFirst(noCounts());
    });
    loops.push(loop);
    if (source.listen && !once) loops.push(listenLoop(source).catch((error: Error) => deps.log.error({ source: source.name, err: error.message }, 'stream loop stopped unexpectedly')));
  }

  return {
    firstRound: Promise.all(firsts).then((all) => all.reduce(addCounts, noCounts())),
    async stop() {
      stopping.abort();
      await Promise.all(loops);
      await Promise.all(sources.map((s) => s.close?.().catch(() => undefined)));
    },
  };
}
