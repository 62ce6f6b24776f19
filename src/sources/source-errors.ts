/**
 * Errors a source throws when it knows what a failure means. The ingest scheduler reads
 * them: a rate limit waits until its reset, a stop disables the source until the cause is
 * fixed, anything else backs off and retries.
 */

/** Base class: `message` is written for the leads and says what to do. */
export class SourceError extends Error {
  override readonly name: string = 'SourceError';
}

/** The platform asked us to wait: read again at `resumeAt`, not before. */
export class SourceRateLimitedError extends SourceError {
  override readonly name = 'SourceRateLimitedError';
  constructor(
    message: string,
    /** When the platform's limit resets. */
    readonly resumeAt: Date,
  ) {
    super(message);
  }
}

/**
 * The source cannot go on until someone acts: credentials refused (401/403), an app not
 * approved, a setting missing. It is disabled until the service restarts or its config
 * changes, and the leads are told once with `message`.
 */
export class SourceDisabledError extends SourceError {
  override readonly name = 'SourceDisabledError';
}

/**
 * A spending limit was reached (the configured read budget, or the platform's own usage
 * cap): the source pauses until `resumeAt` (the next billing period) and the leads are told.
 */
export class SourceBudgetError extends SourceError {
  override readonly name = 'SourceBudgetError';
  constructor(
    message: string,
    readonly resumeAt: Date,
  ) {
    super(message);
  }
}

/** A reply the platform will not take, with the reason for the person who wrote it. */
export class ReplyRefusedError extends Error {
  override readonly name = 'ReplyRefusedError';
}
