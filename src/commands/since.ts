const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * `--since` as an instant: a span back from `now` (`30m`, `24h`, `7d`, `2w`) or an
 * ISO-8601 date or time. Undefined when it is neither.
 */
export function parseSince(value: string, now: Date = new Date()): Date | undefined {
  const span = /^(\d+)([mhdw])$/.exec(value.trim());
  if (span) return new Date(now.getTime() - Number(span[1]) * UNIT_MS[span[2] as keyof typeof UNIT_MS]);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? new Date(at) : undefined;
}
