/**
 * X v2 posts (with their `includes`) turned into mentions. The input is untrusted JSON:
 * a post without an id, text or an author in `includes.users` becomes a reject with the
 * reason, and the rest of the page goes on.
 */
import type { Author, Mention } from '../core/mention.js';
import type { SourceReject } from './source.js';

/** The brand's own account, to skip its posts and to tell which posts address it. */
export interface XAccount {
  /** Username without `@`. */
  handle?: string;
  /** Numeric user id, when known. */
  id?: string;
}

/** A v2 response body as far as mapping needs it (search, timeline page, stream message). */
export interface XPage {
  data?: unknown;
  includes?: { users?: unknown; tweets?: unknown };
  meta?: { newest_id?: string; oldest_id?: string; result_count?: number; next_token?: string };
  errors?: unknown;
}

export interface MappedPage {
  mentions: Mention[];
  rejects: SourceReject[];
  /** Posts left out on purpose: the brand's own, retweets. */
  skipped: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Every post a response returned (`data`, one or many, and `includes.tweets`), for billing. */
export function postIdsOf(page: XPage): string[] {
  const data = Array.isArray(page.data) ? page.data : [page.data];
  return [...objects(data), ...objects(page.includes?.tweets)].map((t) => str(t.id)).filter((id): id is string => id !== undefined);
}

/** Every user object a response returned, for billing. */
export function userIdsOf(page: XPage): string[] {
  return objects(page.includes?.users).map((u) => str(u.id)).filter((id): id is string => id !== undefined);
}

// X escapes these three in `text`, and only these.
const decodeText = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The time inside a post id (X ids are snowflakes), for a post that lacks `created_at`. */
function snowflakeTime(id: string): string | undefined {
  try {
    const ms = Number((BigInt(id) >> 22n) + 1288834974657n);
    return ms > 1288834974657 ? new Date(ms).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

function rawOf(item: unknown): string {
  const json = JSON.stringify(item) ?? String(item);
  return json.slice(0, 10_000);
}

/** Maps one response's posts; `at` says where they were read (`x:search "parcelly" page 2`). */
export function mapPage(page: XPage, account: XAccount, at: string): MappedPage {
  const users = new Map(objects(page.includes?.users).map((u) => [str(u.id), u] as const));
  const tweets = new Map(objects(page.includes?.tweets).map((t) => [str(t.id), t] as const));
  const handle = account.handle?.toLowerCase();
  const isBrand = (userId: string | undefined, username?: string) =>
    (account.id !== undefined && userId === account.id) ||
    (handle !== undefined && (username ?? str(users.get(userId)?.username))?.toLowerCase() === handle);

  const result: MappedPage = { mentions: [], rejects: [], skipped: 0 };
  const items = Array.isArray(page.data) ? page.data : page.data === undefined ? [] : [page.data];
  for (const item of items) {
    const reject = (reason: string) => result.rejects.push({ at, reason, raw: rawOf(item) });
    if (!isObject(item)) {
      reject(`not a post object (${item === null ? 'null' : typeof item})`);
      continue;
    }
    const id = item.id;
    if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) {
      reject(`post has no id (expected a string of digits, got ${JSON.stringify(id) ?? 'nothing'})`);
      continue;
    }
    const noteText = isObject(item.note_tweet) ? str(item.note_tweet.text) : undefined;
    const text = noteText ?? (typeof item.text === 'string' ? item.text : undefined);
    if (text === undefined) {
      reject(`post ${id} has no text`);
      continue;
    }
    const authorId = str(item.author_id);
    const user = users.get(authorId);
    const username = str(user?.username);
    if (!authorId || !user || !username) {
      reject(authorId ? `post ${id}: its author ${authorId} is not in includes.users` : `post ${id} has no author_id`);
      continue;
    }
    const refs = objects(item.referenced_tweets);
    if (isBrand(authorId) || refs.some((r) => r.type === 'retweeted')) {
      result.skipped++;
      continue;
    }

    const metrics = isObject(user.public_metrics) ? user.public_metrics : {};
    const followers = typeof metrics.followers_count === 'number' && metrics.followers_count >= 0 ? Math.floor(metrics.followers_count) : 0;
    const verifiedType = str(user.verified_type);
    const author: Author = { handle: username, name: str(user.name) ?? username, followers, id: authorId };
    if (typeof user.verified === 'boolean' || verifiedType) author.verified = user.verified === true || (verifiedType !== undefined && verifiedType !== 'none');

    const entities = isObject(item.entities) ? item.entities : {};
    const links = objects(entities.urls)
      .map((u) => str(u.unwound_url) ?? str(u.expanded_url) ?? str(u.url))
      .filter((u): u is string => u !== undefined && /^https?:\/\/\S+$/.test(u));
    const mentionsBrand = objects(entities.mentions).some((m) => isBrand(str(m.id), str(m.username)));
    const replyTo = str(refs.find((r) => r.type === 'replied_to')?.id);
    const repliedUserId = str(item.in_reply_to_user_id) ?? str(tweets.get(replyTo)?.author_id);
    const quotesBrand = refs.some((r) => r.type === 'quoted' && isBrand(str(tweets.get(str(r.id))?.author_id)));

    const createdAt = str(item.created_at);
    const mention: Mention = {
      source: 'x',
      id,
      text: decodeText(text),
      url: `https://x.com/${username}/status/${id}`,
      createdAt: createdAt && !Number.isNaN(Date.parse(createdAt)) ? new Date(createdAt).toISOString() : (snowflakeTime(id) ?? new Date(0).toISOString()),
      author,
      addressesBrand: mentionsBrand || (repliedUserId !== undefined && isBrand(repliedUserId)) || quotesBrand,
    };
    const lang = str(item.lang);
    // `und`, `qme` (media only), `zxx`… are X's codes for "no language": leave it unset.
    if (lang && /^[a-z]{2}(-[A-Za-z0-9]+)*$/.test(lang)) mention.language = lang;
    if (links.length) mention.links = [...new Set(links)];
    if (replyTo) {
      const parentHandle = str(users.get(repliedUserId)?.username);
      mention.inReplyTo = { id: replyTo, ...(parentHandle ? { handle: parentHandle } : {}) };
    }
    const conversation = str(item.conversation_id);
    if (conversation) mention.replyRef = { conversationId: conversation };
    result.mentions.push(mention);
  }
  return result;
}
