import type { Redis } from 'ioredis';
import { INCIDENT_STATES, type Incident } from '../core/incident.js';

/** The incident the leads set with `/triage incident`, shared by every process on the same Redis. */
export interface IncidentStore {
  /** The incident now: an active one, or one resolved less than `resolvedTtlSeconds` ago; undefined otherwise. */
  current(): Promise<Incident | undefined>;
  /**
   * Sets the incident. A resolved one keeps the active one's text and start when given
   * no text of its own, and is forgotten after `resolvedTtlSeconds`.
   */
  set(change: { state: Incident['state']; text?: string; by?: string }, at: Date): Promise<Incident>;
}

export interface IncidentStoreOptions {
  prefix: string;
  /** How long drafts keep saying "it's fixed now" after the incident was resolved. @defaultValue 6 hours */
  resolvedTtlSeconds?: number;
}

/** The text the leads give is quoted in replies: one line, at most this long. */
export const INCIDENT_TEXT_MAX = 200;

/** Thrown for an incident the store cannot set; the message says why, for the lead. */
export class IncidentInputError extends Error {}

/** Kept as one JSON value under `<prefix>:incident`. */
export function createIncidentStore(redis: Redis, options: IncidentStoreOptions): IncidentStore {
  const key = `${options.prefix}:incident`;
  const resolvedTtl = Math.max(1, Math.round(options.resolvedTtlSeconds ?? 6 * 3600));

  async function current(): Promise<Incident | undefined> {
    const raw = await redis.get(key);
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as Partial<Incident>;
      if (typeof value.text !== 'string' || !INCIDENT_STATES.includes(value.state as Incident['state']) || typeof value.since !== 'string') return undefined;
      return value as Incident;
    } catch {
      return undefined;
    }
  }

  return {
    current,
    async set(change, at) {
      const text = change.text?.replace(/\s+/g, ' ').trim();
      if (text && text.length > INCIDENT_TEXT_MAX) throw new IncidentInputError(`the text is ${text.length} characters; at most ${INCIDENT_TEXT_MAX}`);
      const before = await current();
      if (change.state === 'active') {
        if (!text) throw new IncidentInputError('say what is known, e.g. "label printing has been down since 10:20"');
        const incident: Incident = { text, state: 'active', since: before?.state === 'active' ? before.since : at.toISOString(), ...(change.by ? { by: change.by } : {}) };
        await redis.set(key, JSON.stringify(incident));
        return incident;
      }
      const kept = text ?? before?.text;
      if (!kept) throw new IncidentInputError('no incident is set: say what was fixed, e.g. "label printing is back since 11:05"');
      const incident: Incident = { text: kept, state: 'resolved', since: before?.since ?? at.toISOString(), resolvedAt: at.toISOString(), ...(change.by ? { by: change.by } : {}) };
      await redis.set(key, JSON.stringify(incident), 'EX', resolvedTtl);
      return incident;
    },
  };
}
