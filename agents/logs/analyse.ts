/** Offline analysis of one job: logs collected and scanned, deterministic diagnosis, LLM context. */
import type { JobRecord, PandaSource } from '../../src/contracts/panda.js';
import { codesFromJob, type KnowledgeBase } from '../../src/knowledge/index.js';
import type { LogExtraction } from '../../src/logs/index.js';
import { collectLogs } from './collect.js';
import { buildContext, buildHeader, CONTEXT_LIMIT, logBudget } from './context.js';
import { type Diagnosis, diagnose } from './diagnose.js';
import { jobHistory } from './history.js';

export interface OfflineAnalysis {
  diagnosis: Diagnosis;
  /** Exactly what goes to the LLM (redacted, ≤ 12,000 characters). */
  context: string;
  /** Job metadata and error codes with their explanations (the first part of the context). */
  header: string;
  extractions: LogExtraction[];
  notices: string[];
}

export async function analyseOffline(
  deps: { panda: PandaSource; kb: KnowledgeBase },
  job: JobRecord,
  options: { signal?: AbortSignal; maxLogBytes?: number; contextLimit?: number } = {},
): Promise<OfflineAnalysis> {
  const codes = codesFromJob(job, deps.kb);
  const header = buildHeader(job, codes);
  const limit = options.contextLimit ?? CONTEXT_LIMIT;
  const { extractions, notices } = await collectLogs(deps.panda, job, codes, {
    budget: logBudget(header, limit),
    maxLogBytes: options.maxLogBytes,
    signal: options.signal,
  });
  const history = await jobHistory(deps.panda, job, deps.kb, options.signal);
  const diagnosis = diagnose(job, codes, extractions, history);
  return { diagnosis, context: buildContext(header, extractions, limit), header, extractions, notices };
}
