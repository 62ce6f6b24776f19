import pino, { type Logger } from 'pino';

/** Paths pino blanks out wherever they appear: secrets never reach a log line. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'DISCORD_TOKEN',
  '*.DISCORD_TOKEN',
  'discordToken',
  '*.discordToken',
  'X_BEARER_TOKEN',
  '*.X_BEARER_TOKEN',
  'redisUrl',
  '*.redisUrl',
  // Source credentials and sessions (sources.yaml names the variables; values never logged).
  ...['bearerToken', 'accessToken', 'accessSecret', 'appSecret', 'appPassword', 'clientSecret', 'accessJwt', 'refreshJwt', 'access_token', 'refresh_token', 'cookie', 'set-cookie'].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'headers.cookie',
  '*.headers.cookie',
  // A Redis error carries the command and its arguments (a stored session, say).
  'err.command',
  '*.err.command',
  'error.command',
];

export interface LoggerOptions {
  /** pino level. @defaultValue `info` */
  level?: string;
  /** Human-readable output (pino-pretty) instead of JSON lines. @defaultValue false */
  pretty?: boolean;
  /** Where log lines go. @defaultValue standard error, so standard output stays for data */
  destination?: NodeJS.WritableStream;
}

/** The process logger: JSON lines by default, pretty in a terminal, secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', pretty = false } = options;
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'mention-triage' } };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(base, pino.destination({ fd: 2, sync: false }));
}
