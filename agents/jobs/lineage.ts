/**
 * The retry lineage of a job: every attempt of the same piece of work. JEDI names a job
 * `<taskName>.$ORIGINPANDAID` and counts `attemptnr`; `parentid` (and `originpandaid` where present)
 * link a retry to the attempt it replaced. The attempts come from the task's job list (all
 * attempts, only the fields used), or from a job-name search when the job has no task.
 */
import type { JobRecord, PandaSource } from '../../src/contracts/panda.js';
import { untrusted } from '../../src/contracts/reply.js';
import { dateMs } from '../../src/panda/dates.js';
import { errorSignature } from './job-search.js';

export const LINEAGE_FIELDS = [
  'durationsec',
  'originpandaid',
  'atlasrelease',
  'cmtconfig',
  'corecount',
  'actualcorecount',
  'maxrss',
  'maxpss',
  'minramcount',
] as const;

export interface Attempt {
  pandaid: number;
  attemptnr: number | null;
  status: string;
  site: string | null;
  error: string | null;
  diag: string | null;
  durationSec: number | null;
  start: string | null;
  end: string | null;
  record: JobRecord;
}

export interface Lineage {
  asked: number;
  attempts: Attempt[];
  /** One line per step between consecutive attempts: what differs. */
  changes: string[];
  /** How the attempts were found. */
  via: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

function durationOf(job: JobRecord): number | null {
  const d = num(job.durationsec);
  if (d !== null && d > 0) return d;
  const s = dateMs(job.starttime);
  const e = dateMs(job.endtime);
  return Number.isFinite(s) && Number.isFinite(e) && e > s ? Math.round((e - s) / 1000) : null;
}

/** The origin id in a JEDI job name (`…​.6602000003`), or null. */
export function originFromName(name: unknown): number | null {
  const m = typeof name === 'string' ? /\.(\d{6,12})$/.exec(name) : null;
  return m ? Number(m[1]) : null;
}

/** The attempts linked to `job` in `jobs`: same job name (JEDI), origin id, or a parentid chain either way. */
export function linkedAttempts(job: JobRecord, jobs: readonly JobRecord[]): JobRecord[] {
  const byId = new Map(jobs.map((j) => [j.pandaid, j]));
  byId.set(job.pandaid, byId.get(job.pandaid) ?? job);
  const children = new Map<number, number[]>();
  for (const j of byId.values()) {
    const parent = num(j.parentid);
    if (parent && parent !== j.pandaid) children.set(parent, [...(children.get(parent) ?? []), j.pandaid]);
  }
  const origin = num(job.originpandaid) ?? originFromName(job.jobname);
  const seen = new Set<number>();
  const queue = [job.pandaid];
  for (const j of byId.values()) {
    if (j.pandaid === job.pandaid) continue;
    const sameName = typeof job.jobname === 'string' && job.jobname !== '' && j.jobname === job.jobname;
    const sameOrigin = origin !== null && (num(j.originpandaid) === origin || j.pandaid === origin);
    if (sameName || sameOrigin) queue.push(j.pandaid);
  }
  while (queue.length > 0) {
    const id = queue.pop() as number;
    if (seen.has(id) || !byId.has(id)) continue;
    seen.add(id);
    const parent = num(byId.get(id)?.parentid);
    if (parent && parent !== id) queue.push(parent);
    for (const c of children.get(id) ?? []) queue.push(c);
  }
  return [...seen]
    .map((id) => byId.get(id) as JobRecord)
    .sort((a, b) => (a.attemptnr ?? 0) - (b.attemptnr ?? 0) || (dateMs(a.creationtime) || 0) - (dateMs(b.creationtime) || 0) || a.pandaid - b.pandaid);
}

function attemptOf(job: JobRecord): Attempt {
  const sig = job.jobstatus === 'finished' ? null : errorSignature(job);
  return {
    pandaid: job.pandaid,
    attemptnr: job.attemptnr,
    status: job.jobstatus,
    site: job.computingsite,
    error: sig?.error ?? null,
    diag: sig?.diag ?? null,
    durationSec: durationOf(job),
    start: job.starttime,
    end: job.endtime,
    record: job,
  };
}

const COMPARED: Array<[string, string]> = [
  ['computingsite', 'site'],
  ['atlasrelease', 'release'],
  ['cmtconfig', 'platform'],
  ['corecount', 'cores'],
  ['minramcount', 'memory requested (MB)'],
];

/** "attempt 1 → 2: site SWT2_CPB → TRIUMF; error pilot:1099 → none; status failed → finished". */
export function attemptChanges(attempts: readonly Attempt[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < attempts.length; i++) {
    const a = attempts[i - 1] as Attempt;
    const b = attempts[i] as Attempt;
    const diffs: string[] = [];
    for (const [field, label] of COMPARED) {
      const x = a.record[field];
      const y = b.record[field];
      if (x !== undefined && y !== undefined && x !== null && y !== null && String(x) !== String(y)) diffs.push(`${label} ${String(x)} → ${String(y)}`);
    }
    if ((a.error ?? '') !== (b.error ?? '')) diffs.push(`error ${a.error ?? 'none'} → ${b.error ?? 'none'}`);
    else if (a.error && b.error) diffs.push(`same error ${a.error}`);
    if (a.status !== b.status) diffs.push(`status ${a.status} → ${b.status}`);
    const label = `attempt ${a.attemptnr ?? '?'} (${a.pandaid}) → ${b.attemptnr ?? '?'} (${b.pandaid})`;
    out.push(`${label}: ${diffs.length ? diffs.join('; ') : 'no difference in site, software, cores, memory, error or status'}`);
  }
  return out;
}

export async function findLineage(panda: PandaSource, pandaid: number, signal?: AbortSignal): Promise<Lineage> {
  const { job } = await panda.getJob(pandaid, signal);
  let pool: JobRecord[] = [];
  let via: string;
  if (job.jeditaskid) {
    pool = await panda.getTaskJobs(job.jeditaskid, { allAttempts: true, fields: LINEAGE_FIELDS, signal });
    via = `the job list of task ${job.jeditaskid} (all attempts)`;
  } else if (typeof job.jobname === 'string' && job.jobname) {
    pool = await panda.listJobs({ jobname: job.jobname, allAttempts: true }, { fields: LINEAGE_FIELDS, signal });
    via = `a search for the job name ${job.jobname}`;
  } else via = 'the job record alone (no task and no job name)';
  const attempts = linkedAttempts(job, pool).map(attemptOf);
  return { asked: pandaid, attempts, changes: attemptChanges(attempts), via };
}

const hms = (s: number | null) => (s === null ? '—' : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`);

export function renderLineage(l: Lineage, jobUrl: (id: number) => string | null) {
  const n = l.attempts.length;
  const last = l.attempts[n - 1];
  const head =
    n <= 1
      ? `Job ${l.asked} has no other attempt: it is attempt ${last?.attemptnr ?? 1} and no retry of it was found (searched ${l.via}).`
      : `Job ${l.asked} is one of ${n} attempts of the same job; the latest, ${last?.pandaid} (attempt ${last?.attemptnr ?? '?'}), is ${last?.status}.`;
  const link = (id: number) => {
    const url = jobUrl(id);
    return url ? `[${id}](${url})` : String(id);
  };
  const rows = l.attempts.map((a) => [
    String(a.attemptnr ?? '?'),
    link(a.pandaid),
    a.status,
    a.site ?? '—',
    a.error ? `${a.error}${a.diag ? ` ${untrusted(a.diag.slice(0, 90))}` : ''}` : '—',
    hms(a.durationSec),
  ]);
  const attemptsText = l.attempts
    .map((a) => `attempt ${a.attemptnr ?? '?'}: ${a.pandaid} ${a.status} at ${a.site ?? '?'}${a.error ? ` (${a.error})` : ''}, ${hms(a.durationSec)}`)
    .join('; ');
  const blocks = [
    { kind: 'markdown' as const, text: head },
    { kind: 'table' as const, caption: `Attempts (from ${l.via})`, columns: ['attempt', 'pandaid', 'status', 'site', 'error', 'duration'], rows },
    ...(l.changes.length ? [{ kind: 'markdown' as const, text: `**What changed:**\n${l.changes.map((c) => `• ${c}`).join('\n')}` }] : []),
  ];
  const summary = `${head}${n > 1 ? ` ${attemptsText}. What changed: ${l.changes.join('. ')}.` : ''}`;
  return { blocks, summary };
}
