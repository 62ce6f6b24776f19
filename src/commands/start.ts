import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { watchConfig, type ConfigWatch } from '../config/config-watch.js';
import type { Env } from '../config/env.js';
import type { Config } from '../config/schema.js';
import { ESCALATION_CHANNEL } from '../core/card-actions.js';
import { formatProblem, displayPath, type ConfigProblem } from '../config/yaml-file.js';
import { checkClusterPrefix, isClusterUrl } from '../infra/redis-connect.js';
import { startRuntime, type Role, type Runtime } from '../main.js';
import { raiseAlert } from '../pipeline/queues.js';
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
function unconfiguredChannels(config: Config, roles: readonly Role[]): string[] {
  const routed = new Set([config.routing.defaultChannel, ...config.routing.rules.flatMap((r) => [...(r.channel ? [r.channel] : []), ...r.alsoTo])]);
  if (roles.includes('bot')) routed.add(ESCALATION_CHANNEL);
  return [...routed].filter((key) => !config.discord.channels[key]);
}

/** A reloaded config that leaves a channel these roles post to without a Discord id is refused like a broken file. */
function channelProblems(config: Config, roles: readonly Role[]): ConfigProblem[] {
  const missing = roles.includes('notify') || roles.includes('bot') ? unconfiguredChannels(config, roles) : [];
  if (!missing.length) return [];
  const file = displayPath(path.join(config.dir, 'discord.yaml'));
  return [{ file, line: 0, path: 'discord.channels', message: `no Discord channel id for ${missing.map((m) => `"${m}"`).join(', ')}, which cards are sent to` }];
}

/**
 * Watches `config/` for the roles of a started runtime (SIGHUP calls its `reload`): a valid
 * edit is applied by every role, with a warning for each part that waits for the next
 * start; a broken one is logged and posted once to the alert channel of the last good
 * config (`sources.yaml` `alerts.channel`), which stays in force.
 */
export function watchRuntimeConfig(config: Config, roles: readonly Role[], runtime: Pick<Runtime, 'applyConfig' | 'queues'>, log: Logger, debounceMs?: number): ConfigWatch {
  const configLog = log.child({ component: 'config' });
  return watchConfig({
    dir: config.dir,
    initial: config,
    log: configLog,
    ...(debounceMs !== undefined ? { debounceMs } : {}),
    check: (next) => channelProblems(next, roles),
    apply: (next) => {
      for (const note of runtime.applyConfig(next)) configLog.warn(note);
    },
    rejected: (problems, lastGood) => {
      const lines = problems.map(formatProblem);
      const now = new Date();
      // Processes of one deployment reloading the same edit within a minute post one alert.
      const onceId = `config-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}-${now.toISOString().slice(0, 16)}`;
      const text = [...lines, 'Nothing of this edit was applied: the last good config stays in force until the files are fixed.'].join('\n');
      return raiseAlert(runtime.queues, { channelKey: lastGood.sourceAlerts.channel, title: 'Config edit not applied', text, level: 'error' }, onceId, now);
    },
  });
}

/**
 * `start`: runs the given roles until SIGINT/SIGTERM, then finishes active jobs and exits.
 * A changed config directory, or SIGHUP, reloads the config without a restart.
 */
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
  const watcher = watchRuntimeConfig(config, roles, runtime, log);
  const onHangup = () => void watcher.reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'shutting down: finishing active jobs');
      watcher.close();
      process.off('SIGHUP', onHangup);
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
