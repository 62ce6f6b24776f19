/**
 * A Bluesky post (a search result's PostView, a notification, a Jetstream commit) turned
 * into a Mention, or the reason it cannot be one.
 */
import { AppBskyFeedPost, AtUri, stringifyLex } from '@atproto/api';
import type { Mention } from '../core/mention.js';
import type { SourceReject } from './source.js';

/** What every way of finding a post gives: the parts of a PostView the mapping reads. */
export interface PostLike {
  uri: string;
  cid: string;
  author: {
    did: string;
    handle: string;
    displayName?: string;
    verification?: { verifiedStatus: string };
  };
  /** The record as received (lex values: CIDs and blobs decoded). */
  record: unknown;
  indexedAt: string;
}

/** What the mapping needs besides the post. */
export interface MapContext {
  /** The brand account's DID: its own posts are skipped, mentions of it flagged. */
  brandDid: string;
  brandHandle: string;
  /** Follower counts (and verification) fetched with getProfiles; absent ones count 0. */
  profiles: ReadonlyMap<string, AuthorProfile>;
  /** Found through the brand's notifications (a mention, reply or quote of it). */
  notified?: boolean;
}

/** What getProfiles adds to a post's author. */
export interface AuthorProfile {
  handle: string;
  displayName?: string;
  followers: number;
  verified?: boolean;
}

export type MapResult = { kind: 'mention'; mention: Mention } | { kind: 'reject'; reason: string } | { kind: 'own' };

type Json = Record<string, unknown>;

const LINK = 'app.bsky.richtext.facet#link';
const MENTION = 'app.bsky.richtext.facet#mention';

function didOfUri(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  try {
    return new AtUri(uri).host;
  } catch {
    return undefined;
  }
}

function facetFeatures(record: AppBskyFeedPost.Record): Json[] {
  return (record.facets ?? []).flatMap((facet) => facet.features as Json[]);
}

/** The AT URI of the post a record quotes, if it quotes one. */
function quotedUri(record: AppBskyFeedPost.Record): string | undefined {
  const embed = record.embed as Json | undefined;
  if (embed?.$type === 'app.bsky.embed.record') return (embed.record as Json | undefined)?.uri as string | undefined;
  if (embed?.$type === 'app.bsky.embed.recordWithMedia') return ((embed.record as Json | undefined)?.record as Json | undefined)?.uri as string | undefined;
  return undefined;
}

function linksOf(record: AppBskyFeedPost.Record): string[] {
  const links = facetFeatures(record)
    .filter((f) => f.$type === LINK)
    .map((f) => f.uri);
  const embed = record.embed as Json | undefined;
  const media = embed?.$type === 'app.bsky.embed.recordWithMedia' ? (embed.media as Json | undefined) : embed;
  if (media?.$type === 'app.bsky.embed.external') links.push((media.external as Json | undefined)?.uri);
  return [...new Set(links.filter((l): l is string => typeof l === 'string' && /^https?:\/\/\S+$/i.test(l)))];
}

/**
 * Whether a record addresses the brand's account: a mention facet of its DID, a reply
 * in one of its threads (parent or root is its post), or a quote of its post.
 */
export function addressesBrand(record: AppBskyFeedPost.Record, brandDid: string): boolean {
  if (facetFeatures(record).some((f) => f.$type === MENTION && f.did === brandDid)) return true;
  if (didOfUri(record.reply?.parent.uri) === brandDid || didOfUri(record.reply?.root.uri) === brandDid) return true;
  return didOfUri(quotedUri(record)) === brandDid;
}

/** The record as an `app.bsky.feed.post`, or why it is not one. */
export function asPostRecord(record: unknown): { ok: true; record: AppBskyFeedPost.Record } | { ok: false; reason: string } {
  const checked = AppBskyFeedPost.validateRecord(record);
  if (!checked.success) return { ok: false, reason: `record is not a valid app.bsky.feed.post: ${checked.error.message}` };
  return { ok: true, record: checked.value as AppBskyFeedPost.Record };
}

/**
 * When search sorts and filters the post (`since` matches it): the earlier of its
 * `createdAt` and `indexedAt`, so a post dated in the future cannot jump the queue.
 */
export function sortAtOf(post: Pick<PostLike, 'record' | 'indexedAt'>): string {
  const createdAt = Date.parse(String((post.record as Json | undefined)?.createdAt ?? ''));
  const indexedAt = Date.parse(post.indexedAt);
  return Number.isFinite(createdAt) && createdAt < indexedAt ? new Date(createdAt).toISOString() : post.indexedAt;
}

/** The post's page on bsky.app (by DID when the handle does not verify). */
export function postUrl(handle: string, did: string, uri: string): string {
  const rkey = new AtUri(uri).rkey;
  return `https://bsky.app/profile/${handle === 'handle.invalid' ? did : handle}/post/${rkey}`;
}

/** Turns one post into a mention, a reject with its reason, or `own` (the brand's own post). */
export function mapPost(post: PostLike, context: MapContext): MapResult {
  const { brandDid, brandHandle } = context;
  if (typeof post.uri !== 'string' || !post.uri.startsWith('at://')) return { kind: 'reject', reason: 'uri: missing or not an AT URI' };
  if (typeof post.author?.did !== 'string') return { kind: 'reject', reason: 'author.did: missing' };
  if (post.author.did === brandDid) return { kind: 'own' };
  const checked = asPostRecord(post.record);
  if (!checked.ok) return { kind: 'reject', reason: checked.reason };
  const record = checked.record;
  const profile = context.profiles.get(post.author.did);
  const handle = post.author.handle || profile?.handle || post.author.did;
  const verifiedStatus = post.author.verification?.verifiedStatus;
  const verified = profile?.verified ?? (verifiedStatus ? verifiedStatus === 'valid' : undefined);
  const root = record.reply?.root ?? { uri: post.uri, cid: post.cid };
  const parentDid = didOfUri(record.reply?.parent.uri);
  const links = linksOf(record);
  const mention: Mention = {
    source: 'bluesky',
    id: post.uri,
    text: record.text,
    url: postUrl(handle, post.author.did, post.uri),
    createdAt: new Date(record.createdAt).toISOString(),
    author: {
      handle,
      name: post.author.displayName?.trim() || profile?.displayName?.trim() || handle,
      followers: profile?.followers ?? 0,
      id: post.author.did,
      ...(verified !== undefined ? { verified } : {}),
    },
    ...(record.langs?.[0] ? { language: record.langs[0] } : {}),
    ...(links.length ? { links } : {}),
    ...(record.reply ? { inReplyTo: { id: record.reply.parent.uri, ...(parentDid === brandDid ? { handle: brandHandle } : {}) } } : {}),
    addressesBrand: context.notified === true || addressesBrand(record, brandDid),
    replyRef: { cid: post.cid, rootUri: root.uri, rootCid: root.cid },
  };
  return { kind: 'mention', mention };
}

/** A reject for a post that could not be mapped, with the item's JSON cut at 10,000 characters. */
export function rejectOf(at: string, reason: string, item: unknown): SourceReject {
  let raw: string;
  try {
    raw = stringifyLex(item as Parameters<typeof stringifyLex>[0]);
  } catch {
    // Not a lex value (a `$link` that is no CID, say): plain JSON still shows what came.
    try {
      raw = JSON.stringify(item) ?? String(item);
    } catch {
      raw = String(item);
    }
  }
  return { at, reason, raw: raw.slice(0, 10_000) };
}
