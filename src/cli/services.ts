/**
 * Builds the object graph from the configuration: the composition root's body. Each service is
 * created on first use, so a one-shot command builds only what it needs.
 */
import { createErrorCodeAgent } from '../../agents/error-codes/index.js';
import type { LoadedConfig } from '../config.js';
import type { Agent } from '../contracts/agent.js';
import { createKnowledgeBase, type KnowledgeBase } from '../knowledge/index.js';
import { createLogger, type Logger } from '../log.js';

export interface ServiceOptions {
  loaded: LoadedConfig;
  logger?: Logger;
}

function memo<T>(factory: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = factory();
      made = true;
    }
    return value as T;
  };
}

export function createServices(options: ServiceOptions) {
  const { config } = options.loaded;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  /** The error-code knowledge base, with the configured extra-descriptions files. */
  const kb = memo((): KnowledgeBase => createKnowledgeBase({ extraDescriptionFiles: config.knowledge.extraDescriptions }));
  return {
    config,
    apiKeys: options.loaded.apiKeys,
    logger,
    memo,
    kb,
    /** The error-codes agent (intent `error_code`). */
    errorCodeAgent: memo((): Agent => createErrorCodeAgent({ kb: kb() })),
  };
}

export type Services = ReturnType<typeof createServices>;
