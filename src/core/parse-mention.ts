import { z } from 'zod';
import { PLATFORMS, type Mention } from './mention.js';

/** Longest mention text kept; longer text is cut so one hostile post cannot bloat every stage. */
export const MAX_MENTION_TEXT = 20_000;

/** Most followers any account could have (a guard against 1e300 and the like). */
export const MAX_FOLLOWERS = 10_000_000_000;

function normaliseCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*[\d,._]+\s*$/.test(value) ? Number(value.replace(/[,._\s]/g, '')) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return value === undefined || value === null ? undefined : 0;
  return Math.min(MAX_FOLLOWERS, Math.max(0, Math.floor(n)));
}

const authorSchema = z
  .object({
    handle: z.string().trim().min(1, 'must not be empty').max(256).transform((h) => h.replace(/^@/, '')),
    name: z.string().max(256).optional(),
    // Platforms and replays send counts as floats, strings or absurd values: a count is
    // presentation, never a reason to lose the mention. Whole, 0 ≤ n ≤ 10 billion.
    followers: z.preprocess(normaliseCount, z.number().optional()),
    id: z.union([z.string().max(256), z.number().int().nonnegative()]).optional(),
    verified: z.boolean().optional(),
  })
  .passthrough();

const shortText = (max: number) => z.string().max(max);

/** The mention JSON accepted by `render`, `classify` and the file source (see README). */
export const mentionInputSchema = z
  .object({
    source: z.enum(PLATFORMS),
    id: z.union([z.string().trim().min(1, 'must not be empty').max(512), z.number().int().nonnegative()]),
    text: z.string(),
    url: z.string().optional(),
    createdAt: z.string().datetime({ offset: true }).optional(),
    author: authorSchema,
    language: shortText(35).optional(),
    links: z.array(z.string()).max(100).optional(),
    inReplyTo: z.object({ id: z.union([shortText(512), z.number().int().nonnegative()]), handle: shortText(256).optional() }).passthrough().optional(),
    addressesBrand: z.boolean().optional(),
    context: shortText(1000).optional(),
    replyRef: z
      .record(z.string().max(64), shortText(2048))
      .refine((r) => Object.keys(r).length <= 8, 'at most 8 entries')
      .optional(),
  })
  .passthrough();

export type MentionInput = z.input<typeof mentionInputSchema>;

/** Longest link kept on a mention. */
export const MAX_URL = 2048;

/**
 * The post's link if it is one Discord will show (http or https, of sane length);
 * otherwise none. A bad link costs the card its link, never the mention its card.
 */
function linkOrNothing(url: string | undefined): string | undefined {
  if (!url || url.length > MAX_URL || !/^https?:\/\//i.test(url) || /[\s\u0000-\u001f]/.test(url) || !URL.canParse(url)) return undefined;
  return url;
}

export type ParseResult = { ok: true; mention: Mention } | { ok: false; reason: string };

function describe(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(mention)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Turns untrusted JSON into a `Mention`, defaulting optional fields, or says what is wrong.
 * Unknown extra fields are ignored so sources may carry more than the model needs.
 */
export function parseMention(value: unknown, now: () => Date = () => new Date()): ParseResult {
  const parsed = mentionInputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error.issues) };
  const input = parsed.data;
  const mention: Mention = {
    source: input.source,
    id: String(input.id),
    text: input.text.length > MAX_MENTION_TEXT ? input.text.slice(0, MAX_MENTION_TEXT) : input.text,
    createdAt: input.createdAt ? new Date(input.createdAt).toISOString() : now().toISOString(),
    author: {
      handle: input.author.handle,
      name: input.author.name?.trim() || input.author.handle,
      followers: input.author.followers ?? 0,
    },
  };
  if (input.author.id !== undefined && String(input.author.id) !== '') mention.author.id = String(input.author.id);
  if (input.author.verified !== undefined) mention.author.verified = input.author.verified;
  const url = linkOrNothing(input.url);
  if (url) mention.url = url;
  const language = input.language?.trim();
  if (language && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(language)) mention.language = language;
  const links = [...new Set((input.links ?? []).map(linkOrNothing).filter((l): l is string => l !== undefined))];
  if (links.length) mention.links = links;
  if (input.inReplyTo && String(input.inReplyTo.id).trim()) {
    mention.inReplyTo = { id: String(input.inReplyTo.id).trim(), ...(input.inReplyTo.handle ? { handle: input.inReplyTo.handle.replace(/^@/, '') } : {}) };
  }
  if (input.addressesBrand !== undefined) mention.addressesBrand = input.addressesBrand;
  if (input.context?.trim()) mention.context = input.context.trim();
  if (input.replyRef && Object.keys(input.replyRef).length) mention.replyRef = { ...input.replyRef };
  return { ok: true, mention };
}

/** Parses one line of JSON-lines input; the reason says whether the JSON or the shape is wrong. */
export function parseMentionLine(line: string, now?: () => Date): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return parseMention(value, now);
}
