import type { Mention } from '../core/mention.js';

/** Input a source could not turn into a mention: it goes to the dead-letter queue with the reason. */
export interface SourceReject {
  /** Where it was found, e.g. `samples/mentions.jsonl:12`. */
  at: string;
  reason: string;
  raw: string;
}

/** A batch of what a source read, and the cursor to store once the batch is enqueued. */
export interface SourceBatch {
  mentions: Mention[];
  rejects: SourceReject[];
  cursor: string;
}

/**
 * A platform turned into mentions. The ingest runner stores the cursor only after a
 * batch is enqueued, so a crash re-reads rather than loses. A source never knows about
 * queues or Discord.
 */
export interface Source {
  /** Unique per deployment; names the cursor in Redis. */
  readonly name: string;
  /** Reads everything new after `cursor` (undefined: from the start) and ends. */
  read(cursor: string | undefined): AsyncIterable<SourceBatch>;
}
