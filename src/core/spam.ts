import type { BrandTerms } from './classification.js';

/**
 * Impostors and lookalike links: who wrote a mention and where it points, against the
 * brand's own names and handles. Pure string checks, written from the signs platforms'
 * and banks' "how to spot a fake account" pages list: a support-sounding name or handle
 * built on the brand's name that is not one of its handles, a check mark typed into the
 * display name, a link to a domain that dresses the brand's name up ("brand-support-refunds").
 */

/** The author fields impostor checks read. */
export interface AuthorSeen {
  handle: string;
  name: string;
}

/** Handles as the brand and the platforms write them, compared without "@" and case. */
const bare = (handle: string): string => handle.toLowerCase().replace(/^@/, '');

/** Whether `handle` is one of the brand's handles, compared whole (a Mastodon handle with its instance). */
export function isBrandHandle(handle: string, brand: BrandTerms): boolean {
  const h = bare(handle);
  return brand.handles.some((b) => bare(b) === h);
}

/** Letters and digits only, lowercase, common digit-for-letter swaps undone ("parce11y"). */
function squash(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/0/g, 'o')
    .replace(/1/g, 'l')
    .replace(/3/g, 'e')
    .replace(/5/g, 's');
}

// Stems by terms object: a deployment passes the same terms for every mention.
const stemsByBrand = new WeakMap<BrandTerms, readonly string[]>();

/** The brand's names and handles, squashed: what an impostor's name is built on. */
function brandStems(brand: BrandTerms): readonly string[] {
  let stems = stemsByBrand.get(brand);
  if (stems === undefined) {
    const all = [...brand.names, ...brand.handles.map((h) => bare(h).split(/[@.]/)[0] ?? '')].map(squash);
    stems = [...new Set(all.filter((s) => s.length >= 3))];
    stemsByBrand.set(brand, stems);
  }
  return stems;
}

// Words that make an account sound like the brand's own desk.
const OFFICIAL = new RegExp([
  'support|help|care|service|official|team|desk|assist|refund|billing|security|verify|verification|admin|customer|claims|rewards',
  // The same desks in the languages the mood pass reads.
  'soporte|oficial|ayuda|atencion|suporte|atendimento|aide|hilfe|kundendienst|kundenservice|assistenza|klantenservice|servicio|servico',
].join('|'));
// A check mark or a verified badge typed into a display name.
const TYPED_BADGE = /[\u2713\u2714\u2611\u2705\u{1F6E1}]|\(official\)|\bverified\b/iu;

/**
 * Why the author looks like an impostor posing as the brand, or null: the display name or
 * handle is built on the brand's name with a support-sounding word or a typed check mark,
 * and the handle is not one of the brand's.
 */
export function impostorReason(author: AuthorSeen, brand: BrandTerms): string | null {
  if (isBrandHandle(author.handle, brand)) return null;
  const stems = brandStems(brand);
  const handle = squash(author.handle.split('@')[0] ?? author.handle);
  const name = squash(author.name);
  const stem = stems.find((s) => handle.includes(s) || name.includes(s));
  if (stem === undefined) return null;
  const poses = (OFFICIAL.test(handle) && handle.includes(stem)) || (OFFICIAL.test(name) && name.includes(stem)) ||
    (TYPED_BADGE.test(author.name) && name.includes(stem));
  if (!poses) return null;
  const shown = author.name.replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return `"${shown}" (@${author.handle}) poses as the brand's support but is not one of its handles`;
}

// What a lookalike domain adds to the brand's name to look official or to lure.
const LURE = /support|help|care|service|official|desk|refund|billing|secure|security|verify|login|account|claim|reward|pay|wallet|bonus|gift|promo|track|deliver|voucher|free|earn|deal|code|prize|win/;
const DOMAIN = /\b((?:[a-z0-9-]+\.)+[a-z]{2,})(?=[/:?#\s]|$)/g;

/**
 * A domain in the text that dresses the brand's name up with an official or luring word
 * ("parcelly-support-refunds.com", "parcelly-help.net"), or null. The brand's own domain ("parcelly.app") and its subdomains
 * are not: their name part before the top-level domain is the brand's name alone.
 */
export function lookalikeDomain(lower: string, brand: BrandTerms): string | null {
  const stems = brandStems(brand);
  // Most texts name no domain built on the brand: one search per stem settles them, and a
  // text with no "." before a letter names no domain at all.
  if (!stems.some((s) => nearDomain(lower, s)) || !hasDotWord(lower)) return null;
  for (const m of lower.matchAll(DOMAIN)) {
    const host = m[1]!;
    const labels = host.split('.');
    const registered = labels.length >= 2 ? labels[labels.length - 2]! : host;
    const squashed = squash(registered);
    if (squashed.length > 0 && LURE.test(squashed) && stems.some((s) => squashed.includes(s) && squashed !== s)) return host;
  }
  return null;
}

/** Whether a "." is followed by two letters somewhere in `lower`: what every match of DOMAIN ends in. */
function hasDotWord(lower: string): boolean {
  for (let at = lower.indexOf('.'); at >= 0; at = lower.indexOf('.', at + 1)) {
    const a = lower.charCodeAt(at + 1);
    const b = lower.charCodeAt(at + 2);
    if (a >= 97 && a <= 122 && b >= 97 && b <= 122) return true;
  }
  return false;
}

/** Whether `stem` occurs in `lower` joined to a domain-like neighbour ("-", ".", or more letters). */
function nearDomain(lower: string, stem: string): boolean {
  for (let at = lower.indexOf(stem); at >= 0; at = lower.indexOf(stem, at + 1)) {
    const before = lower.charCodeAt(at - 1);
    const after = lower.charCodeAt(at + stem.length);
    if (before === 45 || before === 46 || after === 45 || after === 46 || (after >= 97 && after <= 122) || (after >= 48 && after <= 57)) return true;
  }
  return false;
}

// Someone warning about a scam or asking whether it is real: a report, not the scam itself.
const REPORTS_SCAM = /\b(?:phishing|scam(?:s|mer|mers|my)?|fraud\w*|impersonat\w*|pretending to be|fake (?:account|page|profile|site|website|email|text|sms|support)|beware|watch out|heads up|report(?:ed)?|is (?:this|it|that) (?:legit|real|you|actually you|from you)|(?:got|received|getting) (?:a|an|this|these) (?:\S+ ){0,2}?(?:email|emails|text|texts|sms|message|messages|dm|dms|call))\b/;

/** Whether the text reports or asks about a scam rather than being one. */
export function reportsScam(lower: string): boolean {
  return REPORTS_SCAM.test(lower);
}

// A program dressed as a document ("refund_invoice_fdp.exe", its letters reversed by a hidden
// direction mark that cleaning removed).
// The extension first, found from each "." (most texts have a few and no extension); the
// name is read after.
const PROGRAM_EXTENSIONS: ReadonlySet<string> = new Set(['exe', 'scr', 'bat', 'cmd', 'msi', 'vbs', 'jar', 'apk']);
const FILE_NAME_END = /[\w-]+$/;
const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Where the first ".exe"-like extension (three letters, then no word character) starts in `lower`, or -1. */
function programExtensionAt(lower: string): number {
  for (let at = lower.indexOf('.'); at >= 0; at = lower.indexOf('.', at + 1)) {
    if (isWordCode(lower.charCodeAt(at + 4)) || at + 4 > lower.length) continue;
    if (PROGRAM_EXTENSIONS.has(lower.slice(at + 1, at + 4))) return at;
  }
  return -1;
}

/** A file name in the text that would run a program, or null. */
export function programFile(lower: string): string | null {
  const at = programExtensionAt(lower);
  if (at < 0) return null;
  const name = FILE_NAME_END.exec(lower.slice(0, at))?.[0];
  return name === undefined ? null : name + lower.slice(at, at + 4);
}

// Keyword stuffing: the brand's name three times or more, not as a handle, among shopping
// words, with a link to follow.
const SHOPPING = /\b(?:promo|discount|coupon|voucher|codes?|deals?|cheap)\b/;
const LINK = /https?:\/\/|\b[\w-]+\.(?:com|net|org|io|co|info|biz|xyz|shop|site|online|example)\b/;

/** Whether the text repeats the brand's name among shopping words beside a link, as SEO junk does. */
export function keywordStuffed(lower: string, brand: BrandTerms): boolean {
  for (const stem of brandStems(brand)) {
    let count = 0;
    for (let at = lower.indexOf(stem); at >= 0 && count < 3; at = lower.indexOf(stem, at + 1)) if (lower.charCodeAt(at - 1) !== 64) count++;
    if (count >= 3) return SHOPPING.test(lower) && LINK.test(lower);
  }
  return false;
}
