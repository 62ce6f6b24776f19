/**
 * The part of X's search and stream-rule language the peer understands: keywords and
 * "exact phrases" (tokenized, case-insensitive), `OR`, grouping, `-` negation, `@handle`,
 * `#tag`, `from:`, `to:`, `lang:`, `is:retweet|reply|quote`, `has:links`. Anything else is
 * refused as X refuses an unknown operator.
 */
import type { PeerPost, PeerUser } from './state.js';

export type Matcher = (post: PeerPost, authorOf: (id: string) => PeerUser | undefined) => boolean;

/** A query X would refuse, with X's wording. */
export class QueryError extends Error {}

const tokensOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

function containsSequence(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((t, j) => haystack[i + j] === t)) return true;
  return false;
}

function lex(query: string): string[] {
  const out: string[] = [];
  const re = /\s*(\(|\)|-?"[^"]*"|[^\s()]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(query)) !== null) {
    out.push(m[1]!);
    end = re.lastIndex;
  }
  if (query.slice(end).trim()) throw new QueryError(`There were errors processing your request: unbalanced quotes in query`);
  return out;
}

/** Compiles `query` into a matcher. @throws QueryError */
export function compileQuery(query: string): Matcher {
  const tokens = lex(query);
  let at = 0;
  const peek = () => tokens[at];

  const atom = (): Matcher => {
    const token = tokens[at++];
    if (token === undefined) throw new QueryError('There were errors processing your request: query ends too early');
    if (token === '(') {
      const inner = orExpr();
      if (tokens[at++] !== ')') throw new QueryError('There were errors processing your request: missing )');
      return inner;
    }
    if (token.startsWith('-')) {
      const rest = token.slice(1);
      if (!rest) throw new QueryError('There were errors processing your request: dangling -');
      tokens.splice(at, 0, rest);
      const inner = atom();
      return (post, authorOf) => !inner(post, authorOf);
    }
    if (token.startsWith('"')) {
      if (token.length < 2 || !token.endsWith('"')) throw new QueryError('There were errors processing your request: unbalanced quotes in query');
      const phrase = tokensOf(token.slice(1, -1));
      return (post) => containsSequence(tokensOf(post.text), phrase);
    }
    const op = /^([a-z_]+):(.+)$/i.exec(token);
    if (op) {
      const [, name, value] = op as unknown as [string, string, string];
      const v = value.toLowerCase();
      switch (name.toLowerCase()) {
        case 'from':
          return (post, authorOf) => authorOf(post.authorId)?.username.toLowerCase() === v.replace(/^@/, '');
        case 'to':
          return (post, authorOf) => post.inReplyToUserId !== undefined && authorOf(post.inReplyToUserId)?.username.toLowerCase() === v.replace(/^@/, '');
        case 'lang':
          return (post) => post.lang === v;
        case 'is':
          if (v === 'retweet') return (post) => post.referenced.some((r) => r.type === 'retweeted');
          if (v === 'reply') return (post) => post.referenced.some((r) => r.type === 'replied_to');
          if (v === 'quote') return (post) => post.referenced.some((r) => r.type === 'quoted');
          break;
        case 'has':
          if (v === 'links') return (post) => post.urls.length > 0;
          break;
      }
      throw new QueryError(`There were errors processing your request: Reference to invalid operator '${name}'. Operator is not available in current product or product packaging.`);
    }
    if (token.startsWith('@')) {
      const handle = token.slice(1).toLowerCase();
      return (post) => (post.text.toLowerCase().match(/@[a-z0-9_]+/g) ?? ([] as string[])).includes(`@${handle}`);
    }
    if (token.startsWith('#')) {
      const tag = token.toLowerCase();
      return (post) => (post.text.toLowerCase().match(/#[\p{L}\p{N}_]+/gu) ?? ([] as string[])).includes(tag);
    }
    const words = tokensOf(token);
    return (post) => containsSequence(tokensOf(post.text), words);
  };

  const andExpr = (): Matcher => {
    const parts: Matcher[] = [];
    while (peek() !== undefined && peek() !== ')' && peek() !== 'OR') parts.push(atom());
    if (parts.length === 0) throw new QueryError('There were errors processing your request: empty group');
    return (post, authorOf) => parts.every((p) => p(post, authorOf));
  };

  const orExpr = (): Matcher => {
    const parts = [andExpr()];
    while (peek() === 'OR') {
      at++;
      parts.push(andExpr());
    }
    return (post, authorOf) => parts.some((p) => p(post, authorOf));
  };

  const matcher = orExpr();
  if (at < tokens.length) throw new QueryError(`There were errors processing your request: unexpected '${tokens[at]}'`);
  if (!tokens.some((t) => !t.startsWith('-') && t !== 'OR' && t !== '(' && t !== ')')) {
    throw new QueryError('There were errors processing your request: Rules must contain a non-negation term');
  }
  return matcher;
}
