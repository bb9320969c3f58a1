import cron, { type ScheduledTask } from 'node-cron';
import { InputError } from '../errors.js';
import type { Logger } from '../log.js';
import type { JobResult, JobStatus, MaintenanceJob, StatusStore } from './types.js';

export interface SchedulerOptions {
  jobs: MaintenanceJob[];
  store: StatusStore;
  logger: Logger;
  /** This replica's id, recorded with each run. */
  replica: string;
  /**
   * Decides whether this replica runs a job's tick (Redis: the first SET NX on the tick wins);
   * without it every tick runs here (single replica).
   */
  claim?: (job: string, tick: Date) => Promise<boolean>;
  /** Called after every run (metrics). */
  onRun?: (status: JobStatus) => void;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Runs one job now on this replica (CLI, tests) and returns its recorded status. */
  runNow(name: string): Promise<JobStatus>;
  readonly jobs: readonly MaintenanceJob[];
}

class JobTimeout extends Error {}

/** Runs maintenance jobs on their cron schedules, each bounded in time, logged and recorded. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, replica } = options;
  const log = options.logger.child({ component: 'maintenance' });
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  const busy = new Set<string>();

  async function execute(job: MaintenanceJob, tick?: Date): Promise<JobStatus> {
    const started = Date.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new JobTimeout(`maintenance job ${job.name} exceeded ${job.timeoutMs} ms`));
        reject(new JobTimeout(`maintenance job ${job.name} exceeded ${job.timeoutMs} ms`));
      }, job.timeoutMs);
    });
    let outcome: JobStatus['outcome'] = 'ok';
    let result: JobResult;
    try {
      result = await Promise.race([job.run(controller.signal), timeout]);
    } catch (error) {
      outcome = error instanceof JobTimeout ? 'timeout' : 'failed';
      result = { summary: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
    const previous = await store.get(job.name).catch(() => undefined);
    const status: JobStatus = {
      name: job.name,
      cron: job.cron,
      lastRunAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      outcome,
      summary: result.summary,
      ...(result.figures ? { figures: result.figures } : {}),
      replica,
      runs: (previous?.runs ?? 0) + 1,
      failures: (previous?.failures ?? 0) + (outcome === 'ok' ? 0 : 1),
    };
    await store.set(status).catch((error: unknown) => log.warn({ err: error, job: job.name }, 'could not record the job status'));
    const line = {
      job: job.name,
      tick: tick?.toISOString(),
      replica,
      outcome,
      durationMs: status.durationMs,
      summary: status.summary,
      figures: status.figures,
    };
    if (outcome === 'ok') log.info(line, 'maintenance job finished');
    else log.warn(line, 'maintenance job did not finish');
    options.onRun?.(status);
    return status;
  }

  async function onTick(job: MaintenanceJob, tick: Date): Promise<void> {
    if (busy.has(job.name)) {
      log.warn({ job: job.name }, 'previous run still going; tick skipped');
      return;
    }
    try {
      if (options.claim && !(await options.claim(job.name, tick))) {
        log.debug({ job: job.name }, 'tick claimed by another replica');
        return;
      }
    } catch (error) {
      log.warn({ err: error, job: job.name }, 'could not claim the tick; skipped');
      return;
    }
    busy.add(job.name);
    const run = execute(job, tick).finally(() => busy.delete(job.name));
    running.add(run);
    await run.finally(() => running.delete(run));
  }

  return {
    jobs: options.jobs,
    start() {
      for (const job of options.jobs) {
        tasks.push(cron.schedule(job.cron, (context) => onTick(job, context.date), { name: job.name }));
      }
      log.info({ jobs: options.jobs.map((j) => `${j.name} (${j.cron})`) }, 'maintenance scheduled');
    },
    async stop() {
      for (const task of tasks) await task.destroy();
      tasks.length = 0;
      await Promise.allSettled([...running]);
    },
    async runNow(name) {
      const job = options.jobs.find((j) => j.name === name);
      if (!job) throw new InputError(`Maintenance job ${name} does not exist; known jobs: ${options.jobs.map((j) => j.name).join(', ')}.`);
      return execute(job);
    },
  };
}
