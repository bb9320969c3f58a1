/**
 * The monitor writes datetimes in two encodings: `/job` and `/task/N/` pre-format them as
 * `"YYYY-MM-DD HH:MM:SS"`, `/jobs/` and `/tasks/` as ISO 8601 without a zone
 * (`"2025-10-02T14:11:38"`). Both are UTC. We normalise every one of them to ISO 8601 UTC.
 */
const MONITOR_DATE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,6})?(Z|[+-]00:?00)?$/;

/** ISO 8601 UTC (`2025-03-12T08:22:18Z`) for a monitor datetime string; null for empty or null. */
export function normaliseDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') return null;
  const match = MONITOR_DATE.exec(value.trim());
  if (!match) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : new Date(parsed).toISOString().replace('.000Z', 'Z');
  }
  const fraction = match[3] ? match[3].slice(0, 4) : '';
  return `${match[1]}T${match[2]}${fraction}Z`;
}

/** True for a key that holds a datetime in monitor records (`creationtime`, `creationdate`, `ttcrequested`, ...). */
export function isDateKey(key: string): boolean {
  return key.endsWith('time') || key.endsWith('date') || key === 'ttcrequested' || key === 'modification';
}

/**
 * Returns a copy of a record with every datetime-valued field normalised. Only string values that
 * look like a monitor datetime under a date-like key are touched, so durations such as `cputime`
 * or `walltime` (numbers) pass unchanged.
 */
export function normaliseDates<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = { ...record };
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'string' && isDateKey(key) && MONITOR_DATE.test(value.trim())) out[key] = normaliseDate(value);
  }
  return out as T;
}

/** Milliseconds since the epoch of a normalised date, or NaN. */
export function dateMs(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
