/**
 * What already happened to a failed job: its earlier attempts. In JEDI every attempt of the same
 * piece of work carries the same `jobname` (`<taskName>.$ORIGINPANDAID`) and a growing `attemptnr`;
 * the task's job list (all attempts) holds them. Nothing new is asked of the PanDA source.
 */
import type { JobRecord, PandaSource } from '../../src/contracts/panda.js';
import { codesFromJob, type KnowledgeBase, type RetryHistory } from '../../src/knowledge/index.js';

/** The error keys of a record, as a comparable string (`pilot:1305,trf:65`). */
function failureKey(job: JobRecord, kb: KnowledgeBase): string {
  return codesFromJob(job, kb)
    .map((c) => c.errorKey)
    .sort()
    .join(',');
}

/** Earlier attempts of the same job (same jobname, lower attemptnr), oldest first, each marked when it failed the same way. */
export function earlierAttempts(job: JobRecord, taskJobs: readonly JobRecord[], kb: KnowledgeBase): NonNullable<RetryHistory['earlier']> {
  const name = typeof job.jobname === 'string' ? job.jobname : '';
  if (!name) return [];
  const mine = failureKey(job, kb);
  return taskJobs
    .filter((j) => j.jobname === name && j.pandaid !== job.pandaid && Number(j.attemptnr ?? 0) < Number(job.attemptnr ?? 0))
    .sort((a, b) => Number(a.attemptnr ?? 0) - Number(b.attemptnr ?? 0))
    .map((j) => ({
      pandaid: j.pandaid,
      attempt: j.attemptnr,
      site: j.computingsite,
      status: j.jobstatus,
      sameFailure: j.jobstatus === 'failed' && failureKey(j, kb) === mine,
    }));
}

/** The history of a job from its task's job list; empty when it is the first attempt or the task cannot be read. */
export async function jobHistory(panda: PandaSource, job: JobRecord, kb: KnowledgeBase, signal?: AbortSignal): Promise<RetryHistory> {
  if (!job.jeditaskid || Number(job.attemptnr ?? 0) <= 1 || !job.jobname) return {};
  try {
    const jobs = await panda.getTaskJobs(job.jeditaskid, { allAttempts: true, signal });
    return { earlier: earlierAttempts(job, jobs, kb) };
  } catch {
    // The history is an addition: without the task's job list the verdict rests on the cause alone.
    return {};
  }
}
