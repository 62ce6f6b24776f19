/** Small pieces of how cards write numbers and links. */

/** 12345 → "12.3k". */
export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(n);
}

/** Whether Discord takes `url` in a masked link: http(s), no spaces or brackets. */
export function isLinkable(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\/[^\s()<>[\]]+$/.test(url);
}

/** `[label](url)` when Discord can take the url in a masked link, else the label alone. */
export function maskedLink(label: string, url: string | undefined): string {
  return isLinkable(url) ? `[${label}](${url})` : label;
}
