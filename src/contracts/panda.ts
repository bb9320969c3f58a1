/** A job record as returned by the monitor's `/job?pandaid=N&json` (`job` key). Unknown fields are kept. */
export interface JobRecord {
  pandaid: number;
  jeditaskid: number | null;
  jobstatus: string;
  computingsite: string | null;
  attemptnr: number | null;
  piloterrorcode: number;
  piloterrordiag: string;
  exeerrorcode: number;
  exeerrordiag: string;
  /** The monitor keeps this as a string column. */
  transexitcode: string;
  ddmerrorcode: number;
  ddmerrordiag: string;
  taskbuffererrorcode: number;
  taskbuffererrordiag: string;
  jobdispatchererrorcode: number;
  jobdispatchererrordiag: string;
  brokerageerrorcode: number;
  brokerageerrordiag: string;
  superrorcode: number;
  superrordiag: string;
  /** ISO 8601 UTC (normalised from both monitor date formats), or null. */
  creationtime: string | null;
  starttime: string | null;
  endtime: string | null;
  modificationtime: string | null;
  [field: string]: unknown;
}

export interface JobFile {
  lfn: string;
  type: string;
  guid?: string;
  status?: string;
  fsize?: number;
  scope?: string;
  dataset?: string;
  [field: string]: unknown;
}

export interface JobDetails {
  job: JobRecord;
  files: JobFile[];
}

export interface TaskRecord {
  jeditaskid: number;
  taskname: string;
  status: string;
  [field: string]: unknown;
}

export interface TaskDetails {
  task: TaskRecord;
  taskparams: Record<string, unknown>;
  datasets: Array<Record<string, unknown>>;
}

export interface LogFileInfo {
  name: string;
  size: number;
  dirname: string;
  modification: string | null;
}

export interface OpenLogOptions {
  /** Cap on bytes read; beyond it the stream ends and `truncated` is true. */
  maxBytes?: number;
  /** Read only the last N bytes. */
  tail?: number;
  signal?: AbortSignal;
}

export interface LogStream {
  name: string;
  /** Size announced by the server or file system, when known. */
  size: number | null;
  stream: AsyncIterable<Uint8Array>;
  /** True after the stream ended when the cap cut it short. */
  readonly truncated: boolean;
}

/** `/errors/?json&hours=N` entry (errsByCount). */
export interface ErrorSummaryEntry {
  error: string;
  codename: string;
  codeval: number;
  diag: string;
  count: number;
  example_pandaid?: number;
}

export interface ErrorSummaryGroup {
  name: string;
  toterrors: number;
  toterrjobs: number;
  errorlist: ErrorSummaryEntry[];
}

export interface ErrorSummary {
  hours: number;
  errsByCount: ErrorSummaryEntry[];
  errsBySite: ErrorSummaryGroup[];
  errsByUser: ErrorSummaryGroup[];
  errsByTask: ErrorSummaryGroup[];
  fetchedAt: string;
}

export interface TaskFilter {
  username?: string;
  status?: string;
  taskname?: string;
  days?: number;
  limit?: number;
}

/** A job search as the monitor's `/jobs/` view takes it (`*` wildcards and `|` alternatives in text fields). */
export interface JobFilter {
  produsername?: string;
  computingsite?: string;
  /** One state or `failed|holding`. */
  jobstatus?: string;
  jeditaskid?: number;
  /** `<taskName>.$ORIGINPANDAID`-style names; `*` wildcards. */
  jobname?: string;
  /** Jobs modified in the last N hours (the monitor's window ends now; recorded data ends at its newest job). */
  hours?: number;
  days?: number;
  /** Modified on or after this UTC day (`YYYY-MM-DD`, the monitor's `date_from`); with `dateTo`. */
  dateFrom?: string;
  /** Modified on or before this UTC day (`YYYY-MM-DD`, inclusive, the monitor's `date_to`). */
  dateTo?: string;
  /** At most this many jobs in the answer (a monitor client pages up to it). */
  limit?: number;
  /** Every attempt of a task's jobs (`mode=nodrop`), not only the last. */
  allAttempts?: boolean;
}

export interface JobListOptions {
  /** Ask the monitor only for these job fields (`fields=`); the ids, state and error fields are always included. */
  fields?: readonly string[];
  signal?: AbortSignal;
  /** Told how the answer was read: `complete` false when the source stopped before every matching job. */
  onPaged?: (info: { complete: boolean; requests: number }) => void;
}

/** Read access to PanDA: the monitor over HTTP, or a directory of files (demo, evaluation). */
export interface PandaSource {
  readonly description: string;
  getJob(pandaid: number, signal?: AbortSignal): Promise<JobDetails>;
  getTask(jeditaskid: number, signal?: AbortSignal): Promise<TaskDetails>;
  getTaskJobs(
    jeditaskid: number,
    options?: { allAttempts?: boolean; fields?: readonly string[]; signal?: AbortSignal; onPaged?: JobListOptions['onPaged'] },
  ): Promise<JobRecord[]>;
  /** Jobs matching a search (user, site, state, task, time window), newest first. */
  listJobs(filter: JobFilter, options?: JobListOptions): Promise<JobRecord[]>;
  listTasks(filter: TaskFilter, signal?: AbortSignal): Promise<TaskRecord[]>;
  getErrorSummary(hours: number, signal?: AbortSignal): Promise<ErrorSummary>;
  listLogFiles(pandaid: number, signal?: AbortSignal): Promise<LogFileInfo[]>;
  openLog(pandaid: number, filename: string, options?: OpenLogOptions): Promise<LogStream>;
  /** URL of the job's page on the monitor, when there is one. */
  jobUrl(pandaid: number): string | null;
  taskUrl(jeditaskid: number): string | null;
}

/** A CRIC PanDA queue record (the pandaqueue query JSON value). Unknown fields are kept. */
export interface QueueRecord {
  name: string;
  site: string;
  cloud: string;
  status: string;
  [field: string]: unknown;
}

export interface CricSource {
  readonly description: string;
  listQueues(signal?: AbortSignal): Promise<QueueRecord[]>;
  /** Case-insensitive. Null when unknown. */
  getQueue(name: string, signal?: AbortSignal): Promise<QueueRecord | null>;
  refresh?(signal?: AbortSignal): Promise<void>;
}
