export { createDocsAgent, type DocsAgentOptions, NOT_FOUND, stripUnknownLinks } from './agent.js';
export { bestSentences, splitSentences } from './extractive.js';
export { previousQuestion, type Rewritten, rewriteFollowUp, rewriteWith, rewriteWithLlm } from './follow-up.js';
