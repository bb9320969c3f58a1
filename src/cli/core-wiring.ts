/** Builds the core (memory, de-duplication, ordering, agents) from the service graph. */
import { join, resolve } from 'node:path';
import type Keyv from 'keyv';
import type { ConversationLock, Deduper } from '../contracts/conversation.js';
import type { FeedbackStore } from '../contracts/feedback.js';
import { createFeedbackStore } from '../core/feedback-store.js';
import { type Core, type CoreCommand, createCore, type HandledEvent } from '../core/pipeline.js';
import { createMemoryDeduper } from '../state/dedupe.js';
import { createStateKeyv, stateBackend } from '../state/keyv.js';
import { createLocalLock } from '../state/lock.js';
import { type ConversationMemory, createConversationMemory } from '../state/memory.js';
import { redactDeep } from '../logs/index.js';
import type { Services } from './services.js';

/** The conversation-memory Keyv: Redis when configured, else SQLite in the data directory. */
export function createMemoryKeyv(services: Services): Keyv {
  return createStateKeyv(stateBackend(services.config), 'memory');
}

export interface CoreWiring {
  core: Core;
  memory: ConversationMemory;
  /** Durable 👍/👎 with the answers they rate (`<dataDir>/feedback.sqlite`). */
  feedback: FeedbackStore;
}

/** The feedback store in the data directory (shared by the bot and `askpanda feedback`). */
export function openFeedbackStore(services: Services): FeedbackStore {
  return createFeedbackStore({ path: join(resolve(services.config.dataDir), 'feedback.sqlite') });
}

export interface CoreOverrides {
  /** Where conversation memory lives (default: Redis when configured, else SQLite in the data directory). */
  memoryKeyv?: Keyv;
  deduper?: Deduper;
  lock?: ConversationLock;
  onHandled?: (event: HandledEvent) => void;
  commands?: Record<string, CoreCommand>;
  feedback?: FeedbackStore;
  /** Command words typed with arguments (`watch task 45500125`), handled by `commands[word]`. */
  commandWords?: readonly string[];
}

export function createCoreWiring(services: Services, overrides: CoreOverrides = {}): CoreWiring {
  const { config, logger } = services;
  const memory = createConversationMemory({
    keyv: overrides.memoryKeyv ?? createMemoryKeyv(services),
    maxTurns: config.memory.maxTurns,
    maxChars: config.memory.maxChars,
    ttlMs: config.memory.ttlSeconds * 1000,
    // Older turns are summarised by the answer model when one is configured, dropped otherwise.
    ...(config.llm.answer !== 'offline' && config.llm.answer !== 'none' ? { summarise: services.llm('answer') } : {}),
  });
  const feedback = overrides.feedback ?? openFeedbackStore(services);
  const core = createCore({
    router: services.router(),
    agents: services.agents(),
    memory,
    deduper: overrides.deduper ?? createMemoryDeduper(),
    lock: overrides.lock ?? createLocalLock(),
    logger: logger.child({ component: 'core' }),
    botNames: ['askpanda', 'ask-panda', 'AskPanDA'],
    answerDeadlineMs: config.answerDeadlineMs,
    redact: redactDeep,
    onHandled: overrides.onHandled,
    ...(overrides.commands ? { commands: overrides.commands } : {}),
    feedback,
    ...(overrides.commandWords ? { commandWords: overrides.commandWords } : {}),
  });
  return { core, memory, feedback };
}
