/** The error codes a PanDA job record carries, each resolved against the knowledge base. */
import type { JobRecord } from '../contracts/panda.js';
import { MONITOR_COMPONENT_NAMES } from './components.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { Component, ErrorCodeEntry } from './types.js';

export interface JobErrorCode {
  /** The component whose job field holds the code. */
  component: Component;
  /** The job-record field the code was read from, e.g. `piloterrorcode`. */
  field: string;
  code: number;
  /** The matching diag text of the job record (empty when the component has none, e.g. `transexitcode`). */
  diag: string;
  /** `component:code` in this project's component names, e.g. `pilot:1305`, `trf:65`. */
  errorKey: string;
  /** The BigPanDA monitor's key for the same code, e.g. `transform:65`, `executor:65`, `dataservice:200`. */
  monitorKey: string;
  /**
   * The knowledge-base entry, or null for an unknown code. For `exeerrorcode` this may be a `trf`
   * entry (production jobs copy the transform's exit code there) or a `wnscript` entry
   * (analysis wrappers report 5xxx codes there).
   */
  entry: ErrorCodeEntry | null;
}

/** Error fields of a job record, in the order they are reported (pilot first). */
export const JOB_ERROR_FIELDS: ReadonlyArray<{ component: Component; code: string; diag: string | null }> = [
  { component: 'pilot', code: 'piloterrorcode', diag: 'piloterrordiag' },
  { component: 'exe', code: 'exeerrorcode', diag: 'exeerrordiag' },
  { component: 'trf', code: 'transexitcode', diag: null },
  { component: 'ddm', code: 'ddmerrorcode', diag: 'ddmerrordiag' },
  { component: 'taskbuffer', code: 'taskbuffererrorcode', diag: 'taskbuffererrordiag' },
  { component: 'jobdispatcher', code: 'jobdispatchererrorcode', diag: 'jobdispatchererrordiag' },
  { component: 'supervisor', code: 'superrorcode', diag: 'superrordiag' },
  { component: 'brokerage', code: 'brokerageerrorcode', diag: 'brokerageerrordiag' },
];

/** Reads an error-code field that may be a number, a numeric string (`transexitcode`), empty or null. */
export function parseErrorCode(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return null;
}

/**
 * The entry for a code found in a component's job field. `exeerrorcode` holds the transform's
 * exit code for production jobs and a wn-script 5xxx code for analysis jobs, so an unknown `exe`
 * code falls back to those tables.
 */
export function resolveJobCode(kb: KnowledgeBase, component: Component, code: number): ErrorCodeEntry | null {
  if (component !== 'exe') return kb.lookup(component, code);
  return kb.lookup('exe', code) ?? (code >= 5000 && code < 6000 ? kb.lookup('wnscript', code) : null) ?? kb.lookup('trf', code);
}

/**
 * Every non-zero error code of a job record with its component, diag text and knowledge-base
 * entry, pilot first. Missing or non-numeric fields are skipped.
 *
 * @example codesFromJob(job, kb).map((c) => c.errorKey) // ['pilot:1305', 'exe:65', 'trf:65']
 */
export function codesFromJob(job: JobRecord | Record<string, unknown>, kb: KnowledgeBase): JobErrorCode[] {
  const record = job as Record<string, unknown>;
  const out: JobErrorCode[] = [];
  for (const field of JOB_ERROR_FIELDS) {
    const code = parseErrorCode(record[field.code]);
    if (code === null || code === 0) continue;
    const diagValue = field.diag ? record[field.diag] : undefined;
    out.push({
      component: field.component,
      field: field.code,
      code,
      diag: typeof diagValue === 'string' ? diagValue.trim() : '',
      errorKey: `${field.component}:${code}`,
      monitorKey: `${MONITOR_COMPONENT_NAMES[field.component]}:${code}`,
      entry: resolveJobCode(kb, field.component, code),
    });
  }
  return out;
}
