/**
 * Two jobs side by side: site, software, input, memory, duration, state and errors, and for each
 * failed job the cause and decisive log lines from the job analysis (agents/logs — the same
 * diagnosis the job agent gives, not a second one).
 */
import type { JobDetails, JobRecord, PandaSource } from '../../src/contracts/panda.js';
import { type ReplyBlock, untrusted, withoutMarks } from '../../src/contracts/reply.js';
import type { KnowledgeBase } from '../../src/knowledge/index.js';
import { redact } from '../../src/logs/index.js';
import { dateMs } from '../../src/panda/dates.js';
import { analyseOffline } from '../logs/index.js';
import { errorSignature } from './job-search.js';

interface Row {
  label: string;
  a: string;
  b: string;
}

const FAILED = new Set(['failed', 'holding', 'cancelled', 'closed']);

function durationSec(job: JobRecord): number | null {
  if (typeof job.durationsec === 'number' && job.durationsec > 0) return job.durationsec;
  const s = dateMs(job.starttime);
  const e = dateMs(job.endtime);
  return Number.isFinite(s) && Number.isFinite(e) && e > s ? Math.round((e - s) / 1000) : null;
}

const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v));
const hms = (s: number | null) => (s === null ? '—' : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`);
const mb = (kb: unknown) => (typeof kb === 'number' && kb > 0 ? `${Math.round(kb / 1024)} MB` : '—');

function inputs(d: JobDetails): string {
  const files = d.files.filter((f) => f.type === 'input');
  if (files.length === 0) return show(d.job.proddblock ?? d.job.inputfileproject);
  const datasets = [...new Set(files.map((f) => f.dataset ?? ''))].filter(Boolean);
  return `${files.length} file${files.length === 1 ? '' : 's'}${datasets.length ? ` from ${datasets.slice(0, 2).join(', ')}` : ''}`;
}

function rows(a: JobDetails, b: JobDetails): Row[] {
  const x = a.job;
  const y = b.job;
  const err = (j: JobRecord) => {
    const sig = errorSignature(j);
    return sig ? `${sig.error} ${sig.diag.slice(0, 80)}` : 'none';
  };
  return [
    { label: 'status', a: x.jobstatus, b: y.jobstatus },
    { label: 'task', a: show(x.jeditaskid), b: show(y.jeditaskid) },
    { label: 'site', a: show(x.computingsite), b: show(y.computingsite) },
    { label: 'attempt', a: show(x.attemptnr), b: show(y.attemptnr) },
    { label: 'release', a: show(x.atlasrelease ?? x.homepackage), b: show(y.atlasrelease ?? y.homepackage) },
    { label: 'platform', a: show(x.cmtconfig), b: show(y.cmtconfig) },
    { label: 'container', a: show(x.container_name), b: show(y.container_name) },
    { label: 'input', a: inputs(a), b: inputs(b) },
    { label: 'cores', a: show(x.actualcorecount ?? x.corecount), b: show(y.actualcorecount ?? y.corecount) },
    { label: 'memory requested', a: x.minramcount ? `${x.minramcount} MB` : '—', b: y.minramcount ? `${y.minramcount} MB` : '—' },
    { label: 'max PSS used', a: mb(x.maxpss), b: mb(y.maxpss) },
    { label: 'max RSS used', a: mb(x.maxrss), b: mb(y.maxrss) },
    { label: 'duration', a: hms(durationSec(x)), b: hms(durationSec(y)) },
    { label: 'worker node', a: show(x.wn ?? String(x.modificationhost ?? '').split('@')[1]), b: show(y.wn ?? String(y.modificationhost ?? '').split('@')[1]) },
    { label: 'error', a: err(x), b: err(y) },
  ];
}

export interface Comparison {
  ids: [number, number];
  rows: Row[];
  differing: Row[];
  causes: Array<{ pandaid: number; cause: string; lines: string[] }>;
}

export async function compareJobs(deps: { panda: PandaSource; kb: KnowledgeBase }, ids: [number, number], signal?: AbortSignal): Promise<Comparison> {
  const [a, b] = await Promise.all(ids.map((id) => deps.panda.getJob(id, signal)));
  const all = rows(a as JobDetails, b as JobDetails);
  const causes: Comparison['causes'] = [];
  for (const d of [a, b] as JobDetails[]) {
    if (!FAILED.has(d.job.jobstatus)) continue;
    const analysis = await analyseOffline(deps, d.job, { signal });
    causes.push({
      pandaid: d.job.pandaid,
      cause: analysis.diagnosis.cause.title,
      lines: analysis.diagnosis.decisive.map((l) => `${l.source}${l.n ? `:${l.n}` : ''}: ${redact(l.text).slice(0, 240)}`),
    });
  }
  return { ids, rows: all, differing: all.filter((r) => r.a !== r.b && r.label !== 'worker node'), causes };
}

export function renderComparison(c: Comparison, jobUrl: (id: number) => string | null): { blocks: ReplyBlock[]; summary: string } {
  const [a, b] = c.ids;
  const status = c.rows.find((r) => r.label === 'status');
  const head =
    status && status.a !== status.b ? `Job ${a} ${status.a} and job ${b} ${status.b}.` : `Jobs ${a} and ${b} are both ${status?.a ?? 'in the same state'}.`;
  const differs = c.differing.filter((r) => r.label !== 'status');
  const diffText = differs.length
    ? `They differ in ${differs.map((r) => `${r.label} (${untrusted(r.a)} vs ${untrusted(r.b)})`).join(', ')}.`
    : 'They do not differ in site, software, input, memory or cores.';
  const causeText = c.causes.map((x) => `Job ${x.pandaid}: ${x.cause}${x.lines[0] ? ` — "${x.lines[0].slice(0, 200)}"` : ''}.`).join(' ');
  const blocks: ReplyBlock[] = [
    { kind: 'markdown', text: `${head} ${diffText}` },
    {
      kind: 'table',
      caption: `Job ${a} vs job ${b}`,
      columns: ['', String(a), String(b)],
      // Values come from the job records (container names, diags set by the payload): quoted text.
      rows: c.rows.map((r) => [`${r.a !== r.b ? '≠ ' : ''}${r.label}`, untrusted(r.a), untrusted(r.b)]),
    },
  ];
  for (const x of c.causes) {
    blocks.push({ kind: 'markdown', text: `**Why job ${x.pandaid} ${x.cause ? 'failed' : 'stopped'}:** ${x.cause}.` });
    if (x.lines.length) blocks.push({ kind: 'code', text: x.lines.join('\n') });
  }
  const links = c.ids.map((id) => jobUrl(id)).filter(Boolean);
  if (links.length) blocks.push({ kind: 'markdown', text: `Monitor: ${links.join(' · ')}` });
  return { blocks, summary: withoutMarks(`${head} ${diffText}${causeText ? ` ${causeText}` : ''}`) };
}
