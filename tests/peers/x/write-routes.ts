/**
 * `POST /2/tweets` as the app owner (OAuth 1.0a user context, checked by the server):
 * text required and at most 280 characters, a reply's target must exist and, since
 * February 2026, @mention or quote the owner's account (X refuses others with 403).
 */
import { problems } from './problems.js';
import type { RouteDefinition } from './http-server.js';
import type { PeerPost, PeerState } from './state.js';

interface CreateBody {
  text?: unknown;
  reply?: { in_reply_to_tweet_id?: unknown };
  quote_tweet_id?: unknown;
}

/** Whether `post` @mentions or quotes the owner (X's "summoned" test for API replies). */
export function summonsOwner(state: PeerState, post: PeerPost): boolean {
  const handle = `@${state.owner.username.toLowerCase()}`;
  if (post.authorId === state.owner.id) return true;
  if ((post.text.toLowerCase().match(/@[a-z0-9_]+/g) ?? ([] as string[])).includes(handle)) return true;
  return post.referenced.some((r) => r.type === 'quoted' && state.posts.get(r.id)?.authorId === state.owner.id);
}

export function createWriteRoutes(): RouteDefinition[] {
  return [
    {
      method: 'POST',
      pattern: '/2/tweets',
      key: 'post',
      auth: 'oauth1',
      handle({ state, body }) {
        const b = (typeof body === 'object' && body !== null ? body : {}) as CreateBody;
        if (typeof b.text !== 'string' || b.text.trim() === '') {
          return problems.invalidRequest([{ parameters: { text: [String(b.text ?? '')] }, message: 'text: must not be empty' }]);
        }
        if ([...b.text].length > 280) {
          return { status: 403, body: { title: 'Forbidden', detail: 'You are not permitted to perform this action.', type: 'about:blank', status: 403 } };
        }
        const targetId = b.reply?.in_reply_to_tweet_id;
        let target: PeerPost | undefined;
        if (targetId !== undefined) {
          target = typeof targetId === 'string' ? state.posts.get(targetId) : undefined;
          if (!target) {
            return problems.invalidRequest([{ parameters: { 'reply.in_reply_to_tweet_id': [String(targetId)] }, message: 'reply.in_reply_to_tweet_id: the post does not exist' }]);
          }
          if (!summonsOwner(state, target)) return problems.replyNotAllowed();
        }
        const now = state.now();
        const id = state.nextId(now);
        const post: PeerPost = {
          id,
          text: b.text,
          authorId: state.owner.id,
          createdAt: now.toISOString(),
          lang: 'en',
          conversationId: target?.conversationId ?? id,
          referenced: target ? [{ type: 'replied_to', id: target.id }] : [],
          urls: [],
          ...(target ? { inReplyToUserId: target.authorId } : {}),
        };
        state.posts.set(id, post);
        state.sent.push(post);
        return { status: 201, body: { data: { id, text: b.text, edit_history_tweet_ids: [id] } } };
      },
    },
  ];
}
