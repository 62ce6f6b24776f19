import type { SourceConfig } from '../config/schema.js';
import type { Platform } from '../core/mention.js';
import type { Replier } from './replier.js';
import type { Source, SourceDeps } from './source.js';

/**
 * Builds the enabled sources of `sources.yaml`. Each platform's module (and its client
 * library) is imported only when a source of that type is configured.
 */
export async function createSources(configs: readonly SourceConfig[], deps: SourceDeps): Promise<Source[]> {
  const sources: Source[] = [];
  for (const config of configs) {
    if (!config.enabled) continue;
    const log = deps.log.child({ source: config.name });
    const d = { ...deps, log };
    switch (config.type) {
      case 'file': {
        const { createFileSource } = await import('./file.js');
        sources.push(createFileSource({ path: config.path, name: config.name, pollSeconds: config.pollSeconds }));
        break;
      }
      case 'x':
        sources.push((await import('./x.js')).createXSource(config, d));
        break;
      case 'bluesky':
        sources.push((await import('./bluesky.js')).createBlueskySource(config, d));
        break;
      case 'mastodon':
        sources.push((await import('./mastodon.js')).createMastodonSource(config, d));
        break;
      case 'hackernews':
        sources.push((await import('./hackernews.js')).createHackerNewsSource(config, d));
        break;
      case 'reddit':
        sources.push((await import('./reddit.js')).createRedditSource(config, d));
        break;
      case 'rss':
        sources.push((await import('./rss.js')).createRssSource(config, d));
        break;
    }
  }
  return sources;
}

/**
 * The reply senders for which write credentials are configured, one per platform (the
 * first enabled source of a platform that has them). A platform without one stays
 * copy-and-paste.
 */
export async function createRepliers(configs: readonly SourceConfig[], deps: SourceDeps): Promise<Map<Platform, Replier>> {
  const repliers = new Map<Platform, Replier>();
  for (const config of configs) {
    if (!config.enabled || repliers.has(config.type)) continue;
    const d = { ...deps, log: deps.log.child({ replier: config.name }) };
    let replier: Replier | undefined;
    if (config.type === 'x') replier = (await import('./x-replier.js')).createXReplier(config, d);
    else if (config.type === 'bluesky') replier = (await import('./bluesky-replier.js')).createBlueskyReplier(config, d);
    else if (config.type === 'mastodon') replier = (await import('./mastodon-replier.js')).createMastodonReplier(config, d);
    if (replier) repliers.set(config.type, replier);
  }
  return repliers;
}
