/**
 * The on-disk format shared by the file-backed source, the demo data and the fake monitor:
 *
 *   <dir>/<pandaid>/job.json          the `/job?pandaid=N&json` answer
 *   <dir>/<pandaid>/<log files>       pilotlog.txt, payload.stdout, ... (label.json is never served)
 *   <dir>/tasks/<jeditaskid>.json     {"task": <`/task/N/?json` answer>, "jobs": <`/jobs/?jeditaskid=N&json&mode=nodrop` answer>}
 *   <dir>/cric/pandaqueues.json       the CRIC pandaqueue query answer
 *   <dir>/errors.json                 optional `/errors/?json` answer (else computed from the jobs)
 *
 * Every part may be absent. These functions return the raw JSON (unparsed) so that the fake monitor
 * can serve exactly what is on disk.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** Files in a job folder that are not logs. `label.json` is evaluation ground truth and must never be shown. */
export const NOT_LOG_FILES = new Set(['job.json', 'label.json']);

export interface RawTaskFile {
  task: unknown;
  jobs: unknown;
}

export interface RawLogFile {
  name: string;
  size: number;
  /** `YYYY-MM-DD HH:MM:SS` UTC, as the file browser writes it. */
  modification: string;
  path: string;
}

async function readJson(path: string): Promise<unknown | undefined> {
  if (!existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

export function jobDir(dir: string, pandaid: number): string {
  return join(dir, String(pandaid));
}

export async function readRawJob(dir: string, pandaid: number): Promise<unknown | undefined> {
  return readJson(join(jobDir(dir, pandaid), 'job.json'));
}

export async function readRawTask(dir: string, jeditaskid: number): Promise<RawTaskFile | undefined> {
  const raw = await readJson(join(dir, 'tasks', `${jeditaskid}.json`));
  if (raw === undefined) return undefined;
  const record = (raw ?? {}) as Record<string, unknown>;
  return { task: record.task, jobs: record.jobs };
}

export async function readRawErrors(dir: string): Promise<unknown | undefined> {
  return readJson(join(dir, 'errors.json'));
}

export async function listJobIds(dir: string): Promise<number[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && /^\d+$/.test(e.name))
    .map((e) => Number(e.name))
    .sort((a, b) => a - b);
}

export async function listTaskIds(dir: string): Promise<number[]> {
  const tasks = join(dir, 'tasks');
  if (!existsSync(tasks)) return [];
  return (await readdir(tasks))
    .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The job list inside a task file: the `/jobs/` answer object, or a bare list. */
export function rawTaskJobs(file: RawTaskFile): Array<Record<string, unknown>> {
  const jobs = Array.isArray(file.jobs) ? file.jobs : ((file.jobs ?? {}) as { jobs?: unknown }).jobs;
  return Array.isArray(jobs) ? (jobs as Array<Record<string, unknown>>) : [];
}

/**
 * `mode=drop`: removes attempts superseded by a retry. The monitor uses JEDI's retry history; in the
 * file format a retry names the attempt it replaces in `parentid`, so those parents are dropped.
 */
export function dropRetried<T extends Record<string, unknown>>(jobs: T[]): T[] {
  const ids = new Set(jobs.map((j) => Number(j.pandaid)));
  const superseded = new Set<number>();
  for (const job of jobs) {
    const parent = Number(job.parentid);
    if (Number.isFinite(parent) && parent > 0 && parent !== Number(job.pandaid) && ids.has(parent)) superseded.add(parent);
  }
  return jobs.filter((j) => !superseded.has(Number(j.pandaid)));
}

function browserTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A log file name must be a plain name inside the job folder. */
export function checkLogName(filename: string): void {
  if (!filename || filename.includes('/') || filename.includes('\\') || filename === '.' || filename === '..' || NOT_LOG_FILES.has(filename)) {
    throw new InputError(`"${filename}" is not a log file name (expected a name such as pilotlog.txt).`);
  }
}

/** Log files of a job folder; undefined when the folder does not exist. */
export async function listRawLogFiles(dir: string, pandaid: number): Promise<RawLogFile[] | undefined> {
  const folder = jobDir(dir, pandaid);
  if (!existsSync(folder)) return undefined;
  const out: RawLogFile[] = [];
  for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || NOT_LOG_FILES.has(entry.name)) continue;
    const path = join(folder, entry.name);
    const info = await stat(path);
    out.push({ name: entry.name, size: info.size, modification: browserTime(info.mtime), path });
  }
  return out;
}
