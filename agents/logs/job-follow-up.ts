/**
 * Short answers to follow-ups about a job's analysis ("would a retry help?", "explain it in simpler
 * words", "which line shows that?", "what does that code mean?", "is it the site's fault?"). They
 * read the diagnosis fields (retry verdict and reason, category, root-cause code and explanation,
 * evidence lines) and never re-derive them, so the answer agrees with the analysis it follows.
 */
import type { JobRecord } from '../../src/contracts/panda.js';
import { type AnswerFacts, type EvidenceLine, type Reply, type ReplyBlock, untrusted, withoutMarks } from '../../src/contracts/reply.js';
import type { FollowUpAct } from '../../src/contracts/routing.js';
import { redact } from '../../src/logs/index.js';
import type { Diagnosis } from './diagnose.js';
import type { StoredAnalysis } from './store.js';

/** What the job agent needs to know about asking for the missing job id. */
export const ASK_JOB_ID =
  'Which job do you mean? Please send me its PanDA job ID (pandaid): the number in the BigPanDA job page link (`/job?pandaid=…`) or in the job list of your task, e.g. "why did job 6601000006 fail?".';

export type Verdict = 'yes' | 'no' | 'maybe';

const VERDICT_WORD: Record<Verdict, string> = { yes: 'Yes', no: 'No', maybe: 'Maybe' };

/** Plain words for each failure category: what went wrong, without codes or log lines. */
const PLAIN: Record<string, string> = {
  'transient-network': 'a short network or service hiccup: the job could not reach a grid service (for example Rucio) for a moment',
  'storage-stagein': 'the job could not get its input file: copying (downloading) the input from storage to the worker machine failed or took too long',
  'storage-stageout': 'the job did its work but could not save its output: copying the result to storage failed',
  'site-infrastructure':
    'a problem with the computer (node) or the site it ran on, not with your job: for example the software area (CVMFS), the disk or the machine itself',
  'resource-limit-memory': 'the job used more memory than the site allows, so it was stopped',
  'resource-limit-walltime': 'the job ran longer than its time limit, so it was stopped',
  'resource-limit-disk': 'the job wrote more data to the local disk than allowed, so it was stopped',
  looping: 'the job stopped making progress (no new output for a long time), so the pilot assumed it was stuck and killed it',
  'killed-by-system': 'the batch system or an operator stopped the job from outside',
  'payload-user-error': 'the program you asked the job to run (your code or options) failed with an error of its own',
  'payload-software': 'the ATLAS software the job ran crashed or reported an error while processing',
  'input-data-corrupt': 'one of the input files is damaged or unreadable',
  'auth-credentials': 'your grid credentials (proxy or token) were missing or expired, so the job was not allowed to read or write data',
  configuration: 'the job was set up wrongly (for example a wrong release, conditions tag or queue setting)',
  unknown: 'the logs do not show a clear cause',
};

const SITE_SIDE = new Set(['transient-network', 'storage-stagein', 'storage-stageout', 'site-infrastructure', 'killed-by-system']);
const USER_SIDE = new Set(['payload-user-error', 'configuration', 'auth-credentials']);

function retryVerdict(d: Diagnosis): Verdict {
  const helps = d.verdict.helps;
  return helps === true ? 'yes' : helps === false ? 'no' : 'maybe';
}

/** The first thing to do, from the diagnosis (consistent with its verdict). */
function firstTodo(d: Diagnosis): string {
  return d.todo[0] ?? '';
}

function codeLabel(d: Diagnosis): string {
  return `${d.rootCause.component} error ${d.rootCause.code}${d.rootCause.name ? ` (${d.rootCause.name})` : ''}`;
}

/** What a job answer states, for the thread context. */
export function jobFacts(d: Diagnosis, act?: FollowUpAct): AnswerFacts {
  return {
    pandaid: d.pandaid,
    code: `${d.rootCause.component}:${d.rootCause.code}`,
    category: d.category,
    verdict: retryVerdict(d),
    evidence: d.decisive.map((l) => redact(l.text).slice(0, 300)),
    ...(act ? { act } : {}),
  };
}

function reply(d: Diagnosis, act: FollowUpAct, blocks: ReplyBlock[], summary: string): Reply {
  return {
    intent: 'job',
    blocks,
    summary: withoutMarks(summary),
    facts: jobFacts(d, act),
    data: { pandaid: d.pandaid, act, verdict: retryVerdict(d), code: d.rootCause.code, category: d.category },
  };
}

function retryAnswer(a: StoredAnalysis): Reply {
  const d = a.diagnosis;
  const verdict = retryVerdict(d);
  const lead =
    verdict === 'yes'
      ? `Yes, a retry is likely to help job ${d.pandaid}.`
      : verdict === 'no'
        ? `No, retrying job ${d.pandaid} as it is will fail the same way.`
        : `Maybe: a retry of job ${d.pandaid} may help, it depends on the cause.`;
  const text = [lead, d.verdict.reason, ...d.verdict.history, firstTodo(d)].filter(Boolean).join(' ');
  return reply(d, 'retry', [{ kind: 'markdown', text }], text);
}

/** Plain words for a failure category. */
export function plainCause(category: string): string {
  return PLAIN[category] ?? (PLAIN.unknown as string);
}

/** "Is it the site's fault?" (or "is it my fault?", when the question is about the user) for a category. */
export function blameVerdict(category: string, question: string): Verdict {
  const aboutUser = /\b(?:my|our|user'?s?|i)\b[^?]*\b(?:fault|mistake|problem|wrong|bug)\b|\bdid\s+i\b|\bbug\s+in\s+my\b/i.test(question);
  const site = SITE_SIDE.has(category);
  const user = USER_SIDE.has(category);
  if (!site && !user) return 'maybe';
  return (aboutUser ? user : site) ? 'yes' : 'no';
}

function blameAnswer(a: StoredAnalysis, question: string): Reply {
  const d = a.diagnosis;
  const verdict = blameVerdict(d.category, question);
  const where = SITE_SIDE.has(d.category)
    ? 'the site or grid side (storage, network, node), not your job'
    : USER_SIDE.has(d.category)
      ? 'the job itself (its code, options or credentials), not the site'
      : 'not clear-cut: it can be the job or the site';
  const text = `${VERDICT_WORD[verdict]}. For job ${d.pandaid} the cause (${d.cause.title}) points at ${where}: ${plainCause(d.category)}. ${d.verdict.reason}`;
  return reply(d, 'blame', [{ kind: 'markdown', text }], text);
}

function simplerAnswer(a: StoredAnalysis): Reply {
  const d = a.diagnosis;
  const plain = plainCause(d.category);
  const todo = firstTodo(d);
  const retry = retryVerdict(d);
  const retryLine =
    retry === 'yes'
      ? 'Trying again will most likely work.'
      : retry === 'no'
        ? 'Trying again without a change will not help.'
        : 'Trying again may or may not help.';
  const text = [
    `In short, job ${d.pandaid} stopped for this reason: ${plain}.`,
    `The grid reported this as error code ${d.rootCause.code}; that number is just the label for this kind of problem.`,
    `${retryLine} ${todo}`,
  ].join('\n\n');
  return reply(d, 'simpler', [{ kind: 'markdown', text }], text);
}

function evidenceAnswer(a: StoredAnalysis): Reply {
  const d = a.diagnosis;
  const fromLogs = d.decisive.filter((l) => l.n > 0);
  const fromRecord = d.decisive.filter((l) => l.n === 0);
  if (d.decisive.length === 0) {
    const text = `No log line of job ${d.pandaid} shows the failure; the cause comes from the job record: ${d.rootCause.diag || d.rootCause.message ? untrusted(redact(d.rootCause.diag || d.rootCause.message || '')) : codeLabel(d)}.`;
    return reply(d, 'evidence', [{ kind: 'markdown', text }], text);
  }
  const count = d.decisive.length;
  const intro = `The line${count > 1 ? 's' : ''} that show${count > 1 ? '' : 's'} it (${d.cause.title}, ${codeLabel(d)}) for job ${d.pandaid}:`;
  const bySource = new Map<string, EvidenceLine[]>();
  for (const line of fromLogs) bySource.set(line.source, [...(bySource.get(line.source) ?? []), { n: line.n, text: redact(line.text) }]);
  const blocks: ReplyBlock[] = [
    { kind: 'markdown', text: intro },
    ...[...bySource].map(([source, lines]) => ({ kind: 'evidence' as const, source, title: `From ${source}`, lines })),
    ...(fromRecord.length
      ? [{ kind: 'markdown' as const, text: `From the job record: ${fromRecord.map((l) => `"${untrusted(redact(l.text))}"`).join(' ')}` }]
      : []),
  ];
  return reply(d, 'evidence', blocks, `${intro} ${d.decisive.map((l) => `${l.n ? `${l.source}:${l.n}` : 'job record'}: ${l.text}`).join(' | ')}`);
}

function codeAnswer(a: StoredAnalysis): Reply {
  const d = a.diagnosis;
  const component = d.rootCause.component;
  const others = d.codes.filter((c) => c.key !== `${component}:${d.rootCause.code}`).map((c) => c.key);
  const parts = [
    `${component === 'pilot' ? 'Pilot' : component} error ${d.rootCause.code}${d.rootCause.name ? ` (${d.rootCause.name})` : ''} means "${d.rootCause.message ?? 'no standard message'}".`,
    `The code is the label the ${component} gives this kind of failure; it does not say why by itself.`,
    `For job ${d.pandaid} the reason behind it is: ${d.cause.title}.`,
    ...(others.length ? [`The job record also carries ${others.join(', ')}, which follow from this one.`] : []),
  ];
  const text = parts.join(' ');
  return reply(d, 'code', [{ kind: 'markdown', text }], text);
}

/** The answer to a follow-up act about an analysed (failed) job. */
export function renderJobFollowUp(act: FollowUpAct, analysis: StoredAnalysis, question: string): Reply | null {
  switch (act) {
    case 'retry':
      return retryAnswer(analysis);
    case 'blame':
      return blameAnswer(analysis, question);
    case 'simpler':
      return simplerAnswer(analysis);
    case 'evidence':
      return evidenceAnswer(analysis);
    case 'code':
      return codeAnswer(analysis);
    default:
      return null;
  }
}

/** Follow-ups about a job that did not fail: nothing to retry or explain. */
export function renderStatusFollowUp(act: FollowUpAct, job: JobRecord): Reply | null {
  if (act !== 'retry' && act !== 'blame' && act !== 'code' && act !== 'evidence') return null;
  const state = job.jobstatus;
  const text =
    act === 'retry'
      ? `No, there is nothing to retry: job ${job.pandaid} has not failed, it is ${state}.`
      : `Job ${job.pandaid} has not failed (it is ${state}), so there is no error${act === 'evidence' ? ' line' : act === 'code' ? ' code' : ''} to explain.`;
  return { intent: 'job', blocks: [{ kind: 'markdown', text }], summary: text, facts: { pandaid: job.pandaid, act } };
}
