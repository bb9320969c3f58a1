/** The LLM layer: offline provider, vendor providers, reliability wrapper and the factory. */
export { createLlm, createLlmForRole, createLlmRegistry, createVendorLlm, parseSpec, VENDORS } from './create.js';
export type { ApiKeys, LlmFactoryOptions, LlmRegistry, LlmSettings, ParsedSpec, Vendor } from './create.js';
export { createOfflineProvider } from './offline.js';
export { createReliableProvider } from './reliable.js';
export type { ReliableOptions } from './reliable.js';
export { createBreaker, createLimiter } from './guards.js';
export { applyBudget, renderEvidence } from './prompt.js';
