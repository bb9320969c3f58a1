/**
 * The alert rules, as pure functions of what the monitor shows now and what the watch remembers.
 * Each returns the conditions that hold (new or still active), the active ones that recovered, and
 * what to remember. The README ("Watches and digests") explains the rules in words.
 */
import type { ErrorSummary, ErrorSummaryEntry } from '../../src/contracts/panda.js';
import { untrusted } from '../../src/contracts/reply.js';
import type { TaskTriage } from '../data/task-triage.js';
import type { SiteObservation, WatchState } from './types.js';

export interface RuleSettings {
  /** Task: alert when failed / (failed + finished) attempts reaches this share… */
  taskFailureRate: number;
  /** …over at least this many ended attempts. */
  taskMinJobs: number;
  /** Site: failed jobs in the window ≥ max(siteMinFailed, siteRatio × baseline median). */
  siteRatio: number;
  siteMinFailed: number;
  /** Site: an error's share of the site's errors rises by this much (0..1) over its baseline mean… */
  shareJump: number;
  /** …with at least this many jobs. */
  signatureMinJobs: number;
  /** Observations needed before a site's baseline is trusted, and how many are kept. */
  baselineMin: number;
  baselineMax: number;
}

export const DEFAULT_RULES: RuleSettings = {
  taskFailureRate: 0.2,
  taskMinJobs: 10,
  siteRatio: 2,
  siteMinFailed: 10,
  shareJump: 0.25,
  signatureMinJobs: 5,
  baselineMin: 3,
  baselineMax: 12,
};

/** A condition that holds now. */
export interface Finding {
  key: string;
  headline: string;
  details: string[];
  /** Alert once and forget (no recovery): task end states, a new signature. */
  oneShot?: boolean;
  /** Added to the watch's `known` list once the alert is sent. */
  remember?: string;
  /** The watch has nothing more to report after this alert. */
  final?: string;
  baseline?: number;
}

export interface Recovery {
  key: string;
  text: string;
}

export interface Evaluation {
  holding: Finding[];
  recovered: Recovery[];
  /** Replaces the watch's `known` list when set. */
  known?: string[];
  /** Replaces the site history when set. */
  history?: SiteObservation[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
export const TASK_DONE = new Set(['done', 'finished']);
export const TASK_FAILED = new Set(['failed', 'broken', 'aborted', 'exhausted']);

export function taskFailureRate(t: TaskTriage): { failed: number; finished: number; rate: number } {
  const count = (state: string) => t.states.find((s) => s.state === state)?.all ?? 0;
  const failed = count('failed');
  const finished = count('finished');
  return { failed, finished, rate: failed + finished === 0 ? 0 : failed / (failed + finished) };
}

export function evaluateTask(t: TaskTriage, state: WatchState, rules: RuleSettings): Evaluation {
  const holding: Finding[] = [];
  const recovered: Recovery[] = [];
  const status = String(t.task.status);
  const { failed, finished, rate } = taskFailureRate(t);
  const counts = `${failed} failed and ${finished} finished attempts (failure rate ${pct(rate)})`;
  if (TASK_DONE.has(status))
    holding.push({ key: `status:${status}`, headline: `finished (${status})`, details: [counts], oneShot: true, final: `task ${status}` });
  if (TASK_FAILED.has(status))
    holding.push({
      key: `status:${status}`,
      headline: `ended ${status}`,
      details: [counts, ...(t.task.errordialog ? [`Task error: ${String(t.task.errordialog)}`] : [])],
      oneShot: true,
      final: `task ${status}`,
    });

  const ended = failed + finished;
  const key = 'failure-rate';
  if (ended >= rules.taskMinJobs && rate >= rules.taskFailureRate) {
    holding.push({ key, headline: `failure rate ${pct(rate)} is over the ${pct(rules.taskFailureRate)} threshold`, details: [counts] });
  } else if (state.active[key] && rate < rules.taskFailureRate * 0.75) {
    recovered.push({ key, text: `the failure rate is back to ${pct(rate)} (${counts}), under ${pct(rules.taskFailureRate * 0.75)}` });
  } else if (state.active[key]) {
    holding.push({ key, headline: `failure rate ${pct(rate)}`, details: [counts] });
  }

  const codes = t.signatures.map((s) => s.code);
  if (state.checks === 0) return { holding, recovered, known: [...new Set(codes)] };
  for (const s of t.signatures) {
    if (state.known.includes(s.code)) continue;
    holding.push({
      key: `signature:${s.code}`,
      headline: `new error signature ${s.code}`,
      details: [`${s.count} failed jobs (${pct(s.share)} of ${t.failedJobs}) at ${s.sites.slice(0, 3).join(', ')}`],
      oneShot: true,
      remember: s.code,
    });
  }
  return { holding, recovered };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

export function siteGroup(summary: ErrorSummary, site: string) {
  return summary.errsBySite.find((g) => g.name.toLowerCase() === site.toLowerCase());
}

export function evaluateSite(summary: ErrorSummary, site: string, state: WatchState, rules: RuleSettings, at: string): Evaluation {
  const group = siteGroup(summary, site);
  const failed = group?.toterrjobs ?? 0;
  const total = group?.toterrors ?? 0;
  const entries: ErrorSummaryEntry[] = group?.errorlist ?? [];
  const shares = Object.fromEntries(entries.map((e) => [e.error, total === 0 ? 0 : e.count / total]));
  const observation: SiteObservation = { at, failed, shares };
  const holding: Finding[] = [];
  const recovered: Recovery[] = [];
  const history = state.history;
  const window = `${summary.hours} h`;

  if (history.length >= rules.baselineMin) {
    const key = 'failed-jobs';
    const active = state.active[key];
    const base = active?.baseline ?? median(history.map((h) => h.failed));
    const threshold = Math.max(rules.siteMinFailed, rules.siteRatio * base);
    const line = `${failed} failed jobs in the last ${window}; its usual level is ${base} (median of the last ${history.length} checks), the alert level ${threshold}`;
    if (failed >= threshold || (active && failed >= threshold * 0.75)) {
      holding.push({
        key,
        headline: `${failed} failed jobs in ${window}, ${base === 0 ? 'up from none' : `${(failed / base).toFixed(1)}× its usual ${base}`}`,
        details: [line],
        baseline: base,
      });
    } else if (active) {
      recovered.push({ key, text: `failed jobs are back to ${failed} in the last ${window} (usual level ${base})` });
    }
    for (const e of entries) {
      const k = `share:${e.error}`;
      const baseShare = state.active[k]?.baseline ?? mean(history.map((h) => h.shares[e.error] ?? 0));
      const share = shares[e.error] ?? 0;
      const rise = share - baseShare;
      if ((e.count >= rules.signatureMinJobs && rise >= rules.shareJump) || (state.active[k] && rise >= rules.shareJump / 2)) {
        holding.push({
          key: k,
          headline: `${e.error} is now ${pct(share)} of the site's errors (usually ${pct(baseShare)})`,
          details: [`${e.count} of ${total} errors in the last ${window}: ${e.error} ${e.diag ? `"${untrusted(e.diag.slice(0, 160))}"` : ''}`.trim()],
          baseline: baseShare,
        });
      }
    }
    for (const k of Object.keys(state.active)) {
      if (!k.startsWith('share:') || holding.some((f) => f.key === k)) continue;
      const error = k.slice('share:'.length);
      recovered.push({ key: k, text: `${error} is back to ${pct(shares[error] ?? 0)} of the site's errors (usually ${pct(state.active[k]?.baseline ?? 0)})` });
    }
  }
  // The baseline learns only from quiet checks, so a long incident does not become "normal".
  const quiet = holding.length === 0;
  return { holding, recovered, history: quiet ? [...history, observation].slice(-rules.baselineMax) : history };
}

/** Sites where `error` (component:code) shows in the summary, with its count and an example. */
export function errorSites(summary: ErrorSummary, error: string): Array<{ site: string; count: number; entry: ErrorSummaryEntry }> {
  const out: Array<{ site: string; count: number; entry: ErrorSummaryEntry }> = [];
  for (const g of summary.errsBySite) {
    const entry = g.errorlist.find((e) => e.error === error);
    if (entry) out.push({ site: g.name, count: entry.count, entry });
  }
  return out.sort((a, b) => b.count - a.count || a.site.localeCompare(b.site));
}

export function evaluateError(summary: ErrorSummary, error: string, state: WatchState): Evaluation {
  const sites = errorSites(summary, error);
  if (state.checks === 0) return { holding: [], recovered: [], known: sites.map((s) => s.site) };
  const holding: Finding[] = [];
  const recovered: Recovery[] = [];
  for (const s of sites) {
    const key = `site:${s.site}`;
    if (state.known.includes(s.site) && !state.active[key]) continue;
    holding.push({
      key,
      headline: `${error} appeared at ${s.site}`,
      details: [
        `${s.count} jobs at ${s.site} in the last ${summary.hours} h; before, it was seen at ${state.known.length ? state.known.slice(0, 8).join(', ') : 'no other site'}`,
      ],
      remember: s.site,
    });
  }
  for (const k of Object.keys(state.active)) {
    const site = k.slice('site:'.length);
    if (k.startsWith('site:') && !sites.some((s) => s.site === site))
      recovered.push({ key: k, text: `${error} is no longer seen at ${site} in the last ${summary.hours} h` });
  }
  return { holding, recovered };
}
