/**
 * Bluesky: the brand's mention, reply and quote notifications and a `searchPosts` per
 * query, read with the brand account's app password, and (opt-in) the Jetstream
 * firehose filtered for the brand. Every page is one batch; see `bluesky-cursor.ts` for
 * how a read resumes.
 */
import type { BlueskySourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import { blueskyHandleOf, brandNames } from './brand-terms.js';
import { floorOf, parseCursor, stepWalk, type BlueskyCursor, type WalkItem } from './bluesky-cursor.js';
import { listenJetstream, type JetstreamTuning } from './bluesky-jetstream.js';
import { mapPost, rejectOf, type AuthorProfile, type PostLike } from './bluesky-map.js';
import { createProfileCache, type ProfileCache } from './bluesky-profiles.js';
import { blueskyCredentials, createBlueskySession, SESSION_KEY, type BlueskySession } from './bluesky-session.js';
import { notificationStream, searchStream, type InvalidItem, type Stream } from './bluesky-streams.js';
import type { ReadContext, Source, SourceBatch, SourceDeps, SourceKv, SourceReject } from './source.js';

/** State kept by one source instance across its reads and its listener. */
interface Shared {
  session?: BlueskySession;
  profiles?: ProfileCache;
}

/** Settings that are not in sources.yaml. */
export interface BlueskySourceOptions {
  /** Timings of the Jetstream listener (tests shorten them). */
  jetstream?: Partial<JetstreamTuning>;
}

/**
 * Creates the Bluesky source. Nothing is sent until the first read; missing credentials
 * surface then, as a SourceDisabledError naming what to set.
 */
export function createBlueskySource(config: BlueskySourceConfig & { name: string }, deps: SourceDeps, options: BlueskySourceOptions = {}): Source {
  const queries = config.queries ?? brandNames(deps.brand);
  const streams: Stream[] = [...(config.notifications ? [notificationStream] : []), ...queries.map(searchStream)];
  const lookbackMs = config.lookbackHours * 3_600_000;
  const shared: Shared = {};

  /** The session, made on first use with the kv of the first context seen (the source's own). */
  const sessionFor = (context: ReadContext): { session: BlueskySession; profiles: ProfileCache } => {
    if (!shared.session) {
      shared.session = createBlueskySession({
        label: config.name,
        service: config.service,
        credentials: blueskyCredentials(config, deps),
        kv: context.kv,
        log: deps.log,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        now: context.now,
      });
      shared.profiles = createProfileCache(shared.session);
    }
    return { session: shared.session, profiles: shared.profiles! };
  };

  async function* read(text: string | undefined, context: ReadContext): AsyncGenerator<SourceBatch> {
    const { session, profiles } = sessionFor(context);
    const parsed = parseCursor(text);
    if (parsed.problem) context.log.warn({ source: config.name }, parsed.problem);
    // Only configured streams are carried on: a query taken out of the config is forgotten.
    const cursor: BlueskyCursor = { v: 1, queries: {} };
    for (const stream of streams) stream.set(cursor, stream.get(parsed.cursor));
    const brand = await session.account();
    const seen = new Set<string>();

    for (const stream of streams) {
      let page = 0;
      for (;;) {
        if (context.signal.aborted) return;
        const state = stream.get(cursor);
        const floor = floorOf(state, context.now(), lookbackMs);
        const found = await stream.fetch(session, state.walk?.cursor, floor);
        page += 1;
        const at = `${config.name}:${stream.label} page ${page}`;
        const mentions: Mention[] = [];
        const rejects: SourceReject[] = [];
        // Items the lexicon refused take part in the walk too, so each is rejected once.
        const items: Array<WalkItem & { post?: PostLike; invalid?: InvalidItem }> = [
          ...found.posts.map((post) => ({ uri: post.uri, indexedAt: post.indexedAt, orderedAt: stream.orderOf(post), post })),
          ...found.invalid.map((invalid, i) => {
            const { uri, indexedAt } = (invalid.item ?? {}) as { uri?: unknown; indexedAt?: unknown };
            const when = typeof indexedAt === 'string' && Number.isFinite(Date.parse(indexedAt)) ? indexedAt : context.now().toISOString();
            return { uri: typeof uri === 'string' ? uri : `${at}#${i}`, indexedAt: when, orderedAt: when, invalid };
          }),
        ];
        const step = stepWalk(state, floor, items, found.cursor);
        stream.set(cursor, step.state);

        const fresh = step.fresh.filter((item) => !seen.has(item.uri));
        for (const item of fresh) seen.add(item.uri);
        const posts = fresh.flatMap((item) => (item.post ? [item.post] : []));
        const authors = posts.map((p) => p.author?.did).filter((did): did is string => typeof did === 'string' && did !== brand.did);
        const known = authors.length ? await profiles.profilesOf(authors) : new Map<string, AuthorProfile>();
        for (const item of fresh) {
          if (item.invalid) {
            rejects.push(rejectOf(at, item.invalid.reason, item.invalid.item));
            continue;
          }
          const result = mapPost(item.post!, { brandDid: brand.did, brandHandle: brand.handle, profiles: known, notified: stream.notified });
          if (result.kind === 'mention') mentions.push(result.mention);
          else if (result.kind === 'reject') rejects.push(rejectOf(at, result.reason, item.post));
        }
        yield { mentions, rejects, cursor: JSON.stringify(cursor) };
        if (step.done) break;
      }
    }
  }

  const source: Source = {
    name: config.name,
    platform: 'bluesky',
    pollSeconds: config.pollSeconds,
    read,
    async describe(kv: SourceKv) {
      return { account: config.handle ?? blueskyHandleOf(deps.brand) ?? '(none)', 'stored session': (await kv.get(SESSION_KEY)) ? 'yes' : 'no' };
    },
  };
  if (config.jetstream.enabled) {
    source.listen = async (context) => {
      const { session, profiles } = sessionFor(context);
      return listenJetstream(context, {
        url: config.jetstream.url,
        label: config.name,
        brand: deps.brand,
        session,
        profiles,
        ...(options.jetstream ? { tuning: options.jetstream } : {}),
      });
    };
  }
  return source;
}
