/** Support-channel knowledge: thread classification, redaction and summaries, the ingestion pipeline. */
export { type Classification, classifyThread, type Decision, isSubstantive } from './classify.js';
export { type ExportedThread, exportedThreadSchema, readJsonLines, readThreadExport, toDiscussionThread } from './export-format.js';
export {
  type DiscussionIngester,
  type DiscussionIngesterOptions,
  createDiscussionIngester,
  type IngestDecision,
  type IngestRun,
  type ThreadJudge,
} from './pipeline.js';
export { type PreparedDiscussion, prepareDiscussion, redactDiscussionText, rolesOf } from './prepare.js';
export { type DiscussionsEvalResult, evaluateDiscussions } from './eval.js';
export { type IngestPrediction, type QaPrediction, questionSchema, scoreIngest, scoreQa, type ThreadQuestion } from './score.js';
export { type ChannelRef, type ChannelSyncResult, parseChannelRef, syncChannels } from './sync.js';
export { type ChannelList, createChannelList } from './channel-list.js';
export { createLlmThreadJudge } from './llm-judge.js';
