import type { BrandTerms } from '../core/classification.js';
import { type ClassifyContext, classify } from '../core/classify.js';
import { PLATFORMS, type Platform } from '../core/mention.js';
import { cleanText } from '../core/display-text.js';
import { readLines } from '../sources/json-lines.js';
import { writeLine } from './io.js';

export interface ClassifyStreamOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Reported problems, one line each (`line 3: ...`). */
  errors: NodeJS.WritableStream;
  /** Brand used when a line has no `brand`. */
  brand?: BrandTerms;
}

/** A brand given as a bare name: its name, and the name without spaces as a handle guess. */
export function brandFromName(name: string): BrandTerms {
  return { names: [name], handles: [name.toLowerCase().replace(/\s+/g, '')] };
}

interface ClassifyLine {
  id?: string | number;
  text: string;
  brand?: string;
  context: ClassifyContext;
}

/** The optional `author` of a line: `handle` and `name` strings, `followers` a number; the name defaults to the handle. */
function parseAuthor(value: unknown): { author: NonNullable<ClassifyContext['author']> } | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'author: expected an object' };
  const { handle, name, followers } = value as Record<string, unknown>;
  if (typeof handle !== 'string') return { problem: 'author.handle: expected a string' };
  if (name !== undefined && typeof name !== 'string') return { problem: 'author.name: expected a string' };
  if (followers !== undefined && (typeof followers !== 'number' || !Number.isFinite(followers))) return { problem: 'author.followers: expected a number' };
  return { author: { handle, name: name ?? handle, ...(followers !== undefined ? { followers } : {}) } };
}

function parseClassifyLine(line: string): { value: ClassifyLine } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'expected a JSON object' };
  const { id, text, brand, source, author } = value as Record<string, unknown>;
  if (typeof text !== 'string') return { problem: 'text: expected a string' };
  if (brand !== undefined && typeof brand !== 'string') return { problem: 'brand: expected a string' };
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return { problem: 'id: expected a string or a number' };
  if (source !== undefined && !PLATFORMS.includes(source as Platform)) return { problem: `source: expected one of ${PLATFORMS.join(', ')}` };
  const context: ClassifyContext = source !== undefined ? { source: source as Platform } : {};
  if (author !== undefined) {
    const parsed = parseAuthor(author);
    if ('problem' in parsed) return parsed;
    context.author = parsed.author;
  }
  return { value: { text, context, ...(id !== undefined ? { id } : {}), ...(brand !== undefined ? { brand } : {}) } };
}

/**
 * `classify`: JSON lines `{"id"?, "text", "brand"?, "source"?, "author"?}` in (`author`:
 * `{"handle", "name"?, "followers"?}`, as in a mention), one result line per input out,
 * streamed. A malformed line yields `{"line", "error"}` in its place and the stream goes on.
 * @returns the number of malformed lines
 */
export async function classifyStream(options: ClassifyStreamOptions): Promise<number> {
  const { input, output, errors } = options;
  let malformed = 0;
  for await (const { lineNo, line } of readLines(input)) {
    const parsed = parseClassifyLine(line);
    if ('problem' in parsed) {
      malformed += 1;
      await writeLine(errors, `line ${lineNo}: ${parsed.problem}`);
      await writeLine(output, JSON.stringify({ line: lineNo, error: parsed.problem }));
      continue;
    }
    const { value } = parsed;
    const brand = value.brand !== undefined ? brandFromName(value.brand) : options.brand;
    const result = classify(cleanText(value.text), brand, value.context);
    const id = value.id ?? lineNo;
    await writeLine(output, JSON.stringify({ id, ...result }));
  }
  return malformed;
}
