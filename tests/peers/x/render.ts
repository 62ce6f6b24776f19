/**
 * Posts and users as X v2 renders them: only the default fields (`id`, `text`,
 * `edit_history_tweet_ids`; `id`, `name`, `username`) plus the requested ones, an expansion
 * adding its field, `includes` holding what the expansions name, each object once.
 */
import type { PeerPost, PeerState, PeerUser } from './state.js';

export const EXPANSIONS = new Set([
  'attachments.poll_ids', 'attachments.media_keys', 'attachments.media_source_tweet', 'author_id', 'referenced_tweets.id',
  'in_reply_to_user_id', 'edit_history_tweet_ids', 'geo.place_id', 'entities.mentions.username', 'referenced_tweets.id.author_id',
  'entities.note.mentions.username', 'referenced_tweets.id.attachments.media_keys',
]);
export const TWEET_FIELDS = new Set([
  'article', 'attachments', 'author_id', 'card_uri', 'community_id', 'context_annotations', 'conversation_id', 'created_at',
  'display_text_range', 'edit_controls', 'edit_history_tweet_ids', 'entities', 'geo', 'id', 'in_reply_to_user_id', 'lang',
  'media_metadata', 'non_public_metrics', 'note_tweet', 'organic_metrics', 'possibly_sensitive', 'promoted_metrics',
  'public_metrics', 'referenced_tweets', 'reply_settings', 'scopes', 'source', 'text', 'withheld',
]);
export const USER_FIELDS = new Set([
  'affiliation', 'connection_status', 'created_at', 'description', 'entities', 'id', 'location', 'most_recent_tweet_id', 'name',
  'pinned_tweet_id', 'profile_banner_url', 'profile_image_url', 'protected', 'public_metrics', 'receives_your_dm',
  'subscription_type', 'url', 'username', 'verified', 'verified_type', 'withheld',
]);

/** The fields and expansions one request asked for. */
export interface Shape {
  expansions: Set<string>;
  tweetFields: Set<string>;
  userFields: Set<string>;
}

const list = (value: string | null) => new Set((value ?? '').split(',').filter(Boolean));

export function shapeOf(query: URLSearchParams): Shape {
  return { expansions: list(query.get('expansions')), tweetFields: list(query.get('tweet.fields')), userFields: list(query.get('user.fields')) };
}

/** What of `query`'s field lists X would refuse: `[parameter, value]`. */
export function unknownFields(query: URLSearchParams): Array<[string, string]> {
  const bad: Array<[string, string]> = [];
  for (const [param, known] of [['expansions', EXPANSIONS], ['tweet.fields', TWEET_FIELDS], ['user.fields', USER_FIELDS]] as const) {
    for (const v of list(query.get(param))) if (!known.has(v)) bad.push([param, v]);
  }
  return bad;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderUser(user: PeerUser, shape: Shape): Record<string, unknown> {
  const json: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
  if (shape.userFields.has('public_metrics')) {
    json.public_metrics = { followers_count: user.followers, following_count: 12, tweet_count: 340, listed_count: 1, like_count: 90, media_count: 4 };
  }
  if (shape.userFields.has('verified')) json.verified = user.verified;
  if (shape.userFields.has('verified_type')) json.verified_type = user.verifiedType;
  return json;
}

function entitiesOf(post: PeerPost, state: PeerState): Record<string, unknown> | undefined {
  const entities: Record<string, unknown> = {};
  const mentions = [...post.text.matchAll(/@([A-Za-z0-9_]{1,15})/g)].map((m) => {
    const user = [...state.users.values()].find((u) => u.username.toLowerCase() === m[1]!.toLowerCase());
    return { start: m.index, end: m.index + m[0].length, username: m[1], ...(user ? { id: user.id } : {}) };
  });
  if (mentions.length) entities.mentions = mentions;
  if (post.urls.length) {
    entities.urls = post.urls.map((expanded, i) => ({
      start: post.text.length + i * 24,
      end: post.text.length + i * 24 + 23,
      url: `https://t.co/${post.id.slice(-6)}${i}`,
      expanded_url: expanded,
      display_url: expanded.replace(/^https?:\/\//, '').slice(0, 25),
    }));
  }
  return Object.keys(entities).length ? entities : undefined;
}

export function renderPost(post: PeerPost, shape: Shape, state: PeerState): unknown {
  const long = post.text.length > 280;
  const json: Record<string, unknown> = { id: post.id, text: escapeText(long ? post.text.slice(0, 280) : post.text), edit_history_tweet_ids: [post.id] };
  const f = shape.tweetFields;
  if (f.has('author_id') || shape.expansions.has('author_id')) json.author_id = post.authorId;
  if (f.has('created_at')) json.created_at = post.createdAt;
  if (f.has('lang')) json.lang = post.lang;
  if (f.has('conversation_id')) json.conversation_id = post.conversationId;
  if (post.inReplyToUserId && (f.has('in_reply_to_user_id') || shape.expansions.has('in_reply_to_user_id'))) json.in_reply_to_user_id = post.inReplyToUserId;
  if (post.referenced.length && (f.has('referenced_tweets') || shape.expansions.has('referenced_tweets.id'))) json.referenced_tweets = post.referenced;
  const entities = f.has('entities') ? entitiesOf(post, state) : undefined;
  if (entities) json.entities = entities;
  if (long && f.has('note_tweet')) json.note_tweet = { text: escapeText(post.text) };
  return post.corrupt ? post.corrupt(json) : json;
}

/** A whole answer body for `posts`: `data`, `includes` as the expansions ask, and nothing else. */
export function renderPosts(posts: PeerPost[], shape: Shape, state: PeerState): { data: unknown[]; includes?: Record<string, unknown[]>; postIds: string[]; userIds: string[] } {
  const users = new Map<string, PeerUser>();
  const included = new Map<string, PeerPost>();
  const addUser = (id: string | undefined) => {
    const user = id ? state.users.get(id) : undefined;
    if (user) users.set(user.id, user);
  };
  const hidden = new Set(posts.filter((p) => p.hideAuthor).map((p) => p.authorId));
  for (const post of posts) {
    if (shape.expansions.has('author_id')) addUser(post.authorId);
    if (shape.expansions.has('in_reply_to_user_id')) addUser(post.inReplyToUserId);
    if (shape.expansions.has('entities.mentions.username')) {
      for (const m of post.text.matchAll(/@([A-Za-z0-9_]{1,15})/g)) addUser([...state.users.values()].find((u) => u.username.toLowerCase() === m[1]!.toLowerCase())?.id);
    }
    if (shape.expansions.has('referenced_tweets.id')) {
      for (const ref of post.referenced) {
        const target = state.posts.get(ref.id);
        if (!target) continue;
        included.set(target.id, target);
        if (shape.expansions.has('referenced_tweets.id.author_id')) addUser(target.authorId);
      }
    }
  }
  for (const id of hidden) users.delete(id);
  const includes: Record<string, unknown[]> = {};
  if (users.size) includes.users = [...users.values()].map((u) => renderUser(u, shape));
  if (included.size) includes.tweets = [...included.values()].map((p) => renderPost(p, shape, state));
  return {
    data: posts.map((p) => renderPost(p, shape, state)),
    ...(Object.keys(includes).length ? { includes } : {}),
    postIds: [...posts.map((p) => p.id), ...included.keys()],
    userIds: [...users.keys()],
  };
}
