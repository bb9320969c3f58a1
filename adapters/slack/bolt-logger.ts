import { LogLevel, type Logger as BoltLogger } from '@slack/web-api';
import type { Logger } from '../../src/log.js';

/** Bolt, the Socket Mode client and the Web API client log through this bridge into the project's pino logger. */
export function createBoltLogger(logger: Logger): BoltLogger {
  const text = (parts: unknown[]): string => parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  return {
    debug: (...parts: unknown[]) => logger.debug(text(parts)),
    info: (...parts: unknown[]) => logger.info(text(parts)),
    warn: (...parts: unknown[]) => logger.warn(text(parts)),
    error: (...parts: unknown[]) => logger.error(text(parts)),
    setLevel: () => {},
    getLevel: () => (logger.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => {},
  };
}
