/**
 * Prometheus instruments of one runtime, in a registry of its own (nothing global: two
 * runtimes in one process, as in the tests, each have theirs). Counters and histograms
 * are fed by the stages as they work; gauges read Redis when scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SourceStatus } from '../store/source-health.js';

/** Every prefixed metric name, so the README, the tests and dashboards agree. */
export const METRIC = {
  queueJobs: 'mention_triage_queue_jobs',
  queueOldestWaiting: 'mention_triage_queue_oldest_waiting_seconds',
  mentionsIngested: 'mention_triage_mentions_ingested_total',
  sourceReadErrors: 'mention_triage_source_read_errors_total',
  sourceStatus: 'mention_triage_source_status',
  xSpend: 'mention_triage_x_spend_this_month_usd',
  xBudget: 'mention_triage_x_budget_usd',
  cardDelay: 'mention_triage_card_delay_seconds',
  cardsPosted: 'mention_triage_cards_posted_total',
  discordRateLimits: 'mention_triage_discord_rate_limits_total',
  discordRateLimitWait: 'mention_triage_discord_rate_limit_wait_seconds_total',
  deadLetters: 'mention_triage_dead_letters_total',
  triageDuration: 'mention_triage_triage_duration_seconds',
  timeToClaim: 'mention_triage_time_to_claim_seconds',
  timeToResolve: 'mention_triage_time_to_resolve_seconds',
  scrapeErrors: 'mention_triage_scrape_errors_total',
} as const;

/** Every status a source health record can hold; the status gauge has one series per status. */
export const SOURCE_STATUSES = ['starting', 'ok', 'backing-off', 'rate-limited', 'budget-reached', 'disabled'] as const satisfies readonly SourceStatus[];

/** What happened to a mention a source read. */
export type IngestOutcome = 'enqueued' | 'duplicate' | 'rejected';

/** One queue's job counts by state, and how long its oldest waiting job has waited. */
export interface QueueReading {
  queue: string;
  /** BullMQ state → jobs (`getJobCounts`). */
  counts: Record<string, number>;
  /** Seconds since the oldest job still waiting to run was added; absent when none waits. */
  oldestWaitingSeconds?: number;
}

/** One source's health as the scrape sees it. */
export interface SourceReading {
  source: string;
  status: SourceStatus;
  /** Spend this month (UTC) as the source counts it (X only). */
  spentUsdThisMonth?: number;
  /** The monthly budget the spend is counted against (X only). */
  budgetUsd?: number;
}

/** Readers called on each scrape; each may fail or time out alone without failing the scrape. */
export interface MetricsReaders {
  /** Every queue of the deployment. */
  queues?: () => Promise<QueueReading[]>;
  /** The sources this process runs. */
  sources?: () => Promise<SourceReading[]>;
}

export interface MetricsOptions {
  /** Readers of the scrape-time gauges. @defaultValue none: those gauges stay empty */
  readers?: MetricsReaders;
  /** How long a reader may take before its gauges are left empty for this scrape. @defaultValue 2000 ms */
  readTimeoutMs?: number;
  /** prom-client's process metrics (CPU, memory, event loop lag, GC). @defaultValue true */
  processMetrics?: boolean;
}

/** The instruments of one runtime. Label names are in each type. */
export interface Metrics {
  readonly registry: Registry;
  /** Mentions a source read, by what became of them. */
  readonly mentionsIngested: Counter<'source' | 'outcome'>;
  /** Failed reads by kind: `rate-limited`, `budget-reached`, `disabled`, `failed`, and `stream-*` for listeners. */
  readonly sourceReadErrors: Counter<'source' | 'kind'>;
  /** Cards posted, per channel key. */
  readonly cardsPosted: Counter<'channel'>;
  /** Seconds from a post's `createdAt` to its card being posted, per channel key (escalated copies left out). */
  readonly cardDelaySeconds: Histogram<'channel'>;
  /** Times Discord's REST client held a request for a rate limit (after a 429 or on a spent bucket). */
  readonly discordRateLimits: Counter<'scope' | 'global'>;
  /** Seconds those holds lasted, as the REST client announced them. */
  readonly discordRateLimitWaitSeconds: Counter<'scope' | 'global'>;
  /** Payloads written to the dead-letter queue, by where they came from (`ingest`, `notify`, `source:<name>`). */
  readonly deadLetters: Counter<'from_queue'>;
  /** Seconds a triage job took, by outcome (`triaged` or `failed`). */
  readonly triageSeconds: Histogram<'outcome'>;
  /** Seconds from a mention's arrival to its first claim, by the channel it was routed to. */
  readonly timeToClaimSeconds: Histogram<'channel'>;
  /** Seconds from a mention's arrival to each time it was resolved, by the channel it was routed to. */
  readonly timeToResolveSeconds: Histogram<'channel'>;
}

/** Minutes to days: how long a team takes to take and to close a mention. */
const HANDLING_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800];

/** Rejects after `ms` so one slow reader (Redis away) does not hold the scrape. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Creates a registry with every instrument of the service; nothing is shared between calls. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const { readers = {}, readTimeoutMs = 2000, processMetrics = true } = options;
  const registry = new Registry();
  const registers = [registry];
  if (processMetrics) collectDefaultMetrics({ register: registry });

  const failedReadings = new Map<string, number>();

  /** One reading per scrape shared by the gauges that need it; a failure empties them. */
  function sharedReading<T>(name: string, read: (() => Promise<T[]>) | undefined): () => Promise<T[]> {
    let inFlight: Promise<T[]> | undefined;
    return () =>
      (inFlight ??= (async () => {
        try {
          return read ? await within(readTimeoutMs, read()) : [];
        } catch {
          failedReadings.set(name, (failedReadings.get(name) ?? 0) + 1);
          return [];
        } finally {
          // Let the gauges of this scrape share it, the next scrape read afresh.
          setImmediate(() => (inFlight = undefined));
        }
      })());
  }
  const queueReadings = sharedReading('queues', readers.queues);
  const sourceReadings = sharedReading('sources', readers.sources);

  new Counter({
    name: METRIC.scrapeErrors,
    help: 'Scrape-time readings that failed or timed out (their gauges were left empty).',
    labelNames: ['reader'] as const,
    registers,
    // Waits for this scrape's readings, so that a failure shows in the same scrape.
    async collect() {
      await Promise.all([queueReadings(), sourceReadings()]);
      for (const [reader, n] of failedReadings) this.inc({ reader }, n);
      failedReadings.clear();
    },
  });

  new Gauge({
    name: METRIC.queueJobs,
    help: 'Jobs in each queue by BullMQ state (read from Redis on scrape).',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      const readings = await queueReadings();
      this.reset();
      for (const r of readings) for (const [state, n] of Object.entries(r.counts)) this.set({ queue: r.queue, state }, n);
    },
  });
  new Gauge({
    name: METRIC.queueOldestWaiting,
    help: 'Seconds the oldest job waiting to run in each queue has waited since it was added (0: none waiting).',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      const readings = await queueReadings();
      this.reset();
      for (const r of readings) this.set({ queue: r.queue }, r.oldestWaitingSeconds ?? 0);
    },
  });
  new Gauge({
    name: METRIC.sourceStatus,
    help: 'Each source of this process: 1 for its current status, 0 for the others.',
    labelNames: ['source', 'status'] as const,
    registers,
    async collect() {
      const readings = await sourceReadings();
      this.reset();
      for (const r of readings) for (const status of SOURCE_STATUSES) this.set({ source: r.source, status }, r.status === status ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.xSpend,
    help: 'US dollars an X source has spent this month (UTC), as it counts its reads.',
    labelNames: ['source'] as const,
    registers,
    async collect() {
      const readings = await sourceReadings();
      this.reset();
      for (const r of readings) if (r.spentUsdThisMonth !== undefined) this.set({ source: r.source }, r.spentUsdThisMonth);
    },
  });
  new Gauge({
    name: METRIC.xBudget,
    help: "An X source's monthly budget in US dollars (monthlyBudgetUsd).",
    labelNames: ['source'] as const,
    registers,
    async collect() {
      const readings = await sourceReadings();
      this.reset();
      for (const r of readings) if (r.budgetUsd !== undefined) this.set({ source: r.source }, r.budgetUsd);
    },
  });

  return {
    registry,
    mentionsIngested: new Counter({ name: METRIC.mentionsIngested, help: 'Mentions read from each source, by outcome: enqueued, duplicate (seen before) or rejected (malformed, dead-lettered).', labelNames: ['source', 'outcome'], registers }),
    sourceReadErrors: new Counter({ name: METRIC.sourceReadErrors, help: 'Failed reads of each source, by kind: rate-limited, budget-reached, disabled, failed; stream-* for a stream.', labelNames: ['source', 'kind'], registers }),
    cardsPosted: new Counter({ name: METRIC.cardsPosted, help: 'Cards posted, per channel key.', labelNames: ['channel'], registers }),
    cardDelaySeconds: new Histogram({
      name: METRIC.cardDelay,
      help: "Seconds from a post's createdAt to its card being posted, per channel key.",
      labelNames: ['channel'],
      // From a few seconds (a stream) to a day (the first read's look-back).
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21_600, 86_400],
      registers,
    }),
    discordRateLimits: new Counter({ name: METRIC.discordRateLimits, help: "Requests Discord's REST client held for a rate limit (after a 429, or on a spent bucket).", labelNames: ['scope', 'global'], registers }),
    discordRateLimitWaitSeconds: new Counter({ name: METRIC.discordRateLimitWait, help: 'Seconds of those holds, as announced.', labelNames: ['scope', 'global'], registers }),
    deadLetters: new Counter({ name: METRIC.deadLetters, help: 'Payloads written to the dead-letter queue, by origin (ingest, notify, alert, source:<name>).', labelNames: ['from_queue'], registers }),
    triageSeconds: new Histogram({
      name: METRIC.triageDuration,
      help: 'Seconds a triage job took (validate, judge, route, record, queue its cards), by outcome.',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    timeToClaimSeconds: new Histogram({ name: METRIC.timeToClaim, help: "Seconds from a mention's arrival (triaged) to its first claim, by the channel it was routed to.", labelNames: ['channel'], buckets: HANDLING_BUCKETS, registers }),
    timeToResolveSeconds: new Histogram({ name: METRIC.timeToResolve, help: "Seconds from a mention's arrival (triaged) to each resolve, by the channel it was routed to.", labelNames: ['channel'], buckets: HANDLING_BUCKETS, registers }),
  };
}
