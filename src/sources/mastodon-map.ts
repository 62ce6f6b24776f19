/**
 * Mastodon statuses (as masto returns them, camelCased) turned into mentions. Pure: no
 * client, no I/O, so the rules for handles, links and text can be read in one place.
 */
import { z } from 'zod';
import type { Mention } from '../core/mention.js';
import { htmlLinks, htmlToText } from './html-text.js';

/** What mapping a status needs to know about where it was read. */
export interface MastodonMapContext {
  /** Origin of the instance read, e.g. `https://mastodon.social`: replies go there. */
  origin: string;
  /** The instance's account domain, appended to a local account's `acct` (which has none). */
  domain: string;
  /** The brand's account as `user@domain`, lower case, when `brand.handles` has one. */
  brandHandle?: string;
}

/** A status became a mention, was the brand's own (skipped), or could not be read. */
export type StatusMapping = { kind: 'mention'; mention: Mention } | { kind: 'own' } | { kind: 'reject'; reason: string };

const text = z.string();
const date = z.string().refine((v) => Number.isFinite(Date.parse(v)), 'not a date');

const accountSchema = z.looseObject({
  id: text.min(1),
  username: text.min(1),
  acct: text.min(1),
  displayName: text.nullish(),
  followersCount: z.number().nullish(),
});

const statusSchema = z.looseObject({
  id: text.min(1),
  uri: text.min(1),
  url: text.nullish(),
  createdAt: date,
  account: accountSchema,
  content: text,
  spoilerText: text.nullish(),
  language: text.nullish(),
  visibility: text.nullish(),
  inReplyToId: text.nullish(),
  inReplyToAccountId: text.nullish(),
  mentions: z.array(z.looseObject({ id: text, acct: text, url: text.nullish() })).nullish(),
  tags: z.array(z.looseObject({ name: text, url: text.nullish() })).nullish(),
  card: z.looseObject({ url: text.nullish() }).nullish(),
  quote: z.looseObject({ quotedStatus: z.looseObject({ account: z.looseObject({ acct: text }).nullish() }).nullish() }).nullish(),
});

type Status = z.infer<typeof statusSchema>;

/** `acct` as Mastodon writes it is `user` for local accounts and `user@host` for remote ones. */
export function fullHandle(acct: string, domain: string): string {
  const bare = acct.replace(/^@/, '');
  return bare.includes('@') ? bare : `${bare}@${domain}`;
}

function attribute(tag: string, name: string): string {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m?.[1] ?? m?.[2] ?? '';
}

/** The hrefs of anchors Mastodon marks as @mentions or #hashtags: profile and tag pages, not links the author shared. */
function mentionAndTagHrefs(html: string): Set<string> {
  const hrefs = new Set<string>();
  for (const [tag] of html.matchAll(/<a\s[^>]*>/gi)) {
    const classes = attribute(tag, 'class').split(/\s+/);
    const rels = attribute(tag, 'rel').split(/\s+/);
    if (classes.includes('mention') || classes.includes('hashtag') || rels.includes('tag')) {
      hrefs.add(attribute(tag, 'href').replace(/&amp;/g, '&').trim());
    }
  }
  return hrefs;
}

function linksOf(status: Status): string[] {
  const skip = mentionAndTagHrefs(status.content);
  for (const m of status.mentions ?? []) if (m.url) skip.add(m.url);
  for (const t of status.tags ?? []) if (t.url) skip.add(t.url);
  const links = htmlLinks(status.content).filter((l) => !skip.has(l));
  const card = status.card?.url?.trim();
  if (card && /^https?:\/\//i.test(card) && !links.includes(card)) links.push(card);
  return links.filter((l) => !/\s/.test(l)).slice(0, 100);
}

function textOf(status: Status): string {
  const body = htmlToText(status.content);
  const spoiler = status.spoilerText?.trim();
  if (!spoiler) return body;
  return body ? `${spoiler}\n\n${body}` : spoiler;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(status)'}: ${issue.message}`).join('; ');
}

/**
 * Maps one status to a mention. A reblog stands for the status it reblogs; `id` is the
 * status's ActivityPub `uri`, the same on every instance and through every hashtag.
 * @param viaNotification read from the brand account's mention notifications
 */
export function mapStatus(raw: unknown, context: MastodonMapContext, viaNotification: boolean): StatusMapping {
  const wrapper = raw as { reblog?: unknown } | null;
  const item = wrapper && typeof wrapper === 'object' && wrapper.reblog && typeof wrapper.reblog === 'object' ? wrapper.reblog : raw;
  const parsed = statusSchema.safeParse(item);
  if (!parsed.success) return { kind: 'reject', reason: `not a readable status: ${describeIssues(parsed.error)}` };
  const status = parsed.data;
  const { domain, brandHandle } = context;
  const handle = fullHandle(status.account.acct, domain);
  if (brandHandle && handle.toLowerCase() === brandHandle) return { kind: 'own' };

  const mentioned = (status.mentions ?? []).map((m) => ({ id: m.id, handle: fullHandle(m.acct, domain) }));
  const quotedAcct = status.quote?.quotedStatus?.account?.acct;
  const addressesBrand =
    viaNotification ||
    (brandHandle !== undefined &&
      (mentioned.some((m) => m.handle.toLowerCase() === brandHandle) || (quotedAcct !== undefined && fullHandle(quotedAcct, domain).toLowerCase() === brandHandle)));

  const mention: Mention = {
    source: 'mastodon',
    id: status.uri,
    text: textOf(status),
    url: status.url ?? status.uri,
    createdAt: new Date(status.createdAt).toISOString(),
    author: {
      handle,
      name: status.account.displayName?.trim() || status.account.username,
      followers: Math.max(0, Math.trunc(status.account.followersCount ?? 0)),
      id: status.account.id,
    },
    links: linksOf(status),
    addressesBrand,
    replyRef: {
      instance: context.origin,
      statusId: status.id,
      acct: status.account.acct,
      visibility: status.visibility ?? 'public',
    },
  };
  if (status.language) mention.language = status.language;
  if (status.inReplyToId) {
    const parentAuthor =
      status.inReplyToAccountId === status.account.id ? handle : mentioned.find((m) => m.id === status.inReplyToAccountId)?.handle;
    mention.inReplyTo = parentAuthor ? { id: status.inReplyToId, handle: parentAuthor } : { id: status.inReplyToId };
  }
  return { kind: 'mention', mention };
}
