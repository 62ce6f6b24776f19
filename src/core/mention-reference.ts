/**
 * What a person pastes to name a mention (a post's link, a mention key, a platform id)
 * turned into the mention keys it can be, without reading the store. Links follow the
 * shapes the sources give mentions (see each source's map); a link of another shape
 * names no key. Pure.
 */
import { mentionKey } from './mention-key.js';
import { PLATFORMS, type Platform } from './mention.js';

const KEY = new RegExp(`^(${PLATFORMS.join('|')})-[A-Za-z0-9._-]{1,64}$`);
const DIGITS = /^\d{1,20}$/;
const REDDIT_ID = /^t[13]_[a-z0-9]{1,16}$/i;
const AT_POST = /^at:\/\/did:[a-z]+:[A-Za-z0-9._:%-]+\/app\.bsky\.feed\.post\/[A-Za-z0-9._~:-]+$/;

const key = (source: Platform, id: string) => mentionKey({ source, id });

/** The platform id a link to a post carries, by the shape its source builds links in. */
function keyOfLink(url: URL): string | undefined {
  const host = url.hostname.toLowerCase().replace(/^(www|mobile|old)\./, '');
  const parts = url.pathname.split('/').filter(Boolean);
  // x.com/{user}/status/{id}, as the X source writes it (twitter.com links are the same posts).
  if ((host === 'x.com' || host === 'twitter.com') && parts[1] === 'status' && DIGITS.test(parts[2] ?? '')) return key('x', parts[2]!);
  // news.ycombinator.com/item?id={id}
  if (host === 'news.ycombinator.com' && parts[0] === 'item') {
    const id = url.searchParams.get('id') ?? '';
    return DIGITS.test(id) ? key('hackernews', id) : undefined;
  }
  // reddit.com/r/{sub}/comments/{post}/{slug}/{comment?}: the id is the thing's fullname.
  if (host === 'reddit.com' && parts[0] === 'r' && parts[2] === 'comments' && parts[3]) {
    return parts[5] ? key('reddit', `t1_${parts[5]}`) : key('reddit', `t3_${parts[3]}`);
  }
  // bsky.app/profile/{did}/post/{rkey}: the id is the post's AT URI, known only by DID (a
  // handle would need a lookup to become one).
  if (host === 'bsky.app' && parts[0] === 'profile' && parts[2] === 'post' && parts[1]?.startsWith('did:') && parts[3]) {
    return key('bluesky', `at://${decodeURIComponent(parts[1])}/app.bsky.feed.post/${parts[3]}`);
  }
  // A Mastodon status: its id is its URI, https://{server}/users/{user}/statuses/{id};
  // the page https://{server}/@{user}/{id} is the same status.
  if (parts[0] === 'users' && parts[2] === 'statuses' && DIGITS.test(parts[3] ?? '') && parts.length === 4) {
    return key('mastodon', `https://${host}/users/${parts[1]}/statuses/${parts[3]}`);
  }
  if (parts.length === 2 && /^@[\w.-]+$/.test(parts[0]!) && DIGITS.test(parts[1]!)) {
    return key('mastodon', `https://${host}/users/${parts[0]!.slice(1)}/statuses/${parts[1]}`);
  }
  return undefined;
}

/**
 * The mention keys `reference` can name, most likely first: a key as given (`x-1834…`),
 * a post's link mapped to its key, an AT URI or a Reddit fullname, or a bare number tried
 * on each platform whose ids are numbers. Empty when it names none (an unknown link).
 */
export function keysForReference(reference: string): string[] {
  const ref = reference.trim().replace(/^<(.*)>$/, '$1');
  if (KEY.test(ref)) return [ref];
  if (AT_POST.test(ref)) return [key('bluesky', ref)];
  if (REDDIT_ID.test(ref)) return [key('reddit', ref.toLowerCase())];
  if (DIGITS.test(ref)) return [key('x', ref), key('hackernews', ref)];
  if (!/^https?:\/\//i.test(ref) || !URL.canParse(ref)) return [];
  const fromLink = keyOfLink(new URL(ref));
  return fromLink ? [fromLink] : [];
}
