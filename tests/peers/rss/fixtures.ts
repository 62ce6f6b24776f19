/**
 * Feed documents for the peer, written by hand in the shapes the formats define (RSS 2.0
 * with `content:encoded` and `dc:creator`, Atom 1.0, RDF/RSS 1.0 with Dublin Core, and
 * Google Alerts' Atom: html titles with `<b>` highlighting, google.com/url redirect links,
 * empty authors). The brand is the invented shipping-label app Parcelly.
 */

/** One item; every field optional so tests can leave out what they are about. */
export interface FixtureItem {
  /** The guid (RSS), `<id>` (Atom) or `rdf:about` (RDF). */
  id?: string;
  /** RSS: the guid is the item's permalink (no `isPermaLink="false"`, as RSS 2.0 then reads it). */
  permalink?: boolean;
  title?: string;
  link?: string;
  /** HTML body. */
  html?: string;
  /** ISO time. */
  published?: string;
  author?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const rfc822 = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');

/** An RSS 2.0 channel, as a WordPress-style blog publishes it. */
export function rss2Feed(options: { title?: string; language?: string; items: FixtureItem[] }): string {
  const items = options.items
    .map((item) =>
      [
        '    <item>',
        item.title !== undefined ? `      <title>${esc(item.title)}</title>` : '',
        item.link ? `      <link>${esc(item.link)}</link>` : '',
        item.author ? `      <dc:creator><![CDATA[${item.author}]]></dc:creator>` : '',
        item.published ? `      <pubDate>${rfc822(item.published)}</pubDate>` : '',
        '      <category><![CDATA[Shipping]]></category>',
        item.id ? `      <guid${item.permalink ? '' : ' isPermaLink="false"'}>${esc(item.id)}</guid>` : '',
        item.html !== undefined ? `      <description><![CDATA[${item.html.replace(/<[^>]+>/g, '').slice(0, 120)} [&#8230;]]]></description>` : '',
        item.html !== undefined ? `      <content:encoded><![CDATA[${item.html}]]></content:encoded>` : '',
        '    </item>',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${esc(options.title ?? 'Small Seller Weekly')}</title>
    <atom:link href="https://smallsellerweekly.example/feed/" rel="self" type="application/rss+xml" />
    <link>https://smallsellerweekly.example</link>
    <description>Notes for people who ship from their kitchen table</description>
    <lastBuildDate>Fri, 20 Nov 2026 11:30:00 +0000</lastBuildDate>
    ${options.language ? `<language>${options.language}</language>` : ''}
    <generator>https://wordpress.org/?v=6.9</generator>
${items}
  </channel>
</rss>
`;
}

/** An Atom 1.0 feed, as a static-site blog publishes it. */
export function atomFeed(options: { title?: string; lang?: string; items: FixtureItem[] }): string {
  const entries = options.items
    .map((item) =>
      [
        '  <entry>',
        item.title !== undefined ? `    <title type="text">${esc(item.title)}</title>` : '',
        item.link ? `    <link rel="alternate" type="text/html" href="${esc(item.link)}"/>` : '',
        item.link ? `    <link rel="replies" type="application/atom+xml" href="${esc(item.link)}/comments.atom"/>` : '',
        item.id ? `    <id>${esc(item.id)}</id>` : '',
        item.published ? `    <published>${item.published}</published>\n    <updated>${item.published}</updated>` : '',
        item.author ? `    <author><name>${esc(item.author)}</name><uri>https://ops.example/about</uri></author>` : '',
        item.html !== undefined ? `    <content type="html">${esc(item.html)}</content>` : '',
        '  </entry>',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${options.lang ? ` xml:lang="${options.lang}"` : ''}>
  <title>${esc(options.title ?? 'Warehouse Floor Notes')}</title>
  <subtitle>Running a three-person fulfilment shop</subtitle>
  <link rel="self" href="https://ops.example/atom.xml"/>
  <link rel="alternate" href="https://ops.example/"/>
  <id>urn:uuid:6f1d2c1e-52a4-4d5e-9a53-1c0e5c7b8f10</id>
  <updated>2026-11-20T11:00:00Z</updated>
  <generator uri="https://www.getzola.org/">Zola</generator>
${entries}
</feed>
`;
}

/** An RDF/RSS 1.0 feed, as older Movable Type and Slash sites publish it. */
export function rdfFeed(options: { title?: string; language?: string; items: FixtureItem[] }): string {
  const about = (item: FixtureItem) => esc(item.id ?? item.link ?? '');
  const seq = options.items.map((item) => `        <rdf:li rdf:resource="${about(item)}"/>`).join('\n');
  const items = options.items
    .map((item) =>
      [
        `  <item rdf:about="${about(item)}">`,
        item.title !== undefined ? `    <title>${esc(item.title)}</title>` : '',
        item.link ? `    <link>${esc(item.link)}</link>` : '',
        item.html !== undefined ? `    <description>${esc(item.html)}</description>` : '',
        item.author ? `    <dc:creator>${esc(item.author)}</dc:creator>` : '',
        item.published ? `    <dc:date>${item.published}</dc:date>` : '',
        '    <dc:subject>logistics</dc:subject>',
        '  </item>',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://courierforum.example/">
    <title>${esc(options.title ?? 'Courier Forum: newest threads')}</title>
    <link>https://courierforum.example/</link>
    <description>Newest threads</description>
    ${options.language ? `<dc:language>${options.language}</dc:language>` : ''}
    <dc:date>2026-11-20T11:00:00+00:00</dc:date>
    <items>
      <rdf:Seq>
${seq}
      </rdf:Seq>
    </items>
  </channel>
${items}
</rdf:RDF>
`;
}

/** One Google Alerts result: `url` is the real page, `title` and `snippet` HTML with `<b>` highlights. */
export interface AlertResult {
  /** The numeric part of the entry id. */
  n: string;
  title: string;
  url: string;
  snippet: string;
  published: string;
}

/** The google.com redirect Google Alerts wraps every result link in. */
export function googleRedirect(real: string, n = '0'): string {
  return `https://www.google.com/url?rct=j&sa=t&url=${encodeURIComponent(real)}&ct=ga&cd=CAIyHDk${n}ZGQ3NjE6Y29tOmVuOlVTOlI&usg=AOvVaw0${n}xQy7mPz`;
}

/** A Google Alerts feed for the query `parcelly`. */
export function googleAlertsFeed(results: AlertResult[]): string {
  const entries = results
    .map(
      (r) => `<entry>
<id>tag:google.com,2013:googlealerts/feed:${r.n}</id>
<title type="html">${esc(r.title)}</title>
<link href="${esc(googleRedirect(r.url, r.n))}"></link>
<published>${r.published}</published>
<updated>${r.published}</updated>
<content type="html">${esc(r.snippet)}</content>
<author><name></name></author>
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">
<id>tag:google.com,2005:reader/user/08151711424242424242/state/com.google/alerts/5147036920338812345</id>
<title>Google Alert - parcelly</title>
<link href="https://www.google.com/alerts/feeds/08151711424242424242/5147036920338812345" rel="self"></link>
<updated>2026-11-20T11:45:00Z</updated>
${entries}
</feed>`;
}
