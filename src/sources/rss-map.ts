/**
 * Feed bodies turned into mentions: parsing RSS 2.0, Atom 1.0 and RDF/RSS 1.0 with
 * feed-extractor, reading each item's raw fields, unwrapping Google Alerts redirect
 * links. Pure: no I/O, so the source file only deals with HTTP and the cursor.
 */
import { createHash } from 'node:crypto';
import { extractFromXml } from '@extractus/feed-extractor';
import type { Mention } from '../core/mention.js';
import { htmlLinks, htmlToText } from './html-text.js';

/** Longest item body kept in a mention: enough to triage, not a whole article. */
export const MAX_BODY_CHARS = 4000;
const MAX_TITLE_CHARS = 500;
const MAX_LINKS = 100;
const MAX_URL = 2048;
/** Longest mention id `parseMention` takes. */
const MAX_ID = 512;

/** A feed as parsed: its own title and language, and its items as the XML gave them. */
export interface ParsedFeed {
  title: string;
  language?: string;
  /** Raw item objects (fast-xml-parser's shape: `#text` for text, `@_` for attributes). */
  items: unknown[];
}

/** What an item is mapped with besides itself. */
export interface FeedContext {
  /** The feed's title, the mention's `context`. */
  title: string;
  language?: string;
  /** The feed's URL: it scopes the ids that are only the feed's own, and names the author when an item names neither an author nor a link. */
  url: string;
}

/** An item turned into a mention, or the reason it could not be. `key` identifies the item across reads of its feed. */
export type MappedItem =
  | { ok: true; key: string; published?: Date; mention: Mention; /** Title and whole body, for brand matching. */ matchText: string }
  | { ok: false; key: string; reason: string; raw: string };

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The text of an element as fast-xml-parser gives it: a string, `{#text, @_…}`, children, or a list (first non-empty). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(textOf).find((s) => s.trim() !== '') ?? '';
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => !k.startsWith('@_'));
    if (keys.length === 1 && keys[0] === '#text') return textOf(value['#text']);
    // Inline XHTML content arrives as child elements: keep their words.
    return keys.map((k) => textOf(value[k])).filter(Boolean).join(' ');
  }
  return '';
}

const attr = (value: unknown, name: string): string | undefined => (isObject(value) && typeof value[`@_${name}`] === 'string' ? (value[`@_${name}`] as string) : undefined);

/** The root element's name, past the prolog, comments and doctype. */
function rootElement(xml: string): string | undefined {
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, '');
  return /<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}

/**
 * Parses a feed body. feed-extractor does not recognise an Atom feed without entries
 * (and fails on an RDF feed without items): both are read here as empty feeds.
 * @throws Error saying the body is not a feed, with what it looked like.
 */
export function parseFeed(xml: string, describeBody: () => string): ParsedFeed {
  try {
    const feed = extractFromXml(xml, {
      // Keep guids as strings (long digit ids lose precision as numbers); decode character references.
      xmlParserOptions: { parseTagValue: false, htmlEntities: true },
      descriptionMaxLen: 1,
      getExtraEntryFields: (entry) => ({ raw: entry }),
    });
    return {
      title: htmlToText(textOf(feed.title)).replace(/\s+/g, ' ').trim(),
      ...(typeof feed.language === 'string' && feed.language.trim() ? { language: feed.language.trim() } : {}),
      items: (feed.entries ?? []).map((entry) => entry['raw']),
    };
  } catch (error) {
    const root = rootElement(xml);
    if (root && /^(\w+:)?feed$/.test(root) && !/<(\w+:)?entry[\s>/]/.test(xml)) return { title: '', items: [] };
    if (root === 'rdf:RDF' && /<(\w+:)?channel[\s>/]/.test(xml) && !/<(\w+:)?item[\s>/]/.test(xml)) return { title: '', items: [] };
    throw new Error(`the answer is not an RSS, Atom or RDF feed (${(error as Error).message}; ${describeBody()})`);
  }
}

/**
 * The real address behind a Google redirect link (`https://www.google.com/url?…&url=<real>`,
 * or `q=<real>` in older alerts); any other link unchanged.
 */
export function unwrapGoogleLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  if (!/^(www\.)?google\.[a-z.]{2,6}$/i.test(url.hostname) || url.pathname !== '/url') return link;
  const real = url.searchParams.get('url') ?? url.searchParams.get('q');
  return real && /^https?:\/\//i.test(real) && URL.canParse(real) ? real : link;
}

const usableLink = (link: string | undefined): link is string => !!link && link.length <= MAX_URL && /^https?:\/\/[^\s]+$/i.test(link) && URL.canParse(link);

/** The item's page: RSS `<link>`, Atom's alternate `<link href>`, else a permalink guid or RDF `rdf:about`. */
function linkOf(item: Raw): string | undefined {
  const links = Array.isArray(item['link']) ? item['link'] : item['link'] === undefined ? [] : [item['link']];
  const hrefs = links.map((l) => ({ href: (attr(l, 'href') ?? textOf(l)).trim(), rel: attr(l, 'rel') ?? 'alternate' }));
  const candidates = [
    ...hrefs.filter((l) => l.rel === 'alternate').map((l) => l.href),
    ...hrefs.map((l) => l.href),
    attr(item['guid'], 'isPermaLink') === 'false' ? '' : textOf(item['guid']).trim(),
    attr(item, 'rdf:about') ?? '',
  ];
  const link = candidates.find((c) => /^https?:\/\//i.test(c));
  return link ? unwrapGoogleLink(link) : undefined;
}

/** First parseable time among the item's dates, published before updated. */
function dateOf(item: Raw): Date | undefined {
  for (const field of ['published', 'pubDate', 'dc:date', 'issued', 'updated', 'modified', 'atom:updated']) {
    const text = textOf(item[field]).trim();
    const ms = text ? Date.parse(text) : NaN;
    if (Number.isFinite(ms)) return new Date(ms);
  }
  return undefined;
}

/** The author's name: Atom `<author><name>`, RSS `<author>` (`mail@host (Name)`), or `dc:creator`. */
function authorOf(item: Raw): string | undefined {
  const authors = Array.isArray(item['author']) ? item['author'] : [item['author']];
  for (const a of [...authors, item['dc:creator']]) {
    const text = (isObject(a) && !('#text' in a) ? textOf(a['name']) || textOf(a['email']) : textOf(a)).replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const mailAndName = /^[^\s@]+@[^\s@]+\s*\((.+)\)$/.exec(text);
    return (mailAndName?.[1] ?? text).slice(0, 256);
  }
  return undefined;
}

/** The item's body and whether it is HTML (Atom `type="text"` is plain). */
function bodyOf(item: Raw): { text: string; html: string } {
  for (const field of ['content:encoded', 'content', 'description', 'summary']) {
    const raw = textOf(item[field]).trim();
    if (!raw) continue;
    if (attr(item[field], 'type') === 'text') return { text: raw, html: '' };
    return { text: htmlToText(raw).replace(/[ \u00a0]+/g, ' ').replace(/ ?\n ?/g, '\n'), html: raw };
  }
  return { text: '', html: '' };
}

/** Cuts at a word boundary near `max`, marking the cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max - 1);
  let end = space > max * 0.8 ? space : max - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** BCP 47 as the model wants it: `en-us` and `en_US` become `en-US`. */
function languageTag(value: string | undefined): string | undefined {
  const parts = value?.trim().split(/[-_]/) ?? [];
  if (!parts[0] || !/^[A-Za-z]{2,3}$/.test(parts[0]) || parts.some((p) => !/^[A-Za-z0-9]{1,8}$/.test(p))) return undefined;
  return [parts[0].toLowerCase(), ...parts.slice(1).map((p) => (p.length === 2 ? p.toUpperCase() : p))].join('-');
}

const hostOf = (link: string) => new URL(link).hostname.replace(/^www\./, '');
const isHttp = (text: string) => /^https?:\/\//i.test(text);

/**
 * What makes a feed's own item ids global: the feed's address, its query (where private
 * feeds carry their key and search feeds their terms) as a short hash, so two feeds of
 * one host stay apart without the key showing in ids.
 */
export function feedScope(feedUrl: string): string {
  const url = new URL(feedUrl);
  return `${url.origin}${url.pathname}${url.search ? `?${digest(url.search).slice(0, 12)}` : ''}`;
}

/** `<scope>#<local>`, with `local` hashed when the whole would be longer than a mention id may be. */
function scopedId(scope: string, local: string): string {
  const id = `${scope}#${local}`;
  if (id.length <= MAX_ID) return id;
  const hashed = `${scope}#h:${digest(local).slice(0, 32)}`;
  return hashed.length <= MAX_ID ? hashed : `h:${digest(id).slice(0, 43)}`;
}

/**
 * Maps one raw feed item. Its key is the guid (RSS), `<id>` (Atom) or `rdf:about` (RDF),
 * else its link, else a hash of its title and date. The mention id is the key where it is
 * an address (a permalink guid, `rdf:about`, the link), which no other feed's item has;
 * any other key only names the item within its feed (two feeds may both say guid `123`),
 * so the id is `<feed address>#<key>` (see {@link feedScope}). An item with no title, link
 * and body is rejected; so is anything that is not an element with children.
 */
export function mapItem(raw: unknown, feed: FeedContext, now: Date): MappedItem {
  const rawJson = (JSON.stringify(raw) ?? String(raw)).slice(0, 10_000);
  if (!isObject(raw)) return { ok: false, key: `raw:${digest(rawJson)}`, reason: `expected an item element with children, got ${rawJson.slice(0, 80)}`, raw: rawJson };
  const title = cut(htmlToText(textOf(raw['title'])).replace(/\s+/g, ' ').trim(), MAX_TITLE_CHARS);
  const link = linkOf(raw);
  const body = bodyOf(raw);
  const published = dateOf(raw);
  const guid = textOf(raw['guid']).trim();
  const about = (attr(raw, 'rdf:about') ?? '').trim();
  const atomId = textOf(raw['id']).trim();
  const nativeId = guid || atomId || about;
  if (!title && !link && !body.text) {
    return { ok: false, key: nativeId || `raw:${digest(rawJson)}`, reason: 'the item has no title, link or description', raw: rawJson };
  }
  const fallbackId = `h:${digest(`${title}\n${published?.toISOString() ?? ''}\n${title ? '' : body.text}`).slice(0, 32)}`;
  const key = nativeId.length > 0 && nativeId.length <= MAX_ID ? nativeId : link && link.length <= MAX_ID ? link : fallbackId;
  const isAddress =
    key === link ||
    (key === guid && isHttp(guid) && attr(raw['guid'], 'isPermaLink') !== 'false') ||
    (key === about && !guid && !atomId && isHttp(about));
  const id = isAddress ? key : scopedId(feedScope(feed.url), key);
  const url = usableLink(link) ? link : undefined;
  const handle = authorOf(raw) ?? (url ? hostOf(url) : hostOf(feed.url));
  const links = [...new Set([url, ...htmlLinks(body.html).map(unwrapGoogleLink)].filter(usableLink))].slice(0, MAX_LINKS);
  const bodyText = body.text === title ? '' : body.text;
  const language = languageTag(attr(raw, 'xml:lang') ?? (textOf(raw['dc:language']) || feed.language));
  const mention: Mention = {
    source: 'rss',
    id,
    text: [title, cut(bodyText, MAX_BODY_CHARS)].filter(Boolean).join('\n\n') || (url ?? key),
    createdAt: (published ?? now).toISOString(),
    author: { handle, name: handle, followers: 0 },
    ...(url ? { url } : {}),
    ...(links.length ? { links } : {}),
    ...(language ? { language } : {}),
    ...(feed.title ? { context: cut(feed.title, 1000) } : {}),
  };
  return { ok: true, key, ...(published ? { published } : {}), mention, matchText: `${title}\n${bodyText}` };
}
