/**
 * A PanDA source backed by a directory in the failures-dev format (see file-layout.ts): used by
 * the demo, the evaluation harness and `--panda-dir`.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type {
  ErrorSummary,
  JobDetails,
  JobRecord,
  LogFileInfo,
  LogStream,
  OpenLogOptions,
  PandaSource,
  TaskDetails,
  TaskFilter,
  JobFilter,
  TaskRecord,
} from '../contracts/panda.js';
import { dateMs } from './dates.js';
import { buildErrorSummary } from './error-summary.js';
import { filterJobs } from './job-filter.js';
import { checkLogName, dropRetried, listJobIds, listRawLogFiles, listTaskIds, rawTaskJobs, readRawErrors, readRawJob, readRawTask } from './file-layout.js';
import { boundLogStream } from './log-stream.js';
import { pandaErrors } from './panda-errors.js';
import { errorSummarySchema, jobDetailsSchema, jobListSchema, jobRecordSchema, parseAnswer, taskDetailsSchema, taskRecordSchema } from './schemas.js';
import { filterTasks } from './task-filter.js';

export interface FileSourceOptions {
  /** Shown to users, e.g. "demo data (resources/demo)". Defaults to "files in <dir>". */
  description?: string;
  /** Cap applied when openLog gets no maxBytes. */
  maxLogBytes?: number;
}

export function createFileSource(dir: string, options: FileSourceOptions = {}): PandaSource {
  const root = resolve(dir);
  const description = options.description ?? `files in ${root}`;
  const where = description;
  const place = `in ${description}`;
  const defaultCap = options.maxLogBytes ?? 64 * 1024 * 1024;

  /** Every job record known: job folders plus the jobs of every task file. */
  async function allJobs(): Promise<JobRecord[]> {
    const byId = new Map<number, JobRecord>();
    for (const id of await listTaskIds(root)) {
      const file = await readRawTask(root, id);
      if (!file) continue;
      for (const raw of rawTaskJobs(file)) {
        const parsed = jobRecordSchema.safeParse(raw);
        if (parsed.success) byId.set(parsed.data.pandaid, parsed.data);
      }
    }
    for (const id of await listJobIds(root)) {
      const raw = await readRawJob(root, id);
      if (raw === undefined) continue;
      const parsed = jobDetailsSchema.safeParse(raw);
      if (parsed.success) byId.set(id, parsed.data.job);
    }
    return [...byId.values()];
  }

  function newest(records: Array<Record<string, unknown>>, keys: string[]): number {
    let max = Number.NEGATIVE_INFINITY;
    for (const r of records) for (const k of keys) max = Math.max(max, dateMs(r[k]) || Number.NEGATIVE_INFINITY);
    return Number.isFinite(max) ? max : Date.now();
  }

  async function findTaskJob(pandaid: number): Promise<JobRecord | undefined> {
    for (const id of await listTaskIds(root)) {
      const file = await readRawTask(root, id);
      const raw = file ? rawTaskJobs(file).find((j) => Number(j.pandaid) === pandaid) : undefined;
      if (raw) return parseAnswer(jobRecordSchema, raw, `job ${pandaid}`, where);
    }
    return undefined;
  }

  async function taskFile(jeditaskid: number, subject: string) {
    const file = await readRawTask(root, jeditaskid);
    if (!file) throw pandaErrors.notFound(subject, place);
    return file;
  }

  return {
    description,
    async getJob(pandaid) {
      const raw = await readRawJob(root, pandaid);
      if (raw !== undefined) {
        const parsed = parseAnswer(jobDetailsSchema, raw, `job ${pandaid}`, where);
        return { job: parsed.job, files: parsed.files } satisfies JobDetails;
      }
      const fromTask = await findTaskJob(pandaid);
      if (fromTask) return { job: fromTask, files: [] };
      throw pandaErrors.notFound(`job ${pandaid}`, place);
    },
    async getTask(jeditaskid) {
      const subject = `task ${jeditaskid}`;
      const file = await taskFile(jeditaskid, subject);
      return parseAnswer(taskDetailsSchema, file.task, subject, where) satisfies TaskDetails;
    },
    async getTaskJobs(jeditaskid, opts = {}) {
      const subject = `the jobs of task ${jeditaskid}`;
      const file = await taskFile(jeditaskid, `task ${jeditaskid}`);
      const raw = rawTaskJobs(file);
      const selected = opts.allAttempts ? raw : dropRetried(raw);
      return parseAnswer(jobListSchema, { jobs: selected }, subject, where).jobs;
    },
    async listJobs(filter: JobFilter) {
      const jobs = await allJobs();
      const candidates = filter.jeditaskid !== undefined && !filter.allAttempts ? dropRetried(jobs as unknown as Array<Record<string, unknown>>) : jobs;
      return filterJobs(candidates as unknown as JobRecord[], filter, newest(jobs, ['modificationtime', 'endtime']));
    },
    async listTasks(filter: TaskFilter) {
      const tasks: TaskRecord[] = [];
      for (const id of await listTaskIds(root)) {
        const file = await readRawTask(root, id);
        if (file) tasks.push(parseAnswer(taskRecordSchema, (file.task as { task?: unknown } | undefined)?.task, `task ${id}`, where));
      }
      return filterTasks(tasks, filter, newest(tasks, ['modificationtime', 'creationdate']));
    },
    async getErrorSummary(hours) {
      const stored = await readRawErrors(root);
      const fetchedAt = new Date().toISOString();
      if (stored !== undefined) return { hours, fetchedAt, ...parseAnswer(errorSummarySchema, stored, 'the error summary', where) } as ErrorSummary;
      const jobs = await allJobs();
      const summary = buildErrorSummary(jobs, hours, newest(jobs, ['endtime', 'modificationtime']));
      return { hours, fetchedAt, ...parseAnswer(errorSummarySchema, summary, 'the error summary', where) } as ErrorSummary;
    },
    async listLogFiles(pandaid) {
      const files = await listRawLogFiles(root, pandaid);
      if (!files) {
        if (await findTaskJob(pandaid)) return [];
        throw pandaErrors.notFound(`job ${pandaid}`, place);
      }
      return files.map(
        (f) =>
          ({
            name: f.name,
            size: f.size,
            dirname: '',
            modification: new Date(`${f.modification.replace(' ', 'T')}Z`).toISOString().replace('.000Z', 'Z'),
          }) satisfies LogFileInfo,
      );
    },
    async openLog(pandaid, filename, opts: OpenLogOptions = {}): Promise<LogStream> {
      checkLogName(filename);
      const files = await listRawLogFiles(root, pandaid);
      if (!files) throw pandaErrors.notFound(`job ${pandaid}`, place);
      const file = files.find((f) => f.name === filename);
      if (!file) throw pandaErrors.notFound(`log ${filename} of job ${pandaid}`, place);
      const maxBytes = opts.maxBytes ?? defaultCap;
      const wanted = opts.tail !== undefined ? Math.min(opts.tail, maxBytes) : undefined;
      const start = wanted !== undefined ? Math.max(0, file.size - wanted) : 0;
      const end = wanted !== undefined ? file.size - 1 : Math.min(file.size, maxBytes + 1) - 1;
      if (file.size === 0) return boundLogStream((async function* () {})(), { name: filename, size: 0, maxBytes });
      const stream = createReadStream(file.path, { start, end: Math.max(end, start), highWaterMark: 256 * 1024, signal: opts.signal });
      return boundLogStream(stream, {
        name: filename,
        size: file.size,
        maxBytes,
        truncatedFromStart: opts.tail !== undefined && opts.tail > maxBytes && file.size > maxBytes,
        close: () => stream.destroy(),
      });
    },
    jobUrl: () => null,
    taskUrl: () => null,
  };
}
