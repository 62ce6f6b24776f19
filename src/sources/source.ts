import type { Logger } from 'pino';
import type { Mention, Platform } from '../core/mention.js';

/** Input a source could not turn into a mention: it goes to the dead-letter queue with the reason. */
export interface SourceReject {
  /** Where it was found, e.g. `samples/mentions.jsonl:12` or `x:search "parcelly" page 2`. */
  at: string;
  reason: string;
  /** The item as received (JSON text), cut at 10,000 characters. */
  raw: string;
}

/** A batch of what a source read, and the cursor to store once the batch is enqueued. */
export interface SourceBatch {
  mentions: Mention[];
  rejects: SourceReject[];
  cursor: string;
}

/**
 * A small key-value store of one source's own, in Redis (e.g. a stored login session,
 * reads spent this month). Names are the source's to choose; values are strings.
 */
export interface SourceKv {
  get(name: string): Promise<string | undefined>;
  /** @param ttlSeconds forget the value after this long. @defaultValue kept */
  set(name: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Adds `by` to a counter and returns the new value. */
  incrBy(name: string, by: number, ttlSeconds?: number): Promise<number>;
  /** Adds members to a set; returns how many were not in it yet. */
  addToSet(name: string, members: string[], ttlSeconds?: number): Promise<number>;
}

/** What a read receives besides its cursor. */
export interface ReadContext {
  /** Aborted when the service stops: finish the current page, then end. */
  signal: AbortSignal;
  /** The source's own stored values. */
  kv: SourceKv;
  log: Logger;
  /** @defaultValue the system clock */
  now: () => Date;
}

/** What a long-lived listener (a stream) receives. */
export interface ListenContext extends ReadContext {
  /**
   * Enqueues a batch and then stores its cursor; resolves once both are done. A listener
   * awaits it before acknowledging or advancing anything of its own.
   */
  deliver(batch: SourceBatch): Promise<void>;
  /** The cursor stored by the last delivered batch (undefined before the first). */
  cursor: string | undefined;
}

/**
 * A platform turned into mentions. The ingest scheduler stores the cursor only after a
 * batch is enqueued, so a crash re-reads rather than loses. A source never knows about
 * queues or Discord. Errors it throws are {@link SourceError}s when it knows what they
 * mean (rate limit, bad credentials, budget); anything else is retried with back-off.
 */
export interface Source {
  /** Unique per deployment; names the cursor and the health record in Redis. */
  readonly name: string;
  readonly platform: Platform;
  /** Seconds between reads when polled. */
  readonly pollSeconds: number;
  /**
   * Reads everything new after `cursor` (undefined: first start, read the configured
   * look-back only) page by page, yielding a batch per page, and ends once caught up.
   */
  read(cursor: string | undefined, context: ReadContext): AsyncIterable<SourceBatch>;
  /**
   * Optional long-lived listener (a filtered stream, a firehose) run beside the polls;
   * returns when `context.signal` is aborted, throws a {@link SourceError} to be retried.
   * Its cursor is its own: stored under `<name>:listen`.
   */
  listen?(context: ListenContext): Promise<void>;
  /** Extra lines for the health report (e.g. reads spent against a budget). */
  describe?(kv: SourceKv): Promise<Record<string, string | number>>;
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}

/** What every source factory receives besides its own entry of `sources.yaml`. */
export interface SourceDeps {
  /** The brand, for default queries and handles and to tell the brand's own posts apart. */
  brand: import('../config/schema.js').BrandConfig;
  /**
   * The value of an environment variable named in the source's config (credentials);
   * undefined when unset or empty. The only way a source sees a secret: never log it.
   */
  secret(name: string): string | undefined;
  log: Logger;
  /** @defaultValue the global `fetch` (tests may pass one that records) */
  fetch?: typeof fetch;
}
