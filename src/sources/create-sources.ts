import type { SourceConfig } from '../config/schema.js';
import type { Platform } from '../core/mention.js';
import type { Replier } from './replier.js';
import { SourceDisabledError } from './source-errors.js';
import type { Source, SourceDeps, SourceKv } from './source.js';

/**
 * Builds the enabled sources of `sources.yaml`. Each platform's module (and its client
 * library) is imported only when a source of that type is configured.
 */
export async function createSources(configs: readonly SourceConfig[], deps: SourceDeps): Promise<Source[]> {
  const sources: Source[] = [];
  for (const config of configs) {
    if (!config.enabled) continue;
    try {
      sources.push(await createSource(config, { ...deps, log: deps.log.child({ source: config.name }) }));
    } catch (error) {
      // One source that cannot be built must not stop the others: it reports why on each read.
      sources.push(unavailableSource(config, `could not be set up: ${(error as Error).message}`));
    }
  }
  return sources;
}

/** A source that cannot run, standing in for it so the scheduler records and reports why. */
function unavailableSource(config: SourceConfig, reason: string): Source {
  return {
    name: config.name,
    platform: config.type,
    pollSeconds: config.pollSeconds,
    async *read() {
      throw new SourceDisabledError(`${config.name} ${reason}`);
    },
  };
}

async function createSource(config: SourceConfig, d: SourceDeps): Promise<Source> {
  switch (config.type) {
    case 'file':
      return (await import('./file.js')).createFileSource({ path: config.path, name: config.name, pollSeconds: config.pollSeconds });
    case 'x':
      return (await import('./x.js')).createXSource(config, d);
    case 'bluesky':
      return (await import('./bluesky.js')).createBlueskySource(config, d);
    case 'mastodon':
      return (await import('./mastodon.js')).createMastodonSource(config, d);
    case 'hackernews':
      return (await import('./hackernews.js')).createHackerNewsSource(config, d);
    case 'reddit':
      return (await import('./reddit.js')).createRedditSource(config, d);
    case 'rss':
      return (await import('./rss.js')).createRssSource(config, d);
  }
}

/**
 * The reply senders for which write credentials are configured, one per platform (the
 * first enabled source of a platform that has them). A platform without one stays
 * copy-and-paste.
 */
export async function createRepliers(
  configs: readonly SourceConfig[],
  deps: SourceDeps,
  /** The stored values of a source by name: a replier shares its source's login session. */
  kvOf?: (sourceName: string) => SourceKv,
): Promise<Map<Platform, Replier>> {
  const repliers = new Map<Platform, Replier>();
  for (const config of configs) {
    if (!config.enabled || repliers.has(config.type)) continue;
    const d = { ...deps, log: deps.log.child({ replier: config.name }) };
    let replier: Replier | undefined;
    if (config.type === 'x') replier = (await import('./x-replier.js')).createXReplier(config, d);
    else if (config.type === 'bluesky') replier = (await import('./bluesky-replier.js')).createBlueskyReplier(config, { ...d, ...(kvOf ? { kv: kvOf(config.name) } : {}) });
    else if (config.type === 'mastodon') replier = (await import('./mastodon-replier.js')).createMastodonReplier(config, d);
    if (replier) repliers.set(config.type, replier);
  }
  return repliers;
}
