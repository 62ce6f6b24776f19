/**
 * Mastodon: the brand account's mention notifications and the brand's hashtags, read
 * through one instance with the masto client.
 */
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import type { BrandConfig } from '../config/schema.js';
import type { MastodonSourceConfig } from '../config/source-schemas.js';
import { brandHashtags, mastodonAccountOf } from './brand-terms.js';
import { mapStatus, type MastodonMapContext } from './mastodon-map.js';
import { parseCursor, timelinePages, type MastodonCursor, type Timeline, type TimelineState } from './mastodon-pages.js';
import type { ReadContext, Source, SourceBatch, SourceDeps, SourceReject } from './source.js';
import { SourceDisabledError, SourceError, SourceRateLimitedError } from './source-errors.js';

/** Scopes the access token needs: reading, and sending replies. */
export const MASTODON_READ_SCOPES = 'read:notifications read:statuses';
export const MASTODON_WRITE_SCOPES = 'write:statuses';

/** Mastodon's largest pages. */
const STATUS_PAGE = 40;
const NOTIFICATION_PAGE = 80;
const MAX_RAW = 10_000;

/** The instance to talk to: `instance` from the config, else the brand handle's `user@instance`. */
export function mastodonInstanceOf(config: Pick<MastodonSourceConfig, 'instance'>, brand: BrandConfig): string | undefined {
  if (config.instance) return new URL(config.instance).origin;
  const account = mastodonAccountOf(brand);
  return account ? `https://${account.instance}` : undefined;
}

/** A masto client for `origin`; requests time out after 20 s. */
export function createMastodonClient(origin: string, accessToken: string | undefined): mastodon.rest.Client {
  return createRestAPIClient({ url: origin, ...(accessToken ? { accessToken } : {}), timeout: 20_000 });
}

/** When Mastodon's limit resets: its `X-RateLimit-Reset` (an ISO time), else five minutes from now. */
export function mastodonResumeAt(error: MastoHttpError, now: Date): Date {
  const headers = error.cause instanceof Response ? error.cause.headers : undefined;
  const reset = Date.parse(headers?.get('x-ratelimit-reset') ?? '');
  return Number.isFinite(reset) ? new Date(Math.max(reset, now.getTime() + 1000)) : new Date(now.getTime() + 5 * 60_000);
}

interface ErrorSubject {
  /** What was asked, e.g. `https://mastodon.social #parcelly`. */
  where: string;
  tokenEnv: string;
  /** Whether the request carried the token. */
  withToken: boolean;
  now: Date;
}

/** masto's errors as the scheduler understands them. */
function sourceErrorOf(error: unknown, subject: ErrorSubject): Error {
  const { where, tokenEnv, withToken, now } = subject;
  if (error instanceof MastoHttpError) {
    const status = error.statusCode;
    const said = error.message ? `: ${error.message}` : '';
    if (status === 429) {
      const resumeAt = mastodonResumeAt(error, now);
      return new SourceRateLimitedError(`${where}: rate limited (HTTP 429${said}) until ${resumeAt.toISOString()}`, resumeAt);
    }
    if (status === 401 || status === 403) {
      const fix = withToken
        ? `the access token in ${tokenEnv} was refused: create one on the instance (Preferences → Development) with the scopes ${MASTODON_READ_SCOPES} (and ${MASTODON_WRITE_SCOPES} to send replies) and set ${tokenEnv}`
        : `this instance does not show it without a token: set ${tokenEnv} to an access token with the scopes ${MASTODON_READ_SCOPES}`;
      return new SourceDisabledError(`${where}: HTTP ${status}${said}; ${fix}`);
    }
    return new SourceError(`${where}: HTTP ${status ?? '?'}${said}`, { cause: error });
  }
  return new SourceError(`${where}: ${(error as Error).message ?? String(error)}`, { cause: error });
}

type Item = Record<string, unknown>;
const field = (item: unknown, name: string): unknown => (item && typeof item === 'object' ? (item as Item)[name] : undefined);
const idOf = (item: unknown) => {
  const id = field(item, 'id');
  return typeof id === 'string' && id !== '' ? id : undefined;
};
const timeOf = (item: unknown) => {
  const at = Date.parse(String(field(item, 'createdAt') ?? ''));
  return Number.isFinite(at) ? at : undefined;
};
const rawOf = (item: unknown) => (JSON.stringify(item) ?? String(item)).slice(0, MAX_RAW);

/**
 * Reads a Mastodon instance: `GET /api/v1/notifications?types[]=mention` (with the access
 * token) and `GET /api/v1/timelines/tag/:hashtag` per hashtag, forward with `min_id`. A
 * mention's id is the status's ActivityPub `uri`, so the same post seen through two
 * hashtags, or a hashtag and a notification, is one mention. The factory never throws: a
 * missing setting surfaces on the first read as a {@link SourceDisabledError}.
 *
 * Hashtag timelines order statuses by id, which Mastodon derives from a remote post's
 * publication time: a post that federates long after it was written lands below the
 * cursor and is not seen through its hashtag (a mention of the brand still arrives as a
 * notification).
 */
export function createMastodonSource(config: MastodonSourceConfig & { name: string }, deps: SourceDeps): Source {
  const tokenEnv = config.credentials.accessToken;
  const token = deps.secret(tokenEnv);
  const origin = mastodonInstanceOf(config, deps.brand);
  const brandAccount = mastodonAccountOf(deps.brand);
  // [cursor key (Mastodon matches tags without regard to case), tag as configured]
  const tagNames = (config.hashtags ?? brandHashtags(deps.brand)).map((t) => t.replace(/^#/, ''));
  const hashtags = [...new Map(tagNames.map((t) => [t.toLowerCase(), t])).entries()];
  const readNotifications = config.notifications && token !== undefined;
  let warnedNoToken = false;
  let client: mastodon.rest.Client | undefined;
  let domain: string | undefined;

  function checkSetup(context: ReadContext): string {
    if (!origin) {
      throw new SourceDisabledError(
        `Mastodon source "${config.name}": no instance to read. Set \`instance\` (e.g. https://mastodon.social) in its sources.yaml entry, or add the brand's Mastodon handle as user@instance to brand.handles.`,
      );
    }
    if (config.notifications && !token) {
      if (hashtags.length === 0) {
        throw new SourceDisabledError(`Mastodon source "${config.name}": reading mention notifications needs an access token: set ${tokenEnv} (scopes ${MASTODON_READ_SCOPES}), or list \`hashtags\` to read instead.`);
      }
      if (!warnedNoToken) {
        warnedNoToken = true;
        context.log.warn({ env: tokenEnv, hashtags: hashtags.map(([, t]) => t) }, "access token not set: reading hashtags only, not the brand account's mentions");
      }
    }
    if (!readNotifications && hashtags.length === 0) {
      throw new SourceDisabledError(`Mastodon source "${config.name}": nothing to read: list \`hashtags\` or set \`notifications: true\` with ${tokenEnv}.`);
    }
    return origin;
  }

  /** The instance's account domain (`LOCAL_DOMAIN`, which may differ from its web host), asked once a day. */
  async function domainOf(api: mastodon.rest.Client, base: string, context: ReadContext): Promise<string> {
    if (domain) return domain;
    const stored = await context.kv.get('instance-domain');
    const known = (() => {
      try {
        return stored ? (JSON.parse(stored) as { origin?: unknown; domain?: unknown }) : undefined;
      } catch {
        return undefined;
      }
    })();
    if (known?.origin === base && typeof known.domain === 'string' && known.domain) return (domain = known.domain);
    try {
      const instance = await api.v2.instance.fetch();
      domain = typeof instance.domain === 'string' && instance.domain ? instance.domain : new URL(base).host;
      await context.kv.set('instance-domain', JSON.stringify({ origin: base, domain }), 24 * 3600);
    } catch (error) {
      if (error instanceof MastoHttpError && error.statusCode === 429) throw sourceErrorOf(error, { where: `${base}/api/v2/instance`, tokenEnv, withToken: !!token, now: context.now() });
      domain = new URL(base).host;
      context.log.warn({ instance: base, err: (error as Error).message, domain }, 'could not ask the instance for its domain; local handles use its web host');
    }
    return domain;
  }

  function timelineOf(api: mastodon.rest.Client, tag: string | undefined): Timeline {
    return {
      limit: tag === undefined ? NOTIFICATION_PAGE : STATUS_PAGE,
      pages: (params, direction) =>
        (tag === undefined
          ? api.v1.notifications.list({ ...params, types: ['mention'] }).setDirection(direction)
          : api.v1.timelines.tag.$select(encodeURIComponent(tag)).list(params).setDirection(direction)
        ).values() as AsyncIterator<unknown[]>,
      idOf,
      timeOf,
    };
  }

  function toBatch(items: unknown[], label: string, viaNotification: boolean, map: MastodonMapContext, seen: Set<string>, cursor: MastodonCursor): SourceBatch {
    const batch: SourceBatch = { mentions: [], rejects: [], cursor: JSON.stringify(cursor) };
    for (const item of items) {
      const at = `mastodon ${map.origin} ${label}${idOf(item) ? ` id ${idOf(item)}` : ''}`;
      const reject = (reason: string): void => void batch.rejects.push({ at, reason, raw: rawOf(item) } satisfies SourceReject);
      let status: unknown = item;
      if (viaNotification) {
        if (field(item, 'type') !== 'mention') continue;
        status = field(item, 'status');
        if (!status || typeof status !== 'object') {
          reject('mention notification without a status');
          continue;
        }
      }
      const mapped = mapStatus(status, map, viaNotification);
      if (mapped.kind === 'reject') reject(mapped.reason);
      else if (mapped.kind === 'mention' && !seen.has(mapped.mention.id)) {
        seen.add(mapped.mention.id);
        batch.mentions.push(mapped.mention);
      }
    }
    return batch;
  }

  return {
    name: config.name,
    platform: 'mastodon',
    pollSeconds: config.pollSeconds,

    async *read(cursor, context) {
      const base = checkSetup(context);
      client ??= createMastodonClient(base, token);
      const api = client;
      const map: MastodonMapContext = { origin: base, domain: await domainOf(api, base, context) };
      if (brandAccount) map.brandHandle = `${brandAccount.username}@${brandAccount.instance}`.toLowerCase();

      const stored = parseCursor(cursor);
      if (cursor && !stored) context.log.warn({ cursor: cursor.slice(0, 200) }, 'stored cursor is not a Mastodon cursor; reading the look-back again');
      const since = new Date(context.now().getTime() - config.lookbackHours * 3600_000).toISOString();
      const state: MastodonCursor = { tags: {} };
      if (readNotifications) state.notifications = stored?.notifications ?? { since };
      for (const [key] of hashtags) state.tags[key] = stored?.tags[key] ?? { since };

      const seen = new Set<string>();
      const timelines: Array<{ label: string; tag?: string; get: () => TimelineState; set: (s: TimelineState) => void }> = [];
      if (state.notifications) timelines.push({ label: 'notifications', get: () => state.notifications!, set: (s) => (state.notifications = s) });
      for (const [key, tag] of hashtags) timelines.push({ label: `#${tag}`, tag, get: () => state.tags[key]!, set: (s) => (state.tags[key] = s) });

      for (const timeline of timelines) {
        const pages = timelinePages(timelineOf(api, timeline.tag), timeline.get(), context.signal);
        while (true) {
          let page: IteratorResult<{ items: unknown[]; state: TimelineState }>;
          try {
            page = await pages.next();
          } catch (error) {
            throw sourceErrorOf(error, { where: `${base} ${timeline.label}`, tokenEnv, withToken: !!token, now: context.now() });
          }
          if (page.done) break;
          timeline.set(page.value.state);
          yield toBatch(page.value.items, timeline.label, timeline.tag === undefined, map, seen, state);
        }
        if (context.signal.aborted) return;
      }
    },

    async describe() {
      return {
        instance: origin ?? 'none (set `instance`)',
        hashtags: hashtags.map(([, t]) => `#${t}`).join(' ') || 'none',
        notifications: readNotifications ? 'read' : config.notifications ? `off: ${tokenEnv} not set` : 'off',
      };
    },
  };
}
