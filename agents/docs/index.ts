export { createDocsAgent, type DocsAgentOptions, NOT_FOUND, stripUnknownLinks } from './agent.js';
export { type AskedKind, askedKinds } from './answer-intent.js';
export { bestSentences, type Quote, type Selection, selectQuotes } from './extractive.js';
export { splitUnits, type Unit } from './units.js';
export { previousQuestion, type Rewritten, rewriteFollowUp, rewriteWith, rewriteWithLlm } from './follow-up.js';
