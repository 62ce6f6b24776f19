/**
 * Hot reload of the leads' configuration: watches the config directory (and answers a
 * `reload()` the caller wires to SIGHUP), loads and validates every file again, and hands
 * a valid result to `apply`. A broken edit changes nothing: the last good configuration
 * stays in force and every problem is reported, one `file:line: field: problem` a line.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError, loadConfig } from './load-config.js';
import type { Config } from './schema.js';
import { formatProblem, type ConfigProblem } from './yaml-file.js';

/** What one reload did. */
export type ReloadOutcome = { applied: true; config: Config } | { applied: false; problems: ConfigProblem[] };

export interface ConfigWatchOptions {
  /** The config directory (`Config.dir`). */
  dir: string;
  /** The configuration in force now: the last good one until a reload applies another. */
  initial: Config;
  /** Takes a valid configuration into use; a throw is reported like a problem and the previous one stays. */
  apply: (config: Config) => void | Promise<void>;
  /** Told of a broken edit (after the problems are logged), e.g. to alert the leads. Not called again for the same problems in a row. */
  rejected?: (problems: ConfigProblem[], lastGood: Config) => void | Promise<void>;
  /** Checks that only the running process can make (e.g. a Discord id for every channel its roles post to). @defaultValue none */
  check?: (config: Config) => ConfigProblem[];
  log: Logger;
  /** Quiet time after the last file event before reloading: an editor's save is several events. @defaultValue 300 */
  debounceMs?: number;
  /** Reads and validates the directory. @defaultValue {@link loadConfig} */
  load?: (dir: string) => Promise<Config>;
  /** Watch the directory for changes; `false` reloads only when asked. @defaultValue true */
  watchFiles?: boolean;
}

export interface ConfigWatch {
  /** Reloads now (SIGHUP); a reload asked for while one runs follows it, so the last edit always wins. */
  reload(reason: string): Promise<ReloadOutcome>;
  /** The configuration in force. */
  current(): Config;
  /** Stops watching; a pending debounced reload is dropped. */
  close(): void;
}

/**
 * Whether a file event in the config directory can change the configuration. Editors that
 * save by writing a temporary file and renaming it over the original report the rename
 * under the YAML file's name; Kubernetes config maps swap a `..data` link. Swap and backup
 * files (`.routing.yaml.swp`, `routing.yaml~`, vim's `4913`) are ignored.
 */
export function isConfigFileEvent(filename: string | null): boolean {
  if (filename === null) return true;
  return /^[^.].*\.ya?ml$/.test(filename) || filename === '..data';
}

/** Calls `run` once `ms` have passed without another `trigger()`. */
export function debounce(run: () => void, ms: number): { trigger(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    trigger() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, ms);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

function problemsOf(error: unknown, dir: string): ConfigProblem[] {
  if (error instanceof ConfigError) return error.problems;
  return [{ file: dir, line: 0, path: '', message: (error as Error).message }];
}

/**
 * Starts watching `options.dir`. Reloads run one at a time; a valid configuration is
 * applied, a broken one is logged (one record per problem, the formatted problem as its
 * message, no stack) and passed to `rejected`, and the last good one stays in force.
 */
export function watchConfig(options: ConfigWatchOptions): ConfigWatch {
  const { dir, apply, log, load = loadConfig } = options;
  let current = options.initial;
  let lastRejected = '';
  // Reloads run in turn; `waiting` is the one not started yet, which every later ask joins.
  let chain: Promise<unknown> = Promise.resolve();
  let waiting: Promise<ReloadOutcome> | undefined;

  async function reloadOnce(reason: string): Promise<ReloadOutcome> {
    let problems: ConfigProblem[];
    try {
      const next = await load(dir);
      problems = options.check?.(next) ?? [];
      if (problems.length === 0) {
        await apply(next);
        current = next;
        lastRejected = '';
        log.info({ reason, dir }, 'config reloaded and applied');
        return { applied: true, config: next };
      }
    } catch (error) {
      problems = problemsOf(error, dir);
    }
    const lines = problems.map(formatProblem);
    for (const [i, line] of lines.entries()) log.error({ file: problems[i]!.file, line: problems[i]!.line, field: problems[i]!.path }, line);
    log.warn({ reason, dir, problems: problems.length }, 'config edit not applied: keeping the last good config');
    const signature = lines.join('\n');
    if (signature !== lastRejected) {
      lastRejected = signature;
      await Promise.resolve(options.rejected?.(problems, current)).catch((error: Error) => log.warn({ err: error.message }, 'could not report the broken config edit'));
    }
    return { applied: false, problems };
  }

  function reload(reason: string): Promise<ReloadOutcome> {
    if (waiting) return waiting;
    const next = chain.then(() => {
      waiting = undefined;
      return reloadOnce(reason);
    });
    waiting = next;
    chain = next.catch(() => undefined);
    return next;
  }

  const pending = debounce(() => void reload('file change'), options.debounceMs ?? 300);
  let watcher: FSWatcher | undefined;
  if (options.watchFiles ?? true) {
    // The directory, not each file: a file replaced by a rename keeps being seen.
    watcher = watch(dir, (_event, filename) => {
      if (isConfigFileEvent(filename)) pending.trigger();
    });
    watcher.on('error', (error) => log.warn({ err: error.message, dir }, 'stopped watching the config directory; SIGHUP still reloads'));
  }

  return {
    reload,
    current: () => current,
    close() {
      pending.cancel();
      watcher?.close();
    },
  };
}

/**
 * The parts of a new configuration the running process takes only at its next start,
 * each as a sentence for the log: the sources' alert settings, the retention, new channel
 * keys, and Discord settings fixed when the workers were built. Routing, templates,
 * brand, SLAs, channel ids, stacking and the sources themselves apply at once.
 */
export function changesAtNextStart(started: Config, next: Config): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const notes: string[] = [];
  if (!same(started.sourceAlerts, next.sourceAlerts)) notes.push('source alerts change applies at the next start');
  if (!same(started.retention, next.retention)) notes.push('retention change applies at the next start');
  const { channels: a, stacking: _a, ...restA } = started.discord;
  const { channels: b, stacking: _b, ...restB } = next.discord;
  const added = Object.keys(b).filter((key) => !(key in a));
  if (added.length) notes.push(`new channels (${added.join(', ')}) get their notify workers at the next start`);
  if (!same(restA, restB)) notes.push('discord coalescing, roles and leadRoleId changes apply at the next start');
  return notes;
}
