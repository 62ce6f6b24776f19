/**
 * The parts of Algolia's query language the HN Search API takes, as the peer applies them:
 * `tags` (comma = AND, a parenthesised group = OR), `numericFilters` (comma-separated
 * `attribute operator value`, all of which must hold) and the full-text `query`.
 */

/** A hit as stored by the peer: Algolia's documented fields, plus whatever a test injects. */
export type StoredHit = Record<string, unknown>;

/** Attributes the HN index lets you filter numerically on. */
const NUMERIC_ATTRIBUTES = new Set(['created_at_i', 'points', 'num_comments']);

/** The searchable attributes of the HN index. */
const SEARCHABLE = ['title', 'url', 'author', 'story_text', 'comment_text'];

export class AlgoliaQueryError extends Error {}

type Comparison = { attribute: string; operator: '<' | '<=' | '=' | '!=' | '>=' | '>'; value: number };

/** Parses `created_at_i>=1700000000,created_at_i<1700003600`; throws an {@link AlgoliaQueryError} like Algolia's 400. */
export function parseNumericFilters(text: string | null): Comparison[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m) throw new AlgoliaQueryError(`Invalid syntax for numeric condition:${part}`);
    const [, attribute, operator, value] = m;
    if (!NUMERIC_ATTRIBUTES.has(attribute!)) throw new AlgoliaQueryError(`Cannot filter on attribute ${attribute}: not in numericAttributesForFiltering`);
    return { attribute: attribute!, operator: operator as Comparison['operator'], value: Number(value) };
  });
}

/** Parses `(story,comment)` or `story,author_pg` into AND-ed groups of OR-ed tags. */
export function parseTags(text: string | null): string[][] {
  if (!text) return [];
  const groups: string[][] = [];
  for (const m of text.matchAll(/\(([^()]*)\)|([^,()]+)/g)) {
    const group = (m[1] ?? m[2] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (group.length) groups.push(group);
  }
  if (groups.length === 0) throw new AlgoliaQueryError(`Invalid syntax for tagFilters: ${text}`);
  return groups;
}

function compare(actual: unknown, c: Comparison): boolean {
  if (typeof actual !== 'number') return false;
  switch (c.operator) {
    case '<': return actual < c.value;
    case '<=': return actual <= c.value;
    case '=': return actual === c.value;
    case '!=': return actual !== c.value;
    case '>=': return actual >= c.value;
    case '>': return actual > c.value;
  }
}

/** Whether a hit passes the filters and contains every word of the query (prefix match, case-insensitive). */
export function matches(hit: StoredHit, query: string, tags: string[][], numeric: Comparison[]): boolean {
  const hitTags = Array.isArray(hit._tags) ? (hit._tags as unknown[]).map(String) : [];
  if (!tags.every((group) => group.some((tag) => hitTags.includes(tag)))) return false;
  if (!numeric.every((c) => compare(hit[c.attribute], c))) return false;
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = SEARCHABLE.map((field) => (typeof hit[field] === 'string' ? (hit[field] as string) : '')).join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
}
