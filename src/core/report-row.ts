import type { MentionStatus } from './card-actions.js';
import { addBusinessMinutes, type BusinessHours } from './sla.js';
import type { TriageResult } from './triage-result.js';

/** What a report row is read from: a mention's state as the store keeps it. */
export interface ReportSource {
  key: string;
  status: MentionStatus;
  triage: TriageResult;
  triagedAt: string;
  /** Where its cards were posted, and when. */
  cards: ReadonlyArray<{ postedAt?: string }>;
}

/** One line of the mention's history, as far as a report reads it. */
export interface ReportEvent {
  action: string;
  at: string;
  to?: MentionStatus;
  userName?: string;
}

/** Whether the mention was claimed and closed within its SLA: `pending` while it still can be. */
export type SlaMet = 'yes' | 'no' | 'pending';

/** One row of `report`: a mention, its times, who handled it and whether its SLA was met. */
export interface ReportRow {
  key: string;
  source: string;
  url: string;
  author: string;
  postedAt: string;
  triagedAt: string;
  /** When someone first took it (claimed, or was given it). */
  claimedAt: string;
  claimedBy: string;
  /** When it was last resolved, while it stays resolved. */
  resolvedAt: string;
  resolvedBy: string;
  status: MentionStatus;
  /** Its mood flags (`angry`, `happy`, `churn-risk`), else its polarity. */
  mood: string;
  intent: string;
  severity: number;
  reach: number;
  rule: string;
  channel: string;
  claimDueAt: string;
  resolveDueAt: string;
  slaMet: SlaMet;
}

/** The columns of a report, in order: the row's field names. */
export const REPORT_COLUMNS: ReadonlyArray<keyof ReportRow> = [
  'key', 'source', 'url', 'author', 'postedAt', 'triagedAt', 'claimedAt', 'claimedBy', 'resolvedAt', 'resolvedBy',
  'status', 'mood', 'intent', 'severity', 'reach', 'rule', 'channel', 'claimDueAt', 'resolveDueAt', 'slaMet',
];

export interface ReportSettings {
  /** Minutes to resolve by severity (sla.yaml), for routes that set none. */
  resolveWithinMinutes: Readonly<Record<number, number>>;
  businessHours?: BusinessHours;
}

/**
 * A mention as a report row. SLA times count from its arrival (its first card, else its
 * triage) in business minutes, as the timers do: claimed in time means someone took or
 * closed it by the claim time, resolved in time that it was closed by the resolve time.
 * `no` as soon as either time passed without it; `yes` once closed in time; else `pending`.
 */
export function reportRow(state: ReportSource, history: readonly ReportEvent[], settings: ReportSettings, now: Date): ReportRow {
  const { mention, classification, route } = state.triage;
  const posted = state.cards.map((c) => Date.parse(c.postedAt ?? '')).filter(Number.isFinite);
  const arrival = new Date(posted.length ? Math.min(...posted) : Date.parse(state.triagedAt));
  const claimMinutes = route.claimWithinMinutes;
  const resolveMinutes = route.resolveWithinMinutes ?? settings.resolveWithinMinutes[classification.severity] ?? 0;
  const valid = Number.isFinite(arrival.getTime());
  const claimDue = valid ? addBusinessMinutes(arrival, claimMinutes, settings.businessHours) : undefined;
  const resolveDue = valid ? addBusinessMinutes(arrival, resolveMinutes, settings.businessHours) : undefined;

  const claimed = history.find((e) => e.to === 'claimed');
  const handled = history.find((e) => e.to === 'claimed' || e.to === 'resolved' || e.to === 'dismissed');
  const closed = state.status === 'resolved' || state.status === 'dismissed' ? history.filter((e) => e.to === state.status).at(-1) : undefined;
  const resolved = state.status === 'resolved' ? closed : undefined;

  const late = (at: string | undefined, due: Date | undefined) => due !== undefined && (at ? Date.parse(at) : now.getTime()) > due.getTime();
  const slaMet: SlaMet = !valid ? 'pending' : late(handled?.at, claimDue) || late(closed?.at, resolveDue) ? 'no' : closed ? 'yes' : 'pending';

  return {
    key: state.key,
    source: mention.source,
    url: mention.url ?? '',
    author: mention.author.handle,
    postedAt: mention.createdAt,
    triagedAt: state.triagedAt,
    claimedAt: claimed?.at ?? '',
    claimedBy: claimed?.userName ?? '',
    resolvedAt: resolved?.at ?? '',
    resolvedBy: resolved?.userName ?? '',
    status: state.status,
    mood: classification.flags.length ? classification.flags.join(' ') : classification.polarity,
    intent: classification.intent,
    severity: classification.severity,
    reach: state.triage.reach,
    rule: route.rule,
    channel: route.channel,
    claimDueAt: claimDue?.toISOString() ?? '',
    resolveDueAt: resolveDue?.toISOString() ?? '',
    slaMet,
  };
}

// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or CR first).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
 * A text a spreadsheet would run as a formula gets a leading `'` (handles start with `@`).
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row as one CSV record, in {@link REPORT_COLUMNS} order, without the line break (CRLF, per RFC 4180). */
export function csvRecord(values: ReadonlyArray<string | number>): string {
  return values.map(csvField).join(',');
}
