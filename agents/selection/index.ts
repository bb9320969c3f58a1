/** The selection agent: rule-based and LLM routing, entity extraction, routing evaluation. */
export { createCricNames, namesFromQueues } from './cric-names.js';
export { createFollowUpLlmRouter, type FollowUpLlmOptions } from './follow-up-llm.js';
export { type AgentDescription, createLlmRouter, INTENT_GUIDE, type LlmRouterOptions, type RouterIntent, routerIntents } from './llm-router.js';
export type { KnownNames } from './names.js';
export { createRuleRouter, emptyEntities, type RuleRouter, type RuleRouterOptions } from './rule-router.js';
export { formatRoutingReport, predictionLines, predictRouting, readRoutingSet, type RoutingScore, scoreRouting } from './routing-eval.js';
