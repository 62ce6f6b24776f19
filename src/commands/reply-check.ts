import type { BrandTerms } from '../core/classification.js';
import { classify } from '../core/classify.js';
import { cleanText } from '../core/display-text.js';
import { parseMention } from '../core/parse-mention.js';
import type { Mention } from '../core/mention.js';
import { coachReply } from '../core/reply-coach.js';
import { readLines } from '../sources/json-lines.js';
import { writeLine } from './io.js';

export interface ReplyCheckStreamOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Reported problems, one line each (`line 3: ...`). */
  errors: NodeJS.WritableStream;
  /** The brand, masked when the mention's mood is judged. */
  brand: BrandTerms;
}

type ReplyCheckLine = { ok: true; mention: Mention; draft: string } | { ok: false; reason: string };

function parseReplyCheckLine(line: string): ReplyCheckLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'expected a JSON object {"mention": {...}, "draft": "..."}' };
  const { mention, draft } = value as Record<string, unknown>;
  if (typeof draft !== 'string') return { ok: false, reason: 'draft: expected a string' };
  if (mention === undefined) return { ok: false, reason: 'mention: required' };
  const parsed = parseMention(mention);
  return parsed.ok ? { ok: true, mention: parsed.mention, draft } : { ok: false, reason: `mention: ${parsed.reason}` };
}

/**
 * `reply-check`: JSON lines `{"mention": <mention JSON>, "draft": "..."}` in; per line,
 * `{"line", "id", "hints": [...]}` out, the coach's hints for that draft (the mention's
 * mood and topic judged as triage does). A malformed line yields `{"line", "error"}` in
 * its place and the stream goes on.
 * @returns the number of malformed lines
 */
export async function replyCheckStream(options: ReplyCheckStreamOptions): Promise<number> {
  const { input, output, errors, brand } = options;
  let malformed = 0;
  for await (const { lineNo, line } of readLines(input)) {
    const parsed = parseReplyCheckLine(line);
    if (!parsed.ok) {
      malformed += 1;
      await writeLine(errors, `line ${lineNo}: ${parsed.reason}`);
      await writeLine(output, JSON.stringify({ line: lineNo, error: parsed.reason }));
      continue;
    }
    const { mention, draft } = parsed;
    const hints = coachReply(draft, mention, classify(cleanText(mention.text), brand));
    await writeLine(output, JSON.stringify({ line: lineNo, id: mention.id, hints }));
  }
  return malformed;
}
