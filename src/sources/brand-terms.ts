import type { BrandConfig } from '../config/schema.js';

/**
 * What a source reads when its entry in `sources.yaml` says nothing more: the brand's
 * names and, per platform, its own handle picked from `brand.handles` by shape.
 */

/** The brand's names, de-duplicated without regard to case. */
export function brandNames(brand: BrandConfig): string[] {
  const seen = new Map<string, string>();
  for (const name of [brand.name, ...brand.names]) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/** The brand's X handle: the first handle with no `.` or `@` (X handles have neither). */
export function xHandleOf(brand: BrandConfig): string | undefined {
  return brand.handles.find((h) => /^[A-Za-z0-9_]{1,15}$/.test(h));
}

/** The brand's Bluesky handle: the first with a `.` and no `@` (`parcelly.app`, `parcelly.bsky.social`). */
export function blueskyHandleOf(brand: BrandConfig): string | undefined {
  return brand.handles.find((h) => h.includes('.') && !h.includes('@'));
}

/** The brand's Mastodon account `user@instance`: the first handle of that shape. */
export function mastodonAccountOf(brand: BrandConfig): { username: string; instance: string } | undefined {
  for (const h of brand.handles) {
    const m = /^([A-Za-z0-9_]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$/.exec(h);
    if (m) return { username: m[1]!, instance: m[2]! };
  }
  return undefined;
}

/** A hashtag for each brand name: letters and digits only (`Low Tide` → `LowTide`). */
export function brandHashtags(brand: BrandConfig): string[] {
  const tags = brandNames(brand).map((n) => n.replace(/[^\p{L}\p{N}_]/gu, '')).filter(Boolean);
  return [...new Set(tags.map((t) => t.toLowerCase()))];
}

/** Whether a text names the brand as a whole word (case-insensitive). */
export function namesBrand(text: string, brand: BrandConfig): boolean {
  const lower = text.toLowerCase();
  return brandNames(brand).some((name) => {
    const n = name.toLowerCase();
    for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, at + 1)) {
      const before = lower[at - 1];
      const after = lower[at + n.length];
      const boundary = (c: string | undefined) => c === undefined || !/[\p{L}\p{N}_]/u.test(c);
      if (boundary(before) && boundary(after)) return true;
    }
    return false;
  });
}
