/**
 * The environment: secrets and per-deployment settings. The only reader of
 * `process.env`; everything else receives an {@link Env}.
 */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings read from the environment, validated. */
export interface Env {
  /** `DISCORD_TOKEN`: the bot token. Absent: no Discord connection (the demo prints cards). */
  discordToken?: string;
  /** `DISCORD_APPLICATION_ID`: the application's id, for registering slash commands. */
  discordApplicationId?: string;
  /** `DISCORD_API_URL`: Discord's REST base, changed only to reach a stand-in. @defaultValue `https://discord.com/api` */
  discordApiUrl: string;
  /**
   * `REDIS_URL`: `redis://` or `rediss://` URL of one Redis, or
   * `redis+cluster://host:port[,host:port...]` (`rediss+cluster://` for TLS) for a Redis
   * Cluster, whose prefix then needs a hash tag. Absent: the caller decides (e.g. a local Redis).
   */
  redisUrl?: string;
  /** `LOG_LEVEL`: pino level. @defaultValue `info` */
  logLevel: LogLevel;
  /** `MENTION_TRIAGE_CONFIG`: the config directory. @defaultValue `config` */
  configDir: string;
  /** `MENTION_TRIAGE_PREFIX`: BullMQ/Redis key prefix. @defaultValue `mt` */
  queuePrefix: string;
  /** `METRICS_PORT`: port of `/metrics`, `/healthz` and `/readyz`. Absent: no such server. */
  metricsPort?: number;
  /** `METRICS_HOST`: address that server listens on. @defaultValue `127.0.0.1` (this host or container only) */
  metricsHost: string;
  /** `DASHBOARD_PORT`: port of the read-only queue dashboard (no authentication). Absent: no dashboard unless `start --dashboard`. */
  dashboardPort?: number;
  /** `DASHBOARD_HOST`: address the dashboard listens on. @defaultValue `127.0.0.1`: put a proxy that authenticates in front before opening it wider */
  dashboardHost: string;
  /** `DASHBOARD_BASE_PATH`: path the dashboard is served under, e.g. `/queues` behind a proxy. @defaultValue `/` */
  dashboardBasePath: string;
}

/** The environment is wrong; the message names each variable and what it expects. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

// Empty strings count as unset: `.env` files and compose files often leave `VAR=`.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const port = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number, 1–65535')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, 'must be a port number, 1–65535');
const host = z.string().regex(/^[\w.:-]+$/, 'must be a host name or an IP address, e.g. 127.0.0.1 or 0.0.0.0');
// A cluster URL lists nodes, `host:port,host:port`, which is no WHATWG URL; it has no database part.
const CLUSTER_URL = /^rediss?\+cluster:\/\/(?:[^\s@/?#]*@)?[^\s@/?#]+\/?$/;
const isRedisUrl = (v: string) => CLUSTER_URL.test(v) || (/^rediss?:\/\/\S+$/.test(v) && URL.canParse(v));

const envSchema = z.object({
  DISCORD_TOKEN: optional(z.string().regex(/^\S+$/, 'must not contain spaces')),
  DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)')),
  DISCORD_API_URL: optional(z.string().refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v), 'must be an http:// or https:// URL')),
  REDIS_URL: optional(
    z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL, or redis+cluster://host:port,host:port for a Redis Cluster'),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  MENTION_TRIAGE_CONFIG: optional(z.string()),
  MENTION_TRIAGE_PREFIX: optional(
    z.string().regex(/^[\w{}.-]+$/, 'must be letters, digits, _ - . and {} (for a Redis Cluster hash tag)'),
  ),
  METRICS_PORT: optional(port),
  METRICS_HOST: optional(host),
  DASHBOARD_PORT: optional(port),
  DASHBOARD_HOST: optional(host),
  DASHBOARD_BASE_PATH: optional(z.string().regex(/^\/[\w./-]*$/, 'must be a path starting with /, e.g. /queues')),
});

/**
 * Read and validate the environment.
 * @throws EnvError naming each bad variable (values are never echoed: some are secrets).
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new EnvError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return {
    ...(e.DISCORD_TOKEN !== undefined && { discordToken: e.DISCORD_TOKEN }),
    ...(e.DISCORD_APPLICATION_ID !== undefined && { discordApplicationId: e.DISCORD_APPLICATION_ID }),
    ...(e.REDIS_URL !== undefined && { redisUrl: e.REDIS_URL }),
    discordApiUrl: (e.DISCORD_API_URL ?? 'https://discord.com/api').replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL ?? 'info',
    configDir: e.MENTION_TRIAGE_CONFIG ?? 'config',
    queuePrefix: e.MENTION_TRIAGE_PREFIX ?? 'mt',
    ...(e.METRICS_PORT !== undefined && { metricsPort: e.METRICS_PORT }),
    metricsHost: e.METRICS_HOST ?? '127.0.0.1',
    ...(e.DASHBOARD_PORT !== undefined && { dashboardPort: e.DASHBOARD_PORT }),
    dashboardHost: e.DASHBOARD_HOST ?? '127.0.0.1',
    dashboardBasePath: e.DASHBOARD_BASE_PATH ?? '/',
  };
}

/**
 * A reader of the credentials that `sources.yaml` names by environment variable (e.g.
 * `X_BEARER_TOKEN`). Empty counts as unset. The values are secrets: never log them.
 */
export function secretReader(env: NodeJS.ProcessEnv = process.env): (name: string) => string | undefined {
  return (name) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
}
