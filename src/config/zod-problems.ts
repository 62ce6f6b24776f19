/**
 * Turn zod's issues into located, readable problems: each names the YAML line of the
 * offending node and says what was expected and what was found.
 */
import { z } from 'zod';
import { type ConfigPath, type ConfigProblem, type YamlFile, formatPath, keyLineAt, problemAt } from './yaml-file.js';

/** Validate `yaml.data` against `schema`; the parsed value, or the problems. */
export function validate<S extends z.ZodType>(
  yaml: YamlFile,
  schema: S,
): { value: z.output<S>; problems: [] } | { value?: undefined; problems: ConfigProblem[] } {
  const result = schema.safeParse(yaml.data, { reportInput: true });
  if (result.success) return { value: result.data, problems: [] };
  return { problems: result.error.issues.flatMap((issue) => toProblems(yaml, schema, issue)) };
}

function toProblems(yaml: YamlFile, schema: z.ZodType, issue: z.core.$ZodIssue): ConfigProblem[] {
  const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, at, yaml.data);
      const hint = known.length > 0 ? ` (known: ${known.join(', ')})` : '';
      return issue.keys.map((key) => ({
        file: yaml.file,
        line: keyLineAt(yaml, at, key),
        path: formatPath([...at, key]),
        message: `unknown key "${key}"${hint}`,
      }));
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator) {
        // Zod puts the discriminator at the end of the path; older versions did not.
        const union = at.at(-1) === discriminator ? at.slice(0, -1) : at;
        const value = valueAt(yaml.data, [...union, discriminator]);
        const known = discriminatorValues(schema, union);
        const what = value === undefined ? `missing ${discriminator}` : `unknown ${discriminator} ${show(value)}`;
        return [problemAt(yaml, [...union, discriminator], `${what} (known: ${known.join(', ')})`)];
      }
      return [problemAt(yaml, at, lowerFirst(issue.message))];
    }
    case 'invalid_type': {
      if (issue.input === undefined) return [problemAt(yaml, at, `missing (expected ${issue.expected})`)];
      if (!/^Invalid input/.test(issue.message)) return [problemAt(yaml, at, issue.message)];
      return [problemAt(yaml, at, `expected ${issue.expected}, got ${describe(issue.input)}`)];
    }
    case 'invalid_value':
      return [
        problemAt(yaml, at, `expected one of ${issue.values.map(show).join(', ')}, got ${show(issue.input)}`),
      ];
    default:
      return [problemAt(yaml, at, lowerFirst(issue.message))];
  }
}

function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${show(value)}`;
}

function valueAt(data: unknown, parts: ConfigPath): unknown {
  let node = data;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** Walk the schema along `parts` (choosing union options by the data) to the object there. */
function schemaAt(schema: z.ZodType, parts: ConfigPath, data: unknown, keepUnion = false): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (let i = 0; i <= parts.length && current; ) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    if (current instanceof z.ZodPipe) {
      current = current.out as z.ZodType;
      continue;
    }
    if (current instanceof z.ZodDiscriminatedUnion) {
      if (keepUnion && i === parts.length) return current;
      const here = valueAt(data, parts.slice(0, i)) as Record<string, unknown> | undefined;
      const key: string = current.def.discriminator;
      current = (current.options as z.ZodType[]).find(
        (o) => o instanceof z.ZodObject && (o.shape[key] as z.ZodLiteral | undefined)?.value === here?.[key],
      );
      continue;
    }
    if (i === parts.length) return current;
    const part = parts[i]!;
    if (current instanceof z.ZodObject) current = current.shape[part] as z.ZodType | undefined;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return undefined;
    i += 1;
  }
  return current;
}

function knownKeys(schema: z.ZodType, parts: ConfigPath, data: unknown): string[] {
  const at = schemaAt(schema, parts, data);
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

function discriminatorValues(schema: z.ZodType, parts: ConfigPath): string[] {
  const at = schemaAt(schema, parts, undefined, true);
  if (!(at instanceof z.ZodDiscriminatedUnion)) return [];
  const key = at.def.discriminator;
  return (at.options as z.ZodType[]).flatMap((o) =>
    o instanceof z.ZodObject ? [String((o.shape[key] as z.ZodLiteral).value)] : [],
  );
}
