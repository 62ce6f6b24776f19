/**
 * What a reloaded `sources.yaml` changes for the running ingest role, source by source
 * (by `name`): the ones to stop and the ones to start. A source whose entry changed is
 * both, so it runs again under its new settings; one left as it was keeps running. Its
 * cursor lives in Redis, so a source started again resumes where it stopped.
 */
import type { BrandConfig, SourceConfig } from './schema.js';

export interface SourceChanges {
  /** Names of running sources that were removed, disabled or changed. */
  stop: string[];
  /** Enabled entries that are new or changed, in the order of the file. */
  start: SourceConfig[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares the enabled sources of two configurations by name. A changed brand changes
 * every source: their default queries and the handles they skip come from it.
 */
export function sourceChanges(running: { sources: readonly SourceConfig[]; brand: BrandConfig }, next: { sources: readonly SourceConfig[]; brand: BrandConfig }): SourceChanges {
  const before = new Map(running.sources.filter((s) => s.enabled).map((s) => [s.name, s]));
  const after = next.sources.filter((s) => s.enabled);
  const brandChanged = !same(running.brand, next.brand);
  const kept = new Set(after.filter((s) => !brandChanged && before.has(s.name) && same(before.get(s.name), s)).map((s) => s.name));
  return {
    stop: [...before.keys()].filter((name) => !kept.has(name)),
    start: after.filter((s) => !kept.has(s.name)),
  };
}
