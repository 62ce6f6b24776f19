/**
 * The watermark sweep of sources whose listings come newest first with no "since" token
 * (Hacker News, Reddit): each stream keeps the newest second read and the ids seen at
 * that second; a poll sweeps down from the newest item to the watermark, and the state in
 * every batch's cursor says how far the sweep got, so a crash resumes the sweep without
 * losing or repeating items.
 */
import { z } from 'zod';

export const sweepFields = {
  /** Newest second of this sweep; items above it are left for the next sweep. */
  top: z.number().int(),
  /** Ids at `top` handled in this sweep: the next watermark's ids. */
  topIds: z.array(z.string()),
  /** Everything above `until` (up to `top`) is handled, and so are `untilIds` at `until`. */
  until: z.number().int(),
  untilIds: z.array(z.string()),
};

/** A stream's watermark and its sweep in progress, with a sweep schema the source may extend. */
export function watermarkStateSchema<S extends z.ZodType<Sweep>>(sweep: S) {
  return z.object({
    /** The watermark: items older than `since` are done, and so are `sinceIds` at `since`. */
    since: z.number().int(),
    sinceIds: z.array(z.string()),
    /** A sweep that has not reached the watermark yet. */
    sweep: sweep.optional(),
  });
}

export interface Sweep {
  top: number;
  topIds: string[];
  until: number;
  untilIds: string[];
}

export interface WatermarkState<S extends Sweep = Sweep> {
  since: number;
  sinceIds: string[];
  sweep?: S | undefined;
}

/** What a sweep does with an item at second `t`: hand it on, or skip it as handled or as the next sweep's. */
export function place(state: WatermarkState, id: string, t: number): 'take' | 'handled' | 'later' {
  const { sweep } = state;
  if (t < state.since) return 'handled';
  if (sweep) {
    if (t > sweep.top) return 'later';
    if (t > sweep.until || (t === sweep.until && sweep.untilIds.includes(id))) return 'handled';
  }
  if (t === state.since && state.sinceIds.includes(id)) return 'handled';
  return 'take';
}

/** Records that the item at second `t` is handled by this sweep. */
export function mark(state: WatermarkState, id: string, t: number): void {
  if (!state.sweep) state.sweep = { top: t, topIds: [], until: t, untilIds: [] };
  const sweep = state.sweep;
  if (t === sweep.top && !sweep.topIds.includes(id)) sweep.topIds.push(id);
  if (t < sweep.until) {
    sweep.until = t;
    sweep.untilIds = [id];
  } else if (!sweep.untilIds.includes(id)) sweep.untilIds.push(id);
}

/** The sweep reached the watermark: its newest second becomes the watermark. */
export function finishSweep(state: WatermarkState): WatermarkState<never> {
  const { sweep } = state;
  if (!sweep) return { since: state.since, sinceIds: state.sinceIds };
  const carried = sweep.top === state.since ? state.sinceIds : [];
  return { since: sweep.top, sinceIds: [...new Set([...carried, ...sweep.topIds])] };
}
