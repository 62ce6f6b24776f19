import { SourceDisabledError, SourceError, SourceRateLimitedError } from './source-errors.js';

/** A failed HTTP exchange that is worth retrying later (5xx, network, timeout). */
export class SourceHttpError extends SourceError {
  override readonly name = 'SourceHttpError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Credentials refused (401/403): a {@link SourceDisabledError} that says which status, so
 * a source can tell a refused token (401: get a new one) from a refused resource (403:
 * often a firewall or one private listing, worth retrying later) and decide for itself.
 */
export class SourceAuthError extends SourceDisabledError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface HttpGetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** @defaultValue 20 000 ms */
  timeoutMs?: number;
  /** POST this form body instead of a GET (OAuth token endpoints). */
  form?: Record<string, string>;
  /** What to tell the leads when credentials are refused (401/403). */
  onAuthFailure?: string;
  /** @defaultValue the global `fetch` */
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * When the platform says to come back: `Retry-After` (seconds or a date), else the
 * `x-ratelimit-reset` / `x-rate-limit-reset` header (Unix seconds, or seconds from now
 * when small, as Reddit sends it), else a minute from now.
 */
export function resumeTimeOf(headers: Headers, now: Date): Date {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return new Date(now.getTime() + Math.max(1, seconds) * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return new Date(Math.max(at, now.getTime() + 1000));
  }
  const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset') ?? NaN);
  if (Number.isFinite(reset) && reset > 0) {
    // Below a billion it cannot be a Unix time: seconds from now.
    const at = reset < 1e9 ? now.getTime() + reset * 1000 : reset * 1000;
    return new Date(Math.max(at, now.getTime() + 1000));
  }
  return new Date(now.getTime() + 60_000);
}

/**
 * One HTTP request for a source, turned into the errors the scheduler understands: 429 →
 * {@link SourceRateLimitedError} (until the reset header), 401/403 → {@link SourceAuthError} (a
 * {@link SourceDisabledError} carrying the status), other failures → {@link SourceHttpError}
 * (retried with back-off). 304 is a success.
 */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpResponse> {
  const { timeoutMs = 20_000, now = () => new Date() } = options;
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const where = new URL(url);
  const shown = `${where.origin}${where.pathname}`;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: options.form ? 'POST' : 'GET',
      headers: { accept: 'application/json', ...options.headers, ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
      signal,
      redirect: 'follow',
    });
  } catch (error) {
    if (timeout.aborted) throw new SourceHttpError(`${shown}: no answer within ${timeoutMs} ms`);
    throw new SourceHttpError(`${shown}: ${(error as Error).message}`);
  }
  const body = await response.text().catch(() => '');
  if (response.status === 429) {
    const resumeAt = resumeTimeOf(response.headers, now());
    throw new SourceRateLimitedError(`${shown}: rate limited (429) until ${resumeAt.toISOString()}`, resumeAt);
  }
  if (response.status === 401 || response.status === 403) {
    throw new SourceAuthError(`${shown}: credentials refused (${response.status})${options.onAuthFailure ? `: ${options.onAuthFailure}` : ''}`, response.status);
  }
  if (response.status !== 304 && (response.status < 200 || response.status >= 300)) {
    throw new SourceHttpError(`${shown}: HTTP ${response.status}`, response.status);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Parses a JSON body or says where it was not JSON. */
export function parseJsonBody(response: HttpResponse, url: string): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new SourceHttpError(`${new URL(url).pathname}: answer is not JSON (HTTP ${response.status}, ${response.body.length} bytes)`);
  }
}
