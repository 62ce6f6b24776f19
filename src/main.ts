import { randomUUID } from 'node:crypto';
import type { Client, REST } from 'discord.js';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis } from './infra/redis-connect.js';
import { startDashboard, type Dashboard } from './infra/dashboard.js';
import { discordReadiness, redisReadiness, startHttpEndpoints, type HttpEndpoints } from './infra/http-endpoints.js';
import { queueReader, sourceReader, whenConnected } from './infra/metric-readers.js';
import type { Metrics } from './infra/metrics.js';
import type { Logger } from 'pino';
import type { Config, SourceConfig } from './config/schema.js';
import { followUpsFor } from './pipeline/follow-up.js';
import { isFinalFailure, sendFinalFailuresToDeadLetter } from './pipeline/dead-letter.js';
import { createAlertProcessor } from './pipeline/alert-worker.js';
import { noCounts, type IngestCounts } from './pipeline/ingest.js';
import { startIngestScheduler, type SchedulerOptions } from './pipeline/ingest-scheduler.js';
import { startLiveSources, type LiveSources } from './pipeline/live-sources.js';
import type { Notifier } from './pipeline/notifier.js';
import { createNotifyProcessor, type TakenJob } from './pipeline/notify-worker.js';
import { withHandlingTimes } from './pipeline/handling-times.js';
import { createQueues, deadLetter, ESCALATION_PRIORITY, notifyChannelKeys, notifyPriority, QUEUE, type AlertJob, type IngestJob, type NotifyJob } from './pipeline/queues.js';
import { createSlaProcessor, createSlaTimers } from './pipeline/sla-worker.js';
import { createCardPreparation } from './pipeline/card-preparation.js';
import { createAuthorIndex } from './store/author-index.js';
import { createSuppressedStore } from './store/suppressed-store.js';
import { secretReader } from './config/env.js';
import { changesAtNextStart } from './config/config-watch.js';
import { createRepliers, createSources } from './sources/create-sources.js';
import type { Source } from './sources/source.js';
import { createDigestStore } from './store/digest-store.js';
import { createDuplicateGroups } from './store/duplicate-groups.js';
import { DEFAULT_HIGH_REACH } from './core/route.js';
import { createIncidentStore } from './store/incident-store.js';
import { createMentionStore } from './store/mention-store.js';
import { createStatsIndex, withStatsIndex } from './store/stats-index.js';
import { cachedModel, createModelStore, learnedModelFor } from './store/model-store.js';
import { createVolumeStore } from './store/volume-store.js';
import { createSourceHealthStore } from './store/source-health.js';
import { createSourceKv } from './store/source-kv.js';

import type { Role } from './roles.js';

export type { Role };

/** How to reach Discord; absent means cards are rendered to the terminal. */
export interface DiscordAccess {
  token: string;
  /** REST base, e.g. `https://discord.com/api` (a local peer in tests). */
  apiUrl: string;
  /** The application whose slash commands are registered; default: the one the token belongs to. */
  applicationId?: string;
}

export interface RuntimeOptions {
  roles: readonly Role[];
  config: Config;
  redisUrl: string;
  /** Key prefix of every queue and state key of this deployment. */
  prefix: string;
  log: Logger;
  discord?: DiscordAccess;
  /** Where terminal cards go when there is no Discord access. @defaultValue standard output */
  terminal?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Read each source once and stop ingesting (the demo) instead of polling. @defaultValue false */
  ingestOnce?: boolean;
  /** Back-off and alert settings of the ingest scheduler. @defaultValue see {@link SchedulerOptions} */
  scheduler?: SchedulerOptions;
  /** Reads the credentials `sources.yaml` names. @defaultValue the process environment */
  secret?: (name: string) => string | undefined;
  /** Sources to run instead of those built from `config.sources` (tests); a reload leaves them as they are. */
  sources?: Source[];
  /** Triage jobs run at once. @defaultValue 16 */
  triageConcurrency?: number;
  /** Called after each card is posted. */
  onPosted?: (key: string, channelKey: string) => void;
  /**
   * Serve `/metrics`, `/healthz` and `/readyz` (`METRICS_PORT`, `METRICS_HOST`); port 0
   * takes a free one. @defaultValue none: no server, no metrics recorded
   */
  endpoints?: { port: number; host?: string };
  /**
   * Serve the read-only queue dashboard (`DASHBOARD_PORT`, `DASHBOARD_HOST`,
   * `DASHBOARD_BASE_PATH`, or `start --dashboard`); port 0 takes a free one.
   * @defaultValue none: bull-board and express are not even loaded
   */
  dashboard?: { port: number; host?: string; basePath?: string };
}

export interface Runtime {
  /** Resolves with the ingest counts once every source was read once (ingest role only). */
  firstIngest: Promise<IngestCounts>;
  redis: Redis;
  queues: ReturnType<typeof createQueues>;
  client?: Client;
  /** The operations endpoints, when {@link RuntimeOptions.endpoints} asked for them. */
  endpoints?: HttpEndpoints;
  /** The instruments behind `/metrics`, when the endpoints are served. */
  metrics?: Metrics;
  /** The queue dashboard, when {@link RuntimeOptions.dashboard} asked for it. */
  dashboard?: Dashboard;
  /**
   * Stops ingesting, lets active jobs finish, closes every connection. Past the deadline
   * (default 20 s: Redis gone, a long rate limit) it closes anyway; unfinished jobs are
   * retried by the next worker.
   */
  close(deadlineMs?: number): Promise<void>;
  /**
   * Takes a reloaded (already validated) configuration into use without a restart: triage
   * routes, drafts and times the next batch by it, notify posts to its channel ids with its
   * stacking, the bot drafts by it, the ingest role stops the sources removed or changed
   * and starts the new or changed ones (the others keep polling). Returns what waits for the next start (see
   * {@link changesAtNextStart}); jobs running now finish under the previous one.
   */
  applyConfig(next: Config): string[];
}

/**
 * An error listener that logs each distinct message at most once a minute: without a
 * listener BullMQ prints raw stack traces, thousands a minute while Redis is down.
 */
function logOnce(log: Logger, msg: string): (error: Error) => void {
  const last = new Map<string, number>();
  return (error) => {
    const now = Date.now();
    if ((last.get(error.message) ?? 0) > now - 60_000) return;
    last.set(error.message, now);
    log.error({ err: error.message }, msg);
  };
}

/**
 * Cards queued by a version that had one `notify` queue for every channel: a worker moves
 * each to its channel's queue (same job id, priority by route and reach, checked against
 * the channel before posting), so an upgrade loses no card.
 */
function moveLegacyCards(queues: ReturnType<typeof createQueues>, redis: Redis, prefix: string, workers: Worker[], log: Logger, metrics?: Metrics): void {
  // Always watched (an idle worker costs one connection): an older process still running
  // during a rolling upgrade may queue cards there, and a job it left active is recovered
  // only by a worker on that queue.
  const mover = new Worker<NotifyJob>(
    QUEUE.notify,
    async (job) => {
      const { channelKey, escalatedBy, triage } = job.data;
      const priority = escalatedBy ? ESCALATION_PRIORITY : (job.data.priority ?? notifyPriority(triage?.route.priority ?? 4, triage?.reach ?? 0));
      await queues.notifyFor(channelKey).add(job.name, { ...job.data, reconcile: true }, { ...(job.id ? { jobId: job.id } : {}), priority });
      log.info({ jobId: job.id, channelKey }, 'moved a card from the single notify queue of an earlier version to its channel queue');
      return 'moved';
    },
    { connection: redis, prefix, concurrency: 1 },
  );
  sendFinalFailuresToDeadLetter(mover, queues, log, metrics);
  workers.push(mover);
}

/**
 * Takes up to `n` jobs from the front of a channel's queue under one lock token, for a
 * stack of cards. Each is completed or handed back by the notify stage; one handed back
 * after its last attempt goes to the dead-letter like any failed job. Their locks are
 * renewed every half lock duration until then, as a worker renews the jobs it runs: a
 * post held by Discord's rate limit past the lock would otherwise let the stalled check
 * hand the card to another worker. Renewal stops after {@link MAX_STACK_HOLD_MS}: a card
 * a failure left unsettled goes back to the stalled check, as it did before renewal.
 */
/** How long the locks of cards taken for a stack are renewed at most: far beyond any rate-limit wait for one message. */
const MAX_STACK_HOLD_MS = 10 * 60_000;

export async function takeCards(taker: Worker<NotifyJob>, n: number, queues: ReturnType<typeof createQueues>, log: Logger, metrics?: Metrics): Promise<TakenJob[]> {
  const token = randomUUID();
  const taken: TakenJob[] = [];
  const held = new Set<Job<NotifyJob>>();
  const lockMs = taker.opts.lockDuration ?? 30_000;
  let renewal: NodeJS.Timeout | undefined;
  const settle = (job: Job<NotifyJob>) => {
    held.delete(job);
    if (held.size === 0 && renewal) clearInterval(renewal);
  };
  for (let i = 0; i < n; i++) {
    const job = await taker.getNextJob(token, { block: false });
    if (!job) break;
    held.add(job);
    taken.push({
      job,
      complete: async (result) => {
        settle(job);
        await job.moveToCompleted(result, token, false);
      },
      fail: async (error) => {
        settle(job);
        await job.moveToFailed(error, token, false);
        if (!isFinalFailure(job, error)) return;
        log.error({ queue: taker.name, jobId: job.id, err: error.message }, 'job failed for good; sent to dead-letter');
        await deadLetter(queues, { fromQueue: taker.name, ...(job.id ? { jobId: job.id } : {}), reason: error.message, payload: job.data });
        metrics?.deadLetters.inc({ from_queue: taker.name });
      },
    });
  }
  if (held.size > 0) {
    const until = Date.now() + MAX_STACK_HOLD_MS;
    renewal = setInterval(() => {
      if (Date.now() > until) return void clearInterval(renewal);
      for (const job of held) job.extendLock(token, lockMs).catch((error: Error) => log.warn({ queue: taker.name, jobId: job.id, err: error.message }, 'could not renew the lock of a stacked card'));
    }, lockMs / 2);
    renewal.unref();
  }
  return taken;
}

/** A promise awaited later: until then a rejection (Redis unreachable first) is not reported as unhandled. */
function background<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The composition root: the only place that opens connections, builds clients and
 * starts workers. Each role can run alone; all roles in one process is the default.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { roles, config, prefix, log, discord } = options;
  // The configuration in force; a reload replaces it (applyConfig), parts built from it read it again.
  let current = config;
  const channelIds = { ...config.discord.channels };
  const secret = options.secret ?? secretReader();
  // Each role loads what it uses: Discord's side (discord.js, cards, the desk) only the
  // roles that post or answer clicks, the classifier only those that judge or draft. The
  // loading starts now and goes on while Redis connects.
  const postsCards = roles.includes('bot') || roles.includes('notify');
  const loading = {
    triage: roles.includes('triage') ? background(import('./pipeline/triage-worker.js')) : undefined,
    drafts: postsCards ? background(import('./pipeline/drafts.js')) : undefined,
    metrics: options.endpoints ? background(import('./infra/metrics.js')) : undefined,
  };
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: null });
  const notifyChannels = notifyChannelKeys(config.discord.channels);
  const queues = createQueues(redis, prefix, notifyChannels);
  const store = createMentionStore(redis, {
    prefix,
    seenTtlSeconds: Math.max(1, Math.round(config.retention.seenDays * 86_400)),
    closedTtlSeconds: Math.max(1, Math.round(config.retention.closedDays * 86_400)),
  });
  const workers: Worker[] = [];
  const stops: Array<() => Promise<void> | void> = [];
  // Which mentions were posted when, for `/triage stats` and the marketing digest.
  const statsIndex = createStatsIndex(redis, { prefix, retentionDays: config.retention.closedDays });
  const slaTimers = createSlaTimers({
    queue: queues.sla,
    store,
    settings: {
      get resolveWithinMinutes() {
        return current.sla.resolveWithinMinutes;
      },
      get businessHours() {
        return current.sla.businessHours;
      },
    },
  });
  const health = createSourceHealthStore(redis, prefix);
  const incidents = createIncidentStore(redis, { prefix });
  const incidentNow = async () => {
    const incident = await incidents.current();
    return incident ? { incident } : {};
  };
  // The states cards are rendered from: triage records no draft, one is made on first read
  // under the templates and the incident in force (src/pipeline/drafts.ts).
  const drafting = loading.drafts ? (await loading.drafts).withDrafts(store, async () => ({ ...current, ...(await incidentNow()) })) : store;
  // Drafts count X replies with X's library: loaded now, not on the first card.
  if (postsCards) (await import('./core/platform-limits.js')).loadXCounting();
  let liveSources: LiveSources | undefined;
  // prom-client is loaded only when the endpoints are served.
  const metrics = loading.metrics
    ? (await loading.metrics).createMetrics({
        readers: {
          queues: whenConnected(redis, queueReader([queues.ingest, ...queues.notifyQueues(), queues.alert, queues.deadLetter, queues.sla], redis)),
          sources: whenConnected(redis, sourceReader(() => liveSources?.running() ?? [], health, (name) => createSourceKv(redis, prefix, name))),
        },
      })
    : undefined;
  const optionalMetrics = metrics ? { metrics } : {};
  // Clicks on cards (and SLA steps) change states through it: the team's handling times are observed there.
  const cardStore = metrics ? withHandlingTimes(drafting, metrics) : drafting;

  const djs = postsCards && discord ? await import('discord.js') : undefined;
  let client: Client | undefined;
  let rest: REST | undefined;
  if (djs && discord) {
    if (roles.includes('bot')) {
      const { deskIntents } = await import('./discord/desk.js');
      client = new djs.Client({ intents: deskIntents(config.discord), rest: { api: discord.apiUrl }, allowedMentions: { parse: [] } });
      rest = client.rest;
    } else {
      rest = new djs.REST({ api: discord.apiUrl }).setToken(discord.token);
    }
    // Emitted whenever the REST client holds a request: after a 429 and on a spent bucket.
    if (metrics) {
      rest.on(djs.RESTEvents.RateLimited, (info) => {
        const labels = { scope: info.scope, global: String(info.global) };
        metrics.discordRateLimits.inc(labels);
        metrics.discordRateLimitWaitSeconds.inc(labels, Math.max(0, info.timeToReset) / 1000);
      });
    }
  }
  const notifier: Notifier | undefined = !postsCards
    ? undefined
    : rest
      ? (await import('./discord/discord-notifier.js')).createDiscordNotifier(rest, channelIds, (channelKey, refused) =>
          log.warn({ component: 'notify', channelKey, refused }, 'Discord refused part of a card; posted a simpler one'),
        )
      : (await import('./discord/terminal-notifier.js')).createTerminalNotifier(options.terminal ?? process.stdout);

  if (client && djs && notifier) {
    const [{ createInteractionHandler }, { attachDesk, cardChannelIds }, { SLASH_COMMANDS }, { statsSettingsOf }] = await Promise.all([
      import('./discord/interactions.js'),
      import('./discord/desk.js'),
      import('./discord/commands.js'),
      import('./discord/stats-command.js'),
    ]);
    const { redraft } = await import('./core/draft-reply.js');
    const { Events, Routes } = djs;
    const repliers = await createRepliers(config.sources, { brand: config.brand, secret, log: log.child({ component: 'bot' }) }, (name) => createSourceKv(redis, prefix, name));
    // `/triage explain` judges with the word model as triage does.
    const explainModel = cachedModel(createModelStore(redis, { prefix }), () => current.learning);
    const handler = createInteractionHandler({ store: cardStore, notifier, queues, repliers, roles: config.discord.roles, sla: slaTimers, incidents, labels: createModelStore(redis, { prefix }), redraft: async (triaged) => redraft(triaged, { ...current, ...(await incidentNow()) }), policy: async () => ({ ...current, ...(await incidentNow()), ...(await explainModel().then((model) => (model ? { model } : {}))) }), stats: { index: statsIndex, store, settings: () => statsSettingsOf(current) }, cardChannelIds: cardChannelIds(channelIds), log: log.child({ component: 'bot' }) });
    attachDesk(client, handler);
    client.on(Events.Error, (error) => log.error({ err: error.message }, 'discord client error'));
    const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
    await client.login(discord!.token);
    await ready;
    const applicationId = discord!.applicationId ?? client.application?.id;
    let commands: string[] = [];
    try {
      if (applicationId) await client.rest.put(Routes.applicationCommands(applicationId), { body: SLASH_COMMANDS });
      commands = applicationId ? SLASH_COMMANDS.map((c) => c.name) : [];
    } catch (error) {
      // The cards and their buttons work without the slash command: say so, do not stop.
      log.warn({ err: (error as Error).message, applicationId }, 'could not register the /triage command');
    }
    log.info({ user: client.user?.tag, commands }, 'bot connected to Discord');
  }

  if (roles.includes('triage')) {
    const { createTriageProcessor } = await loading.triage!;
    const spikes = { volume: createVolumeStore(redis, { prefix }), channel: config.sourceAlerts.channel };
    const { coalescing } = config.discord;
    const groups = createDuplicateGroups(redis, { prefix, windowSeconds: coalescing.windowMinutes * 60 });
    const coalesce = coalescing.enabled ? { coalescing: { groups, store, ownCardFromReach: coalescing.ownCardFromReach } } : {};
    const authors = createAuthorIndex(redis, { prefix, ttlSeconds: Math.max(1, Math.round(config.retention.closedDays * 86_400)) });
    const digest = { digests: createDigestStore(redis, { prefix }), settings: () => current.discord.digest, highReach: () => current.routing.highReach ?? DEFAULT_HIGH_REACH };
    const processor = createTriageProcessor({ policy: () => current, store: withStatsIndex(store, statsIndex), queues, spikes, authors, digest, ...coalesce, followUps: followUpsFor(redis, store, { prefix, closedDays: config.retention.closedDays }), suppressed: createSuppressedStore(redis, { prefix }), incident: () => incidents.current(), model: learnedModelFor(createModelStore(redis, { prefix }), () => current, log.child({ component: 'learning' })), log: log.child({ component: 'triage' }), ...optionalMetrics });
    const worker = new Worker<IngestJob>(QUEUE.ingest, processor, { connection: redis, prefix, concurrency: options.triageConcurrency ?? 16 });
    sendFinalFailuresToDeadLetter(worker, queues, log.child({ component: 'triage' }), metrics);
    workers.push(worker);
  }

  if (roles.includes('notify') && notifier) {
    // Takes the next cards in line for a stack: a worker that runs no loop of its own, only
    // moves jobs to active under a lock token when asked.
    const takers = new Map<string, Worker<NotifyJob>>();
    const takerFor = (channelKey: string): Worker<NotifyJob> => {
      let taker = takers.get(channelKey);
      if (!taker) {
        taker = new Worker<NotifyJob>(queues.notifyFor(channelKey).name, undefined, { connection: redis, prefix, autorun: false });
        taker.on('error', logOnce(log, 'queue connection error'));
        takers.set(channelKey, taker);
        workers.push(taker);
      }
      return taker;
    };
    const notifyLog = log.child({ component: 'notify' });
    const processor = createNotifyProcessor({
      notifier,
      store: cardStore,
      log: notifyLog,
      digests: { digests: createDigestStore(redis, { prefix }), settings: () => current.discord.digest, queueFor: (channelKey) => queues.notifyFor(channelKey) },
      ...(config.discord.leadRoleId ? { leadRoleId: config.discord.leadRoleId } : {}),
      ...(options.onPosted ? { onPosted: options.onPosted } : {}),
      ...optionalMetrics,
      prepare: createCardPreparation({
        store: cardStore,
        timers: slaTimers,
        authors: createAuthorIndex(redis, { prefix, ttlSeconds: Math.max(1, Math.round(config.retention.closedDays * 86_400)) }),
        log: notifyLog,
      }),
      stacking: {
        get fromBacklog() {
          return current.discord.stacking.fromBacklog;
        },
        get cardsPerMessage() {
          return current.discord.stacking.cardsPerMessage;
        },
        backlog: async (channelKey) => queues.notifyFor(channelKey).count(),
        take: (channelKey, n) => takeCards(takerFor(channelKey), n, queues, notifyLog, metrics),
      },
    });
    // One queue and one worker per channel: each channel goes at the pace of its own
    // Discord bucket, and one job at a time keeps the priority order within it. Pacing
    // follows Discord's rate-limit headers: the REST client holds a route's queue when its
    // bucket is spent, waits out a 429 and keeps to the global 50 requests a second, so a
    // fixed limiter here would only slow channels that have room.
    for (const channelKey of notifyChannels) {
      const queue = queues.notifyFor(channelKey);
      const worker = new Worker<NotifyJob>(queue.name, processor, { connection: redis, prefix, concurrency: 1 });
      sendFinalFailuresToDeadLetter(worker, queues, log.child({ component: 'notify', channelKey }), metrics);
      workers.push(worker);
    }
    moveLegacyCards(queues, redis, prefix, workers, log.child({ component: 'notify' }), metrics);
    const alerts = new Worker<AlertJob>(QUEUE.alert, createAlertProcessor({ notifier, log: log.child({ component: 'alerts' }) }), { connection: redis, prefix, concurrency: 1 });
    sendFinalFailuresToDeadLetter(alerts, queues, log.child({ component: 'alerts' }), metrics);
    workers.push(alerts);
    // SLA timers post where the cards are, so they run beside the notify workers.
    const slaWorker = new Worker(QUEUE.sla, createSlaProcessor({ store: cardStore, notifier, queues, log: log.child({ component: 'sla' }) }), { connection: redis, prefix, concurrency: 4 });
    sendFinalFailuresToDeadLetter(slaWorker, queues, log.child({ component: 'sla' }), metrics);
    workers.push(slaWorker);
    if (config.discord.marketingDigest) {
      const { startMarketingDigest } = await import('./pipeline/marketing-digest.js');
      const marketingDigest = await startMarketingDigest({ redis, prefix, notifier, store, index: statsIndex, settings: () => current.discord.marketingDigest, log: log.child({ component: 'marketing-digest' }) });
      stops.push(() => marketingDigest.close());
    }
  }

  let firstIngest: Promise<IngestCounts> = Promise.resolve(noCounts());
  if (roles.includes('ingest')) {
    const ingestLog = log.child({ component: 'ingest' });
    const build = (configs: readonly SourceConfig[], brand: Config['brand']) => createSources(configs, { brand, secret, log: ingestLog });
    const sources = options.sources ?? (await build(config.sources, config.brand));
    if (sources.length === 0) ingestLog.warn('no source is enabled in sources.yaml: nothing will be ingested');
    const run = (some: readonly Source[]) =>
      startIngestScheduler(
        some,
        { queues, store, redis, prefix, log: ingestLog, health, ...optionalMetrics },
        {
          alertChannel: config.sourceAlerts.channel,
          alertAfterFailures: config.sourceAlerts.failuresInARow,
          silenceAlertHours: config.sourceAlerts.silenceHours,
          ...options.scheduler,
          once: options.ingestOnce ?? false,
        },
      );
    const live = startLiveSources(sources, config, { build, run, log: ingestLog });
    liveSources = live;
    firstIngest = live.firstRound;
    // Stop polling and let a read in progress finish its page, so its cursor is stored.
    stops.push(() => live.stop());
  }

  const onError = logOnce(log, 'queue connection error');
  for (const worker of workers) worker.on('error', onError);
  for (const queue of [queues.ingest, ...queues.notifyQueues(), queues.alert, queues.deadLetter, queues.sla]) queue.on('error', onError);

  let endpoints: HttpEndpoints | undefined;
  let dashboard: Dashboard | undefined;
  const forceClose = async () => {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    client?.destroy().catch(() => undefined);
    redis.disconnect();
    await dashboard?.close();
    await endpoints?.close();
  };
  let closing: Promise<void> | undefined;
  const runtime: Runtime = {
    firstIngest,
    redis,
    queues,
    ...(client ? { client } : {}),
    ...optionalMetrics,
    applyConfig(next) {
      current = next;
      for (const key of Object.keys(channelIds)) delete channelIds[key];
      Object.assign(channelIds, next.discord.channels);
      // Sources given by the caller are not the config's to change.
      if (!options.sources) void liveSources?.apply(next);
      return changesAtNextStart(config, next);
    },
    close: (deadlineMs = 20_000) =>
      (closing ??= (async () => {
        const graceful = (async () => {
          for (const stop of stops) await stop();
          await Promise.all(workers.map((w) => w.close()));
          await queues.close();
          await client?.destroy();
          await dashboard?.close();
          await redis.quit().catch(() => undefined);
          // Last, so that /readyz says "shutting down" while the rest stops.
          await endpoints?.close();
        })();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadlineMs)));
        const outcome = await Promise.race([graceful.then(() => 'done' as const), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          log.warn({ deadlineMs }, 'active jobs did not finish in time; closing anyway (they will be retried)');
          await forceClose();
        }
      })()),
  };

  if (options.endpoints && metrics) {
    const discordClient = client;
    const checks = [
      { name: 'runtime', check: () => (closing ? 'shutting down' : undefined) },
      redisReadiness(redis),
      ...(discordClient ? [discordReadiness(discordClient)] : []),
    ];
    try {
      endpoints = await startHttpEndpoints({ ...options.endpoints, metrics, checks, log: log.child({ component: 'endpoints' }) });
    } catch (error) {
      await runtime.close();
      throw error;
    }
    runtime.endpoints = endpoints;
  }
  if (options.dashboard) {
    try {
      dashboard = await startDashboard({
        ...options.dashboard,
        queues: [queues.ingest, ...queues.notifyQueues(), queues.alert, queues.deadLetter],
        log: log.child({ component: 'dashboard' }),
      });
    } catch (error) {
      await runtime.close();
      throw error;
    }
    runtime.dashboard = dashboard;
  }
  return runtime;
}
