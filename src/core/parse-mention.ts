import { z } from 'zod';
import { PLATFORMS, type Mention } from './mention.js';

/** Longest mention text kept; longer text is cut so one hostile post cannot bloat every stage. */
export const MAX_MENTION_TEXT = 20_000;

const authorSchema = z
  .object({
    handle: z.string().trim().min(1, 'must not be empty').max(256).transform((h) => h.replace(/^@/, '')),
    name: z.string().max(256).optional(),
    followers: z.number().int().nonnegative().optional(),
  })
  .passthrough();

/** The mention JSON accepted by `render`, `classify` and the file source (see README). */
export const mentionInputSchema = z
  .object({
    source: z.enum(PLATFORMS),
    id: z.union([z.string().trim().min(1, 'must not be empty').max(512), z.number().int().nonnegative()]),
    text: z.string(),
    url: z.string().optional(),
    createdAt: z.string().datetime({ offset: true }).optional(),
    author: authorSchema,
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
  if (!url || url.length > MAX_URL || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
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
  const url = linkOrNothing(input.url);
  if (url) mention.url = url;
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
