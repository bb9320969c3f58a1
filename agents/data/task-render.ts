/** Renders a task triage as reply blocks (fields, tables, markdown), a plain summary and buttons. */
import { type ReplyAction, type ReplyBlock, untrusted } from '../../src/contracts/reply.js';
import { RETRY_LABELS, type RetryVerdict, retryVerdict, withoutContradictions } from '../../src/knowledge/index.js';
import type { FailureSignature, TaskTriage } from './task-triage.js';

const MAX_SIGNATURES = 10;
const MAX_SITES = 10;
const MAX_TEMPLATE = 90;

const pct = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((100 * part) / whole)}%`);
const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Template text readable by people: miner wildcards shown as "…". */
export function readableTemplate(template: string): string {
  return template.replace(/<\*>/g, '…').replace(/(…\s*){2,}/g, '… ');
}

/** Chart label: the code and the most specific diag (the last one: payload after pilot). */
export function signatureLabel(s: FailureSignature): string {
  const parts = readableTemplate(s.template).split(' | ');
  return `${s.code} ${parts[parts.length - 1] ?? ''}`.trim();
}

export function taskFields(t: TaskTriage): ReplyBlock {
  const task = t.task;
  const pairs: Array<[string, string | null]> = [
    ['Task', `${t.jeditaskid}`],
    ['Status', str(task.status)],
    ['Name', str(task.taskname)],
    ['Owner', str(task.username)],
    ['Type', [str(task.tasktype), str(task.processingtype)].filter(Boolean).join(' / ') || null],
    ['Created', str(task.creationdate)],
    ['Progress', task.progress !== undefined && task.progress !== null ? `${task.progress}%` : null],
    ['Failure rate (monitor)', task.failurerate !== undefined && task.failurerate !== null ? `${task.failurerate}%` : null],
    ['Cores', str(task.corecount)],
    ['Memory', task.ramcount ? `${task.ramcount} ${str(task.ramunit) ?? 'MB'}` : null],
    ['Walltime', task.walltime ? `${task.walltime} ${str(task.walltimeunit) ?? ''}`.trim() : null],
    ['Release', str(task.transuses) ?? str(task.transhome)],
    ['Campaign / share', [str(task.campaign), str(task.gshare)].filter(Boolean).join(' / ') || null],
    ['Task error', str(task.errordialog)],
  ];
  return { kind: 'fields', fields: pairs.filter((p): p is [string, string] => p[1] !== null).map(([label, value]) => ({ label, value })) };
}

export function overviewSentence(t: TaskTriage): string {
  const states = t.states.map((s) => `${s.all} ${s.state}`).join(', ');
  const latest = t.states.reduce((s, r) => s + r.latest, 0);
  const parts = [`Task ${t.jeditaskid} is ${t.task.status}: ${t.totalJobs} jobs over all attempts (${latest} latest attempts) — ${states}.`];
  if (t.failedJobs > 0) {
    const top = t.signatures[0];
    if (top) parts.push(`The most common failure is ${top.code} (${top.count} of ${t.failedJobs} failed jobs, ${pct(top.count, t.failedJobs)}).`);
    if (t.retry.linkedBy !== 'none') {
      const r = t.retry;
      parts.push(
        `Retries: ${r.recovered} of ${r.failed} failed attempts were retried and finished later (${pct(r.recovered, r.failed)}); retry in progress: ${r.inProgress}; failed again on retry: ${r.failedAgain}; last attempt so far: ${r.final}.`,
      );
    }
    parts.push(`Failed jobs used ${t.wasted.wallHours} wall-clock hours (${t.wasted.coreHours} core-hours, ${t.wasted.cpuHours} CPU hours).`);
  }
  return parts.join(' ');
}

export function stateTable(t: TaskTriage): ReplyBlock {
  return {
    kind: 'table',
    caption: 'Jobs by state',
    columns: ['State', 'All attempts', 'Latest attempts'],
    rows: t.states.map((s) => [s.state, String(s.all), String(s.latest)]),
  };
}

export function signatureTable(t: TaskTriage): ReplyBlock {
  return {
    kind: 'table',
    caption: `Failure signatures (${t.failedJobs} failed jobs)`,
    columns: ['#', 'Error', 'Signature', 'Jobs', 'Share', 'Recovered by retry', 'Wall h', 'Example jobs'],
    rows: t.signatures
      .slice(0, MAX_SIGNATURES)
      .map((s, i) => [
        String(i + 1),
        s.code,
        untrusted(cut(readableTemplate(s.template), MAX_TEMPLATE)),
        String(s.count),
        pct(s.count, t.failedJobs),
        `${s.recovered} of ${s.count}`,
        String(s.wallHours),
        s.examples.join(', '),
      ]),
  };
}

export function siteTable(t: TaskTriage): ReplyBlock {
  return {
    kind: 'table',
    caption: 'Failures by site (queue)',
    columns: ['Queue', 'Failed', 'Finished', 'All jobs', 'Failed share'],
    rows: t.bySite.slice(0, MAX_SITES).map((s) => [s.site, String(s.failed), String(s.finished), String(s.total), pct(s.failed, s.total)]),
  };
}

export function codeTable(t: TaskTriage): ReplyBlock {
  return {
    kind: 'table',
    caption: 'Failures by error code (a job with several codes counts under each)',
    columns: ['Error', 'Failed jobs', 'Share'],
    rows: t.byCode.map((r) => [r.key, String(r.count), pct(r.count, t.failedJobs)]),
  };
}

export function attemptTable(t: TaskTriage): ReplyBlock {
  return {
    kind: 'table',
    caption: 'Jobs by attempt',
    columns: ['Attempt', 'Jobs', 'Failed', 'Finished'],
    rows: t.byAttempt.map((a) => [String(a.attempt), String(a.total), String(a.failed), String(a.finished)]),
  };
}

/** The retry verdict of a failure signature: its primary code's advice, corrected by the retries that recovered. */
export function signatureVerdict(s: FailureSignature): RetryVerdict | null {
  const entry = s.entries[0];
  if (!entry) return null;
  return retryVerdict({ advice: entry.retry, reason: entry.retryReason, category: entry.category }, { recovered: { recovered: s.recovered, of: s.count } });
}

/** "Why did they fail?" from the signatures and the knowledge base, no LLM. */
export function whyMarkdown(t: TaskTriage, limit = 3): string {
  if (t.failedJobs === 0) return `No job of task ${t.jeditaskid} failed.`;
  const lines = ['**Why did they fail?**'];
  for (const s of t.signatures.slice(0, limit)) {
    const entry = s.entries[0];
    const name = entry?.name ? ` (${entry.name})` : '';
    // One verdict per signature: the code's advice in the light of how often retries recovered it here.
    const verdict = signatureVerdict(s);
    const explanation = withoutContradictions(entry?.explanation ?? entry?.message ?? 'not in the knowledge base', verdict?.advice ?? 'maybe');
    const advice = verdict ? ` Retry advice: ${RETRY_LABELS[verdict.advice]} — ${verdict.reason}` : '';
    lines.push(
      `- **${s.code}**${name}, ${s.count} jobs (${pct(s.count, t.failedJobs)}) at ${s.sites.slice(0, 3).join(', ')}${s.sites.length > 3 ? ' …' : ''}: "${untrusted(cut(readableTemplate(s.template), MAX_TEMPLATE))}". ${explanation}${advice} Retries recovered ${s.recovered} of ${s.count}.`,
    );
  }
  const rest = t.signatures.length - limit;
  if (rest > 0) lines.push(`- …and ${rest} smaller signature${rest === 1 ? '' : 's'} in the table.`);
  return lines.join('\n');
}

export function analyseActions(t: TaskTriage, limit = 3): ReplyAction[] {
  return t.signatures.slice(0, limit).flatMap((s) => {
    const pandaid = s.examples[0];
    return pandaid === undefined ? [] : [{ id: 'analyse-job', label: `Analyse job ${pandaid} (${s.code})`, value: String(pandaid) }];
  });
}

/** The same table as evidence text for the LLM summary. */
export function triageEvidence(t: TaskTriage): string {
  const lines = [overviewSentence(t), '', 'signature | jobs | share | recovered by retry | sites | knowledge base'];
  for (const s of t.signatures.slice(0, MAX_SIGNATURES)) {
    const e = s.entries[0];
    lines.push(
      `${s.code} "${readableTemplate(s.template)}" | ${s.count} | ${pct(s.count, t.failedJobs)} | ${s.recovered} | ${s.sites.slice(0, 4).join(', ')} | ${e ? `${e.category}; retry ${signatureVerdict(s)?.advice ?? e.retry}; ${e.explanation ?? e.message ?? ''}` : 'unknown code'}`,
    );
  }
  return lines.join('\n');
}
