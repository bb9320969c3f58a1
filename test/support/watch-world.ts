/**
 * A changing PanDA world for watch tests: task files in the file-source format, rewritten as the
 * simulated clock moves, served by the fake monitor (which re-reads them on every request).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorldJob {
  pandaid: number;
  jeditaskid: number;
  jobstatus: 'finished' | 'failed' | 'running';
  computingsite: string;
  attemptnr: number;
  endtime: string | null;
  piloterrorcode?: number;
  piloterrordiag?: string;
  exeerrorcode?: number;
  exeerrordiag?: string;
  produsername?: string;
}

export interface World {
  dir: string;
  /** The simulated time (the clock the runners are given). */
  now(): Date;
  advance(minutes: number): void;
  setTaskStatus(jeditaskid: number, status: string): void;
  /** Adds jobs ending now (or still running) and rewrites the task's file. */
  add(jeditaskid: number, count: number, job: Partial<WorldJob> & Pick<WorldJob, 'jobstatus' | 'computingsite'>): number[];
  close(): void;
}

const iso = (d: Date) => d.toISOString().slice(0, 19);

export function createWorld(start = '2026-03-02T06:00:00Z'): World {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-watch-world-'));
  mkdirSync(join(dir, 'tasks'), { recursive: true });
  let clock = new Date(start);
  let nextId = 7_100_000_000;
  const tasks = new Map<number, { status: string; jobs: WorldJob[] }>();

  const write = (id: number) => {
    const t = tasks.get(id);
    if (!t) return;
    const task = {
      jeditaskid: id,
      taskname: `mc23_13p6TeV.test.simul.tid${id}`,
      status: t.status,
      username: 'atlas-production',
      creationdate: '2026-03-01 00:00:00',
      modificationtime: iso(clock).replace('T', ' '),
    };
    const jobs = t.jobs.map((j) => ({
      piloterrorcode: 0,
      piloterrordiag: '',
      exeerrorcode: 0,
      exeerrordiag: '',
      transexitcode: '0',
      produsername: 'atlas-production',
      modificationtime: j.endtime ?? iso(clock),
      starttime: j.endtime ? iso(new Date(Date.parse(`${j.endtime}Z`) - 3_600_000)) : iso(clock),
      jobname: `job.${j.pandaid}`,
      parentid: null,
      ...j,
    }));
    writeFileSync(
      join(dir, 'tasks', `${id}.json`),
      JSON.stringify({ task: { task, taskparams: {}, datasets: [] }, jobs: { selectionsummary: [], jobs, errsByCount: [] } }),
    );
  };

  return {
    dir,
    now: () => clock,
    advance(minutes) {
      clock = new Date(clock.getTime() + minutes * 60_000);
    },
    setTaskStatus(id, status) {
      const t = tasks.get(id) ?? { status, jobs: [] };
      t.status = status;
      tasks.set(id, t);
      write(id);
    },
    add(id, count, job) {
      const t = tasks.get(id) ?? { status: 'running', jobs: [] };
      tasks.set(id, t);
      const ids: number[] = [];
      for (let i = 0; i < count; i += 1) {
        nextId += 1;
        ids.push(nextId);
        t.jobs.push({ pandaid: nextId, jeditaskid: id, attemptnr: 1, endtime: job.jobstatus === 'running' ? null : iso(clock), ...job });
      }
      write(id);
      return ids;
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
