/**
 * Mastodon's REST entities as the real API sends them (snake_case JSON, see
 * docs.joinmastodon.org/entities/Status, /Account, /Notification), with the ids and HTML
 * a Mastodon server writes.
 */

/** docs.joinmastodon.org/entities/Account (the fields every account has). */
export interface AccountJson {
  id: string;
  username: string;
  /** `user` for a local account, `user@domain` for a remote one. */
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean | null;
  group: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  emojis: unknown[];
  fields: unknown[];
}

/** docs.joinmastodon.org/entities/Status#Mention */
export interface StatusMentionJson {
  id: string;
  username: string;
  url: string;
  acct: string;
}

/** docs.joinmastodon.org/entities/PreviewCard (the fields used here, plus the required ones). */
export interface PreviewCardJson {
  url: string;
  title: string;
  description: string;
  type: 'link' | 'photo' | 'video' | 'rich';
  author_name: string;
  author_url: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
  image: string | null;
  embed_url: string;
  blurhash: string | null;
}

/** docs.joinmastodon.org/entities/Status */
export interface StatusJson {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  edited_at: string | null;
  account: AccountJson;
  content: string;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  sensitive: boolean;
  spoiler_text: string;
  media_attachments: unknown[];
  application: { name: string; website: string | null } | null;
  mentions: StatusMentionJson[];
  tags: Array<{ name: string; url: string }>;
  emojis: unknown[];
  reblogs_count: number;
  favourites_count: number;
  replies_count: number;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  reblog: StatusJson | null;
  poll: unknown;
  card: PreviewCardJson | null;
  language: string | null;
  text: string | null;
  favourited: boolean;
  reblogged: boolean;
  muted: boolean;
  bookmarked: boolean;
  pinned: boolean;
  filtered: unknown[];
}

/** docs.joinmastodon.org/entities/Notification */
export interface NotificationJson {
  id: string;
  type: string;
  group_key: string;
  created_at: string;
  account: AccountJson;
  status?: StatusJson;
}

/**
 * Mastodon's ids: milliseconds since the epoch shifted left 16 bits, plus a sequence.
 * A remote post gets the id of its publication time, so ids follow `created_at`.
 */
export function createIdGenerator(): (at: Date) => string {
  let sequence = 0;
  return (at) => ((BigInt(at.getTime()) << 16n) | BigInt(sequence++ & 0xffff)).toString();
}

/** Numeric order of two Mastodon ids. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The account's home domain and username from a handle `user` (local) or `user@domain`. */
export function splitHandle(handle: string, localDomain: string): { username: string; domain: string } {
  const [username = '', domain = localDomain] = handle.replace(/^@/, '').split('@');
  return { username, domain };
}

/** An account JSON as Mastodon serves it; `acct` relative to `localDomain`. */
export function accountJson(id: string, handle: string, localDomain: string, overrides: Partial<AccountJson> = {}): AccountJson {
  const { username, domain } = splitHandle(handle, localDomain);
  const home = `https://${domain}`;
  return {
    id,
    username,
    acct: domain === localDomain ? username : `${username}@${domain}`,
    display_name: username.charAt(0).toUpperCase() + username.slice(1),
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: '2024-03-01T00:00:00.000Z',
    note: '<p></p>',
    url: `${home}/@${username}`,
    uri: `${home}/users/${username}`,
    avatar: `https://${localDomain}/avatars/original/missing.png`,
    avatar_static: `https://${localDomain}/avatars/original/missing.png`,
    header: `https://${localDomain}/headers/original/missing.png`,
    header_static: `https://${localDomain}/headers/original/missing.png`,
    followers_count: 10,
    following_count: 5,
    statuses_count: 1,
    last_status_at: '2026-11-20',
    emojis: [],
    fields: [],
    ...overrides,
  };
}

/** The `@mention` markup Mastodon writes into `content`. */
export function mentionHtml(account: Pick<AccountJson, 'url' | 'username'>): string {
  return `<span class="h-card" translate="no"><a href="${escapeHtml(account.url)}" class="u-url mention">@<span>${escapeHtml(account.username)}</span></a></span>`;
}

/** The `#hashtag` markup Mastodon writes into `content` (linking to the author's instance). */
export function hashtagHtml(tag: string, domain: string): string {
  return `<a href="https://${domain}/tags/${encodeURIComponent(tag.toLowerCase())}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
}

/** A shared link as Mastodon writes it: scheme hidden, long tails cut with an ellipsis. */
export function linkHtml(url: string): string {
  const m = /^(https?:\/\/(?:www\.)?)(.*)$/.exec(url);
  const shown = m?.[2] ?? url;
  const visible = shown.slice(0, 30);
  const rest = shown.slice(30);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">${escapeHtml(m?.[1] ?? '')}</span><span class="${rest ? 'ellipsis' : ''}">${escapeHtml(visible)}</span><span class="invisible">${escapeHtml(rest)}</span></a>`;
}

/** A link preview card. */
export function cardJson(url: string, title: string): PreviewCardJson {
  return {
    url,
    title,
    description: '',
    type: 'link',
    author_name: '',
    author_url: '',
    provider_name: new URL(url).host,
    provider_url: '',
    html: '',
    width: 400,
    height: 200,
    image: null,
    embed_url: '',
    blurhash: null,
  };
}
