/** Error-code knowledge base: lookups, search, job-record codes and retry advice. */
export { COMPONENT_LABELS, COMPONENTS, MONITOR_COMPONENT_NAMES, normaliseComponent } from './components.js';
export { codesFromJob, JOB_ERROR_FIELDS, type JobErrorCode, parseErrorCode, resolveJobCode } from './job-codes.js';
export { createKnowledgeBase, type KnowledgeBase, type KnowledgeBaseOptions, type SearchHit } from './knowledge-base.js';
export { pandaRetryAction, RETRY_LABELS, type RetryHistory, type RetryVerdict, retryHelps, retryVerdict } from './retry.js';
export { inferAdvice } from './rules.js';
export * from './types.js';
export { adviceContradicts, withoutContradictions } from './retry-wording.js';
