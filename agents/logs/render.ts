/** Replies of the job agent: user view, expert view and the status summary of a job that did not fail. */
import type { JobRecord } from '../../src/contracts/panda.js';
import { type Reply, type ReplyBlock, untrusted } from '../../src/contracts/reply.js';
import { RETRY_LABELS } from '../../src/knowledge/index.js';
import { pilotMessage, redact, redactDeep } from '../../src/logs/index.js';
import { safeAdvice } from './advice-filter.js';
import type { Diagnosis } from './diagnose.js';
import type { StoredAnalysis } from './store.js';

export interface RenderExtras {
  jobUrl: string | null;
  /** Set when the explanation was reused from another job with the same failure signature. */
  reusedFrom?: number;
}

function evidenceBlocks(a: StoredAnalysis): ReplyBlock[] {
  return a.diagnosis.evidence.map((g) => ({
    kind: 'evidence' as const,
    source: g.source,
    title: `Evidence from ${g.source}`,
    // Consecutive lines redacted together: a PEM block over several lines goes whole.
    lines: redactDeep(g.lines.map((l) => ({ n: l.n, text: l.text }))),
  }));
}

/** The decisive lines, trimmed to the message part of pilot lines, one block per log (job-record lines go in the text). */
export function decisiveBlocks(d: Diagnosis): ReplyBlock[] {
  const out: Array<ReplyBlock & { kind: 'evidence' }> = [];
  const lines = d.decisive.filter((l) => l.n > 0);
  for (const line of lines) {
    const text = redact(pilotMessage(line.text)).trim();
    const last = out[out.length - 1];
    if (last && last.source === line.source) last.lines.push({ n: line.n, text });
    else out.push({ kind: 'evidence', source: line.source, title: `What shows it, in ${line.source}`, lines: [{ n: line.n, text }] });
  }
  return out;
}

function linkBlock(extras: RenderExtras): ReplyBlock[] {
  return extras.jobUrl ? [{ kind: 'markdown', text: `Monitor page: ${extras.jobUrl}` }] : [];
}

function notices(a: StoredAnalysis, extras: RenderExtras): ReplyBlock[] {
  // Notices can quote an LLM's or a server's error message: plain sentences, shown as quoted text.
  const out: ReplyBlock[] = a.notices.map((text) => ({ kind: 'notice' as const, level: 'warning' as const, text: untrusted(text) }));
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

/** The LLM's wording is used only when its own verdict agreed with the evidence. */
const llmAgreed = (a: StoredAnalysis): boolean => Boolean(a.llm) && !a.llmDisagreement;

/** The retry paragraph: verdict, why, what PanDA does, what already happened. One verdict for the whole reply. */
export function retryText(d: Diagnosis): string {
  const v = d.verdict;
  return [`**Retry:** ${RETRY_LABELS[v.advice]} — ${v.reason}`, v.panda, ...v.history].join(' ');
}

/**
 * Short user view: the cause, the 1–3 lines that prove it, what to do and the retry verdict.
 * Explanation, advice and verdict all come from the diagnosis (one cause); the LLM's wording is used
 * only when it agreed with the evidence, and its advice passes the command filter.
 */
export function renderUserView(a: StoredAnalysis, extras: RenderExtras): Reply {
  const d = a.diagnosis;
  const agreed = llmAgreed(a);
  const what = agreed && a.llm ? a.llm.user.problem : d.explanation;
  const llmTodo = agreed ? safeAdvice(a.llm?.user.what_to_do ?? []) : [];
  const todo = llmTodo.length ? llmTodo : d.todo;
  const causes = agreed ? (a.llm?.user.likely_causes ?? []) : [];
  const recordLines = d.decisive.filter((l) => l.n === 0).map((l) => l.text);
  // The reported diag only when it says more than the code's own message (the heading names the code).
  const diagSaysMore = Boolean(d.rootCause.diag) && d.rootCause.diag.trim() !== (d.rootCause.message ?? '').trim();
  const reported = recordLines.length ? recordLines : diagSaysMore ? [d.rootCause.diag] : [];
  const text = [
    `**Cause:** ${redact(d.cause.title)}${d.cause.from === 'evidence' ? ' (found in the logs)' : ''}.`,
    // The explanation quotes the job's diag and the LLM's wording may echo its logs: both are quoted text.
    `**What happened:** ${untrusted(redact(what))}`,
    ...(reported.length ? [`**Reported:** ${reported.map((r) => `"${untrusted(redact(r).slice(0, 300))}"`).join(' ')}`] : []),
    ...(causes.length ? [`**Likely causes:**\n${causes.map((c) => `- ${untrusted(redact(c))}`).join('\n')}`] : []),
    `**What to do:**\n${todo.map((t) => `- ${llmTodo.length ? untrusted(redact(t)) : redact(t)}`).join('\n')}`,
    retryText(d),
  ].join('\n\n');
  const maxAttempt = /attempt \d+ of (\d+)/.exec(d.verdict.history.join(' '))?.[1];
  return {
    intent: 'job',
    blocks: [
      { kind: 'heading', text: headline(a) },
      { kind: 'markdown', text },
      ...decisiveBlocks(d),
      {
        kind: 'fields',
        fields: [
          { label: 'Category', value: d.category },
          { label: 'Retry', value: d.retry },
          { label: 'Confidence', value: `${Math.round(d.confidence * 100)}%` },
          { label: 'Attempt', value: `${d.attempt ?? '?'}${maxAttempt ? ` of ${maxAttempt}` : ''}` },
        ],
      },
      ...notices(a, extras),
      ...linkBlock(extras),
    ],
    actions: [{ id: 'expert', label: 'Expert details', value: String(d.pandaid) }],
    summary: `${headline(a)} — ${d.cause.title}; ${RETRY_LABELS[d.retry]}.`,
    data: { diagnosis: d, llm: a.llm, model: a.model, notices: a.notices },
  };
}

/** Expert view: the analysis, every error code, all evidence windows, the LLM context and the investigation steps. */
export function renderExpertView(a: StoredAnalysis, extras: RenderExtras): Reply {
  const d = a.diagnosis;
  const agreed = llmAgreed(a);
  const e = a.llm?.expert;
  const list = (title: string, items: string[] | undefined, quoted = true) =>
    items?.length ? [`**${title}:**\n${items.map((i) => `- ${quoted ? untrusted(redact(i)) : redact(i)}`).join('\n')}`] : [];
  const body = [
    `**Analysis:** ${untrusted(redact((agreed ? e?.analysis : '') || d.explanation))}`,
    `**Root cause:** ${d.rootCause.component}:${d.rootCause.code}${d.rootCause.name ? ` (${d.rootCause.name})` : ''} — category ${d.category}, confidence ${Math.round(d.confidence * 100)}%.`,
    `**Cause:** ${d.cause.title} (${d.cause.from === 'evidence' ? `found in the logs, rule ${d.cause.id}` : "the code's own meaning"}).`,
    ...(a.llmDisagreement ? [`**Model:** ${untrusted(redact(a.llmDisagreement))} This reply keeps the evidence-backed verdict.`] : []),
    `**Retry advice:** ${d.retry} — ${[d.verdict.reason, d.verdict.panda, ...d.verdict.history].join(' ')}`,
    ...list('What to do', d.todo, false),
    ...list('Investigation steps', safeAdvice(e?.investigation_steps ?? [])),
    ...list('Scenarios', e?.scenarios),
    ...list('Prevention', safeAdvice(e?.prevention ?? [])),
  ].join('\n\n');
  return {
    intent: 'job',
    blocks: [
      { kind: 'heading', text: `${headline(a)} — expert details` },
      { kind: 'markdown', text: body },
      {
        kind: 'table',
        columns: ['code', 'name', 'diag'],
        rows: d.codes.map((c) => [c.key, c.name ?? '', untrusted(redact(c.diag).slice(0, 200))]),
        caption: 'Error codes in the job record',
      },
      ...evidenceBlocks(a),
      { kind: 'code', text: a.context, language: 'text' },
      ...notices(a, extras),
      ...linkBlock(extras),
    ],
    summary: `${headline(a)} (expert view).`,
    data: { diagnosis: d, llm: a.llm, model: a.model, notices: a.notices, context: a.context, llmDisagreement: a.llmDisagreement ?? null },
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
