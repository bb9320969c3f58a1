/** The failure categories of the diagnosis set (see ../shared/eval/failures-dev/README.md). */
export const CATEGORIES = [
  'transient-network',
  'storage-stagein',
  'storage-stageout',
  'site-infrastructure',
  'resource-limit-memory',
  'resource-limit-walltime',
  'resource-limit-disk',
  'looping',
  'killed-by-system',
  'payload-user-error',
  'payload-software',
  'input-data-corrupt',
  'auth-credentials',
  'configuration',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Retry advice in PanDA retry-module terms. */
export type RetryAdvice = 'retry' | 'no_retry' | 'retry_more_memory' | 'avoid_site' | 'maybe';

/**
 * Components: `pilot`, `trf` (transform / payload exit code), `exe` (executor), `ddm` (dataservice),
 * `taskbuffer`, `jobdispatcher`, `supervisor`, `brokerage`, `wnscript` (analysis wrappers).
 */
export type Component = 'pilot' | 'trf' | 'exe' | 'ddm' | 'taskbuffer' | 'jobdispatcher' | 'supervisor' | 'brokerage' | 'wnscript';

export interface ErrorCodeEntry {
  component: Component;
  code: number;
  name: string | null;
  /** Default message the component reports. */
  message: string | null;
  category: Category;
  retry: RetryAdvice;
  /** One line: why this retry advice. */
  retryReason: string;
  /** Plain-language explanation for users (present for the codes users meet most). */
  explanation?: string;
  /** Longer description from an extra-descriptions file, when loaded. */
  description?: string;
  /** Text templates seen with this code (server diag templates, log signatures). */
  typicalDiag?: string[];
  /** Historical / removed codes are kept but labelled. */
  status?: 'current' | 'legacy';
  /** Other constant names sharing this code, as `NAME: message` (e.g. trf 251). */
  aliases?: string[];
  /** wn-script codes: the analysis wrappers that emit it (buildJob, runGen, ...). */
  scripts?: string[];
  /** A caveat from the source table (e.g. "reserved, currently not used by pilot"). */
  note?: string;
  /** `curated`: category/retry/explanation written by hand; `rules`: inferred from code range, name and message. */
  adviceSource?: 'curated' | 'rules';
}

/** What `retry_helps` means in the diagnosis set: true, false or "maybe". */
export type RetryHelps = true | false | 'maybe';
