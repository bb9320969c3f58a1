/** Builds the core (memory, de-duplication, ordering, agents) from the service graph. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { ConversationLock, Deduper } from '../contracts/conversation.js';
import type { FeedbackStore } from '../contracts/feedback.js';
import { createFeedbackStore } from '../core/feedback-store.js';
import { createMemoryDeduper } from '../core/dedupe.js';
import { createLocalLock } from '../core/lock.js';
import { type ConversationMemory, createConversationMemory } from '../core/memory.js';
import { type Core, type CoreCommand, createCore, type HandledEvent } from '../core/pipeline.js';
import type { Services } from './services.js';

export function createMemoryKeyv(services: Services): Keyv {
  const { config } = services;
  if (config.redisUrl) return new Keyv({ store: new KeyvRedis(config.redisUrl), namespace: 'askpanda:memory' });
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  return new Keyv({
    store: tunedSqlite(new KeyvSqlite({ uri: `sqlite://${join(dir, 'memory.sqlite')}`, table: 'memory', busyTimeout: 5000 })),
    namespace: 'memory',
  });
}

/**
 * WAL with synchronous=NORMAL: a memory write no longer waits for an fsync of its own (20 ms each
 * on a plain disk, serialising concurrent conversations). Issued first on the store's connection.
 */
export function tunedSqlite(store: KeyvSqlite): KeyvSqlite {
  const query = (store as unknown as { query: (sql: string) => Promise<unknown> }).query;
  void query('PRAGMA journal_mode = WAL').catch(() => undefined);
  void query('PRAGMA synchronous = NORMAL').catch(() => undefined);
  return store;
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
    onHandled: overrides.onHandled,
    ...(overrides.commands ? { commands: overrides.commands } : {}),
    feedback,
  });
  return { core, memory, feedback };
}
