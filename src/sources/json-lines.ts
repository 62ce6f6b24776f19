import { createInterface } from 'node:readline';

/** One non-blank line of JSON-lines input with its 1-based line number. */
export interface NumberedLine {
  lineNo: number;
  line: string;
}

/** Streams the non-blank lines of a text stream, one at a time, never holding them all. */
export async function* readLines(input: NodeJS.ReadableStream, skip = 0): AsyncGenerator<NumberedLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (lineNo <= skip || line.trim() === '') continue;
    yield { lineNo, line };
  }
}
