/**
 * The watermark sweep of sources whose listings come newest first with no "since" token
 * (Hacker News, Reddit). A poll sweeps down from the newest item to the stream's floor:
 * the newest second read less {@link OVERLAP_SECONDS}, because both search indexes list
 * some items minutes after younger ones, and an exact watermark would pass them by. The
 * items already handled inside that overlap are remembered with their seconds, so they
 * are not delivered twice. The state in every batch's cursor says how far the sweep got,
 * so a crash resumes it without losing or repeating items.
 */
import type { Logger } from 'pino';
import { z } from 'zod';

/**
 * How far below the newest second read each poll reads again. Algolia's HN index and
 * Reddit's search both list an item seconds to minutes after it was posted, so one posted
 * at T can show up after one posted at T+30 s; ten minutes covers their usual lag.
 */
export const OVERLAP_SECONDS = 10 * 60;

/**
 * Most handled ids remembered per stream for the overlap. When more were read inside it,
 * the floor rises past the oldest second dropped: nothing is repeated, and only an item
 * indexed late into that busy stretch can be missed.
 */
export const SEEN_MAX = 500;

/** `[id, second]` of a handled item. */
const seenEntry = z.tuple([z.string(), z.number().int()]);
export type SeenEntry = z.infer<typeof seenEntry>;

export const sweepFields = {
  /** Newest second handled by this sweep; items above it are left for the next sweep. */
  top: z.number().int(),
  /** Everything above `until` (up to `top`) is handled, and so are `untilIds` at `until`. */
  until: z.number().int(),
  untilIds: z.array(z.string()),
  /** Items this sweep handled inside the next poll's overlap (at most {@link SEEN_MAX}). */
  recent: z.array(seenEntry),
  /** Set once `recent` outgrew {@link SEEN_MAX}: it holds every item handled from this second on, none older. */
  recentFrom: z.number().int().optional(),
};

/** A stream's watermark and its sweep in progress, with a sweep schema the source may extend. */
export function watermarkStateSchema<S extends z.ZodType<Sweep>>(sweep: S) {
  return z.object({
    /**
     * The oldest second a sweep reads: the newest second read less the overlap (or the
     * look-back's start). Older items are done.
     */
    from: z.number().int(),
    /** The items at or after `from` that are done, newest first (at most {@link SEEN_MAX}). */
    seen: z.array(seenEntry),
    /** A sweep that has not reached `from` yet. */
    sweep: sweep.optional(),
  });
}

export interface Sweep {
  top: number;
  until: number;
  untilIds: string[];
  recent: SeenEntry[];
  recentFrom?: number | undefined;
}

export interface WatermarkState<S extends Sweep = Sweep> {
  from: number;
  seen: SeenEntry[];
  sweep?: S | undefined;
}

/** A stream's state before its first sweep: read from `from` on. */
export const startAt = (from: number): WatermarkState<never> => ({ from, seen: [] });

/** What a sweep does with an item at second `t`: hand it on, or skip it as handled or as the next sweep's. */
export function place(state: WatermarkState, id: string, t: number): 'take' | 'handled' | 'later' {
  if (t < state.from || state.seen.some(([seen]) => seen === id)) return 'handled';
  const { sweep } = state;
  if (sweep) {
    if (t > sweep.top) return 'later';
    // An item indexed late into the stretch already swept is skipped here; not being in
    // `seen`, it is read by the next sweep's overlap.
    if (t > sweep.until || (t === sweep.until && sweep.untilIds.includes(id))) return 'handled';
  }
  return 'take';
}

/** Newest first; past `max`, the oldest second kept whole is dropped with everything older, and `from` says where the rest starts. */
function keepNewest(entries: SeenEntry[], max: number): { entries: SeenEntry[]; from?: number } {
  const sorted = [...entries].sort((a, b) => b[1] - a[1]);
  if (sorted.length <= max) return { entries: sorted };
  const dropped = sorted[max]![1];
  return { entries: sorted.filter(([, t]) => t > dropped), from: dropped + 1 };
}

/** Records that the item at second `t` is handled by this sweep. */
export function mark(state: WatermarkState, id: string, t: number): void {
  if (!state.sweep) state.sweep = { top: t, until: t, untilIds: [], recent: [] };
  const sweep = state.sweep;
  if (t < sweep.until) {
    sweep.until = t;
    sweep.untilIds = [id];
  } else if (!sweep.untilIds.includes(id)) sweep.untilIds.push(id);
  if (t < Math.max(sweep.top - OVERLAP_SECONDS, sweep.recentFrom ?? -Infinity)) return;
  sweep.recent.push([id, t]);
  if (sweep.recent.length > SEEN_MAX) {
    const kept = keepNewest(sweep.recent, SEEN_MAX);
    sweep.recent = kept.entries;
    sweep.recentFrom = kept.from;
  }
}

/** The sweep reached `from`: the next reads from its newest second less the overlap, skipping what it handled there. */
export function finishSweep(state: WatermarkState): WatermarkState<never> {
  const { sweep } = state;
  if (!sweep) return { from: state.from, seen: state.seen };
  const from = Math.max(state.from, sweep.top - OVERLAP_SECONDS, sweep.recentFrom ?? -Infinity);
  const byId = new Map<string, number>();
  for (const [id, t] of [...sweep.recent, ...state.seen]) if (t >= from && !byId.has(id)) byId.set(id, t);
  const kept = keepNewest([...byId], SEEN_MAX);
  return { from: kept.from ?? from, seen: kept.entries };
}

/**
 * A stored sweep cursor, read with `schema`; missing or unreadable, `empty()` with a
 * warning: the read starts again from its look-back (ingest's seen record keeps repeats out).
 */
export function readCursor<C>(cursor: string | undefined, schema: z.ZodType<C>, empty: () => C, log: Logger, source: string): C {
  if (!cursor) return empty();
  try {
    return schema.parse(JSON.parse(cursor));
  } catch (error) {
    log.warn({ cursor: cursor.slice(0, 200), err: (error as Error).message }, `${source}: stored cursor unreadable; starting again from the look-back`);
    return empty();
  }
}
