import { convert } from 'html-to-text';

/**
 * Plain text of a post that arrives as HTML (Mastodon statuses, Hacker News comments, feed
 * items): paragraphs and line breaks kept as new lines, links as their text, entities
 * decoded, no markup left. Links are collected separately by each source.
 */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    preserveNewlines: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The `href`s of the anchors in an HTML fragment, http(s) only, in order, without repeats. */
export function htmlLinks(html: string): string[] {
  const links = new Set<string>();
  for (const m of html.matchAll(/<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const href = (m[1] ?? m[2] ?? '').replace(/&amp;/g, '&').trim();
    if (/^https?:\/\//i.test(href)) links.add(href);
  }
  return [...links];
}
