/**
 * The shape of the leads' configuration: one zod schema per file in `config/`, and the
 * combined {@link Config} the loader returns. Every object is `.strict()` so a misspelt
 * key is refused rather than silently ignored. Cross-file checks (channel keys that exist,
 * known placeholders, unique names) live in `load-config.ts`, where the lines are known.
 */
import safeRegex from 'safe-regex2';
import { z } from 'zod';
import { INTENTS } from '../core/classification.js';
import { INCIDENT_STATES } from '../core/incident.js';
import type { ModelPolicy } from '../core/learned-model.js';
import { PLATFORMS } from '../core/mention.js';
import { compiledRegex, isKnownTimeZone } from '../core/rules-conditions.js';
import type { RoutingPolicy, SlaPolicy } from '../core/route.js';
import { WEEKDAYS } from '../core/sla.js';
import type { ReplyTemplates } from '../core/suggest-reply.js';
import { sourceSchema, type SourceConfig } from './source-schemas.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const intent = z.enum(INTENTS);
const platform = z.enum(PLATFORMS);
const moodFlag = z.enum(['angry', 'happy', 'churn-risk']);
const polarity = z.enum(['negative', 'neutral', 'positive']);
const severity = z.number().int().min(0).max(3);
const priority = z.number().int().min(0).max(4);
// Up to 30 days: business hours can always cover that, so every due time can be computed.
const minutes = z.number().int().positive().max(43_200, 'at most 43200 (30 days)');

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

/** A Discord role id in a list: a quoted 17–20 digit string. */
const roleId = z
  .string({ error: 'a Discord role id must be a quoted string of 17–20 digits, e.g. "123456789012345678" (unquoted, YAML reads it as a number and loses digits)' })
  .regex(/^\d{17,20}$/, 'a Discord id is 17–20 digits');

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
         * Keep what people write in a card's thread as notes in the mention's history. Needs
         * the privileged Message Content intent switched on for the bot in the Developer
         * Portal (Discord refuses the connection otherwise). Off: notes come from the card's
         * Note… button only. @defaultValue false
         */
        threadMessages: z.boolean().default(false),
        /**
         * Who may act on cards, by Discord role id. Members claim, reply, resolve, escalate,
         * dismiss and release their own claim; leads also take over, reassign, reopen and
         * release anyone's. An empty list restricts nobody: both empty, everyone may do
         * everything; no leads, every member may do what a lead does.
         * @defaultValue `{ members: [], leads: [] }`
         */
        roles: z
          .object({
            members: z.array(roleId).default([]),
            leads: z.array(roleId).default([]),
          })
          .strict()
          .default({ members: [], leads: [] }),
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
        /**
         * Near duplicates (reposts, quotes, one text from many accounts) share the first
         * one's card, which counts them and names the authors with the most reach.
         */
        coalescing: z
          .object({
            /** Off: every mention gets its own card. @defaultValue true */
            enabled: z.boolean().default(true),
            /** How far apart in post time two copies may be and still share a card, counted from the group's latest. @defaultValue 60 */
            windowMinutes: z.number().int().min(1, 'at least 1').max(1440, 'at most 1440 (a day)').default(60),
            /** Reach from which a copy still gets a card of its own too. @defaultValue 10000 */
            ownCardFromReach: z.number().int().min(0, 'at least 0').default(10_000),
          })
          .strict()
          .default({ enabled: true, windowMinutes: 60, ownCardFromReach: 10_000 }),
        /**
         * While a channel has a backlog, its quiet mentions (neutral, no flag, low priority,
         * under `routing.highReach`) wait for a periodic digest card instead of a card each.
         */
        digest: z
          .object({
            /** Cards waiting in a channel from which its quiet mentions go to digests; 0 turns digests off. @defaultValue 50 */
            fromBacklog: z.number().int().min(0, 'at least 0 (0 turns digests off)').default(50),
            /** Minutes between a channel's digests. @defaultValue 10 */
            everyMinutes: z.number().int().min(1, 'at least 1').max(1440, 'at most 1440 (a day)').default(10),
            /** Most mentions one digest lists; the rest wait for the next. @defaultValue 20 */
            mentionsPerDigest: z.number().int().min(1, 'at least 1').max(25, 'at most 25').default(20),
            /** Route priorities from this one count as low (0 most urgent … 4). @defaultValue 3 */
            fromPriority: z.number().int().min(0, 'at least 0').max(4, 'at most 4').default(3),
          })
          .strict()
          .default({ fromBacklog: 50, everyMinutes: 10, mentionsPerDigest: 20, fromPriority: 3 }),
        /**
         * A daily digest for marketing: the happy mentions with the most reach, counts by
         * source and mood against the day before, and the week's volume by mood as a chart.
         * @defaultValue none: no digest
         */
        marketingDigest: z
          .object({
            /** Channel key it is posted to. @defaultValue `marketing` */
            channel: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a channel key is lower-case letters, digits and -').default('marketing'),
            /** Time of day it is posted, HH:MM in `timeZone`; it covers the 24 hours before. */
            at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM, 00:00 to 23:59'),
            /** IANA time zone of `at` and of the chart's days. @defaultValue `UTC` */
            timeZone: z.string().refine(isKnownTimeZone, 'an IANA time zone such as Europe/London or America/New_York, or UTC').default('UTC'),
            /** Happy mentions listed, by reach. @defaultValue 5 */
            top: z.number().int().min(1, 'at least 1').max(10, 'at most 10').default(5),
          })
          .strict()
          .optional(),
      })
      .strict()
      .superRefine((discord, ctx) => {
        const channel = discord.marketingDigest?.channel;
        if (channel !== undefined && !(channel in discord.channels)) {
          ctx.addIssue({ code: 'custom', path: ['marketingDigest', 'channel'], message: `unknown channel "${channel}" (known: ${Object.keys(discord.channels).join(', ') || 'none'})` });
        }
      }),
  })
  .strict();

// -------------------------------------------------------------- routing.yaml

const channelKey = nonEmpty;
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM, 00:00 to 23:59');
const wordList = z.array(nonEmpty).min(1);

/** Inclusive bounds, at least one given, min not above max. */
const range = (value: z.ZodNumber) =>
  z
    .object({ min: value.optional(), max: value.optional() })
    .strict()
    .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min is above max');

/** A regular expression that compiles and cannot take exponential time (nested repetition such as `(a+)+`). */
const safePattern = nonEmpty.superRefine((pattern, ctx) => {
  try {
    compiledRegex(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}` });
    return;
  }
  if (!safeRegex(pattern)) {
    ctx.addIssue({ code: 'custom', message: 'may take exponential time on some texts (nested repetition such as (a+)+, or a huge repeat count): rewrite it' });
  }
});

export const routingConditionSchema = z
  .object({
    /** Any of these intents. */
    intent: z.array(intent).min(1).optional(),
    /** Any of these mood flags. */
    flags: z.array(moodFlag).min(1).optional(),
    /** Any of these polarities. */
    polarity: z.array(polarity).min(1).optional(),
    /** Severity at least this (0–3); `severity: {min}` says the same. */
    minSeverity: severity.optional(),
    /** Severity within these bounds (0–3). */
    severity: range(severity).optional(),
    /** Reach (followers) at least this; `reach: {min}` says the same. */
    minReach: z.number().int().min(0).optional(),
    /** Reach (followers) within these bounds. */
    reach: range(z.number().int().min(0)).optional(),
    /** Any of these platforms (the source the mention came from). */
    platform: z.array(platform).min(1).optional(),
    /** Any of these words or phrases, case-insensitive, whole words; `words: {any}` says the same. */
    keywords: wordList.optional(),
    /** Words or phrases, case-insensitive, whole words: any, all and none of them. */
    words: z
      .object({ any: wordList.optional(), all: wordList.optional(), none: wordList.optional() })
      .strict()
      .refine((w) => w.any || w.all || w.none, 'give any, all or none')
      .optional(),
    /** Any of these regular expressions finds a match (case-insensitive); refused when it could take exponential time. */
    regex: z.array(safePattern).min(1).optional(),
    /** true: only posts by the brand's own handles (brand.yaml); false: only posts by others. */
    fromBrand: z.boolean().optional(),
    /** Whether someone should answer. */
    needsReply: z.boolean().optional(),
    /** Any of these languages: ISO 639-1 codes, or `und` for "could not tell". */
    language: z.array(z.string().regex(/^([a-z]{2}|und)$/, 'a two-letter ISO 639-1 code such as en, or und')).min(1).optional(),
    /** Whether the platform marks the author as verified. */
    verified: z.boolean().optional(),
    /** true: the author mentioned the brand before; false: first time. */
    returningAuthor: z.boolean().optional(),
    /** Whether the author looks like an impostor posing as the brand. */
    impostor: z.boolean().optional(),
    /** Written between these times of day in `timeZone`. */
    timeOfDay: z.object({ from: timeOfDay, to: timeOfDay }).strict().refine((t) => t.from !== t.to, 'from and to are the same time').optional(),
    /** Written on any of these days in `timeZone`. */
    weekday: z.array(z.enum(WEEKDAYS)).min(1).optional(),
  })
  .strict();

export const routingRuleSchema = z
  .object({
    /** Unique name, shown on the card as the rule that fired. */
    name: nonEmpty,
    /** Conditions, all of which must hold. @defaultValue `{}` (matches everything) */
    when: routingConditionSchema.default({}),
    /** Channel key (from discord.yaml) that receives the card. Required unless the rule continues or suppresses. */
    channel: channelKey.optional(),
    /** 0 most urgent … 4 least. @defaultValue derived from mood, severity and reach */
    priority: priority.optional(),
    /** Extra channel keys that also receive the card. @defaultValue `[]` */
    alsoTo: z.array(channelKey).default([]),
    /** Discord role id pinged when the card is posted. @defaultValue no ping */
    pingRole: snowflake.optional(),
    /** Labels shown on the card. @defaultValue `[]` */
    tags: z.array(z.string().trim().min(1, 'must not be empty').max(40, 'at most 40 characters')).default([]),
    /** Minutes to claim and to resolve instead of sla.yaml's. @defaultValue sla.yaml */
    sla: z
      .object({ claimWithinMinutes: minutes.optional(), resolveWithinMinutes: minutes.optional() })
      .strict()
      .refine((o) => o.claimWithinMinutes === undefined || o.resolveWithinMinutes === undefined || o.claimWithinMinutes <= o.resolveWithinMinutes, 'claimWithinMinutes is longer than resolveWithinMinutes')
      .optional(),
    /** No card: the reason the mention is recorded with (see `mention-triage suppressed`). @defaultValue a card is posted */
    suppress: nonEmpty.optional(),
    /** Go on to later rules after this one fires. @defaultValue false */
    continue: z.boolean().default(false),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.channel === undefined && !rule.continue && rule.suppress === undefined) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'missing: a rule that neither continues nor suppresses names its channel' });
    }
  });

export const routingFileSchema = z
  .object({
    /** Channel key used when no rule matches. */
    defaultChannel: nonEmpty,
    /** Reach from which a derived priority is raised by one. @defaultValue `10000` */
    highReach: z.number().int().min(0).default(10_000),
    /** IANA time zone of the team, for `timeOfDay` and `weekday`. @defaultValue `UTC` */
    timeZone: z.string().refine(isKnownTimeZone, 'an IANA time zone such as Europe/London or America/New_York, or UTC').default('UTC'),
    /** Ordered rules; the first that matches wins, unless it continues. @defaultValue `[]` */
    rules: z.array(routingRuleSchema).default([]),
  })
  .strict();

// ------------------------------------------------------------------ sla.yaml

const perSeverity = z
  .object({ '0': minutes, '1': minutes, '2': minutes, '3': minutes })
  .strict();

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const clock = z.string().regex(CLOCK, 'a time of day is HH:MM, 00:00 to 23:59');

export const businessHoursSchema = z
  .object({
    /** IANA time zone the hours are in, e.g. `Europe/London`. */
    timeZone: z.string().refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Europe/London or America/New_York'),
    /** Working days. @defaultValue mon–fri */
    days: z.array(z.enum(WEEKDAYS)).min(1, 'at least one day').default(['mon', 'tue', 'wed', 'thu', 'fri']),
    /** Start of the working day, local time. */
    from: clock,
    /** End of the working day, local time; after `from`. */
    to: clock,
  })
  .strict()
  // Only two readable times are compared (a bad one has its own message).
  .refine((h) => !CLOCK.test(h.from) || !CLOCK.test(h.to) || h.from < h.to, { message: 'to must be later than from (hours across midnight are not supported)', path: ['to'] });

export const slaFileSchema = z
  .object({
    /** Minutes within which a mention should be claimed, per severity 0–3. */
    claimWithinMinutes: perSeverity,
    /** Minutes within which a mention should be resolved, per severity 0–3. */
    resolveWithinMinutes: perSeverity,
    /** When the team works: SLA times count only these minutes. @defaultValue none: every minute counts */
    businessHours: businessHoursSchema.optional(),
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
        /** Any of these states of the incident the leads set with `/triage incident` (`none`: no incident). */
        incident: z.array(z.enum(['none', ...INCIDENT_STATES])).min(1).optional(),
      })
      .strict()
      .default({}),
    /**
     * ISO 639-1 code of the variants' language (`es`, `fr`...): used for mentions in that
     * language, before the English entries. @defaultValue English
     */
    language: z.string().regex(/^[a-z]{2,3}$/, 'a language is a lower-case ISO 639-1 code, e.g. es, fr, de, pt').optional(),
    /** Wordings; one is picked per mention, stable for that mention. */
    variants: z.array(nonEmpty).min(1),
    /** Appended to billing and outage replies when set. @defaultValue none */
    makeGood: nonEmpty.optional(),
  })
  .strict();

export const templatesFileSchema = z
  .object({
    /** Ordered entries; the first that matches wins, the last English one must be a catch-all. */
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

// -------------------------------------------------------------- learning.yaml

const probability = z.number().min(0.5, 'at least 0.5').max(1, 'at most 1');

export const learningFileSchema = z
  .object({
    learning: z
      .object({
        /** Labels needed before the word model is used. @defaultValue 200 */
        minLabels: z.number().int().min(1, 'at least 1').default(200),
        /** A rule score at or beyond this (either sign) is never overridden. @defaultValue 0.7 */
        strongScore: z.number().positive().max(1, 'at most 1').default(0.7),
        /** Probability the model needs to change the mood. @defaultValue 0.99 */
        minConfidence: probability.default(0.99),
        /** Probability the model needs to call a mention spam. @defaultValue 0.9 */
        spamConfidence: probability.default(0.9),
        /** Probability the model needs to change a mention's intent. @defaultValue 0.9 */
        intentConfidence: probability.default(0.9),
        /** Triage retrains the model once this many new labels arrived; 0: only `model train`. @defaultValue 25 */
        retrainEvery: z.number().int().min(0, 'at least 0').default(25),
      })
      .strict()
      .default({ minLabels: 200, strongScore: 0.7, minConfidence: 0.99, spamConfidence: 0.9, intentConfidence: 0.9, retrainEvery: 25 }),
  })
  .strict();

// ------------------------------------------------------------------ combined

export type BrandConfig = z.infer<typeof brandFileSchema>['brand'];
export type DiscordConfig = z.infer<typeof discordFileSchema>['discord'];
export type RoutingConfig = z.infer<typeof routingFileSchema>;
export type SlaConfig = z.infer<typeof slaFileSchema>;
export type TemplatesConfig = z.infer<typeof templatesFileSchema>;
export type RetentionConfig = z.infer<typeof retentionFileSchema>['retention'];
export type LearningConfig = z.infer<typeof learningFileSchema>['learning'];

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
  /** When the word model learned from the team's corrections applies; `learning.yaml` is optional. */
  learning: LearningConfig;
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
  learning: { file: 'learning.yaml', schema: learningFileSchema, optional: true },
} as const;

// The core owns plain interfaces; these fail to compile if the config drifts from them.
type Assignable<T extends U, U> = T;
export type RoutingConfigIsPolicy = Assignable<RoutingConfig, RoutingPolicy>;
export type SlaConfigIsPolicy = Assignable<SlaConfig, SlaPolicy>;
export type TemplatesConfigIsReplyTemplates = Assignable<TemplatesConfig, ReplyTemplates>;
export type LearningConfigIsPolicy = Assignable<LearningConfig, ModelPolicy>;
