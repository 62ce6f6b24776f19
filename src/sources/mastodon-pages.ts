/**
 * Paging a Mastodon timeline (the mention notifications, a hashtag) so that every page's
 * cursor is safe to resume from.
 *
 * Mastodon pages newest first. With `min_id` it answers the items immediately newer than
 * that id (still newest first within the page), so reading forward from the newest id
 * delivered walks up in adjacent pages: after each page, everything up to its newest id is
 * delivered and nothing above it is. On first start there is no id to walk up from, so the
 * timeline is read backwards (`max_id`) down to the look-back time; until that walk ends
 * its cursor remembers the newest id seen (`top`, where to read forward from afterwards)
 * and the oldest delivered (`bottom`, where to continue walking down after a crash).
 */

/** Where one timeline stands; stored as part of the source's cursor. */
export type TimelineState =
  /** Everything up to and including id `min` is delivered: read newer. */
  | { min: string }
  /** First read, walking back to the time `since` (ISO); `top`/`bottom` once a page was read. */
  | { since: string; top?: string; bottom?: string };

/** The source's cursor: one state per timeline read. */
export interface MastodonCursor {
  notifications?: TimelineState;
  /** By lower-case hashtag. */
  tags: Record<string, TimelineState>;
}

/** One timeline as the pager sees it. */
export interface Timeline {
  /** Page size asked for (Mastodon's maximum: 40 statuses, 80 notifications). */
  limit: number;
  /**
   * Pages from the given position, each request after the first following the `Link`
   * header in `direction` (`prev`: newer, `next`: older).
   */
  pages(params: { minId?: string; maxId?: string; limit: number }, direction: 'prev' | 'next'): AsyncIterator<unknown[]>;
  /** The item's id (what `min_id`/`max_id` compare), if it has one. */
  idOf(item: unknown): string | undefined;
  /** The item's time in ms, for the look-back, if it has one. */
  timeOf(item: unknown): number | undefined;
}

/** Mastodon ids are decimal strings that outgrow a double; other servers use fixed-length sortable ids. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function extreme(ids: string[], sign: 1 | -1): string | undefined {
  let best: string | undefined;
  for (const id of ids) if (best === undefined || sign * compareIds(id, best) > 0) best = id;
  return best;
}

async function nextPage(pages: AsyncIterator<unknown[]>): Promise<unknown[]> {
  const { value, done } = await pages.next();
  return done || !Array.isArray(value) ? [] : value;
}

/** A page's items and the timeline's state once they are delivered. */
export interface TimelinePage {
  items: unknown[];
  state: TimelineState;
}

async function* walkBack(timeline: Timeline, start: { since: string; top?: string; bottom?: string }, signal: AbortSignal): AsyncGenerator<TimelinePage> {
  const since = Date.parse(start.since);
  const pages = timeline.pages({ ...(start.bottom ? { maxId: start.bottom } : {}), limit: timeline.limit }, 'next');
  let { top, bottom } = start;
  while (!signal.aborted) {
    const items = await nextPage(pages);
    const ids = items.map((i) => timeline.idOf(i)).filter((id): id is string => id !== undefined);
    const oldest = extreme(ids, -1);
    // An empty page ends the walk; so does one that does not go further down (a server ignoring max_id).
    if (oldest === undefined || (bottom !== undefined && compareIds(oldest, bottom) >= 0)) {
      if (top !== undefined) yield { items: [], state: { min: top } };
      return;
    }
    top ??= extreme(ids, 1);
    bottom = oldest;
    // Items without a time are kept: the mapper rejects them with the reason.
    const fresh = items.filter((i) => !((timeline.timeOf(i) ?? Infinity) < since));
    const done = fresh.length < items.length || items.length < timeline.limit;
    yield { items: fresh, state: done ? { min: top! } : { since: start.since, top: top!, bottom } };
    if (done) return;
  }
}

async function* walkForward(timeline: Timeline, start: { min: string }, signal: AbortSignal): AsyncGenerator<TimelinePage> {
  const pages = timeline.pages({ minId: start.min, limit: timeline.limit }, 'prev');
  let min = start.min;
  while (!signal.aborted) {
    const items = await nextPage(pages);
    const newer = items.filter((i) => {
      const id = timeline.idOf(i);
      return id === undefined || compareIds(id, min) > 0;
    });
    const newest = extreme(newer.map((i) => timeline.idOf(i)).filter((id): id is string => id !== undefined), 1);
    // Nothing newer (or a server ignoring min_id): caught up.
    if (newest === undefined) return;
    min = newest;
    yield { items: newer, state: { min } };
    // A short page is the newest there is; anything a server filtered out of it comes next poll.
    if (items.length < timeline.limit) return;
  }
}

/**
 * The pages of one timeline from `state` until caught up, each with the state to store
 * once its items are delivered. Stops between pages when `signal` is aborted.
 */
export function timelinePages(timeline: Timeline, state: TimelineState, signal: AbortSignal): AsyncGenerator<TimelinePage> {
  return 'min' in state ? walkForward(timeline, state, signal) : walkBack(timeline, state, signal);
}

const isState = (v: unknown): v is TimelineState => {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  if (typeof s.min === 'string') return true;
  return typeof s.since === 'string' && Number.isFinite(Date.parse(s.since)) && ['top', 'bottom'].every((k) => s[k] === undefined || typeof s[k] === 'string');
};

/** Reads a stored cursor; undefined when there is none or it is not one of ours. */
export function parseCursor(cursor: string | undefined): MastodonCursor | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(cursor) as { notifications?: unknown; tags?: unknown };
    if (!value || typeof value !== 'object' || !value.tags || typeof value.tags !== 'object') return undefined;
    const tags: Record<string, TimelineState> = {};
    for (const [tag, state] of Object.entries(value.tags)) if (isState(state)) tags[tag] = state;
    return { ...(isState(value.notifications) ? { notifications: value.notifications } : {}), tags };
  } catch {
    return undefined;
  }
}
