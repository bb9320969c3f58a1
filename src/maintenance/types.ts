/** What a maintenance job reports; `summary` is one line shown by `askpanda status`. */
export interface JobResult {
  summary: string;
  /** Numbers worth showing (counts, sizes). */
  figures?: Record<string, number>;
}

export interface MaintenanceJob {
  name: string;
  /** node-cron expression (5 or 6 fields). */
  cron: string;
  /** Upper bound for one run; the signal is aborted and the run recorded as timed out after it. */
  timeoutMs: number;
  /** With replicas: only the leader runs it (it writes shared state or posts on everyone's behalf). */
  leaderOnly?: boolean;
  run(signal: AbortSignal): Promise<JobResult>;
}

export interface JobStatus {
  name: string;
  cron: string;
  lastRunAt: string;
  durationMs: number;
  outcome: 'ok' | 'failed' | 'timeout';
  summary: string;
  figures?: Record<string, number>;
  /** Which replica ran it. */
  replica: string;
  runs: number;
  failures: number;
}

/** Where job statuses live: the data directory, or Redis when replicas share it. */
export interface StatusStore {
  get(name: string): Promise<JobStatus | undefined>;
  set(status: JobStatus): Promise<void>;
  all(): Promise<JobStatus[]>;
}
