/** Thrown when the service cannot start as configured; the message says what to set. */
export class StartError extends Error {
  override readonly name = 'StartError';
}
