/**
 * The sources the ingest role runs, each under a scheduler of its own, so that a
 * reloaded `sources.yaml` applies without a restart: the sources removed or changed stop
 * (a read in progress finishes its page, so its cursor is stored), the new or changed
 * ones start and resume from their cursor in Redis, the others keep polling.
 */
import type { Logger } from 'pino';
import type { BrandConfig, SourceConfig } from '../config/schema.js';
import { sourceChanges } from '../config/source-changes.js';
import type { Source } from '../sources/source.js';
import { addCounts, noCounts, type IngestCounts } from './ingest.js';
import type { IngestScheduler } from './ingest-scheduler.js';

/** The parts of a configuration the sources are built from. */
export interface SourceSettings {
  sources: readonly SourceConfig[];
  brand: BrandConfig;
}

export interface LiveSourcesOptions {
  /** Builds the enabled sources among `configs` (see `createSources`). */
  build: (configs: readonly SourceConfig[], brand: BrandConfig) => Promise<Source[]>;
  /** Starts polling the given sources. */
  run: (sources: readonly Source[]) => IngestScheduler;
  log: Logger;
}

export interface LiveSources {
  /** Resolves once every source running at the start was read once. */
  firstRound: Promise<IngestCounts>;
  /** The sources running now. */
  running(): Source[];
  /** Takes a reloaded configuration's sources into use; changes apply one after another, never rejects. */
  apply(next: SourceSettings): Promise<void>;
  /** Stops every source, after a change being applied. */
  stop(): Promise<void>;
}

/** Runs `initial` (built from `settings`) and keeps them in step with each configuration applied. */
export function startLiveSources(initial: readonly Source[], settings: SourceSettings, options: LiveSourcesOptions): LiveSources {
  const running = new Map<string, { source: Source; scheduler: IngestScheduler }>();
  const launch = (source: Source) => {
    const scheduler = options.run([source]);
    running.set(source.name, { source, scheduler });
    return scheduler.firstRound;
  };
  const firstRound = Promise.all(initial.map(launch)).then((all) => all.reduce(addCounts, noCounts()));
  let inForce = settings;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();

  async function applyNow(next: SourceSettings): Promise<void> {
    if (stopped) return;
    const changes = sourceChanges(inForce, next);
    if (changes.stop.length === 0 && changes.start.length === 0) {
      inForce = next;
      return;
    }
    await Promise.all(
      changes.stop.map(async (name) => {
        const entry = running.get(name);
        running.delete(name);
        await entry?.scheduler.stop();
      }),
    );
    if (stopped) return;
    // In force only once built: a build that fails (credentials, network) is tried again by the next reload.
    const started = await options.build(changes.start, next.brand);
    inForce = next;
    for (const source of started) void launch(source);
    options.log.info({ stopped: changes.stop, started: started.map((s) => s.name) }, 'sources change applied');
  }

  return {
    firstRound,
    running: () => [...running.values()].map((r) => r.source),
    apply(next) {
      const run = chain.then(() => applyNow(next)).catch((error: Error) => options.log.error({ err: error.message }, 'could not apply the sources change'));
      chain = run;
      return run;
    },
    async stop() {
      stopped = true;
      await chain;
      await Promise.all([...running.values()].map((r) => r.scheduler.stop()));
      running.clear();
    },
  };
}
