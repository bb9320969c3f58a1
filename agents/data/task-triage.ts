/**
 * Task triage, computed (no LLM): job counts by state, failures by error code / site / attempt,
 * failure signatures (error code + a template mined from the diag texts), wasted walltime and
 * CPU, and retry effectiveness along the attempt chains (`parentid`, else same job name).
 */
import type { JobRecord, TaskDetails } from '../../src/contracts/panda.js';
import { FINAL_JOB_STATES, JOB_STATES } from '../../src/panda/index.js';
import { codesFromJob, type ErrorCodeEntry, type JobErrorCode, type KnowledgeBase } from '../../src/knowledge/index.js';
import { createTemplateMiner, type TemplateMiner, templateText } from './template-miner.js';

export interface FailureSignature {
  /** `pilot:1305/exe:65` — the job's error keys, most informative first. */
  code: string;
  template: string;
  count: number;
  /** Share of all failed jobs, 0..1. */
  share: number;
  /** Up to three pandaids, latest attempt first. */
  examples: number[];
  sites: string[];
  wallHours: number;
  coreHours: number;
  cpuHours: number;
  /** Failed attempts of this signature whose chain later finished. */
  recovered: number;
  /** Knowledge-base entries of the codes (primary first). */
  entries: ErrorCodeEntry[];
}

export interface CountRow {
  key: string;
  count: number;
}

export interface RetryStats {
  /** Failed attempts considered. */
  failed: number;
  /** ... whose attempt chain later finished. */
  recovered: number;
  /** ... whose chain has a later attempt still in progress. */
  inProgress: number;
  /** ... retried, but every later attempt ended without finishing. */
  failedAgain: number;
  /** ... that are the last attempt of their chain (no retry yet, or none will come). */
  final: number;
  /** How chains were linked: `parentid`, `jobname` or `none`. */
  linkedBy: 'parentid' | 'jobname' | 'none';
}

export interface TaskTriage {
  jeditaskid: number;
  task: TaskDetails['task'];
  totalJobs: number;
  /** State counts over every attempt, and over the latest attempt of each chain. */
  states: Array<{ state: string; all: number; latest: number }>;
  failedJobs: number;
  /** Failed jobs per `component:code`; a job carrying several codes counts under each. */
  byCode: CountRow[];
  bySite: Array<{ site: string; failed: number; finished: number; total: number }>;
  byAttempt: Array<{ attempt: number; total: number; failed: number; finished: number }>;
  signatures: FailureSignature[];
  retry: RetryStats;
  wasted: { wallHours: number; coreHours: number; cpuHours: number };
}

const FINAL_OK = 'finished';
const FAILED = 'failed';
/** Every state the monitor lists that is not final. */
const IN_PROGRESS = new Set<string>(JOB_STATES.filter((state) => !FINAL_JOB_STATES.has(state)));

const num = (v: unknown): number => {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(n) ? n : 0;
};

function durationSeconds(job: JobRecord): number {
  const d = num(job.durationsec);
  if (d > 0) return d;
  const start = job.starttime ? Date.parse(job.starttime.endsWith('Z') ? job.starttime : `${job.starttime}Z`) : Number.NaN;
  const end = job.endtime ? Date.parse(job.endtime.endsWith('Z') ? job.endtime : `${job.endtime}Z`) : Number.NaN;
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? (end - start) / 1000 : 0;
}

function cores(job: JobRecord): number {
  return Math.max(1, num(job.actualcorecount) || num(job.corecount) || 1);
}

/** Error keys of a job, most informative first: a payload code beats the pilot's generic "payload failed". */
export function jobErrorCodes(job: JobRecord, kb: KnowledgeBase): JobErrorCode[] {
  const codes = codesFromJob(job, kb);
  // trf:N duplicates exe:N on production jobs.
  const exe = new Set(codes.filter((c) => c.component === 'exe').map((c) => c.code));
  return codes.filter((c) => !(c.component === 'trf' && exe.has(c.code)));
}

export function signatureCode(codes: JobErrorCode[]): string {
  return codes.length === 0 ? 'unknown' : codes.map((c) => c.errorKey).join('/');
}

function diagText(codes: JobErrorCode[], job: JobRecord): string {
  const diags = codes.map((c) => c.diag).filter((d) => d.length > 0);
  if (diags.length > 0) return [...new Set(diags)].join(' | ');
  const exit = String(job.transexitcode ?? '').trim();
  return exit && exit !== '0' ? `transform exit code ${exit}` : '(no diagnostic text)';
}

function countBy<T>(items: T[], key: (item: T) => string): CountRow[] {
  const map = new Map<string, number>();
  for (const item of items) map.set(key(item), (map.get(key(item)) ?? 0) + 1);
  return [...map.entries()].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Links attempts: child → parent by `parentid` when any job names a parent, else by equal job name in attempt order. */
function attemptChains(jobs: JobRecord[]): { next: Map<number, JobRecord[]>; linkedBy: RetryStats['linkedBy'] } {
  const ids = new Set(jobs.map((j) => j.pandaid));
  const next = new Map<number, JobRecord[]>();
  const withParent = jobs.filter((j) => ids.has(num(j.parentid)) && num(j.parentid) !== j.pandaid);
  if (withParent.length > 0) {
    for (const j of withParent) {
      const list = next.get(num(j.parentid));
      if (list) list.push(j);
      else next.set(num(j.parentid), [j]);
    }
    return { next, linkedBy: 'parentid' };
  }
  const byName = new Map<string, JobRecord[]>();
  for (const j of jobs) {
    if (typeof j.jobname !== 'string' || !j.jobname) continue;
    const list = byName.get(j.jobname);
    if (list) list.push(j);
    else byName.set(j.jobname, [j]);
  }
  let linked = false;
  for (const chain of byName.values()) {
    if (chain.length < 2) continue;
    chain.sort((a, b) => num(a.attemptnr) - num(b.attemptnr) || a.pandaid - b.pandaid);
    for (let i = 0; i + 1 < chain.length; i += 1) next.set((chain[i] as JobRecord).pandaid, [chain[i + 1] as JobRecord]);
    linked = true;
  }
  return { next, linkedBy: linked ? 'jobname' : 'none' };
}

function laterAttempts(job: JobRecord, next: Map<number, JobRecord[]>): JobRecord[] {
  const out: JobRecord[] = [];
  const seen = new Set<number>([job.pandaid]);
  const queue = [...(next.get(job.pandaid) ?? [])];
  while (queue.length > 0) {
    const j = queue.shift() as JobRecord;
    if (seen.has(j.pandaid)) continue;
    seen.add(j.pandaid);
    out.push(j);
    queue.push(...(next.get(j.pandaid) ?? []));
  }
  return out;
}

export interface TriageOptions {
  /** Drain similarity threshold for the diag templates. */
  similarity?: number;
}

export function triageTask(details: TaskDetails, jobs: JobRecord[], kb: KnowledgeBase, options: TriageOptions = {}): TaskTriage {
  const { next, linkedBy } = attemptChains(jobs);
  const latest = jobs.filter((j) => (next.get(j.pandaid) ?? []).length === 0);
  const allStates = countBy(jobs, (j) => j.jobstatus);
  const latestStates = new Map(countBy(latest, (j) => j.jobstatus).map((r) => [r.key, r.count]));
  const failed = jobs.filter((j) => j.jobstatus === FAILED);

  const miners = new Map<string, TemplateMiner>();
  const perJob = failed.map((job) => {
    const codes = jobErrorCodes(job, kb);
    const code = signatureCode(codes);
    const miner = miners.get(code) ?? createTemplateMiner({ similarity: options.similarity ?? 0.5 });
    miners.set(code, miner);
    return { job, codes, code, cluster: miner.add(diagText(codes, job)) };
  });

  const retry: RetryStats = { failed: failed.length, recovered: 0, inProgress: 0, failedAgain: 0, final: 0, linkedBy };
  const recoveredIds = new Set<number>();
  for (const job of failed) {
    const later = laterAttempts(job, next);
    if (later.some((j) => j.jobstatus === FINAL_OK)) {
      retry.recovered += 1;
      recoveredIds.add(job.pandaid);
    } else if (later.some((j) => IN_PROGRESS.has(j.jobstatus))) retry.inProgress += 1;
    else if (later.length > 0) retry.failedAgain += 1;
    else retry.final += 1;
  }

  const groups = new Map<string, typeof perJob>();
  for (const item of perJob) {
    const key = `${item.code}\u0000${item.cluster.id}`;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  const signatures: FailureSignature[] = [...groups.values()].map((items) => {
    const first = items[0] as (typeof perJob)[number];
    const sorted = [...items].sort((a, b) => num(b.job.attemptnr) - num(a.job.attemptnr) || b.job.pandaid - a.job.pandaid);
    const wall = items.reduce((s, i) => s + durationSeconds(i.job), 0);
    return {
      code: first.code,
      template: templateText(first.cluster),
      count: items.length,
      share: failed.length === 0 ? 0 : items.length / failed.length,
      examples: sorted.slice(0, 3).map((i) => i.job.pandaid),
      sites: countBy(items, (i) => String(i.job.computingsite ?? '?')).map((r) => r.key),
      wallHours: round(wall / 3600),
      coreHours: round(items.reduce((s, i) => s + (durationSeconds(i.job) * cores(i.job)) / 3600, 0)),
      cpuHours: round(items.reduce((s, i) => s + num(i.job.cpuconsumptiontime), 0) / 3600),
      recovered: items.filter((i) => recoveredIds.has(i.job.pandaid)).length,
      entries: first.codes.map((c) => c.entry).filter((e): e is ErrorCodeEntry => e !== null),
    };
  });
  signatures.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));

  const sites = new Map<string, { site: string; failed: number; finished: number; total: number }>();
  for (const job of jobs) {
    const site = String(job.computingsite ?? '?');
    const row = sites.get(site) ?? { site, failed: 0, finished: 0, total: 0 };
    row.total += 1;
    if (job.jobstatus === FAILED) row.failed += 1;
    if (job.jobstatus === FINAL_OK) row.finished += 1;
    sites.set(site, row);
  }
  const attempts = new Map<number, { attempt: number; total: number; failed: number; finished: number }>();
  for (const job of jobs) {
    const attempt = num(job.attemptnr);
    const row = attempts.get(attempt) ?? { attempt, total: 0, failed: 0, finished: 0 };
    row.total += 1;
    if (job.jobstatus === FAILED) row.failed += 1;
    if (job.jobstatus === FINAL_OK) row.finished += 1;
    attempts.set(attempt, row);
  }

  return {
    jeditaskid: details.task.jeditaskid,
    task: details.task,
    totalJobs: jobs.length,
    states: allStates.map((r) => ({ state: r.key, all: r.count, latest: latestStates.get(r.key) ?? 0 })),
    failedJobs: failed.length,
    byCode: countBy(
      perJob.flatMap((i) => i.codes.map((c) => c.errorKey)),
      (k) => k,
    ),
    bySite: [...sites.values()].filter((s) => s.failed > 0).sort((a, b) => b.failed - a.failed || a.site.localeCompare(b.site)),
    byAttempt: [...attempts.values()].sort((a, b) => a.attempt - b.attempt),
    signatures,
    retry,
    wasted: {
      wallHours: round(failed.reduce((s, j) => s + durationSeconds(j), 0) / 3600),
      coreHours: round(failed.reduce((s, j) => s + (durationSeconds(j) * cores(j)) / 3600, 0)),
      cpuHours: round(failed.reduce((s, j) => s + num(j.cpuconsumptiontime), 0) / 3600),
    },
  };
}
