import type { Deduper } from '../contracts/conversation.js';
import type { RedisCommands } from './redis-client.js';

/**
 * De-duplication across replicas: the first replica to SET NX the event id (with a TTL) handles it.
 */
export function createRedisDeduper(options: { redis: RedisCommands; prefix?: string; ttlMs?: number }): Deduper {
  const prefix = options.prefix ?? 'askpanda:event:';
  const ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
  return {
    async firstSeen(eventId) {
      const result = await options.redis.set(`${prefix}${eventId}`, '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return result === 'OK';
    },
  };
}
