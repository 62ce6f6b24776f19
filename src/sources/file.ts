import { createReadStream } from 'node:fs';
import { relative } from 'node:path';
import { parseMentionLine } from '../core/parse-mention.js';
import { readLines } from './json-lines.js';
import type { Source, SourceBatch } from './source.js';

export interface FileSourceOptions {
  /** Path of a JSON-lines file of mentions (see README, "Mention JSON"). */
  path: string;
  /** @defaultValue `file:<path>` */
  name?: string;
  /** Mentions per batch. @defaultValue 500 */
  batchSize?: number;
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
    async *read(cursor) {
      const skip = cursor ? Number(cursor) : 0;
      let batch: SourceBatch = { mentions: [], rejects: [], cursor: String(skip) };
      for await (const { lineNo, line } of readLines(createReadStream(path, 'utf8'), skip)) {
        const parsed = parseMentionLine(line);
        if (parsed.ok) batch.mentions.push(parsed.mention);
        else batch.rejects.push({ at: `${shown}:${lineNo}`, reason: parsed.reason, raw: line.slice(0, 10_000) });
        batch.cursor = String(lineNo);
        if (batch.mentions.length + batch.rejects.length >= batchSize) {
          yield batch;
          batch = { mentions: [], rejects: [], cursor: batch.cursor };
        }
      }
      if (batch.mentions.length || batch.rejects.length) yield batch;
    },
  };
}
