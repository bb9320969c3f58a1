import { randomUUID } from 'node:crypto';
import type { ConversationLock } from '../contracts/conversation.js';
import type { RedisCommands } from './redis-client.js';

/**
 * Per-conversation ordering across replicas: a fair queue in Redis. Each piece of work pushes a
 * ticket onto the conversation's list and runs when its ticket is at the head. Every ticket has a
 * heartbeat key with a TTL, renewed while it waits or runs; a ticket whose replica died (heartbeat
 * expired) is removed by the next waiter, so the conversation never stays blocked longer than the TTL.
 */

// KEYS[1] queue, KEYS[2] heartbeat prefix; ARGV[1] token, ARGV[2] ttl ms, ARGV[3] queue ttl ms.
const ENQUEUE = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2] .. ARGV[1], '1', 'PX', ARGV[2])
return 1`;

// Returns 1 when the ticket is at the head, 0 while others are ahead, -1 when the ticket was lost.
const AT_HEAD = `
redis.call('SET', KEYS[2] .. ARGV[1], '1', 'PX', ARGV[2])
for i = 1, 1000 do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then return -1 end
  if head == ARGV[1] then return 1 end
  if redis.call('EXISTS', KEYS[2] .. head) == 1 then return 0 end
  redis.call('LPOP', KEYS[1])
end
return 0`;

const RELEASE = `
redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('DEL', KEYS[2] .. ARGV[1])
return 1`;

const RENEW = `return redis.call('PEXPIRE', KEYS[1], ARGV[1])`;

export interface RedisLockOptions {
  redis: RedisCommands;
  prefix?: string;
  /** Heartbeat TTL: how long a dead replica can block a conversation. */
  ttlMs?: number;
  /** How often a waiting ticket checks the head of the queue. */
  pollMs?: number;
}

export function createRedisLock(options: RedisLockOptions): ConversationLock {
  const { redis } = options;
  const prefix = options.prefix ?? 'askpanda:lock:';
  const ttlMs = options.ttlMs ?? 15_000;
  const pollMs = options.pollMs ?? 15;
  const queueTtl = String(Math.max(ttlMs * 20, 600_000));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const token = randomUUID();
      const keys = [`${prefix}${key}:queue`, `${prefix}${key}:hb:`];
      const args = [token, String(ttlMs), queueTtl];
      await redis.eval(ENQUEUE, { keys, arguments: args });
      let delay = 2;
      for (;;) {
        const state = Number(await redis.eval(AT_HEAD, { keys, arguments: args }));
        if (state === 1) break;
        // Lost (our heartbeat lapsed, e.g. a long pause): queue again rather than run out of order.
        if (state === -1) await redis.eval(ENQUEUE, { keys, arguments: args });
        await sleep(delay);
        delay = Math.min(delay * 2, pollMs);
      }
      const renew = setInterval(
        () => {
          redis.eval(RENEW, { keys: [`${keys[1]}${token}`], arguments: [String(ttlMs)] }).catch(() => undefined);
        },
        Math.max(50, Math.floor(ttlMs / 3)),
      );
      try {
        return await work();
      } finally {
        clearInterval(renew);
        await redis.eval(RELEASE, { keys, arguments: [token] }).catch(() => undefined);
      }
    },
  };
}
