/** Task-list filtering as the monitor does it (`*` wildcards, `|` alternatives), for file-backed data. */
import type { TaskFilter, TaskRecord } from '../contracts/panda.js';
import { dateMs } from './dates.js';

/** The monitor's text filter: `*` wildcards, `|` alternatives, case-insensitive (tasks and jobs). */
export function textMatcher(pattern: string): (value: unknown) => boolean {
  const alternatives = pattern.split('|').map(
    (p) =>
      new RegExp(
        `^${p
          .trim()
          .replace(/[.+?^${}()[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
        'i',
      ),
  );
  return (value) => (typeof value === 'string' || typeof value === 'number') && alternatives.some((re) => re.test(String(value)));
}

/** `now` is the end of the `days` window (the newest record time for recorded data). */
export function filterTasks(tasks: TaskRecord[], filter: TaskFilter, now: number): TaskRecord[] {
  const checks: Array<(t: TaskRecord) => boolean> = [];
  if (filter.username) {
    const m = textMatcher(filter.username);
    checks.push((t) => m(t.username));
  }
  if (filter.status) {
    const m = textMatcher(filter.status);
    checks.push((t) => m(t.status));
  }
  if (filter.taskname) {
    const m = textMatcher(filter.taskname);
    checks.push((t) => m(t.taskname));
  }
  if (filter.days !== undefined) {
    const from = now - filter.days * 86400_000;
    checks.push((t) => {
      const at = dateMs(t.modificationtime ?? t.creationdate);
      return !Number.isFinite(at) || at >= from;
    });
  }
  const out = tasks.filter((t) => checks.every((c) => c(t))).sort((a, b) => b.jeditaskid - a.jeditaskid);
  return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
}

/** The query string the monitor's `/tasks/` view understands for a filter. */
export function taskFilterQuery(filter: TaskFilter): string {
  const parts = ['json'];
  if (filter.username) parts.push(`username=${encodeURIComponent(filter.username)}`);
  if (filter.status) parts.push(`status=${encodeURIComponent(filter.status)}`);
  if (filter.taskname) parts.push(`taskname=${encodeURIComponent(filter.taskname)}`);
  if (filter.days !== undefined) parts.push(`days=${filter.days}`);
  if (filter.limit !== undefined) parts.push(`limit=${filter.limit}`);
  return parts.join('&');
}
