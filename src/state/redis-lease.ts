import { randomUUID } from 'node:crypto';
import type { Lease } from './lease.js';
import type { RedisCommands } from './redis-client.js';

export type { Lease } from './lease.js';

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function createRedisLease(options: { redis: RedisCommands; name: string; ttlMs: number; owner?: string; prefix?: string }): Lease {
  const { redis, ttlMs } = options;
  const owner = options.owner ?? randomUUID();
  const key = `${options.prefix ?? 'askpanda:lease:'}${options.name}`;
  return {
    name: options.name,
    owner,
    async acquireOrRenew() {
      const renewed = Number(await redis.eval(RENEW, { keys: [key], arguments: [owner, String(ttlMs)] }));
      if (renewed === 1) return true;
      return (await redis.set(key, owner, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
    },
    async release() {
      await redis.eval(RELEASE, { keys: [key], arguments: [owner] });
    },
    holder: () => redis.get(key),
  };
}

/**
 * Claims one run of a scheduled job for one tick: every replica's cron fires, the first SET NX on
 * the tick's key wins, so each tick runs on exactly one replica.
 */
export async function claimTick(
  redis: RedisCommands,
  job: string,
  tick: Date,
  options: { prefix?: string; ttlMs?: number; owner?: string } = {},
): Promise<boolean> {
  const key = `${options.prefix ?? 'askpanda:tick:'}${job}:${Math.round(tick.getTime() / 1000)}`;
  const result = await redis.set(key, options.owner ?? '1', { condition: 'NX', expiration: { type: 'PX', value: options.ttlMs ?? 3_600_000 } });
  return result === 'OK';
}
