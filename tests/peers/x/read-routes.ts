/**
 * Read endpoints: recent search, a user's mentions timeline, user lookup by username and
 * the usage report, with X's validation and pagination (newest first; `next_token` /
 * `pagination_token` continue below the last post served, `since_id` and `start_time`
 * bound the window) and X's per-day billing counted as they answer.
 */
import { randomBytes } from 'node:crypto';
import { problems, type ProblemAnswer } from './problems.js';
import { QueryError, compileQuery, type Matcher } from './query.js';
import { renderPosts, renderUser, shapeOf, unknownFields } from './render.js';
import type { RouteDefinition, RouteResult } from './http-server.js';
import { billRead, type PeerPost, type PeerState, type RouteKey } from './state.js';

const FIELD_PARAMS = ['expansions', 'tweet.fields', 'user.fields', 'media.fields', 'place.fields', 'poll.fields'];
const SEARCH_PARAMS = new Set(['query', 'start_time', 'end_time', 'since_id', 'until_id', 'max_results', 'next_token', 'pagination_token', 'sort_order', ...FIELD_PARAMS]);
const MENTIONS_PARAMS = new Set(['start_time', 'end_time', 'since_id', 'until_id', 'max_results', 'pagination_token', ...FIELD_PARAMS]);
const SEVEN_DAYS = 7 * 86_400_000;

const asAnswer = (a: ProblemAnswer): RouteResult => ({ status: a.status, body: a.body });

/** X's complaint about the first parameter it would refuse, or undefined. */
function validate(query: URLSearchParams, allowed: Set<string>, minResults: number): ProblemAnswer | undefined {
  for (const name of query.keys()) {
    if (!allowed.has(name)) return problems.invalidParam(name, query.get(name)!, `The query parameter [${name}] is not one of [${[...allowed].join(',')}]`);
  }
  const bad = unknownFields(query)[0];
  if (bad) return problems.invalidParam(bad[0], bad[1], `The \`${bad[0]}\` query parameter value [${bad[1]}] is not one of the allowed values`);
  const max = query.get('max_results');
  if (max !== null && (!/^\d+$/.test(max) || Number(max) < minResults || Number(max) > 100)) {
    return problems.invalidParam('max_results', max, `The \`max_results\` query parameter value [${max}] is not between ${minResults} and 100`);
  }
  for (const name of ['since_id', 'until_id']) {
    const v = query.get(name);
    if (v !== null && !/^\d{1,19}$/.test(v)) return problems.invalidParam(name, v, `The \`${name}\` query parameter value [${v}] does not match ^[0-9]{1,19}$`);
  }
  for (const name of ['start_time', 'end_time']) {
    const v = query.get(name);
    if (v !== null && Number.isNaN(Date.parse(v))) return problems.invalidParam(name, v, `Invalid '${name}':'${v}'. '${name}' must be a valid RFC 3339 date-time`);
  }
  return undefined;
}

/** One page of `matches` (newest first) as the request's window and token say. */
function page(state: PeerState, key: RouteKey, matches: PeerPost[], query: URLSearchParams, tokenParam: string): RouteResult & { postIds?: string[]; userIds?: string[] } {
  const token = query.get(tokenParam);
  const stored = token ? state.tokens.get(token) : undefined;
  if (token && (!stored || stored.route !== key)) return asAnswer(problems.invalidParam(tokenParam, token, `The \`${tokenParam}\` query parameter value [${token}] is not valid`));
  const since = query.get('since_id');
  const until = query.get('until_id');
  const start = query.get('start_time');
  const end = query.get('end_time');
  const inWindow = matches
    .filter((p) => !since || BigInt(p.id) > BigInt(since))
    .filter((p) => !until || BigInt(p.id) < BigInt(until))
    .filter((p) => !start || Date.parse(p.createdAt) >= Date.parse(start))
    .filter((p) => !end || Date.parse(p.createdAt) < Date.parse(end))
    .filter((p) => !stored || BigInt(p.id) < BigInt(stored.below))
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const size = Number(query.get('max_results') ?? 10);
  const served = inWindow.slice(0, size);
  if (served.length === 0) return { status: 200, body: { meta: { result_count: 0 } }, postIds: [], userIds: [] };
  const rendered = renderPosts(served, shapeOf(query), state);
  const meta: Record<string, unknown> = { newest_id: served[0]!.id, oldest_id: served.at(-1)!.id, result_count: served.length };
  if (inWindow.length > served.length) {
    const next = randomBytes(12).toString('base64url').toLowerCase();
    state.tokens.set(next, { below: served.at(-1)!.id, route: key });
    meta.next_token = next;
  }
  return { status: 200, body: { data: rendered.data, ...(rendered.includes ? { includes: rendered.includes } : {}), meta }, postIds: rendered.postIds, userIds: rendered.userIds };
}

export function createReadRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/2/tweets/search/recent',
      key: 'search',
      auth: 'bearer',
      handle({ state, query }) {
        const invalid = validate(query, SEARCH_PARAMS, 10);
        if (invalid) return asAnswer(invalid);
        const q = query.get('query');
        if (!q) return asAnswer(problems.invalidParam('query', '', 'The `query` query parameter can not be empty'));
        if (q.length > 512) return asAnswer(problems.invalidParam('query', q, `There were errors processing your request: Query length (${q.length}) exceeds 512 characters`));
        const start = query.get('start_time');
        const floor = state.now().getTime() - SEVEN_DAYS;
        if (start && Date.parse(start) < floor) {
          return asAnswer(problems.invalidParam('start_time', start, `Invalid 'start_time':'${start}'. 'start_time' must be on or after ${new Date(floor).toISOString()}`));
        }
        // X refuses a since_id older than the search window, as it does an old start_time.
        const sinceId = query.get('since_id');
        if (sinceId && Number(BigInt(sinceId) >> 22n) + 1_288_834_974_657 < floor) {
          return asAnswer(problems.invalidParam('since_id', sinceId, `Invalid 'since_id':'${sinceId}'. 'since_id' must be a tweet id created after ${new Date(floor).toISOString()}`));
        }
        let matcher: Matcher;
        try {
          matcher = compileQuery(q);
        } catch (error) {
          if (error instanceof QueryError) return asAnswer(problems.invalidParam('query', q, error.message));
          throw error;
        }
        const authorOf = (id: string) => state.users.get(id);
        // Since May 2026 keyword search returns no retweets.
        const matches = [...state.posts.values()].filter(
          (p) => Date.parse(p.createdAt) >= floor && !p.referenced.some((r) => r.type === 'retweeted') && matcher(p, authorOf),
        );
        const result = page(state, 'search', matches, query, query.has('pagination_token') ? 'pagination_token' : 'next_token');
        if (result !== 'streaming' && result.postIds) billRead(state, result.postIds, result.userIds ?? [], false);
        return result;
      },
    },
    {
      method: 'GET',
      pattern: '/2/users/:id/mentions',
      key: 'mentions',
      auth: 'bearer',
      handle({ state, params, query }) {
        const invalid = validate(query, MENTIONS_PARAMS, 5);
        if (invalid) return asAnswer(invalid);
        const user = state.users.get(params.id!);
        if (!user) return { status: 200, body: { errors: [problems.notFoundUser('id', params.id!)] } };
        const handle = `@${user.username.toLowerCase()}`;
        const matches = [...state.posts.values()].filter((p) => p.text.toLowerCase().match(/@[a-z0-9_]+/g)?.includes(handle));
        const result = page(state, 'mentions', matches, query, 'pagination_token');
        if (result !== 'streaming' && result.postIds) billRead(state, result.postIds, result.userIds ?? [], user.id === state.owner.id);
        return result;
      },
    },
    {
      method: 'GET',
      pattern: '/2/users/by/username/:username',
      key: 'user',
      auth: 'bearer',
      handle({ state, params, query }) {
        const bad = unknownFields(query)[0];
        if (bad) return asAnswer(problems.invalidParam(bad[0], bad[1], `The \`${bad[0]}\` query parameter value [${bad[1]}] is not one of the allowed values`));
        const name = params.username!;
        const user = [...state.users.values()].find((u) => u.username.toLowerCase() === name.toLowerCase());
        if (!user) return { status: 200, body: { errors: [problems.notFoundUser('username', name)] } };
        billRead(state, [], [user.id], false);
        return { status: 200, body: { data: renderUser(user, shapeOf(query)) } };
      },
    },
    {
      method: 'GET',
      pattern: '/2/usage/tweets',
      key: 'usage',
      auth: 'bearer',
      handle({ state }) {
        const used = state.bill.postReads + state.bill.ownedReads;
        return { status: 200, body: { data: { cap_reset_day: 1, project_id: '1369785403853424', project_cap: '2000000', project_usage: String(used) } } };
      },
    },
  ];
}
