/**
 * A log attached without a job ID (issue 20): the same window extraction and diagnosis as a job's
 * logs, run on the attached text alone — what failed, the decisive lines, the error code the pilot's
 * summary reports — and a hint that the job's ID gives the full analysis. The text is untrusted:
 * it is only scanned (never passed to an LLM), capped at the log byte cap and redacted in the reply.
 */
import type { InboundFile } from '../../src/contracts/message.js';
import type { JobRecord, PandaSource } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import { AskPandaError } from '../../src/errors.js';
import { codesFromJob, type KnowledgeBase } from '../../src/knowledge/index.js';
import { redact, summaryCodes } from '../../src/logs/index.js';
import { attachedTextLogs, withAttachedLogs } from './attached-logs.js';
import { findCause, type LineRef } from './cause.js';
import { collectLogs } from './collect.js';
import { CONTEXT_LIMIT } from './context.js';
import { diagnose } from './diagnose.js';
import { decisiveBlocks } from './render.js';

export const FULL_ANALYSIS_HINT =
  'For the full analysis (the job record, its other logs and whether a retry helps), tell me the PanDA job ID with the log, e.g. "why did job 6601000005 fail?".';

/** Stands for "no job": the attached logs are all there is. */
const NO_JOB = 0;
const nothing = (): Promise<never> => Promise.reject(new AskPandaError('not_found', 'No job: only the attached log is analysed.'));
const NO_SOURCE: PandaSource = {
  description: 'attached log only',
  getJob: nothing,
  getTask: nothing,
  getTaskJobs: nothing,
  listJobs: nothing,
  listTasks: nothing,
  getErrorSummary: nothing,
  listLogFiles: nothing,
  openLog: nothing,
  jobUrl: () => null,
  taskUrl: () => null,
};

/** The last non-zero error code a pilot summary line of `text` reports. */
function reportedPilotCode(text: string): number {
  let code = 0;
  for (const line of text.split('\n')) {
    if (!/error/i.test(line)) continue;
    const found = summaryCodes(line)[0];
    if (found) code = found;
  }
  return code;
}

/** A job record holding only what the log itself reports (its pilot error code), for the shared diagnosis. */
function recordFromLog(pilotCode: number): JobRecord {
  return {
    pandaid: NO_JOB,
    jeditaskid: null,
    jobstatus: 'failed',
    computingsite: null,
    attemptnr: null,
    piloterrorcode: pilotCode,
    piloterrordiag: '',
    exeerrorcode: 0,
    exeerrordiag: '',
    transexitcode: '',
    ddmerrorcode: 0,
    ddmerrordiag: '',
    taskbuffererrorcode: 0,
    taskbuffererrordiag: '',
    jobdispatchererrorcode: 0,
    jobdispatchererrordiag: '',
    brokerageerrorcode: 0,
    brokerageerrordiag: '',
    superrorcode: 0,
    superrordiag: '',
    creationtime: null,
    starttime: null,
    endtime: null,
    modificationtime: null,
  };
}

/** The reply to attached text logs without a job ID, or null when the message carries no text file. */
export async function summariseAttachedLogs(
  files: InboundFile[] | undefined,
  deps: { kb: KnowledgeBase; maxLogBytes?: number; signal?: AbortSignal },
): Promise<Reply | null> {
  const logs = attachedTextLogs(files);
  if (!logs.length) return null;
  const names = (files ?? []).filter((f) => f.text?.trim()).map((f) => f.name);
  const cap = deps.maxLogBytes ?? 64 * 1024 * 1024;
  const pilotCode = reportedPilotCode(logs.map((l) => l.text.slice(0, cap)).join('\n'));
  const job = recordFromLog(pilotCode);
  const codes = codesFromJob(job, deps.kb);
  const source = withAttachedLogs(NO_SOURCE, NO_JOB, logs);
  const { extractions, notices } = await collectLogs(source, job, codes, { budget: CONTEXT_LIMIT, maxLogBytes: cap, signal: deps.signal });
  const d = diagnose(job, codes, extractions);
  // Without an error code the diagnosis has no root to refine: the cause rules read the evidence directly.
  const lines: LineRef[] = d.evidence.flatMap((g) => g.lines.map((l) => ({ source: g.source, n: l.n, text: l.text })));
  const found = pilotCode ? null : findCause(lines, job, true);
  const code = codes[0];
  const what = found
    ? redact(found.cause.explanation)
    : code
      ? `${redact(d.cause.title)}. ${redact(d.explanation)}`
      : d.decisive.length
        ? 'The log shows the errors below; it reports no error code and no known cause matched them.'
        : 'I found no error lines in it.';
  const codeLine = code
    ? [`**Error code:** pilot ${code.code}${code.entry?.name ? ` (${code.entry.name})` : ''}${code.entry?.message ? ` — ${redact(code.entry.message)}` : ''}`]
    : [];
  const read = extractions.map((e) => `${e.lines} lines`).join(', ');
  const heading = `Attached log ${names.join(', ')}: ${found ? found.cause.title : code ? `pilot error ${code.code}` : d.decisive.length ? 'errors found' : 'no errors found'}`;
  const text = [`**What failed${found ? ' (found in the log)' : ''}:** ${what}`, ...codeLine, `_Read: ${read || 'nothing'}._ ${FULL_ANALYSIS_HINT}`].join(
    '\n\n',
  );
  return {
    intent: 'job',
    blocks: [
      { kind: 'heading', text: redact(heading) },
      { kind: 'markdown', text },
      ...decisiveBlocks(d),
      ...notices.filter((n) => !/has no pilot log/.test(n)).map((n) => ({ kind: 'notice' as const, level: 'warning' as const, text: n })),
    ],
    summary: redact(heading),
  };
}
