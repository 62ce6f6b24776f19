import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { Config } from '../config/schema.js';
import { ESCALATION_CHANNEL } from '../core/card-actions.js';
import { checkClusterPrefix, isClusterUrl } from '../infra/redis-connect.js';
import { startRuntime, type Role } from '../main.js';
import { StartError } from './start-error.js';

export interface StartOptions {
  roles: Role[];
  config: Config;
  env: Env;
  log: Logger;
  /**
   * `--dashboard[=port]`: serve the queue dashboard; `true` takes `DASHBOARD_PORT`, else
   * {@link DEFAULT_DASHBOARD_PORT}. @defaultValue served only when `DASHBOARD_PORT` is set
   */
  dashboard?: true | number;
}

/** The dashboard's port when `--dashboard` names none and `DASHBOARD_PORT` is unset (next to the metrics' usual 9464). */
export const DEFAULT_DASHBOARD_PORT = 9465;


/**
 * Every channel a card can go to must have a Discord id before cards are posted: the
 * default, each rule's channel and extra channels, and `leads` for escalations.
 */
function unconfiguredChannels(config: Config, roles: Role[]): string[] {
  const routed = new Set([config.routing.defaultChannel, ...config.routing.rules.flatMap((r) => [...(r.channel ? [r.channel] : []), ...r.alsoTo])]);
  if (roles.includes('bot')) routed.add(ESCALATION_CHANNEL);
  return [...routed].filter((key) => !config.discord.channels[key]);
}

/** `start`: runs the given roles until SIGINT/SIGTERM, then finishes active jobs and exits. */
export async function runStart(options: StartOptions): Promise<void> {
  const { roles, config, env, log } = options;
  const needsDiscord = roles.includes('notify') || roles.includes('bot');
  if (needsDiscord && !env.discordToken) {
    throw new StartError(`DISCORD_TOKEN is not set: the ${roles.filter((r) => r === 'notify' || r === 'bot').join(' and ')} role needs it (or run "mention-triage demo" to see cards in the terminal)`);
  }
  const missing = needsDiscord ? unconfiguredChannels(config, roles) : [];
  if (missing.length) {
    throw new StartError(`${config.dir}/discord.yaml: discord.channels: no Discord channel id for ${missing.map((m) => `"${m}"`).join(', ')}, which cards are sent to (routing rules, alsoTo, escalations to "${ESCALATION_CHANNEL}")`);
  }
  // An unreachable Redis is reported by startRuntime, naming the URL.
  const redisUrl = env.redisUrl ?? 'redis://127.0.0.1:6379';
  const prefixProblem = isClusterUrl(redisUrl) ? checkClusterPrefix(env.queuePrefix) : undefined;
  if (prefixProblem) throw new StartError(prefixProblem);
  const dashboardPort = options.dashboard === true ? (env.dashboardPort ?? DEFAULT_DASHBOARD_PORT) : (options.dashboard ?? env.dashboardPort);
  const runtime = await startRuntime({
    roles,
    config,
    redisUrl,
    prefix: env.queuePrefix,
    log,
    ...(env.metricsPort ? { endpoints: { port: env.metricsPort, host: env.metricsHost } } : {}),
    ...(dashboardPort !== undefined ? { dashboard: { port: dashboardPort, host: env.dashboardHost, basePath: env.dashboardBasePath } } : {}),
    ...(env.discordToken ? { discord: { token: env.discordToken, apiUrl: env.discordApiUrl, ...(env.discordApplicationId ? { applicationId: env.discordApplicationId } : {}) } } : {}),
  });
  log.info({ roles, prefix: env.queuePrefix }, 'mention-triage started');
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'shutting down: finishing active jobs');
      process.once(signal, () => process.exit(1));
      runtime.close().then(resolve, (error: Error) => {
        log.error({ err: error.message }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  log.info('stopped');
}
