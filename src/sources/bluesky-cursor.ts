/**
 * The Bluesky source's cursor: per query (and for the notifications) the newest
 * `indexedAt` delivered, the posts delivered just before it, and, while a read is paging,
 * where it is. Stored by the scheduler after each batch, so a read that stops between
 * pages resumes at the next page.
 *
 * Each walk pages newest-first down to a floor a little below the last watermark: search
 * filters and sorts on `sortAt` (the earlier of createdAt and indexedAt) and indexes a
 * post some time after its `indexedAt`, so an exact watermark would lose posts. The
 * posts delivered inside that overlap are remembered, so they are not delivered twice.
 * A walk ends at the first item ordered below the floor, by the key its stream's pages
 * are ordered by (`orderedAt`): `sortAt` for search, but the notification's own
 * `indexedAt` for notifications, whose list the AppView sorts by it; a backdated post
 * (old createdAt) notified today sits on page 1 and must not end the walk there.
 */

/** How far below the watermark each walk reaches. */
export const OVERLAP_MS = 5 * 60_000;
/** Most posts remembered per stream for the overlap; past it a repeat is possible (ingest dedupes it). */
export const RECENT_MAX = 200;

/** Where one stream (a query, or the notifications) stands. */
export interface StreamState {
  /** Newest `indexedAt` delivered by a finished walk (ISO). */
  newest?: string;
  /** AT URI → indexedAt of posts delivered inside the overlap. */
  recent?: Record<string, string>;
  /** A walk in progress: the next page's cursor, its floor, the newest indexedAt it has seen. */
  walk?: { cursor: string; floor: string; top?: string };
}

export interface BlueskyCursor {
  v: 1;
  notifications?: StreamState;
  queries: Record<string, StreamState>;
}

/** An item of a page, as the walk needs it. */
export interface WalkItem {
  uri: string;
  indexedAt: string;
  /** The key the stream's pages are sorted by, newest first (see the file comment). */
  orderedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (value: string | undefined) => (value ? Date.parse(value) : NaN);

/** The stored cursor, or an empty one (first start) when there is none or it is unreadable. */
export function parseCursor(text: string | undefined): { cursor: BlueskyCursor; problem?: string } {
  if (!text) return { cursor: { v: 1, queries: {} } };
  try {
    const value = JSON.parse(text) as Partial<BlueskyCursor>;
    if (value.v === 1 && typeof value.queries === 'object' && value.queries !== null) return { cursor: { v: 1, queries: value.queries, ...(value.notifications ? { notifications: value.notifications } : {}) } };
  } catch {
    // falls through
  }
  return { cursor: { v: 1, queries: {} }, problem: `unreadable cursor (${text.slice(0, 80)}): starting again from the look-back` };
}

/** The lowest `indexedAt` this walk keeps: the walk's own, else the watermark less the overlap, else the look-back. */
export function floorOf(state: StreamState, now: Date, lookbackMs: number): string {
  if (state.walk) return state.walk.floor;
  const newest = ms(state.newest);
  return iso(Number.isFinite(newest) ? newest - OVERLAP_MS : now.getTime() - lookbackMs);
}

/**
 * One page of a walk: which items are new (at or above the floor, not delivered yet),
 * whether the walk is over (no next page, or the page reached below the floor), and the
 * stream's state once this page is delivered.
 */
export function stepWalk<T extends WalkItem>(
  state: StreamState,
  floor: string,
  items: T[],
  next: string | undefined,
): { fresh: T[]; done: boolean; state: StreamState } {
  const floorMs = ms(floor);
  const recent = { ...state.recent };
  const fresh: T[] = [];
  let top = ms(state.walk?.top);
  for (const item of items) {
    const at = ms(item.indexedAt);
    if (!(top >= at)) top = at;
    if (at >= floorMs && !(item.uri in recent)) {
      fresh.push(item);
      recent[item.uri] = iso(at);
    }
  }
  const done = !next || items.length === 0 || items.some((i) => ms(i.orderedAt) < floorMs);
  const newest = Math.max(...[ms(state.newest), top].filter(Number.isFinite));
  const keepFrom = newest - OVERLAP_MS;
  const kept = Object.entries(recent)
    .filter(([, at]) => ms(at) >= keepFrom)
    .sort((a, b) => ms(b[1]) - ms(a[1]))
    .slice(0, RECENT_MAX);
  const base: StreamState = { ...(Number.isFinite(newest) && done ? { newest: iso(newest) } : state.newest ? { newest: state.newest } : {}), recent: Object.fromEntries(kept) };
  return {
    fresh,
    done,
    state: done ? base : { ...base, walk: { cursor: next!, floor, ...(Number.isFinite(top) ? { top: iso(top) } : {}) } },
  };
}
