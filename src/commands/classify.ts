import type { BrandTerms } from '../core/classification.js';
import { classify } from '../core/classify.js';
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
}

function parseClassifyLine(line: string): { value: ClassifyLine } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'expected a JSON object' };
  const { id, text, brand } = value as Record<string, unknown>;
  if (typeof text !== 'string') return { problem: 'text: expected a string' };
  if (brand !== undefined && typeof brand !== 'string') return { problem: 'brand: expected a string' };
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return { problem: 'id: expected a string or a number' };
  return { value: { text, ...(id !== undefined ? { id } : {}), ...(brand !== undefined ? { brand } : {}) } };
}

/**
 * `classify`: JSON lines `{"id"?, "text", "brand"?}` in, one result line per input out,
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
    const result = classify(cleanText(value.text), brand);
    const id = value.id ?? lineNo;
    await writeLine(output, JSON.stringify({ id, ...result }));
  }
  return malformed;
}
