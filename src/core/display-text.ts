/**
 * Makes untrusted mention text safe to show: in a Discord embed (no pings, no markdown
 * tricks, no hidden or reordered characters) and in a terminal (no escape sequences).
 * Pure string functions; the Discord client also sets `allowedMentions: { parse: [] }`,
 * so this is the second layer, not the only one.
 */

/** Appended when text is cut; one code unit, so it fits any `maxLength` ≥ 1. */
const ELLIPSIS = '…';

/** Zero-width space: the character we insert to break `@everyone` and `<@id>` tokens. */
const ZWSP = '\u200b';

const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
]);

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g;

/**
 * Terminal escape sequences: CSI (`ESC [` or C1 0x9B) with parameters and a final byte,
 * OSC/DCS/APC/PM/SOS strings up to BEL or ST, and two-byte `ESC x` sequences.
 */
const ANSI_SEQUENCE =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;

/**
 * A ZWJ that joins two emoji (family, profession, flag sequences). Any other ZWJ is
 * invisible noise and is removed with the rest of the format characters.
 */
const EMOJI_ZWJ =
  /(?<=\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]?)\u200d(?=\p{Extended_Pictographic})/u;

/** Subdivision flags (🏴 + tag letters + cancel tag) are the one legitimate use of tag characters. */
const TAG_FLAG = /\u{1f3f4}[\u{e0030}-\u{e0039}\u{e0061}-\u{e007a}]{2,6}\u{e007f}/u;

/**
 * Everything removed as invisible: format characters (zero-width, bidi embeddings,
 * overrides and isolates, word joiner, BOM, tags...), C0/C1 controls except newline,
 * lone surrogates and the Hangul fillers used to post "blank" text. The emoji ZWJ and
 * tag-flag sequences are matched first so they survive.
 */
const INVISIBLE = new RegExp(
  `(${TAG_FLAG.source}|${EMOJI_ZWJ.source})|\\p{Cf}|[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]|[\\ud800-\\udfff]|[\\u115f\\u1160\\u3164\\uffa0]`,
  'gu',
);

/** More than this many combining marks on one letter is "zalgo" text, cut back to this. */
const MAX_COMBINING_MARKS = 4;
const COMBINING_RUN = new RegExp(`([\\p{Mn}\\p{Me}]{${MAX_COMBINING_MARKS}})[\\p{Mn}\\p{Me}]+`, 'gu');

/** Discord's own autolink pattern: markdown inside a URL is not parsed, so it is not escaped. */
const URL = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/g;

/** Escaped anywhere outside URLs: Discord drops the backslash before any punctuation. */
const MARKDOWN_CHARS = new Set(['\\', '*', '_', '~', '`', '|', '[', ']', '(', ')']);

/** Block markers that only mean something at the start of a line: heading, quote, list, subtext. */
const LINE_START_CHARS = new Set(['#', '>', '-']);

// Made on first use: the first segmenter of a process loads ICU's break rules (~10 ms at start).
let graphemes: Intl.Segmenter | undefined;

function decodeEntity(match: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return NAMED_ENTITIES.get(name.toLowerCase()) ?? match;
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  const valid = code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : match;
}

/**
 * Decodes the HTML entities platforms leave in post text (`&amp;`, `&lt;`, `&gt;`,
 * `&quot;`, `&apos;`, `&#39;`, `&nbsp;`, decimal and hex numeric). One pass only, so
 * `&amp;lt;` becomes `&lt;`, as the author typed it. Unknown entities stay as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, decodeEntity);
}

/**
 * The shared first step for every reader of mention text (triage and display): decodes
 * HTML entities, then removes terminal escape sequences, invisible and control characters
 * (keeping the ZWJ inside emoji sequences), cuts zalgo mark runs, and normalises
 * whitespace: tabs and Unicode spaces become one space, line endings become `\n`,
 * spaces at either end of a line go, and at most one blank line is kept between paragraphs.
 *
 * Entities are decoded first so that `&#8238;` or `&lt;@123&gt;` are caught by the
 * later steps like the characters they stand for.
 */
export function cleanText(text: string): string {
  return decodeEntities(text)
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(ANSI_SEQUENCE, '')
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, (_match, keep?: string) => keep ?? '')
    .replace(COMBINING_RUN, '$1')
    .replace(/\p{Zs}+/gu, ' ')
    .replace(/^ +| +$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Joins display units, cutting at a unit boundary so neither a surrogate pair, a grapheme
 * (emoji sequence) nor an escape sequence is split; ends with `…` when anything was cut.
 */
function fit(units: readonly string[], maxLength: number): string {
  const limit = Math.max(0, Math.floor(maxLength));
  const total = units.reduce((sum, unit) => sum + unit.length, 0);
  if (total <= limit) return units.join('');
  if (limit === 0) return '';
  let kept = '';
  for (const unit of units) {
    if (kept.length + unit.length > limit - ELLIPSIS.length) break;
    kept += unit;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/**
 * The graphemes of `text`, stopping once they add up to more than `budget` code units:
 * enough for `fit` to know a cut is needed, without segmenting a 20,000-character post.
 */
function* graphemesWithin(text: string, budget: number): Generator<string> {
  let length = 0;
  for (const part of (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text)) {
    yield part.segment;
    length += part.segment.length;
    if (length > budget) return;
  }
}

/** Start offsets of `@everyone` / `@here` (any case: a ZWSP costs nothing where no ping would fire). */
function massMentionStarts(text: string): Set<number> {
  return new Set(Array.from(text.matchAll(/@(?=everyone|here)/gi), (m) => m.index));
}

/** Offsets covered by URLs, which Discord links as they are. */
function urlOffsets(text: string): Set<number> {
  const covered = new Set<number>();
  for (const match of text.matchAll(URL)) {
    for (let i = match.index; i < match.index + match[0].length; i += 1) covered.add(i);
  }
  return covered;
}

/** Offsets of the `.` in an ordered-list marker (`12. `) at the start of a line. */
function orderedListDots(text: string): Set<number> {
  return new Set(Array.from(text.matchAll(/^ *\d+(?=\.)/gm), (m) => m.index + m[0].length));
}

/**
 * Text for a Discord embed or message that displays literally and pings nobody.
 *
 * - Starts from {@link cleanText}, so no zero-width, bidi or control characters remain.
 * - Markdown is escaped with a backslash (`\ * _ ~ ` + "`" + ` | [ ] ( )` anywhere; `# > -`
 *   and `1.` at a line start), except inside URLs, which Discord links verbatim.
 * - Mentions are broken with a zero-width space we add ourselves after input stripping:
 *   `@​everyone`, `@​here`, and after every `<`, which covers `<@id>`, `<@!id>`, `<@&id>`,
 *   `<#id>`, `</cmd:id>`, `<:emoji:id>` and `<t:…>` without listing them. The text reads
 *   the same; the token no longer parses, on the client or the server.
 * - At most `maxLength` UTF-16 code units (Discord counts those), cut on a grapheme and
 *   never inside an escape, ending with `…` when cut.
 *
 * @param maxLength - Limit in UTF-16 code units, e.g. 4096 for an embed description.
 */
export function safeForDiscord(text: string, maxLength: number): string {
  const clean = cleanText(text);
  const pings = massMentionStarts(clean);
  const inUrl = urlOffsets(clean);
  const listDots = orderedListDots(clean);
  const units: string[] = [];
  let offset = 0;
  let lineStart = true;
  for (const grapheme of graphemesWithin(clean, maxLength)) {
    const first = grapheme[0] ?? '';
    let unit = grapheme;
    if (first === '@' && pings.has(offset)) unit = `@${ZWSP}${grapheme.slice(1)}`;
    else if (first === '<') unit = `<${ZWSP}${grapheme.slice(1)}`;
    else if (!inUrl.has(offset) && (MARKDOWN_CHARS.has(first) || listDots.has(offset))) unit = `\\${grapheme}`;
    else if (lineStart && LINE_START_CHARS.has(first)) unit = `\\${grapheme}`;
    units.push(unit);
    if (grapheme === '\n') lineStart = true;
    else if (grapheme !== ' ') lineStart = false;
    offset += grapheme.length;
  }
  return fit(units, maxLength);
}

/**
 * Text for a terminal or a log line: {@link cleanText} removes ANSI escape sequences,
 * every C0/C1 control except `\n`, and the invisible and bidi characters, so a post can
 * neither recolour, move the cursor, retitle the window nor reorder what is shown.
 * Cut to `maxLength` UTF-16 code units on a grapheme boundary, ending with `…` when cut.
 */
export function safeForTerminal(text: string, maxLength: number): string {
  return fit([...graphemesWithin(cleanText(text), maxLength)], maxLength);
}

/**
 * Text for a Discord field that does not render markdown (embed author and footer, button
 * labels, modal titles): {@link cleanText}, mentions broken as in {@link safeForDiscord}
 * but no backslashes (they would show), cut on a grapheme with `…`.
 */
export function plainForDiscord(text: string, maxLength: number): string {
  const clean = cleanText(text).replace(/\n+/g, ' ');
  const pings = massMentionStarts(clean);
  const units: string[] = [];
  let offset = 0;
  for (const grapheme of graphemesWithin(clean, maxLength)) {
    units.push(grapheme[0] === '@' && pings.has(offset) ? `@${ZWSP}${grapheme.slice(1)}` : grapheme);
    offset += grapheme.length;
  }
  return fit(units, maxLength);
}
