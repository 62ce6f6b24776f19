/**
 * `sources.yaml`: one entry per place mentions come from. Every entry has a `type`; the
 * rest is that platform's. Credentials are never in the file: an entry names the
 * environment variables that hold them. Queries, handles and hashtags default to what
 * `brand.yaml` says, so a lead who only fills in the brand gets sensible reads.
 */
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v), 'must be an http:// or https:// URL')
  .transform((v) => v.replace(/\/+$/, ''));
/** The name of an environment variable (the secret itself never goes in the file). */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'the NAME of an environment variable (upper case, digits, _), not the secret itself');
const seconds = (min: number) => z.number().int().min(min, `at least ${min}`);

/** Fields every source has. */
function common(defaults: { pollSeconds: number; minPollSeconds?: number }) {
  return {
    /**
     * Unique per deployment: names the cursor and the health record. Renaming a source
     * makes it start again from its look-back. @defaultValue the type (`mastodon:<host>`, `rss:<host><path>`)
     */
    name: z.string().regex(/^[a-z0-9][a-z0-9:._/-]{0,119}$/, 'lower-case letters, digits and : . _ / -').optional(),
    /** Whether the source is read. @defaultValue `true` */
    enabled: z.boolean().default(true),
    /** Seconds between reads. */
    pollSeconds: seconds(defaults.minPollSeconds ?? 10).default(defaults.pollSeconds),
    /** On first start (no cursor yet), how far back to read. @defaultValue 24 */
    lookbackHours: z.number().positive().max(24 * 30).default(24),
  };
}

const queries = z.array(nonEmpty).min(1).optional();

export const fileSourceSchema = z
  .object({
    /** Replays recorded mentions from a JSON-lines file, one mention JSON a line. */
    type: z.literal('file'),
    /** Path to the file; relative paths resolve against the project root (parent of `config/`). */
    path: nonEmpty,
    ...common({ pollSeconds: 30, minPollSeconds: 1 }),
  })
  .strict();

export const xSourceSchema = z
  .object({
    type: z.literal('x'),
    ...common({ pollSeconds: 120, minPollSeconds: 15 }),
    /** API base. @defaultValue `https://api.x.com` */
    apiUrl: httpUrl.default('https://api.x.com'),
    /** The brand's X handle, without `@`. @defaultValue the first brand handle with no `.` or `@` */
    account: nonEmpty.transform((h) => h.replace(/^@/, '')).optional(),
    /** The account's numeric id; looked up once (one user read) when absent. */
    accountId: z.string().regex(/^\d{1,20}$/, 'digits, as a quoted string').optional(),
    /** Read the account's mentions timeline (owned reads, a fifth of the price). @defaultValue `true` */
    mentions: z.boolean().default(true),
    /** Run recent searches. @defaultValue `true` */
    search: z.boolean().default(true),
    /** Recent-search queries (≤ 512 characters each). @defaultValue the brand's names, excluding its own posts */
    queries: z.array(nonEmpty.max(512, 'X takes at most 512 characters')).min(1).optional(),
    /** Also hold the filtered stream open, its rules kept equal to `queries`. @defaultValue `false` */
    stream: z.boolean().default(false),
    /** Spend allowed per calendar month (UTC), in US dollars; reads stop when reached. @defaultValue 20 */
    monthlyBudgetUsd: z.number().min(0).default(20),
    /** X's prices per item read, in US dollars (pay-per-use, 2026). */
    prices: z
      .object({
        postRead: z.number().min(0).default(0.005),
        userRead: z.number().min(0).default(0.01),
        ownedRead: z.number().min(0).default(0.001),
      })
      .strict()
      .default({ postRead: 0.005, userRead: 0.01, ownedRead: 0.001 }),
    /** Environment variables holding the credentials. */
    credentials: z
      .object({
        /** App bearer token, for reading. @defaultValue `X_BEARER_TOKEN` */
        bearerToken: envName.default('X_BEARER_TOKEN'),
        /** OAuth 1.0a user context of the brand account, for sending replies (all four, or none). */
        appKey: envName.default('X_API_KEY'),
        appSecret: envName.default('X_API_SECRET'),
        accessToken: envName.default('X_ACCESS_TOKEN'),
        accessSecret: envName.default('X_ACCESS_SECRET'),
      })
      .strict()
      .default({ bearerToken: 'X_BEARER_TOKEN', appKey: 'X_API_KEY', appSecret: 'X_API_SECRET', accessToken: 'X_ACCESS_TOKEN', accessSecret: 'X_ACCESS_SECRET' }),
  })
  .strict();

export const blueskySourceSchema = z
  .object({
    type: z.literal('bluesky'),
    ...common({ pollSeconds: 60 }),
    /** The account's PDS or entryway. @defaultValue `https://bsky.social` */
    service: httpUrl.default('https://bsky.social'),
    /** The brand's Bluesky handle. @defaultValue the first brand handle with a `.` and no `@` */
    handle: nonEmpty.transform((h) => h.replace(/^@/, '')).optional(),
    /** Search terms for `searchPosts`. @defaultValue the brand's names */
    queries,
    /** Read the account's mention, reply and quote notifications. @defaultValue `true` */
    notifications: z.boolean().default(true),
    /** Environment variable holding the account's app password. @defaultValue `BLUESKY_APP_PASSWORD` */
    credentials: z
      .object({ appPassword: envName.default('BLUESKY_APP_PASSWORD') })
      .strict()
      .default({ appPassword: 'BLUESKY_APP_PASSWORD' }),
    /** Opt-in: the Jetstream firehose, filtered for the brand terms, beside the polls. */
    jetstream: z
      .object({
        enabled: z.boolean().default(false),
        /** @defaultValue `wss://jetstream2.us-east.bsky.network/subscribe` */
        url: z
          .string()
          .refine((v) => /^wss?:\/\/\S+$/.test(v) && URL.canParse(v), 'must be a ws:// or wss:// URL')
          .default('wss://jetstream2.us-east.bsky.network/subscribe'),
      })
      .strict()
      .default({ enabled: false, url: 'wss://jetstream2.us-east.bsky.network/subscribe' }),
  })
  .strict();

export const mastodonSourceSchema = z
  .object({
    type: z.literal('mastodon'),
    ...common({ pollSeconds: 60 }),
    /** The instance to read. @defaultValue the instance of the first brand handle `user@instance` */
    instance: httpUrl.optional(),
    /** Hashtags to follow, without `#`. @defaultValue the brand's names, spaces removed */
    hashtags: z.array(nonEmpty.transform((t) => t.replace(/^#/, ''))).min(1).optional(),
    /** Read the account's mention notifications (needs the access token). @defaultValue `true` */
    notifications: z.boolean().default(true),
    /** Environment variable holding the account's access token. @defaultValue `MASTODON_ACCESS_TOKEN` */
    credentials: z
      .object({ accessToken: envName.default('MASTODON_ACCESS_TOKEN') })
      .strict()
      .default({ accessToken: 'MASTODON_ACCESS_TOKEN' }),
  })
  .strict();

export const hackerNewsSourceSchema = z
  .object({
    type: z.literal('hackernews'),
    ...common({ pollSeconds: 300 }),
    /** Algolia's HN search API. @defaultValue `https://hn.algolia.com/api/v1` */
    apiUrl: httpUrl.default('https://hn.algolia.com/api/v1'),
    /** Search terms (stories and comments). @defaultValue the brand's names */
    queries,
  })
  .strict();

export const redditSourceSchema = z
  .object({
    type: z.literal('reddit'),
    ...common({ pollSeconds: 120 }),
    /** OAuth API base. @defaultValue `https://oauth.reddit.com` */
    apiUrl: httpUrl.default('https://oauth.reddit.com'),
    /** Where tokens come from. @defaultValue `https://www.reddit.com` */
    authUrl: httpUrl.default('https://www.reddit.com'),
    /** Search terms. @defaultValue the brand's names */
    queries,
    /** Search only these subreddits (without `r/`). @defaultValue all of Reddit */
    subreddits: z.array(nonEmpty.transform((s) => s.replace(/^\/?r\//, ''))).optional(),
    /** Read the account's username mentions (needs username and password). @defaultValue `true` */
    mentions: z.boolean().default(true),
    /** Reddit asks for a descriptive User-Agent naming the app and its author. */
    userAgent: nonEmpty.default('mention-triage/0.1 (self-hosted social support desk)'),
    /** Environment variables holding an approved app's credentials. */
    credentials: z
      .object({
        clientId: envName.default('REDDIT_CLIENT_ID'),
        clientSecret: envName.default('REDDIT_CLIENT_SECRET'),
        username: envName.default('REDDIT_USERNAME'),
        password: envName.default('REDDIT_PASSWORD'),
      })
      .strict()
      .default({ clientId: 'REDDIT_CLIENT_ID', clientSecret: 'REDDIT_CLIENT_SECRET', username: 'REDDIT_USERNAME', password: 'REDDIT_PASSWORD' }),
  })
  .strict();

export const rssSourceSchema = z
  .object({
    type: z.literal('rss'),
    ...common({ pollSeconds: 900 }),
    /** The RSS or Atom feed (Google Alerts feeds too: their redirect links are unwrapped), exactly as given. */
    url: z
      .string()
      .trim()
      .refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v), 'must be an http:// or https:// URL'),
    /** Keep only items naming one of the brand's names (for general feeds). @defaultValue `false` */
    onlyBrandItems: z.boolean().default(false),
  })
  .strict();

/** Add a platform by adding its schema here; `type` picks the schema. */
export const sourceSchema = z.discriminatedUnion('type', [
  fileSourceSchema,
  xSourceSchema,
  blueskySourceSchema,
  mastodonSourceSchema,
  hackerNewsSourceSchema,
  redditSourceSchema,
  rssSourceSchema,
]);

export type FileSourceConfig = z.infer<typeof fileSourceSchema>;
export type XSourceConfig = z.infer<typeof xSourceSchema>;
export type BlueskySourceConfig = z.infer<typeof blueskySourceSchema>;
export type MastodonSourceConfig = z.infer<typeof mastodonSourceSchema>;
export type HackerNewsSourceConfig = z.infer<typeof hackerNewsSourceSchema>;
export type RedditSourceConfig = z.infer<typeof redditSourceSchema>;
export type RssSourceConfig = z.infer<typeof rssSourceSchema>;

/** A source entry as the loader returns it: its unique `name` filled in. */
export type SourceConfig = z.infer<typeof sourceSchema> & { name: string };

export const SOURCE_TYPES = sourceSchema.options.map((o) => o.shape.type.value);

/** The name a source gets when the file gives none. */
export function defaultSourceName(source: z.infer<typeof sourceSchema>): string {
  switch (source.type) {
    case 'mastodon':
      return source.instance ? `mastodon:${new URL(source.instance).host}` : 'mastodon';
    case 'rss': {
      const u = new URL(source.url);
      return `rss:${u.host}${u.pathname}`.toLowerCase().replace(/[^a-z0-9:._/-]/g, '-').replace(/\/+$/, '').slice(0, 120);
    }
    case 'file':
      return `file:${source.path}`.toLowerCase().replace(/[^a-z0-9:._/-]/g, '-').slice(0, 120);
    default:
      return source.type;
  }
}
