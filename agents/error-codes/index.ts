export { createErrorCodeAgent, type ErrorCodeAgentOptions } from './agent.js';
export { type ParsedQuestion, parseErrorQuestion } from './parse-question.js';
export { CATEGORY_LABELS, entryBlocks, entrySummary, entryTitle } from './render.js';
