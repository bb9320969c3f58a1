/** PanDA data layer: monitor client, file-backed source, CRIC client, queue resolution. */
export { createMonitorClient, FINAL_JOB_STATES, FINAL_TASK_STATES, mediaUrl, type MonitorClient, type MonitorClientOptions } from './monitor-client.js';
export { createFileSource, type FileSourceOptions } from './file-source.js';
export { createCricClient, type CricClient, type CricClientOptions } from './cric-client.js';
export { loadCricSqlite } from './cric-sqlite.js';
export { parseCricQueues, queueCopytools, queueRecordSchema, type CricQueue } from './cric-schema.js';
export { didYouMean, resolveQueue, suggestNames, type QueueResolution } from './queue-resolve.js';
export { editDistance, withinEdits } from './edit-distance.js';
export { buildErrorSummary, jobErrors } from './error-summary.js';
export { formatBytes, logTooLargeNotice, pandaErrors } from './panda-errors.js';
export { readLogHeadTail, type LogHeadTail } from './head-tail.js';
export { normaliseDate, normaliseDates } from './dates.js';
export { ERROR_FIELDS, jobDetailsSchema, jobRecordSchema, taskDetailsSchema } from './schemas.js';
export { BASE_JOB_FIELDS, filterJobs, jobFilterQuery, TASK_SUMMARY_FIELDS } from './job-filter.js';
export { describeSearch, ERROR_SUMMARY_GROUPS } from './monitor-client.js';
export { JOB_STATES } from './job-pages.js';
