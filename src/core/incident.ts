/**
 * What the leads say about an incident in progress ("label printing down since 10:20"),
 * set with `/triage incident`. Outage drafts speak to it: what is known while it lasts,
 * and, once resolved, that it is fixed, asking whether it works for them now.
 */

export const INCIDENT_STATES = ['active', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export interface Incident {
  /** The leads' words, as a reply may quote them: "label printing has been down since 10:20". */
  text: string;
  state: IncidentState;
  /** ISO time the incident was set, and when it was marked resolved. */
  since: string;
  resolvedAt?: string;
  /** Who set it last, as the state records people (`@dana`). */
  by?: string;
}

/** The incident condition a template may ask for: `none` when no incident is set. */
export type IncidentCondition = IncidentState | 'none';
