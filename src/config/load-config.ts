/**
 * Load the leads' configuration from a directory of YAML files, validate each file and
 * the references between them, and report every problem at once with its file and line.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { checkRouting, checkSla, checkTemplates, resolveSources, type Parsed } from './cross-checks.js';
import { CONFIG_FILES, type Config } from './schema.js';
import { type ConfigProblem, displayPath, formatProblem, problemAt, readYamlFile } from './yaml-file.js';
import { validate } from './zod-problems.js';

export type { ConfigProblem } from './yaml-file.js';

/**
 * The configuration is wrong. The message has one problem a line, e.g.
 * `config/routing.yaml:14: rules[2].channel: unknown channel "suport" (known: support, leads, marketing)`;
 * fix the files and start again (retrying cannot help).
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Part = keyof typeof CONFIG_FILES;
type FileValue<P extends Part> = z.output<(typeof CONFIG_FILES)[P]['schema']>;

/**
 * Read `brand.yaml`, `sources.yaml`, `discord.yaml`, `routing.yaml`, `sla.yaml` and
 * `templates.yaml` from `dir`. Relative paths inside resolve against the parent of `dir`.
 * @throws ConfigError listing every problem found across all files.
 */
export async function loadConfig(dir: string): Promise<Config> {
  const configDir = path.resolve(dir);
  const rootDir = path.dirname(configDir);
  const isDir = await stat(configDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    throw new ConfigError([{ file: displayPath(configDir), line: 0, path: '', message: 'config directory not found' }]);
  }
  const problems: ConfigProblem[] = [];

  async function load<P extends Part>(part: P): Promise<Parsed<FileValue<P>> | undefined> {
    const { file, schema } = CONFIG_FILES[part];
    const full = path.join(configDir, file);
    // An optional file left out means its defaults.
    if ('optional' in CONFIG_FILES[part] && !(await stat(full).then(() => true, () => false))) {
      return { yaml: undefined as never, value: (schema as unknown as z.ZodType<FileValue<P>>).parse({}) };
    }
    const read = await readYamlFile(full);
    problems.push(...read.problems);
    if (!read.yaml) return undefined;
    const result = validate(read.yaml, schema as unknown as z.ZodType<FileValue<P>>);
    problems.push(...result.problems);
    return result.value === undefined ? undefined : { yaml: read.yaml, value: result.value };
  }

  const [brand, sources, discord, routing, sla, templates, retention, learning] = await Promise.all([
    load('brand'),
    load('sources'),
    load('discord'),
    load('routing'),
    load('sla'),
    load('templates'),
    load('retention'),
    load('learning'),
  ]);

  if (routing) problems.push(...checkRouting(routing, discord && { yaml: discord.yaml, value: discord.value.discord }));
  if (templates) problems.push(...checkTemplates(templates));
  if (sla) problems.push(...checkSla(sla));
  const resolved = sources
    ? await resolveSources({ yaml: sources.yaml, value: sources.value.sources }, rootDir)
    : undefined;
  if (resolved) problems.push(...resolved.problems);

  if (sources && discord && !(sources.value.alerts.channel in discord.value.discord.channels)) {
    const known = Object.keys(discord.value.discord.channels).join(', ');
    problems.push(problemAt(sources.yaml, ['alerts', 'channel'], `unknown channel "${sources.value.alerts.channel}" (known: ${known})`));
  }
  if (problems.length > 0 || !sources || !brand || !resolved || !discord || !routing || !sla || !templates || !retention || !learning) {
    throw new ConfigError(sortProblems(problems));
  }
  return {
    dir: configDir,
    rootDir,
    brand: brand.value.brand,
    sources: resolved.sources,
    sourceAlerts: sources.value.alerts,
    discord: discord.value.discord,
    routing: routing.value,
    sla: sla.value,
    templates: templates.value,
    retention: retention.value.retention,
    learning: learning.value.learning,
  };
}

/** In file order, then line order, so the message reads top to bottom. */
function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const order = Object.values(CONFIG_FILES).map((f) => f.file);
  const rank = (p: ConfigProblem): number => order.findIndex((f) => p.file.endsWith(f));
  return [...problems].sort((a, b) => rank(a) - rank(b) || a.line - b.line);
}
