import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config/load-config.js';
import { EnvError, readEnv, type Env } from './config/env.js';
import type { Config } from './config/schema.js';
import { StartError } from './commands/start-error.js';
import { RedisServerMissingError } from './infra/private-redis.js';
import { RedisUnreachableError } from './infra/redis-connect.js';
import { createLogger } from './logger.js';

import { ROLES, type Role } from './roles.js';
import { parseSince } from './commands/since.js';
import { PLATFORMS, type Platform } from './core/mention.js';

// Commands are imported when run: `classify` must be ready in well under a second, and
// needs neither discord.js nor BullMQ.

/** Exit codes: 0 done, 1 failed or partly failed, 2 bad usage, config or environment. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof EnvError || error instanceof UsageError || error instanceof StartError || error instanceof RedisUnreachableError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT.usage);
  }
  if (error instanceof RedisServerMissingError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT.failed);
  }
  process.stderr.write(`mention-triage: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(EXIT.failed);
}

function env(): Env {
  return readEnv();
}

async function config(dir: string | undefined): Promise<Config> {
  return loadConfig(dir ?? env().configDir);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('a port number, 1–65535');
  return port;
}

function parseRole(value: string, previous: Role[] = []): Role[] {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown role "${value}" (known: ${ROLES.join(', ')})`);
  return [...previous, value as Role];
}

const program = new Command('mention-triage')
  .description('Triage public mentions of your brand into Discord cards your support team can claim and answer.')
  .version(version())
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nEnvironment: DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL, REDIS_URL, LOG_LEVEL, MENTION_TRIAGE_CONFIG, MENTION_TRIAGE_PREFIX,\n' +
      'METRICS_PORT, METRICS_HOST, DASHBOARD_PORT, DASHBOARD_HOST, DASHBOARD_BASE_PATH,\n' +
      'and the source credentials sources.yaml names (X_BEARER_TOKEN, BLUESKY_APP_PASSWORD, MASTODON_ACCESS_TOKEN, REDDIT_CLIENT_ID... see README).',
  );

// Commander exits 1 on a usage error; this tool's contract is 2 (help and --version stay 0).
program.exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage));

const configOption = () => new Option('-c, --config <dir>', 'config directory (default: $MENTION_TRIAGE_CONFIG or ./config)');

program
  .command('demo')
  .description('run the bundled sample mentions through the real pipeline and show each card (in the terminal without DISCORD_TOKEN)')
  .addOption(configOption())
  .option('-m, --mentions <file>', 'JSON-lines file of mentions to run', fileURLToPath(new URL('../samples/mentions.jsonl', import.meta.url)))
  .option('--no-color', 'plain text cards, no ANSI colours')
  .action(async (opts: { config?: string; color: boolean; mentions: string }) => {
    if (!existsSync(opts.mentions)) throw new UsageError(`${opts.mentions}: no such file (--mentions)`);
    const e = env();
    const cfg = await config(opts.config);
    const log = createLogger({ level: e.logLevel === 'info' ? 'warn' : e.logLevel, pretty: Boolean(process.stderr.isTTY) });
    const { acquireRedis } = await import('./commands/redis-target.js');
    const { runDemo } = await import('./commands/demo.js');
    const redis = await acquireRedis(e.redisUrl, e.queuePrefix);
    process.stderr.write(`mention-triage demo · Redis: ${redis.kind === 'private' ? 'private redis-server started for this run' : `shared, keys under "${redis.prefix}:" removed at exit`}\n`);
    // On Ctrl-C the demo closes its workers first, then removes its keys: the other order
    // lets a running job write keys back after they were removed.
    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    // `demo | head`: the reader went away; stop like on Ctrl-C, so the keys are still removed.
    let pipeClosed = false;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      pipeClosed = true;
      stop.abort();
    });
    try {
      const out = Object.assign(process.stdout, { isTTY: opts.color && Boolean(process.stdout.isTTY) });
      const discord = e.discordToken ? { token: e.discordToken, apiUrl: e.discordApiUrl } : undefined;
      const result = await runDemo({ config: cfg, mentionsPath: opts.mentions, redis, log, out, progress: process.stderr, signal: stop.signal, ...(discord ? { discord } : {}) });
      if (result.mentions === 0) throw new UsageError('no mentions were read: check the sample file');
      process.exitCode = result.missing.length === 0 ? EXIT.ok : EXIT.failed;
      if (result.missing.length) process.stderr.write(`no card for ${result.missing.length} mentions: ${result.missing.slice(0, 10).join(', ')}\n`);
    } catch (error) {
      if (!stop.signal.aborted) throw error;
      if (pipeClosed) {
        process.exitCode = EXIT.ok;
      } else {
        process.stderr.write('demo interrupted\n');
        process.exitCode = 130;
      }
    } finally {
      await redis.release();
    }
  });

program
  .command('start')
  .description('run the service: every role in one process, or only the roles given')
  .addOption(configOption())
  .option('-r, --role <role>', `run only this role (repeatable): ${ROLES.join(', ')}`, parseRole)
  .option('--dashboard [port]', 'serve the read-only queue dashboard on 127.0.0.1 (no authentication: put a proxy that authenticates in front); port: $DASHBOARD_PORT or 9465', parsePort)
  .addHelpText(
    'after',
    '\nChanging config while running: a saved change in the config directory (or SIGHUP: kill -HUP <pid>) is checked\n' +
      'and applied by every role without a restart: routing, templates, brand and SLAs from the next batch, channel ids\n' +
      'and stacking from the next card; sources added, removed or changed start and stop at once (the others keep polling).\n' +
      'Source alerts, retention, coalescing and Discord roles apply at the next start (the log says so).\n' +
      'A broken edit changes nothing: the last good config stays, and each problem is logged and posted to the alert channel\n' +
      'as file:line: field: problem.',
  )
  .action(async (opts: { config?: string; role?: Role[]; dashboard?: true | number }) => {
    const e = env();
    const cfg = await config(opts.config);
    const log = createLogger({ level: e.logLevel, pretty: Boolean(process.stderr.isTTY) });
    const { runStart } = await import('./commands/start.js');
    await runStart({ roles: opts.role ?? [...ROLES], config: cfg, env: e, log, ...(opts.dashboard !== undefined ? { dashboard: opts.dashboard } : {}) });
    // Everything is closed; a client still retrying in the background (a gateway
    // reconnecting) must not keep the process alive after "stopped".
    log.flush();
    setTimeout(() => process.exit(process.exitCode ?? EXIT.ok), 200).unref();
  });

program
  .command('classify')
  .description('read JSON lines {"id"?, "text", "brand"?} on stdin, write one mood/intent result line per input')
  .option('-b, --brand <name>', 'brand name masked in every line without its own "brand"')
  .action(async (opts: { brand?: string }) => {
    const { brandFromName, classifyStream } = await import('./commands/classify.js');
    const malformed = await classifyStream({
      input: process.stdin,
      output: process.stdout,
      errors: process.stderr,
      ...(opts.brand ? { brand: brandFromName(opts.brand) } : {}),
    });
    process.exitCode = malformed ? EXIT.failed : EXIT.ok;
  });

program
  .command('render')
  .description('read mention JSON lines on stdin, write the exact Discord requests the bot would send for each card')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    const cfg = await config(opts.config);
    const { renderStream } = await import('./commands/render.js');
    const malformed = await renderStream({ input: process.stdin, output: process.stdout, errors: process.stderr, policy: cfg, channels: cfg.discord.channels });
    process.exitCode = malformed ? EXIT.failed : EXIT.ok;
  });

program
  .command('reply-check')
  .description('read JSON lines {"mention": <mention JSON>, "draft": "..."} on stdin, write one line of reply-coach hints per input')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    if (process.stdin.isTTY) throw new UsageError('reply-check reads JSON lines {"mention": ..., "draft": "..."} on stdin: pipe them in');
    const cfg = await config(opts.config);
    const { replyCheckStream } = await import('./commands/reply-check.js');
    const malformed = await replyCheckStream({ input: process.stdin, output: process.stdout, errors: process.stderr, brand: cfg.brand });
    process.exitCode = malformed ? EXIT.failed : EXIT.ok;
  });

const deadLetters = program
  .command('dead-letters')
  .description('what could not be processed (malformed mentions, cards Discord refused): list it (the default) or replay it after a fix');

deadLetters
  .command('list', { isDefault: true })
  .description('list the dead letters, newest first, as JSON lines with the reason')
  .option('-n, --limit <n>', 'at most this many', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
    return n;
  }, 50)
  .action(async (opts: { limit: number }) => {
    const e = env();
    const { listDeadLetters } = await import('./commands/dead-letters.js');
    const total = await listDeadLetters({ redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379', prefix: e.queuePrefix, limit: opts.limit, output: process.stdout });
    process.stderr.write(`${total} in the dead-letter queue${total > opts.limit ? ` (newest ${opts.limit} shown)` : ''}\n`);
  });

deadLetters
  .command('replay')
  .description('put dead letters back on their queue after a fix (mentions are validated again first); one JSON line {id, fromQueue, outcome, jobId?, reason?} each; exit 1 if some were kept')
  .addOption(new Option('--id <id...>', "these dead letters: the id replay prints, or the failed job's jobId that list prints").conflicts(['all', 'from']))
  .option('--from <queue>', 'every dead letter from this queue: ingest, notify, alert or source:NAME')
  .option('--all', 'every dead letter')
  .option('--dry-run', 'print what would happen; change nothing')
  .addOption(configOption())
  .action(async (opts: { id?: string[]; from?: string; all?: boolean; dryRun?: boolean; config?: string }) => {
    if (!opts.id?.length && opts.from === undefined && !opts.all) throw new UsageError('dead-letters replay: say which dead letters to replay: --id ID..., --from QUEUE or --all');
    const { REPLAYABLE_QUEUES, describeReplay, isReplayableQueue, replayDeadLetters } = await import('./commands/dead-letter-replay.js');
    if (opts.from !== undefined && !isReplayableQueue(opts.from)) throw new UsageError(`dead-letters replay --from: "${opts.from}" is not a queue dead letters come from (expected ${REPLAYABLE_QUEUES})`);
    const e = env();
    // A re-queued mention is remembered as seen for the deployment's retention.seenDays, as ingest remembers it.
    const { retention } = await config(opts.config);
    const summary = await replayDeadLetters({
      redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379',
      prefix: e.queuePrefix,
      seenTtlSeconds: Math.max(1, Math.round(retention.seenDays * 86_400)),
      ...(opts.id ? { ids: opts.id } : {}),
      ...(opts.from !== undefined ? { from: opts.from } : {}),
      all: Boolean(opts.all),
      dryRun: Boolean(opts.dryRun),
      output: process.stdout,
    });
    process.stderr.write(`${describeReplay(summary)}\n`);
    process.exitCode = summary.kept ? EXIT.failed : EXIT.ok;
  });

program
  .command('sources')
  .description("each source's health (last read, mentions today, errors, waits, X spend); --dry-run reads each enabled source once and prints what it would ingest")
  .addOption(configOption())
  .option('--dry-run', 'read each enabled source once from its stored cursor and print what it would ingest, without queueing or moving cursors')
  .option('-n, --limit <n>', 'with --dry-run: at most this many mentions per source', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
    return n;
  }, 20)
  .option('--json', 'JSON lines instead of a table')
  .action(async (opts: { config?: string; dryRun?: boolean; limit: number; json?: boolean }) => {
    const e = env();
    const cfg = await config(opts.config);
    const log = createLogger({ level: e.logLevel === 'info' ? 'warn' : e.logLevel, pretty: Boolean(process.stderr.isTTY) });
    const { secretReader } = await import('./config/env.js');
    const { dryRunSources, showSources } = await import('./commands/sources.js');
    const common = { config: cfg, redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379', prefix: e.queuePrefix, secret: secretReader(), log, output: process.stdout, json: Boolean(opts.json) };
    if (opts.dryRun) {
      const failed = await dryRunSources({ ...common, limit: opts.limit, progress: process.stderr });
      process.exitCode = failed ? EXIT.failed : EXIT.ok;
      return;
    }
    await showSources(common);
  });

program
  .command('check-config')
  .description('validate the config directory; exit 0, or 2 with one "file:line: path: problem" line per problem')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    const cfg = await config(opts.config);
    const enabled = cfg.sources.filter((s) => s.enabled).map((s) => s.name);
    process.stdout.write(`${cfg.dir}: OK (${cfg.routing.rules.length} routing rules, ${cfg.templates.templates.length} reply templates, ${cfg.sources.length} sources, enabled: ${enabled.join(', ') || 'none'})\n`);
  });

const slashCommands = program.command('commands').description("the bot's slash commands (/triage) as Discord holds them");

slashCommands
  .command('register')
  .description('register the slash commands with Discord now: in one server with --guild (shown at once, for setting up), else globally (up to an hour); the bot also registers them globally at start')
  .option('-g, --guild <id>', 'the server (guild) id to register them in', (v) => {
    if (!/^\d{17,20}$/.test(v)) throw new InvalidArgumentError('a Discord server id (17–20 digits)');
    return v;
  })
  .action(async (opts: { guild?: string }) => {
    const e = env();
    if (!e.discordToken) throw new UsageError('commands register: DISCORD_TOKEN is not set: the bot token registers the commands');
    const { RegisterSetupError, registerCommands } = await import('./commands/register-commands.js');
    try {
      await registerCommands({ token: e.discordToken, apiUrl: e.discordApiUrl, ...(e.discordApplicationId ? { applicationId: e.discordApplicationId } : {}), ...(opts.guild ? { guildId: opts.guild } : {}), output: process.stdout });
    } catch (error) {
      throw error instanceof RegisterSetupError ? new UsageError(error.message) : error;
    }
  });

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
}

function parseSinceOption(v: string): Date {
  const since = parseSince(v);
  if (!since) throw new InvalidArgumentError('a span back from now (30m, 24h, 7d, 2w) or an ISO date (2026-11-01)');
  return since;
}

const rules = program.command('rules').description('check routing rules before trusting them: on a file of mentions, or one mention at a time');

rules
  .command('test <file>')
  .description('triage a JSON-lines file of mentions with the config (nothing stored or posted): per rule how many it takes, with samples; what no rule took; with --against, every mention routed differently')
  .addOption(configOption())
  .option('--against <dir|rev>', 'compare with this config: a directory, or a git revision (its copy of the config directory)')
  .option('-s, --samples <n>', 'example mentions shown per rule', parseCount, 3)
  .option('--json', 'one JSON document instead of text')
  .action(async (file: string, opts: { config?: string; against?: string; samples: number; json?: boolean }) => {
    if (!existsSync(file)) throw new UsageError(`rules test: ${file}: no such file`);
    const cfg = await config(opts.config);
    const { AgainstError, loadAgainst } = await import('./commands/rules-against.js');
    const { testRules } = await import('./commands/rules-test.js');
    const { createReadStream } = await import('node:fs');
    let against: Config | undefined;
    try {
      against = opts.against === undefined ? undefined : await loadAgainst(opts.against, cfg);
    } catch (error) {
      throw error instanceof AgainstError ? new UsageError(error.message) : error;
    }
    const result = await testRules({ input: createReadStream(file), output: process.stdout, errors: process.stderr, policy: cfg, ...(against ? { against } : {}), samples: opts.samples, json: Boolean(opts.json) });
    process.exitCode = result.malformed ? EXIT.failed : EXIT.ok;
  });

rules
  .command('explain <mention>')
  .description('how the config judges and routes one mention (a text, or mention JSON): every rule, fired, skipped with the condition that failed, or not reached')
  .addOption(configOption())
  .addOption(new Option('-p, --platform <platform>', 'for a text: the platform it was posted on (default x)').choices(PLATFORMS))
  .option('-f, --followers <n>', "for a text: the author's followers", (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number from 0');
    return n;
  })
  .option('--at <time>', 'for a text: when it was written (ISO-8601; default now)', (v) => {
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || !Number.isFinite(Date.parse(v))) throw new InvalidArgumentError('an ISO-8601 time such as 2026-11-20T21:30:00Z');
    return new Date(v);
  })
  .addOption(new Option('--returning', 'the author mentioned the brand before (returningAuthor: true)').conflicts('firstTime'))
  .option('--first-time', 'the author never mentioned the brand before (returningAuthor: false)')
  .option('--json', 'one JSON line {classification, route, trace}')
  .action(async (input: string, opts: { config?: string; platform?: Platform; followers?: number; at?: Date; returning?: boolean; firstTime?: boolean; json?: boolean }) => {
    const cfg = await config(opts.config);
    const { ExplainInputError, explainRules } = await import('./commands/rules-explain.js');
    const seen = opts.returning ? true : opts.firstTime ? false : undefined;
    try {
      await explainRules({ input, policy: cfg, output: process.stdout, json: Boolean(opts.json), ...(opts.platform ? { platform: opts.platform } : {}), ...(opts.followers !== undefined ? { followers: opts.followers } : {}), ...(opts.at ? { at: opts.at } : {}), ...(seen !== undefined ? { authorSeenBefore: seen } : {}) });
    } catch (error) {
      throw error instanceof ExplainInputError ? new UsageError(error.message) : error;
    }
  });

program
  .command('export')
  .description('write the mentions Redis holds as mention JSON lines (for `rules test` on your own history)')
  .requiredOption('--since <when>', 'written since: 30m, 24h, 7d, 2w, or an ISO date', parseSinceOption)
  .action(async (opts: { since: Date }) => {
    const e = env();
    const { exportMentions } = await import('./commands/export.js');
    const written = await exportMentions({ redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379', prefix: e.queuePrefix, since: opts.since, output: process.stdout });
    process.stderr.write(`${written} mentions written since ${opts.since.toISOString()}\n`);
  });

program
  .command('suppressed')
  .description('the mentions routing rules suppressed (no card), newest first, with rule and reason; counts per rule')
  .option('--since <when>', 'recorded since: 30m, 24h, 7d, 2w, or an ISO date (default 7d)', parseSinceOption)
  .option('-n, --limit <n>', 'at most this many', parseCount, 50)
  .option('--json', 'JSON lines instead of text')
  .action(async (opts: { since?: Date; limit: number; json?: boolean }) => {
    const e = env();
    const { listSuppressed } = await import('./commands/suppressed.js');
    await listSuppressed({ redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379', prefix: e.queuePrefix, since: opts.since ?? parseSinceOption('7d'), limit: opts.limit, json: Boolean(opts.json), output: process.stdout, summary: process.stderr });
  });

program
  .command('report')
  .description('one row per mention posted since --since: times, who claimed and resolved it, mood, intent, rule, channel, SLA met (CSV or JSON, for spreadsheets and BI tools)')
  .addOption(configOption())
  .requiredOption('--since <when>', 'posted since: 30m, 24h, 7d, 2w, or an ISO date', parseSinceOption)
  .addOption(new Option('--format <format>', 'csv (RFC 4180, a header line) or json (one array)').choices(['csv', 'json']).default('csv'))
  .option('-o, --out <file>', 'write to this file instead of stdout')
  .action(async (opts: { config?: string; since: Date; format: 'csv' | 'json'; out?: string }) => {
    const e = env();
    const cfg = await config(opts.config);
    const { dirname } = await import('node:path');
    if (opts.out !== undefined && !existsSync(dirname(opts.out))) throw new UsageError(`report --out: ${dirname(opts.out)}: no such directory`);
    const { createWriteStream } = await import('node:fs');
    const { finished } = await import('node:stream/promises');
    const { writeReport } = await import('./commands/report.js');
    const output = opts.out === undefined ? process.stdout : createWriteStream(opts.out);
    const settings = { resolveWithinMinutes: cfg.sla.resolveWithinMinutes, ...(cfg.sla.businessHours ? { businessHours: cfg.sla.businessHours } : {}) };
    const written = await writeReport({ redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379', prefix: e.queuePrefix, since: opts.since, format: opts.format, settings, output });
    if (output !== process.stdout) {
      output.end();
      await finished(output);
    }
    process.stderr.write(`${written} mentions reported since ${opts.since.toISOString()}\n`);
  });

const model = program.command('model').description("the word model learned from the team's corrections: its labels, training, export");

/** Where the model commands find the deployment's Redis. */
const modelTarget = () => {
  const e = env();
  return { redisUrl: e.redisUrl ?? 'redis://127.0.0.1:6379', prefix: e.queuePrefix, output: process.stdout };
};

model
  .command('status')
  .description('labels by correction, the stored model, and whether it is on')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    const cfg = await config(opts.config);
    const { modelStatus } = await import('./commands/model.js');
    await modelStatus({ ...modelTarget(), learning: cfg.learning });
  });

model
  .command('train')
  .description('fit the model from every stored label and store it (triage picks it up within a minute)')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    const cfg = await config(opts.config);
    const { modelTrain } = await import('./commands/model.js');
    await modelTrain({ ...modelTarget(), brand: cfg.brand });
  });

model
  .command('export')
  .description('every label as a JSON line {key, text, correction, by, at}, oldest first')
  .action(async () => {
    const { modelExport } = await import('./commands/model.js');
    await modelExport(modelTarget());
  });

program.parseAsync(process.argv).catch(fail);
