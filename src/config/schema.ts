/**
 * The shape of the leads' configuration: one zod schema per file in `config/`, and the
 * combined {@link Config} the loader returns. Every object is `.strict()` so a misspelt
 * key is refused rather than silently ignored. Cross-file checks (channel keys that exist,
 * known placeholders, unique names) live in `load-config.ts`, where the lines are known.
 */
import { z } from 'zod';
import { INTENTS } from '../core/classification.js';
import { PLATFORMS } from '../core/mention.js';
import type { RoutingPolicy, SlaPolicy } from '../core/route.js';
import type { ReplyTemplates } from '../core/suggest-reply.js';
import { sourceSchema, type SourceConfig } from './source-schemas.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const intent = z.enum(INTENTS);
const platform = z.enum(PLATFORMS);
const moodFlag = z.enum(['angry', 'happy']);
const polarity = z.enum(['negative', 'neutral', 'positive']);
const severity = z.number().int().min(0).max(3);
const priority = z.number().int().min(0).max(4);
const minutes = z.number().int().positive();

/** A Discord snowflake; empty or null means "not configured". */
const snowflake = z.preprocess(
  (value) => (value === '' ? null : value),
  z
    .string({
      error:
        'a Discord id must be a quoted string of 17–20 digits, e.g. "123456789012345678" ' +
        '(unquoted, YAML reads it as a number and loses digits), or empty',
    })
    .regex(/^\d{17,20}$/, 'a Discord id is 17–20 digits')
    .nullable(),
);

// ---------------------------------------------------------------- brand.yaml

export const brandFileSchema = z
  .object({
    brand: z
      .object({
        /** Name used in replies (`{brand}`) and on cards. */
        name: nonEmpty,
        /** Every way people write the brand's name; masked before scoring sentiment. */
        names: z.array(nonEmpty).min(1),
        /** The brand's own handles on each platform, without `@`. @defaultValue `[]` */
        handles: z.array(nonEmpty.transform((h) => h.replace(/^@/, ''))).default([]),
        /**
         * Where customers reach the team privately on platforms without private messages
         * (Hacker News, feeds): drafts there say "email us at …". @defaultValue none
         */
        support: z
          .object({
            email: z.string().trim().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address like help@example.com').optional(),
            url: z.string().trim().refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v), 'must be an http:// or https:// URL').optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();

// -------------------------------------------------------------- sources.yaml

export { SOURCE_TYPES, sourceSchema, type SourceConfig } from './source-schemas.js';

export const sourceAlertsSchema = z
  .object({
    /** Channel key (discord.yaml) that gets notices about the sources. @defaultValue `leads` */
    channel: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a channel key is lower-case letters, digits and -').default('leads'),
    /** Failed reads in a row before the leads are told. @defaultValue 3 */
    failuresInARow: z.number().int().min(1).default(3),
    /** Hours a source may hear nothing before the leads are told; 0 turns it off. @defaultValue 6 */
    silenceHours: z.number().min(0).default(6),
  })
  .strict();

export const sourcesFileSchema = z
  .object({
    /** When the leads hear about a source in trouble. */
    alerts: sourceAlertsSchema.default({ channel: 'leads', failuresInARow: 3, silenceHours: 6 }),
    /** Where mentions come from. @defaultValue `[]` */
    sources: z.array(sourceSchema).default([]),
  })
  .strict();

// -------------------------------------------------------------- discord.yaml

export const discordFileSchema = z
  .object({
    discord: z
      .object({
        /**
         * Channel key → Discord channel id. Routing rules name the keys; an empty or null
         * id means "not configured" and the demo renders that channel to the terminal.
         */
        channels: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a channel key is lower-case letters, digits and -'), snowflake),
        /** Role pinged on escalations to the leads' channel. @defaultValue no ping */
        leadRoleId: snowflake.optional(),
        /**
         * Several cards in one message while a channel has a backlog: Discord takes about
         * five messages per five seconds per channel, so during a spike five cards a message
         * put the urgent ones in front of people five times sooner. Each card keeps its own
         * buttons.
         */
        stacking: z
          .object({
            /** Cards waiting in a channel from which its cards go several to a message. @defaultValue 5 */
            fromBacklog: z.number().int().min(1, 'at least 1').default(5),
            /** Most cards in one message (Discord allows 5 rows of buttons). 1 turns stacking off. @defaultValue 5 */
            cardsPerMessage: z.number().int().min(1, 'at least 1').max(5, 'at most 5 (one row of buttons per card)').default(5),
          })
          .strict()
          .default({ fromBacklog: 5, cardsPerMessage: 5 }),
      })
      .strict(),
  })
  .strict();

// -------------------------------------------------------------- routing.yaml

export const routingConditionSchema = z
  .object({
    /** Any of these intents. */
    intent: z.array(intent).min(1).optional(),
    /** Any of these mood flags. */
    flags: z.array(moodFlag).min(1).optional(),
    /** Any of these polarities. */
    polarity: z.array(polarity).min(1).optional(),
    /** Severity at least this (0–3). */
    minSeverity: severity.optional(),
    /** Reach (followers) at least this. */
    minReach: z.number().int().min(0).optional(),
    /** Any of these platforms. */
    platform: z.array(platform).min(1).optional(),
    /** Any of these words or phrases, case-insensitive, whole words. */
    keywords: z.array(nonEmpty).min(1).optional(),
    /** true: only posts by the brand's own handles (brand.yaml); false: only posts by others. */
    fromBrand: z.boolean().optional(),
  })
  .strict();

export const routingRuleSchema = z
  .object({
    /** Unique name, shown on the card as the rule that fired. */
    name: nonEmpty,
    /** Conditions, all of which must hold. @defaultValue `{}` (matches everything) */
    when: routingConditionSchema.default({}),
    /** Channel key (from discord.yaml) that receives the card. */
    channel: nonEmpty,
    /** 0 most urgent … 4 least. @defaultValue derived from mood, severity and reach */
    priority: priority.optional(),
    /** Extra channel keys that also receive the card. @defaultValue `[]` */
    alsoTo: z.array(nonEmpty).default([]),
  })
  .strict();

export const routingFileSchema = z
  .object({
    /** Channel key used when no rule matches. */
    defaultChannel: nonEmpty,
    /** Reach from which a derived priority is raised by one. @defaultValue `10000` */
    highReach: z.number().int().min(0).default(10_000),
    /** Ordered rules; the first that matches wins. @defaultValue `[]` */
    rules: z.array(routingRuleSchema).default([]),
  })
  .strict();

// ------------------------------------------------------------------ sla.yaml

const perSeverity = z
  .object({ '0': minutes, '1': minutes, '2': minutes, '3': minutes })
  .strict();

export const slaFileSchema = z
  .object({
    /** Minutes within which a mention should be claimed, per severity 0–3. */
    claimWithinMinutes: perSeverity,
    /** Minutes within which a mention should be resolved, per severity 0–3. */
    resolveWithinMinutes: perSeverity,
  })
  .strict();

// ------------------------------------------------------------ templates.yaml

export const REPLY_MOODS = ['angry', 'unhappy', 'neutral', 'happy'] as const;

export const templateEntrySchema = z
  .object({
    /** Unique id; a reply records `id#variant`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'an id is lower-case letters, digits, . and -'),
    /** Conditions, all of which must hold. @defaultValue `{}` (catch-all) */
    when: z
      .object({
        /** Any of these intents. */
        intent: z.array(intent).min(1).optional(),
        /** Any of these moods. */
        mood: z.array(z.enum(REPLY_MOODS)).min(1).optional(),
      })
      .strict()
      .default({}),
    /** Wordings; one is picked per mention, stable for that mention. */
    variants: z.array(nonEmpty).min(1),
    /** Appended to billing and outage replies when set. @defaultValue none */
    makeGood: nonEmpty.optional(),
  })
  .strict();

export const templatesFileSchema = z
  .object({
    /** Ordered entries; the first that matches wins, the last must be a catch-all. */
    templates: z.array(templateEntrySchema).min(1),
  })
  .strict();

// ------------------------------------------------------------- retention.yaml

const days = z.number().positive('must be a number of days above 0').max(3650, 'at most 3650 days');

export const retentionFileSchema = z
  .object({
    retention: z
      .object({
        /** Days a mention's platform and id are remembered, so the same post is never carded twice. @defaultValue 30 */
        seenDays: days.default(30),
        /** Days a resolved or dismissed mention's state and history are kept (reports, late clicks). @defaultValue 90 */
        closedDays: days.default(90),
      })
      .strict()
      .default({ seenDays: 30, closedDays: 90 }),
  })
  .strict();

// ------------------------------------------------------------------ combined

export type BrandConfig = z.infer<typeof brandFileSchema>['brand'];
export type DiscordConfig = z.infer<typeof discordFileSchema>['discord'];
export type RoutingConfig = z.infer<typeof routingFileSchema>;
export type SlaConfig = z.infer<typeof slaFileSchema>;
export type TemplatesConfig = z.infer<typeof templatesFileSchema>;
export type RetentionConfig = z.infer<typeof retentionFileSchema>['retention'];

/** The whole configuration, validated and cross-checked. */
export interface Config {
  /** Absolute path of the config directory. */
  dir: string;
  /** Absolute path of the project root (parent of `dir`); relative paths resolve here. */
  rootDir: string;
  brand: BrandConfig;
  /** Sources, each with its unique `name`, file `path`s made absolute. */
  sources: SourceConfig[];
  /** When the leads hear about a source in trouble. */
  sourceAlerts: z.infer<typeof sourceAlertsSchema>;
  discord: DiscordConfig;
  routing: RoutingConfig;
  sla: SlaConfig;
  templates: TemplatesConfig;
  /** How long what the service remembers is kept; `retention.yaml` is optional. */
  retention: RetentionConfig;
}

/** The file each part is read from, with its schema. */
export const CONFIG_FILES = {
  brand: { file: 'brand.yaml', schema: brandFileSchema },
  sources: { file: 'sources.yaml', schema: sourcesFileSchema },
  discord: { file: 'discord.yaml', schema: discordFileSchema },
  routing: { file: 'routing.yaml', schema: routingFileSchema },
  sla: { file: 'sla.yaml', schema: slaFileSchema },
  templates: { file: 'templates.yaml', schema: templatesFileSchema },
  retention: { file: 'retention.yaml', schema: retentionFileSchema, optional: true },
} as const;

// The core owns plain interfaces; these fail to compile if the config drifts from them.
type Assignable<T extends U, U> = T;
export type RoutingConfigIsPolicy = Assignable<RoutingConfig, RoutingPolicy>;
export type SlaConfigIsPolicy = Assignable<SlaConfig, SlaPolicy>;
export type TemplatesConfigIsReplyTemplates = Assignable<TemplatesConfig, ReplyTemplates>;
