/**
 * The filtered stream: rules (`GET`/`POST /2/tweets/search/stream/rules`, with add,
 * delete, dry_run and X's validation) and the stream itself, newline-delimited JSON
 * (`{data, includes, matching_rules}` + `\r\n`) with bare `\r\n` keep-alives, one
 * connection per app.
 */
import { problems } from './problems.js';
import { QueryError, compileQuery } from './query.js';
import { renderPosts, shapeOf, unknownFields } from './render.js';
import type { RouteDefinition } from './http-server.js';
import { billRead, type PeerPost, type PeerState, type StreamConnection } from './state.js';

const MAX_RULE = 1024;

const sent = (state: PeerState) => state.now().toISOString();

interface RulesBody {
  add?: Array<{ value?: unknown; tag?: unknown }>;
  delete?: { ids?: unknown; values?: unknown };
}

/** Writes `post` to every connection whose rules it matches; returns how many got it. */
export function pushToStreams(state: PeerState, post: PeerPost): number {
  const authorOf = (id: string) => state.users.get(id);
  const matching = state.rules.filter((rule) => compileQuery(rule.value)(post, authorOf)).map((rule) => ({ id: rule.id, tag: rule.tag ?? '' }));
  if (matching.length === 0) return 0;
  let delivered = 0;
  for (const connection of state.streams) {
    const rendered = renderPosts([post], shapeOf(connection.query), state);
    billRead(state, rendered.postIds, rendered.userIds, false);
    const message = { data: rendered.data[0], ...(rendered.includes ? { includes: rendered.includes } : {}), matching_rules: matching };
    connection.res.write(`${JSON.stringify(message)}\r\n`);
    delivered++;
  }
  return delivered;
}

/** Sends a bare `\r\n` keep-alive to every connection. */
export function keepAlive(state: PeerState): void {
  for (const connection of state.streams) connection.res.write('\r\n');
}

/** Cuts every stream connection, as X does at a disconnect. */
export function dropStreams(state: PeerState): void {
  for (const connection of [...state.streams]) {
    state.streams.delete(connection);
    connection.res.socket?.destroy();
  }
}

export function createStreamRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/2/tweets/search/stream/rules',
      key: 'rules',
      auth: 'bearer',
      handle({ state }) {
        const data = state.rules.map((r) => ({ id: r.id, value: r.value, ...(r.tag !== undefined ? { tag: r.tag } : {}) }));
        return { status: 200, body: { ...(data.length ? { data } : {}), meta: { sent: sent(state), result_count: data.length } } };
      },
    },
    {
      method: 'POST',
      pattern: '/2/tweets/search/stream/rules',
      key: 'rules',
      auth: 'bearer',
      handle({ state, body, query }) {
        const b = (typeof body === 'object' && body !== null ? body : {}) as RulesBody;
        const dryRun = query.get('dry_run') === 'true';
        if (!b.add && !b.delete) return { status: 400, body: problems.invalidRequest([{ parameters: {}, message: 'Must specify either add or delete' }]).body };
        if (b.delete) {
          const ids = Array.isArray(b.delete.ids) ? b.delete.ids.map(String) : [];
          const found = ids.filter((id) => state.rules.some((r) => r.id === id));
          if (!dryRun) state.rules = state.rules.filter((r) => !found.includes(r.id));
          const errors = ids.filter((id) => !found.includes(id)).map((id) => ({ value: id, title: 'RuleNotFound', type: 'https://api.x.com/2/problems/rule-not-found' }));
          return { status: 200, body: { meta: { sent: sent(state), summary: { deleted: found.length, not_deleted: ids.length - found.length } }, ...(errors.length ? { errors } : {}) } };
        }
        const created: Array<{ id: string; value: string; tag?: string }> = [];
        const errors: Array<Record<string, unknown>> = [];
        for (const rule of b.add ?? []) {
          const value = typeof rule.value === 'string' ? rule.value : '';
          const tag = typeof rule.tag === 'string' ? rule.tag : undefined;
          const duplicate = state.rules.find((r) => r.value === value);
          if (duplicate) {
            errors.push({ value, id: duplicate.id, title: 'DuplicateRule', type: 'https://api.x.com/2/problems/duplicate-rules' });
            continue;
          }
          let reason: string | undefined;
          if (!value) reason = 'Rule value must not be empty';
          else if (value.length > MAX_RULE) reason = `Rules must be no longer than ${MAX_RULE} characters`;
          else {
            try {
              compileQuery(value);
            } catch (error) {
              if (!(error instanceof QueryError)) throw error;
              reason = error.message;
            }
          }
          if (reason) {
            errors.push({ value, details: [reason], title: 'Invalid Rule', type: 'https://api.x.com/2/problems/invalid-rules' });
            continue;
          }
          created.push({ id: state.nextId(), value, ...(tag !== undefined ? { tag } : {}) });
        }
        const invalid = errors.filter((e) => e.title === 'Invalid Rule').length;
        if (invalid) {
          return { status: 400, body: { errors, meta: { sent: sent(state), summary: { created: 0, not_created: (b.add ?? []).length, valid: 0, invalid } } } };
        }
        if (!dryRun) state.rules.push(...created);
        return {
          status: created.length ? 201 : 200,
          body: {
            ...(created.length ? { data: created } : {}),
            meta: { sent: sent(state), summary: { created: created.length, not_created: errors.length, valid: created.length, invalid: 0 } },
            ...(errors.length ? { errors } : {}),
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/2/tweets/search/stream',
      key: 'stream',
      auth: 'bearer',
      handle({ state, query, res, limitHeaders }) {
        const bad = unknownFields(query)[0];
        if (bad) return problems.invalidParam(bad[0], bad[1], `The \`${bad[0]}\` query parameter value [${bad[1]}] is not one of the allowed values`);
        if (state.streams.size > 0) return problems.tooManyConnections();
        state.streamConnects++;
        res.writeHead(200, { ...limitHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
        res.flushHeaders();
        const connection: StreamConnection = { res, query };
        state.streams.add(connection);
        const timer = setInterval(() => res.write('\r\n'), state.keepAliveMs);
        res.on('close', () => {
          clearInterval(timer);
          state.streams.delete(connection);
        });
        return 'streaming';
      },
    },
  ];
}
