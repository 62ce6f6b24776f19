import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseMentionLine } from '../core/parse-mention.js';
import { readLines, type NumberedLine } from './json-lines.js';
import type { Source, SourceBatch } from './source.js';

async function endsWithNewline(path: string, size: number): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { buffer } = await file.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await file.close();
  }
}

export interface FileSourceOptions {
  /** Path of a JSON-lines file of mentions (see README, "Mention JSON"). */
  path: string;
  /** @defaultValue `file:<path>` */
  name?: string;
  /** Mentions per batch. @defaultValue 500 */
  batchSize?: number;
  /** Seconds between reads when polled. @defaultValue 30 */
  pollSeconds?: number;
}

/**
 * Replays recorded mentions from a JSON-lines file. The cursor is the number of lines
 * read, so lines appended later are picked up by the next read. Malformed lines are
 * rejected with their line number; the rest of the file goes on.
 */
export function createFileSource(options: FileSourceOptions): Source {
  const { path, batchSize = 500 } = options;
  const shown = relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);
  return {
    name: options.name ?? `file:${shown}`,
    platform: 'file',
    pollSeconds: options.pollSeconds ?? 30,
    async *read(cursor) {
      const skip = cursor ? Number(cursor) : 0;
      const { size } = await stat(path);
      if (size === 0) return;
      // Read up to the size seen now, and hold back a last line with no newline yet: a
      // writer may be half-way through it. The next read picks it up once it is whole.
      const complete = await endsWithNewline(path, size);
      let batch: SourceBatch = { mentions: [], rejects: [], cursor: String(skip) };
      let pending: NumberedLine | undefined;
      const take = ({ lineNo, line }: NumberedLine) => {
        const parsed = parseMentionLine(line);
        if (parsed.ok) batch.mentions.push(parsed.mention);
        else batch.rejects.push({ at: `${shown}:${lineNo}`, reason: parsed.reason, raw: line.slice(0, 10_000) });
        batch.cursor = String(lineNo);
      };
      for await (const line of readLines(createReadStream(path, { encoding: 'utf8', end: size - 1 }), skip)) {
        if (pending) take(pending);
        pending = line;
        if (batch.mentions.length + batch.rejects.length >= batchSize) {
          yield batch;
          batch = { mentions: [], rejects: [], cursor: batch.cursor };
        }
      }
      if (pending && complete) take(pending);
      if (batch.mentions.length || batch.rejects.length) yield batch;
    },
  };
}
