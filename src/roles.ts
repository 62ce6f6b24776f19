/** The roles one binary can play; `start` runs all of them unless told otherwise. */
export const ROLES = ['ingest', 'triage', 'notify', 'bot'] as const;
export type Role = (typeof ROLES)[number];
