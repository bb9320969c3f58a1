/**
 * Short answers to follow-ups about a task's failures, from that task's own data (the triage and
 * its job records): which site had the most failures, the most common error, a job that failed with
 * it (or at a site, or with a named code), and the job acts (retry, simpler, code, evidence, blame)
 * answered from the task's top failure.
 */
import type { JobRecord } from '../../src/contracts/panda.js';
import { type AnswerFacts, type Reply, untrusted, withoutMarks } from '../../src/contracts/reply.js';
import type { FollowUp } from '../../src/contracts/routing.js';
import { type KnowledgeBase, RETRY_LABELS } from '../../src/knowledge/index.js';
import { redact } from '../../src/logs/index.js';
import { blameVerdict, plainCause } from '../logs/job-follow-up.js';
import { readableTemplate } from './task-render.js';
import { jobErrorCodes, type TaskTriage } from './task-triage.js';

export const ASK_TASK_ID =
  'Which task do you mean? Please send me its JEDI task ID (jeditaskid): the number in the BigPanDA task page link (`/task/…`), also printed by prun/pathena when you submitted it, e.g. "how is task 46200001 doing?".';

const pct = (n: number, of: number) => `${of === 0 ? 0 : Math.round((n / of) * 100)}%`;

/** What a task answer states, for the thread context. */
export function taskFacts(t: TaskTriage, extra: Partial<AnswerFacts> = {}): AnswerFacts {
  const facts: AnswerFacts = { jeditaskid: t.jeditaskid, ...extra };
  if (t.bySite[0]) facts.topSite = t.bySite[0].site;
  if (t.byCode[0]) facts.topError = t.byCode[0].key;
  if (t.signatures[0]) facts.exampleJobs = t.signatures[0].examples;
  return facts;
}

function text(t: TaskTriage, body: string, facts: AnswerFacts): Reply {
  return { intent: 'task', blocks: [{ kind: 'markdown', text: body }], summary: withoutMarks(body), facts, data: { jeditaskid: t.jeditaskid, ...facts } };
}

function noFailures(t: TaskTriage, follow: FollowUp): Reply {
  const body = `No job of task ${t.jeditaskid} failed (${t.totalJobs} jobs, status ${t.task.status}), so there is no failing site, error or failed job to show.`;
  return text(t, body, taskFacts(t, { act: follow.act }));
}

interface FailedJob {
  job: JobRecord;
  keys: string[];
  diags: Map<string, string>;
}

function failedJobs(jobs: JobRecord[], kb: KnowledgeBase): FailedJob[] {
  return jobs
    .filter((j) => j.jobstatus === 'failed')
    .map((job) => {
      const codes = jobErrorCodes(job, kb);
      return { job, keys: codes.map((c) => c.errorKey), diags: new Map(codes.map((c) => [c.errorKey, c.diag])) };
    });
}

/** `pilot:1235`, or the key of the thread/question code number. */
function keyFor(t: TaskTriage, code: string | undefined): string | null {
  if (!code) return null;
  if (t.byCode.some((r) => r.key === code)) return code;
  const number = /(\d+)$/.exec(code)?.[1];
  return number ? (t.byCode.find((r) => r.key.endsWith(`:${number}`))?.key ?? null) : null;
}

function kbLine(kb: KnowledgeBase, key: string): string {
  const [component, number] = key.split(':');
  const entry = component && number ? kb.lookup(component, Number(number)) : null;
  if (!entry) return '';
  const name = entry.name ? ` (${entry.name})` : '';
  return ` ${key}${name}: ${entry.explanation ?? entry.message ?? ''} Retry advice: ${RETRY_LABELS[entry.retry]}.`;
}

function topSite(t: TaskTriage, kb: KnowledgeBase, failed: FailedJob[]): Reply {
  const [top, ...rest] = t.bySite;
  if (!top) return noFailures(t, { act: 'top-site' });
  const here = failed.filter((f) => String(f.job.computingsite ?? '?') === top.site);
  const codes = new Map<string, number>();
  for (const f of here) for (const k of f.keys.slice(0, 1)) codes.set(k, (codes.get(k) ?? 0) + 1);
  const mainCode = [...codes].sort((a, b) => b[1] - a[1])[0];
  const next = rest.slice(0, 2).map((s) => `${s.site} (${s.failed})`);
  const body = [
    `${top.site} had the most failures in task ${t.jeditaskid}: ${top.failed} of the ${t.failedJobs} failed jobs, out of ${top.total} jobs that ran there (${pct(top.failed, top.total)} failed).`,
    ...(mainCode ? [`Most of them failed with ${mainCode[0]} (${mainCode[1]} jobs).${kbLine(kb, mainCode[0])}`] : []),
    ...(next.length ? [`Next: ${next.join(', ')}.`] : []),
  ].join(' ');
  return text(t, body, taskFacts(t, { act: 'top-site', site: top.site, ...(mainCode ? { code: mainCode[0] } : {}) }));
}

function topError(t: TaskTriage, kb: KnowledgeBase, follow: FollowUp): Reply {
  const key = keyFor(t, follow.act === 'code' ? follow.code : undefined) ?? t.byCode[0]?.key;
  const row = t.byCode.find((r) => r.key === key);
  if (!key || !row) return noFailures(t, follow);
  const signature = t.signatures.find((s) => s.code.split('/').includes(key));
  const others = t.byCode.filter((r) => r.key !== key).slice(0, 2);
  const lead =
    follow.act === 'code'
      ? `Error ${key} is the one most of task ${t.jeditaskid}'s failed jobs carry (${row.count} of ${t.failedJobs}).`
      : `The most common error in task ${t.jeditaskid} is ${key}: ${row.count} of ${t.failedJobs} failed jobs (${pct(row.count, t.failedJobs)}).`;
  const body = [
    lead,
    kbLine(kb, key).trim(),
    ...(signature
      ? [
          `Typical message: "${untrusted(redact(readableTemplate(signature.template)).slice(0, 200))}"; retries recovered ${signature.recovered} of ${signature.count}.`,
        ]
      : []),
    ...(others.length && follow.act !== 'code' ? [`Next: ${others.map((r) => `${r.key} (${r.count})`).join(', ')}.`] : []),
  ]
    .filter(Boolean)
    .join(' ');
  return text(t, body, taskFacts(t, { act: follow.act, code: key }));
}

/** "give me a job that failed with it / at SITE / with 1099": the latest failed attempt that matches. */
function exampleJob(t: TaskTriage, failed: FailedJob[], follow: FollowUp, question: string): Reply {
  if (failed.length === 0) return noFailures(t, follow);
  const site = t.bySite.map((s) => s.site).find((s) => new RegExp(`(?<![\\w-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i').test(question));
  const number = /\b(\d{2,5})\b/.exec(question)?.[1];
  const key = keyFor(t, number) ?? keyFor(t, follow.code) ?? (site ? null : t.byCode[0]?.key) ?? null;
  const matching = failed.filter((f) => (!site || String(f.job.computingsite ?? '?') === site) && (!key || f.keys.includes(key)));
  const pool = matching.length ? matching : failed;
  const pick = [...pool].sort((a, b) => Number(b.job.attemptnr ?? 0) - Number(a.job.attemptnr ?? 0) || b.job.pandaid - a.job.pandaid)[0] as FailedJob;
  const others = pool.filter((f) => f !== pick).slice(0, 3);
  const what = [key ? `with ${key}` : '', site ? `at ${site}` : ''].filter(Boolean).join(' ');
  const diag = (key ? pick.diags.get(key) : undefined) || [...pick.diags.values()].find((d) => d.trim());
  const body = [
    `Job ${pick.job.pandaid} failed${what ? ` ${what}` : ''} (attempt ${pick.job.attemptnr ?? '?'}, at ${pick.job.computingsite ?? 'an unknown site'}).`,
    ...(diag ? [`It reported: "${untrusted(redact(diag).slice(0, 200))}".`] : []),
    ...(matching.length === 0 ? ['No failed job matches exactly, so this is the closest one.'] : []),
    ...(others.length ? [`Other jobs like it: ${others.map((f) => f.job.pandaid).join(', ')}.`] : []),
    `Ask "why did job ${pick.job.pandaid} fail?" for its full analysis.`,
  ].join(' ');
  return text(t, body, taskFacts(t, { act: 'example-job', pandaid: pick.job.pandaid, ...(key ? { code: key } : {}), ...(site ? { site } : {}) }));
}

/** Job acts answered for the task's top failure. */
function jobAct(t: TaskTriage, kb: KnowledgeBase, follow: FollowUp, question: string): Reply {
  const top = t.signatures[0];
  const entry = top?.entries[0];
  if (!top) return noFailures(t, follow);
  const plain = plainCause(entry?.category ?? 'unknown');
  const recovered = t.retry.failed ? t.retry.recovered / t.retry.failed : 0;
  switch (follow.act) {
    case 'retry': {
      const verdict = entry?.retry === 'no_retry' && recovered < 0.3 ? 'No' : recovered >= 0.5 || entry?.retry === 'retry' ? 'Yes' : 'Maybe';
      const body = `${verdict}: for task ${t.jeditaskid}, ${t.retry.recovered} of ${t.retry.failed} failed attempts finished on a later attempt (${pct(t.retry.recovered, t.retry.failed)}). Its most common failure, ${top.code}, was recovered ${top.recovered} of ${top.count} times.${entry ? ` ${entry.retryReason}` : ''}`;
      return text(t, body, taskFacts(t, { act: 'retry', verdict: verdict.toLowerCase() as AnswerFacts['verdict'] }));
    }
    case 'simpler': {
      const body = `In short: ${t.failedJobs} of the ${t.totalJobs} jobs of task ${t.jeditaskid} failed. Most of them (${top.count}) failed for this reason: ${plain}. ${t.retry.recovered} failed jobs worked when PanDA tried them again.`;
      return text(t, body, taskFacts(t, { act: 'simpler' }));
    }
    case 'evidence': {
      const body = `The most common failure of task ${t.jeditaskid}, ${top.code} (${top.count} jobs), reports: "${untrusted(redact(readableTemplate(top.template)).slice(0, 300))}" — for example job ${top.examples[0]}; ask "which line shows that?" after "why did job ${top.examples[0]} fail?" for its log lines.`;
      return text(t, body, taskFacts(t, { act: 'evidence' }));
    }
    case 'blame': {
      const verdict = blameVerdict(entry?.category ?? 'unknown', question);
      const body = `${verdict === 'yes' ? 'Yes' : verdict === 'no' ? 'No' : 'Maybe'}. Most failures of task ${t.jeditaskid} (${top.code}, ${top.count} jobs at ${top.sites.slice(0, 3).join(', ')}) come from ${plain}.`;
      return text(t, body, taskFacts(t, { act: 'blame' }));
    }
    default:
      return topError(t, kb, follow);
  }
}

/** The answer to a follow-up act about a task. */
export function renderTaskFollowUp(follow: FollowUp, t: TaskTriage, jobs: JobRecord[], kb: KnowledgeBase, question: string): Reply | null {
  if (follow.act === 'same') return null;
  if (t.failedJobs === 0) return noFailures(t, follow);
  switch (follow.act) {
    case 'top-site':
      return topSite(t, kb, failedJobs(jobs, kb));
    case 'top-error':
    case 'code':
      return topError(t, kb, follow);
    case 'example-job':
      return exampleJob(t, failedJobs(jobs, kb), follow, question);
    default:
      return jobAct(t, kb, follow, question);
  }
}
