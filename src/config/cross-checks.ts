/**
 * Checks that span files or entries, which a per-file schema cannot see: channel keys
 * that exist, unique names, known placeholders, a catch-all template, source files that
 * exist. Each problem points at the line of the node it is about.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ENGLISH_ONLY_PLACEHOLDERS, PLACEHOLDERS } from '../core/suggest-reply.js';
import type { DiscordConfig, RoutingConfig, SlaConfig, SourceConfig, TemplatesConfig } from './schema.js';
import { type ConfigProblem, type YamlFile, displayPath, problemAt } from './yaml-file.js';
import type { z } from 'zod';
import { defaultSourceName, type sourceSchema } from './source-schemas.js';

export interface Parsed<T> {
  yaml: YamlFile;
  value: T;
}

/** Routing names channels that discord.yaml defines; rule names are unique; every rule can be reached. */
export function checkRouting(routing: Parsed<RoutingConfig>, discord: Parsed<DiscordConfig> | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { yaml, value } = routing;
  if (discord) {
    const known = Object.keys(discord.value.channels);
    const check = (key: string, at: Array<string | number>): void => {
      if (!known.includes(key)) {
        problems.push(problemAt(yaml, at, `unknown channel "${key}" (known: ${known.join(', ') || 'none'})`));
      }
    };
    check(value.defaultChannel, ['defaultChannel']);
    value.rules.forEach((rule, i) => {
      if (rule.channel !== undefined) check(rule.channel, ['rules', i, 'channel']);
      rule.alsoTo.forEach((key, j) => check(key, ['rules', i, 'alsoTo', j]));
    });
  }
  problems.push(...duplicates(yaml, value.rules.map((r) => r.name), (i) => ['rules', i, 'name'], 'rule name'));
  // A rule after one that takes every mention and stops is never tried.
  const stopsAll = value.rules.findIndex((r) => Object.keys(r.when).length === 0 && !r.continue);
  if (stopsAll !== -1 && stopsAll < value.rules.length - 1) {
    problems.push(problemAt(yaml, ['rules', stopsAll + 1], `never reached: rules[${stopsAll}] before it matches every mention and does not continue`));
  }
  return problems;
}

/**
 * Ids are unique, placeholders known (entries in another language than English may not
 * use the English-only ones), and the last English entry catches everything.
 */
export function checkTemplates(templates: Parsed<TemplatesConfig>): ConfigProblem[] {
  const { yaml, value } = templates;
  const problems = duplicates(yaml, value.templates.map((t) => t.id), (i) => ['templates', i, 'id'], 'template id');
  const checkText = (text: string, at: Array<string | number>, english: boolean): void => {
    const known = PLACEHOLDERS.filter((p) => english || !ENGLISH_ONLY_PLACEHOLDERS.has(p)).map((p) => `{${p}}`);
    for (const [placeholder] of text.matchAll(/\{[^{}\s]*\}/g)) {
      if (!known.includes(placeholder)) {
        const why = PLACEHOLDERS.some((p) => `{${p}}` === placeholder) ? ' in a template that is not English: its words are English' : '';
        problems.push(problemAt(yaml, at, `unknown placeholder "${placeholder}"${why} (known: ${known.join(', ')})`));
      }
    }
  };
  value.templates.forEach((entry, i) => {
    const english = (entry.language ?? 'en') === 'en';
    entry.variants.forEach((variant, j) => checkText(variant, ['templates', i, 'variants', j], english));
    if (entry.makeGood) checkText(entry.makeGood, ['templates', i, 'makeGood'], english);
  });
  // Mentions in a language no entry fits get the English entries, so those need the catch-all.
  const englishAt = value.templates.flatMap((t, i) => ((t.language ?? 'en') === 'en' ? [i] : []));
  const catchAll = englishAt.find((i) => {
    const when = value.templates[i]!.when;
    return !when.intent && !when.mood && !when.incident;
  });
  const lastEnglish = englishAt.at(-1);
  if (catchAll === undefined) {
    const last = lastEnglish ?? value.templates.length - 1;
    problems.push(problemAt(yaml, ['templates', last], 'the last template must be a catch-all (no `when`, no `language`), so every mention gets a reply'));
  } else if (catchAll !== lastEnglish) {
    const next = englishAt[englishAt.indexOf(catchAll) + 1]!;
    problems.push(problemAt(yaml, ['templates', next], `never used: templates[${catchAll}] before it matches every mention`));
  }
  return problems;
}

/** Every severity's SLA to claim is no longer than its SLA to resolve. */
export function checkSla(sla: Parsed<SlaConfig>): ConfigProblem[] {
  return (['0', '1', '2', '3'] as const).flatMap((s) =>
    sla.value.claimWithinMinutes[s] > sla.value.resolveWithinMinutes[s]
      ? [problemAt(sla.yaml, ['claimWithinMinutes', s], `longer than resolveWithinMinutes.${s} (${sla.value.resolveWithinMinutes[s]})`)]
      : [],
  );
}

/**
 * Every source gets its unique name; enabled file sources point at files that exist
 * (a disabled one may name a file that is not there yet). File paths are made absolute.
 */
export async function resolveSources(
  sources: Parsed<Array<z.infer<typeof sourceSchema>>>,
  rootDir: string,
): Promise<{ sources: SourceConfig[]; problems: ConfigProblem[] }> {
  const problems: ConfigProblem[] = [];
  const resolved = await Promise.all(
    sources.value.map(async (source, i): Promise<SourceConfig> => {
      const name = source.name ?? defaultSourceName(source);
      if (source.type !== 'file') return { ...source, name };
      const abs = path.resolve(rootDir, source.path);
      if (source.enabled) {
        try {
          await access(abs);
        } catch {
          const shown = displayPath(abs);
          const where = shown === source.path ? '' : ` (looked at ${shown})`;
          problems.push(problemAt(sources.yaml, ['sources', i, 'path'], `file "${source.path}" not found${where}`));
        }
      }
      return { ...source, name, path: abs };
    }),
  );
  problems.push(...duplicates(sources.yaml, resolved.map((s) => s.name), (i) => ['sources', i, sources.value[i]?.name ? 'name' : 'type'], 'source name'));
  return { sources: resolved, problems };
}

function duplicates(
  yaml: YamlFile,
  names: readonly string[],
  at: (index: number) => Array<string | number>,
  what: string,
): ConfigProblem[] {
  const first = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  names.forEach((name, i) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else problems.push(problemAt(yaml, at(i), `duplicate ${what} "${name}" (first at ${formatIndex(at(earlier))})`));
  });
  return problems;
}

function formatIndex(parts: Array<string | number>): string {
  return `${parts[0]}[${parts[1]}]`;
}
