/**
 * Building blocks for the peer's data: post records, rich-text facets (with UTF-8 byte
 * offsets, as the protocol counts them) and the views the AppView returns.
 */
import type { PeerAccount, PeerNotification, PeerPost } from './state.js';

type Json = Record<string, unknown>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** The byte slice of the first `part` in `text`. */
function sliceOf(text: string, part: string): { byteStart: number; byteEnd: number } {
  const at = text.indexOf(part);
  if (at < 0) throw new Error(`bluesky peer: "${part}" is not in the post text "${text}"`);
  const byteStart = utf8(text.slice(0, at));
  return { byteStart, byteEnd: byteStart + utf8(part) };
}

/** A mention facet over `@handle` in `text`, pointing at `did`. */
export function mentionFacet(text: string, handle: string, did: string): Json {
  return { index: sliceOf(text, `@${handle}`), features: [{ $type: 'app.bsky.richtext.facet#mention', did }] };
}

/** A link facet over `shown` (the text as written) in `text`, pointing at `uri`. */
export function linkFacet(text: string, shown: string, uri: string): Json {
  return { index: sliceOf(text, shown), features: [{ $type: 'app.bsky.richtext.facet#link', uri }] };
}

/** A strong ref to a post. */
export function refTo(post: Pick<PeerPost, 'uri' | 'cid'>): { uri: string; cid: string } {
  return { uri: post.uri, cid: post.cid };
}

function basicProfile(account: PeerAccount): Json {
  return {
    did: account.did,
    handle: account.handle,
    ...(account.displayName ? { displayName: account.displayName } : {}),
    labels: [],
    viewer: { muted: false, blockedBy: false },
    createdAt: '2024-03-01T12:00:00.000Z',
    ...(account.verified ? { verification: { verifications: [], verifiedStatus: 'valid', trustedVerifierStatus: 'none' } } : {}),
  };
}

/** `app.bsky.actor.defs#profileView` (what notifications carry: no counts). */
export function profileView(account: PeerAccount): Json {
  return { ...basicProfile(account), indexedAt: '2024-03-01T12:00:00.000Z' };
}

/** `app.bsky.actor.defs#profileViewDetailed` (what getProfiles returns, with follower counts). */
export function profileViewDetailed(account: PeerAccount): Json {
  return { ...profileView(account), followersCount: account.followers, followsCount: 12, postsCount: 40 };
}

function embedView(record: Json): Json | undefined {
  const embed = record.embed as Json | undefined;
  if (embed?.$type !== 'app.bsky.embed.external') return undefined;
  const external = embed.external as Json;
  return { $type: 'app.bsky.embed.external#view', external: { uri: external.uri, title: external.title ?? '', description: external.description ?? '' } };
}

/** `app.bsky.feed.defs#postView`, as searchPosts returns it. */
export function postView(post: PeerPost, author: PeerAccount): Json {
  const embed = embedView(post.record);
  return {
    uri: post.uri,
    cid: post.cid,
    author: basicProfile(author),
    record: post.record,
    ...(embed ? { embed } : {}),
    replyCount: 0,
    repostCount: 0,
    likeCount: 0,
    quoteCount: 0,
    bookmarkCount: 0,
    indexedAt: post.indexedAt,
    viewer: { threadMuted: false, embeddingDisabled: false },
    labels: [],
  };
}

/** `app.bsky.notification.listNotifications#notification`. */
export function notificationView(notification: PeerNotification, author: PeerAccount): Json {
  return {
    uri: notification.post.uri,
    cid: notification.post.cid,
    author: profileView(author),
    reason: notification.reason,
    ...(notification.reasonSubject ? { reasonSubject: notification.reasonSubject } : {}),
    record: notification.post.record,
    isRead: false,
    indexedAt: notification.indexedAt,
    labels: [],
  };
}

/** A DID document naming the peer as the account's PDS. */
export function didDocument(account: PeerAccount, pdsUrl: string): Json {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: account.did,
    alsoKnownAs: [`at://${account.handle}`],
    verificationMethod: [
      { id: `${account.did}#atproto`, type: 'Multikey', controller: account.did, publicKeyMultibase: 'zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF' },
    ],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pdsUrl }],
  };
}
