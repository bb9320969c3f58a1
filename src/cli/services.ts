/**
 * Builds the object graph from the configuration: the composition root's body. Each service is
 * created on first use, so a one-shot command builds only what it needs.
 */
import type { LoadedConfig } from '../config.js';
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
  return {
    config,
    apiKeys: options.loaded.apiKeys,
    logger,
    memo,
  };
}

export type Services = ReturnType<typeof createServices>;
