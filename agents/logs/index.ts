/** The log-analysis agent: "why did job N fail?". */
export { analyseOffline, type OfflineAnalysis } from './analyse.js';
export { type Diagnosis, diagnose, type EvidenceGroup } from './diagnose.js';
export { createJobAgent, type JobAgent, type JobAgentOptions, requestPandaid } from './job-agent.js';
export { ANALYSIS_SYSTEM, type LlmAnalysis, llmAnalysisSchema, runLlmAnalysis } from './llm-analysis.js';
export { renderExpertView, renderStatus, renderUserView } from './render.js';
export { type AnalysisStore, createAnalysisStore, type StoredAnalysis } from './store.js';
