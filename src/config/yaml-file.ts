/**
 * A YAML config file read with its node ranges, so every problem found later (by zod or
 * by a cross-file check) can name the line of the node it is about.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/** One thing wrong with the configuration, located in its file. */
export interface ConfigProblem {
  /** The file, relative to the working directory when inside it. */
  file: string;
  /** 1-based line of the offending node; 0 when the problem is the whole file (missing). */
  line: number;
  /** Where in the file, e.g. `rules[2].channel`; empty for the whole file. */
  path: string;
  message: string;
}

export type ConfigPath = ReadonlyArray<string | number>;

export interface YamlFile {
  /** The file as shown in messages. */
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain data, as zod sees it. */
  data: unknown;
}

/** `config/routing.yaml:14: rules[2].channel: unknown channel "suport"`. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** `['rules', 2, 'channel']` → `rules[2].channel`. */
export function formatPath(parts: ConfigPath): string {
  return parts.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

/** The path as messages show it: relative to the working directory when inside it. */
export function displayPath(absPath: string): string {
  const rel = path.relative(process.cwd(), absPath);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absPath;
}

/** Read and parse one file; a missing file or bad YAML comes back as problems. */
export async function readYamlFile(absPath: string): Promise<{ yaml?: YamlFile; problems: ConfigProblem[] }> {
  const file = displayPath(absPath);
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`;
    return { problems: [{ file, line: 0, path: '', message }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      file,
      line: lines.linePos(e.pos[0]).line,
      path: '',
      message: `invalid YAML: ${e.message}`,
    }));
    return { problems };
  }
  return { yaml: { file, doc, lines, data: doc.toJS() ?? {} }, problems: [] };
}

/**
 * The line of the node at `parts`, or of its nearest existing parent, or 1. With
 * `keyOf`, the line of that key inside the node (for unknown and duplicate keys).
 */
export function lineAt(yaml: YamlFile, parts: ConfigPath): number {
  let node: unknown = yaml.doc.contents;
  let line = rangeLine(yaml, node) ?? 1;
  for (const part of parts) {
    const next = child(node, part);
    if (!next) break;
    line = rangeLine(yaml, next.value) ?? rangeLine(yaml, next.key) ?? line;
    if (!next.value) break;
    node = next.value;
  }
  return line;
}

/** A problem about the node at `parts` of `yaml`. */
export function problemAt(yaml: YamlFile, parts: ConfigPath, message: string): ConfigProblem {
  return { file: yaml.file, line: lineAt(yaml, parts), path: formatPath(parts), message };
}

/** The line of the key `key` itself in the map at `parts` (the value may be far below). */
export function keyLineAt(yaml: YamlFile, parts: ConfigPath, key: string): number {
  let node: unknown = yaml.doc.contents;
  for (const part of parts) node = child(node, part)?.value;
  const found = child(node, key);
  return rangeLine(yaml, found?.key) ?? lineAt(yaml, parts);
}

function child(node: unknown, part: string | number): { key?: unknown; value?: unknown } | undefined {
  if (isSeq(node)) {
    const item: unknown = node.items[Number(part)];
    return item === undefined ? undefined : { value: item };
  }
  if (isMap(node)) {
    // Compare as strings: `0:` in sla.yaml is the number 0, zod's path says "0".
    const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(part));
    return pair ? { key: pair.key, value: pair.value ?? undefined } : undefined;
  }
  return undefined;
}

function rangeLine(yaml: YamlFile, node: unknown): number | undefined {
  if (!isNode(node) || !node.range) return undefined;
  return yaml.lines.linePos(node.range[0]).line;
}
