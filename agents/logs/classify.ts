/**
 * Code classes and category refinement for transfers. The knowledge base gives each code a default
 * category; some codes need the log to decide (a 503 can come from a storage element or from a
 * central service). Causes read from log lines live in cause.ts.
 */
import type { Category, RetryAdvice } from '../../src/knowledge/index.js';

/** Pilot codes whose category depends on what the payload printed. */
export const PAYLOAD_CODES = new Set([1305, 1220, 1315, 1351, 1187, 1343]);
/** Generic pilot codes that name no cause by themselves. */
export const GENERIC_CODES = new Set([1008, 1300, 1301, 1310, 1319, 1220, 1315]);
/** Transfer codes whose category depends on where the transfer failed. */
export const TRANSFER_CODES = new Set([1099, 1100, 1103, 1137, 1141, 1145, 1151, 1152, 1171, 1172, 1180, 1181, 1316, 1322, 1324, 1326, 1327]);

/** Where a transfer failed: at a storage element (stage-in / stage-out) or at a central service. */
export function classifyTransfer(evidence: string, defaultCategory: Category, phase: 'stagein' | 'stageout' | null): Category {
  // Rucio itself (the central catalogue and its servers), not a storage element, failed.
  if (
    /list_replicas|Failed to get (?:the )?replica|DatabaseException|Rucio server|rucio-lb|ORA-\d+|Failed to get client location|Rucio:? (?:service |server )?(?:is )?(?:unavailable|not available)/i.test(
      evidence,
    )
  )
    return 'transient-network';
  // A downloaded input whose checksum differs from the catalogue's: a damaged replica when the log or the code says so.
  if (
    /Checksum mismatch|adler32 mismatch|md5sum mismatch|checksum (?:verification|validation) failed/i.test(evidence) &&
    phase === 'stagein' &&
    (/corrupt/i.test(evidence) || defaultCategory === 'input-data-corrupt')
  )
    return 'input-data-corrupt';
  if (phase === 'stageout') return 'storage-stageout';
  if (phase === 'stagein') return 'storage-stagein';
  return defaultCategory;
}

/** The phase of a transfer from its messages: `to RSE` / upload / stage-out vs `from RSE` / download / stage-in. */
export function transferPhase(evidence: string): 'stagein' | 'stageout' | null {
  const out = /stage-?out|upload|\bto [A-Z0-9-]+_[A-Z]+DISK\b|copytool_out|_stage_out|put_sm|output file|log transfer/i.test(evidence);
  const inn = /stage-?in|download|\bfrom [A-Z0-9-]+_[A-Z]+(?:DISK|TAPE)\b|copytool_in|_stage_in|get_sm|input file/i.test(evidence);
  if (out && !inn) return 'stageout';
  if (inn && !out) return 'stagein';
  if (out && inn) return /\bto [A-Z0-9-]+_[A-Z]+DISK\b|upload/.test(evidence) ? 'stageout' : 'stagein';
  return null;
}

/** Default retry outlook per category (used when the evidence changed the knowledge base's category). */
const CATEGORY_RETRY: Record<Category, RetryAdvice> = {
  'transient-network': 'retry',
  'storage-stagein': 'retry',
  'storage-stageout': 'retry',
  'site-infrastructure': 'avoid_site',
  'resource-limit-memory': 'retry_more_memory',
  'resource-limit-walltime': 'maybe',
  'resource-limit-disk': 'maybe',
  looping: 'no_retry',
  'killed-by-system': 'retry',
  'payload-user-error': 'no_retry',
  'payload-software': 'no_retry',
  'input-data-corrupt': 'no_retry',
  'auth-credentials': 'maybe',
  configuration: 'no_retry',
  unknown: 'maybe',
};

const CATEGORY_REASON: Record<Category, string> = {
  'transient-network': 'Network and central-service hiccups are usually gone by the next attempt.',
  'storage-stagein': 'Input transfer problems at the storage are usually temporary.',
  'storage-stageout': 'Upload problems at the storage are usually temporary.',
  'site-infrastructure': 'The problem is on the worker node or site, not in the job; another node or site usually works.',
  'resource-limit-memory': 'The job needs more memory than it had; a retry helps only with a higher limit or if the peak was a fluctuation.',
  'resource-limit-walltime': 'A retry helps only with a longer time limit or a faster node.',
  'resource-limit-disk': 'Depends on whether the disk use comes from the job itself or from the node.',
  looping: 'A payload that stops making progress usually hangs again on the same input.',
  'killed-by-system': 'The job was stopped from outside; it did not fail by itself.',
  'payload-user-error': 'The user code fails the same way on the same input; fix the code or options first.',
  'payload-software': 'A failure inside the software repeats with the same release and input.',
  'input-data-corrupt': 'Bad input content fails again on every attempt.',
  'auth-credentials': 'Helps once valid credentials are in place.',
  configuration: 'The job or task definition does not fit; it fails again until it is changed.',
  unknown: 'The information available does not tell whether another attempt would succeed.',
};

export function retryForCategory(category: Category): { retry: RetryAdvice; reason: string } {
  return { retry: CATEGORY_RETRY[category], reason: CATEGORY_REASON[category] };
}
