/**
 * Polls until a predicate returns a value: for state the bot changes asynchronously
 * (a message edited, a callback received).
 */

/** Polls `predicate` every 10 ms; resolves with its first truthy result. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  timeoutMs = 2000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`discord peer: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
