import { once } from 'node:events';

/** Writes a line, waiting when the stream's buffer is full, so huge outputs stay in bounded memory. */
export async function writeLine(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}
