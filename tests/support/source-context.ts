import pino from 'pino';
import { createSourceKv } from '../../src/store/source-kv.js';
import type { ReadContext, Source, SourceBatch } from '../../src/sources/source.js';
import type { TestRedis } from './redis.js';

/** A read context on the test's own Redis prefix, with a silent logger and a settable clock. */
export function aReadContext(t: TestRedis, sourceName: string, options: { now?: () => Date; signal?: AbortSignal } = {}): ReadContext {
  return {
    signal: options.signal ?? new AbortController().signal,
    kv: createSourceKv(t.redis, t.prefix, sourceName),
    log: pino({ level: 'silent' }),
    now: options.now ?? (() => new Date()),
  };
}

/** Every batch one read yields (the source ends once caught up). */
export async function readBatches(source: Source, cursor: string | undefined, context: ReadContext): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const batch of source.read(cursor, context)) batches.push(batch);
  return batches;
}

/** The cursor a scheduler would store after the read: the last batch's, or the one it started from. */
export function lastCursor(batches: SourceBatch[], startedFrom: string | undefined): string | undefined {
  return batches.at(-1)?.cursor ?? startedFrom;
}
