/** Replies of the job agent: user view, expert view and the status summary of a job that did not fail. */
import type { JobRecord } from '../../src/contracts/panda.js';
import type { Reply, ReplyBlock } from '../../src/contracts/reply.js';
import { RETRY_LABELS } from '../../src/knowledge/index.js';
import { redact } from '../../src/logs/index.js';
import type { StoredAnalysis } from './store.js';

export interface RenderExtras {
  jobUrl: string | null;
  /** Set when the explanation was reused from another job with the same failure signature. */
  reusedFrom?: number;
}

function evidenceBlocks(a: StoredAnalysis, onlyCited: boolean): ReplyBlock[] {
  const cited = new Set(a.llm?.cited_lines ?? []);
  return a.diagnosis.evidence.map((g) => {
    const lines = onlyCited && cited.size ? g.lines.filter((l) => cited.has(l.n) || g.lines.length <= 4) : g.lines;
    return { kind: 'evidence' as const, source: g.source, title: `Evidence from ${g.source}`, lines: lines.map((l) => ({ n: l.n, text: redact(l.text) })) };
  });
}

function linkBlock(extras: RenderExtras): ReplyBlock[] {
  return extras.jobUrl ? [{ kind: 'markdown', text: `Monitor page: ${extras.jobUrl}` }] : [];
}

function notices(a: StoredAnalysis, extras: RenderExtras): ReplyBlock[] {
  const out: ReplyBlock[] = a.notices.map((text) => ({ kind: 'notice' as const, level: 'warning' as const, text }));
  if (extras.reusedFrom !== undefined) {
    out.push({
      kind: 'notice',
      level: 'info',
      text: `Explanation reused from the analysis of job ${extras.reusedFrom}, which failed with the same signature.`,
    });
  }
  return out;
}

function headline(a: StoredAnalysis): string {
  const d = a.diagnosis;
  const name = d.rootCause.name ? ` ${d.rootCause.name}` : '';
  return `Job ${d.pandaid} ${d.status ?? 'failed'}: ${d.rootCause.component} error ${d.rootCause.code}${name}`;
}

const TODO_BY_CATEGORY: Partial<Record<string, string>> = {
  'payload-user-error': 'Fix the code or the job options shown in the evidence lines, test on a few events locally, then resubmit.',
  'payload-software':
    'Report the crash with the evidence lines to the software or production team; a retry with the same release and input fails the same way.',
  configuration: 'Fix the job or task definition (conditions tag, release, container, queue limits) before resubmitting.',
  looping: 'Find why the payload stopped making progress (endless loop, stuck I/O) before retrying.',
  'input-data-corrupt': 'Report the bad input file to DDM operations; exclude it from the task if it cannot be recovered.',
  'resource-limit-walltime': 'Retry with a longer time limit or fewer events per job.',
  'resource-limit-disk': 'Check how much the job writes; retry with fewer events per job if the work directory grows too large, otherwise on another node.',
  'auth-credentials': 'Renew the proxy or token (voms-proxy-init / panda-client login) and retry.',
};

/** What to do, without an LLM: from the retry advice and the category. */
export function offlineTodo(retry: string, category: string): string {
  if (retry === 'retry') return 'Nothing to change: retry the job (PanDA retries it automatically while attempts remain).';
  if (retry === 'avoid_site') return 'Retry it; if it fails the same way at the same site, exclude the site and report the problem to the site or ADC.';
  if (retry === 'retry_more_memory') return 'Retry with a higher memory request (or fewer events per job), and check the payload for a memory leak.';
  return (
    TODO_BY_CATEGORY[category] ??
    (retry === 'no_retry'
      ? 'Do not retry as is: fix the cause shown in the evidence lines first.'
      : 'Retry once; if it fails the same way, ask ADC support with the evidence lines.')
  );
}

/** Short user view first: what happened, what to do, retry or not. */
export function renderUserView(a: StoredAnalysis, extras: RenderExtras): Reply {
  const d = a.diagnosis;
  const what = a.llm ? a.llm.user.problem : d.explanation;
  const todo = a.llm?.user.what_to_do.length ? a.llm.user.what_to_do : [offlineTodo(d.retry, d.category)];
  const causes = a.llm?.user.likely_causes ?? [];
  const text = [
    `**What happened:** ${redact(what)}`,
    ...(d.rootCause.diag ? [`**Reported:** \`${redact(d.rootCause.diag).slice(0, 300)}\``] : []),
    ...(causes.length ? [`**Likely causes:**\n${causes.map((c) => `- ${redact(c)}`).join('\n')}`] : []),
    `**What to do:**\n${todo.map((t) => `- ${redact(t)}`).join('\n')}`,
    `**Retry:** ${RETRY_LABELS[d.retry]} — ${d.retryReason}`,
  ].join('\n\n');
  return {
    intent: 'job',
    blocks: [
      { kind: 'heading', text: headline(a) },
      { kind: 'markdown', text },
      {
        kind: 'fields',
        fields: [
          { label: 'Category', value: d.category },
          { label: 'Retry', value: d.retry },
          { label: 'Confidence', value: `${Math.round(d.confidence * 100)}%` },
          { label: 'Attempt', value: String(d.attempt ?? '?') },
        ],
      },
      ...evidenceBlocks(a, true),
      ...notices(a, extras),
      ...linkBlock(extras),
    ],
    actions: [{ id: 'expert', label: 'Expert details', value: String(d.pandaid) }],
    summary: `${headline(a)} — ${d.category}; ${RETRY_LABELS[d.retry]}.`,
    data: { diagnosis: d, llm: a.llm, model: a.model, notices: a.notices },
  };
}

/** Expert view: the analysis, every error code, all evidence and the investigation steps. */
export function renderExpertView(a: StoredAnalysis, extras: RenderExtras): Reply {
  const d = a.diagnosis;
  const e = a.llm?.expert;
  const list = (title: string, items: string[] | undefined) => (items?.length ? [`**${title}:**\n${items.map((i) => `- ${redact(i)}`).join('\n')}`] : []);
  const body = [
    `**Analysis:** ${redact(e?.analysis || d.explanation)}`,
    `**Root cause:** ${d.rootCause.component}:${d.rootCause.code}${d.rootCause.name ? ` (${d.rootCause.name})` : ''} — category ${d.category}, confidence ${Math.round(d.confidence * 100)}%.`,
    `**Retry advice:** ${d.retry} — ${d.retryReason}`,
    ...list('Investigation steps', e?.investigation_steps),
    ...list('Scenarios', e?.scenarios),
    ...list('Prevention', e?.prevention),
  ].join('\n\n');
  return {
    intent: 'job',
    blocks: [
      { kind: 'heading', text: `${headline(a)} — expert details` },
      { kind: 'markdown', text: body },
      {
        kind: 'table',
        columns: ['code', 'name', 'diag'],
        rows: d.codes.map((c) => [c.key, c.name ?? '', redact(c.diag).slice(0, 200)]),
        caption: 'Error codes in the job record',
      },
      ...evidenceBlocks(a, false),
      { kind: 'code', text: a.context, language: 'text' },
      ...notices(a, extras),
      ...linkBlock(extras),
    ],
    summary: `${headline(a)} (expert view).`,
    data: { diagnosis: d, llm: a.llm, model: a.model, notices: a.notices, context: a.context },
  };
}

const WAITING: Record<string, string> = {
  pending: 'it is being generated and is not ready yet',
  defined: 'it waits for its input data to be moved if needed',
  waiting: 'the server keeps it waiting (inputs or event ranges not ready)',
  assigned: 'its input is being transferred to storage near the queue',
  throttled: 'the user is throttled; it runs when earlier jobs finish',
  activated: 'its inputs are ready; it waits for a pilot to pick it up',
  sent: 'a pilot fetched it and is starting it',
  starting: 'it is staging in or waiting in the batch system',
  running: 'it is running',
  merging: 'its outputs are being merged',
  transferring: 'its outputs are moving to their final destination',
  finished: 'nothing: it finished successfully',
};

/** Status summary of a job that did not fail: state, site, times, attempt, what it waits for. */
export function renderStatus(job: JobRecord, jobUrl: string | null): Reply {
  const fields = [
    { label: 'State', value: job.jobstatus },
    { label: 'Site', value: job.computingsite ?? 'not assigned yet' },
    { label: 'Attempt', value: `${job.attemptnr ?? '?'}${job.maxattempt ? ` of ${String(job.maxattempt)}` : ''}` },
    { label: 'Created', value: job.creationtime ?? '—' },
    { label: 'Started', value: job.starttime ?? '—' },
    { label: 'Ended', value: job.endtime ?? '—' },
  ];
  const waiting = WAITING[job.jobstatus] ?? `it is in state ${job.jobstatus}`;
  return {
    intent: 'job',
    blocks: [
      { kind: 'heading', text: `Job ${job.pandaid} is ${job.jobstatus}` },
      { kind: 'markdown', text: `It has not failed, so there is nothing to diagnose. Right now ${waiting}.` },
      { kind: 'fields', fields },
      ...(jobUrl ? [{ kind: 'markdown' as const, text: `Monitor page: ${jobUrl}` }] : []),
    ],
    summary: `Job ${job.pandaid} is ${job.jobstatus} at ${job.computingsite ?? 'no site yet'}.`,
    data: { pandaid: job.pandaid, jobstatus: job.jobstatus, computingsite: job.computingsite },
  };
}
