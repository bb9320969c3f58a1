/** The log-analysis agent: "why did job N fail?". */
export { analyseOffline, type OfflineAnalysis } from './analyse.js';
export { type Diagnosis, diagnose, type EvidenceGroup } from './diagnose.js';
