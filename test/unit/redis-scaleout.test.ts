import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatAdapter, MessageHandler } from '../../src/contracts/chat.js';
import { connectRedis, type RedisCommands, type RedisConnection } from '../../src/state/redis-client.js';
import { createLeasedAdapter } from '../../src/state/connection-lease.js';
import { createRedisDeduper } from '../../src/state/redis-dedupe.js';
import { createRedisLease, claimTick } from '../../src/state/redis-lease.js';
import { createRedisLock } from '../../src/state/redis-lock.js';
import { createLogger } from '../../src/log.js';

const prefix = `askpanda-test:${randomUUID()}:`;
let a: RedisConnection;
let b: RedisConnection;
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  a = await connectRedis('redis://127.0.0.1:6379');
  b = await connectRedis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  const client = a.commands as unknown as { keys(p: string): Promise<string[]> };
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await a.commands.del(keys);
  await a.close();
  await b.close();
});

describe('Redis scale-out primitives', () => {
  it('de-duplicates an event across two replicas, and the id expires', async () => {
    // A TTL the 50 concurrent calls fit in even when a loaded machine stalls for seconds; then the id is waited out (seen in Redis), not slept past.
    const one = createRedisDeduper({ redis: a.commands, prefix: `${prefix}event:`, ttlMs: 4000 });
    const two = createRedisDeduper({ redis: b.commands, prefix: `${prefix}event:`, ttlMs: 4000 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).firstSeen('slack:Ev1')));
    expect(results.filter(Boolean)).toHaveLength(1);
    await vi.waitFor(async () => expect(await a.commands.get(`${prefix}event:slack:Ev1`)).toBeNull(), { timeout: 30_000, interval: 50 });
    expect(await one.firstSeen('slack:Ev1')).toBe(true);
  });

  it('orders work per conversation across replicas and runs conversations concurrently', async () => {
    // Arrival order is the order in which tickets reach Redis: each event is sent once the previous
    // one's ticket is queued (observed on the replicas' connections, not waited out with a sleep).
    const queued = new Map<string, () => void>();
    const observed = (commands: RedisCommands): RedisCommands =>
      new Proxy(commands, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property !== 'eval' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return async (script: string, options: { keys: string[] }) => {
            const result: unknown = await value.call(target, script, options);
            const key = options.keys[0] ?? '';
            if (script.includes('RPUSH')) queued.get(key)?.();
            return result;
          };
        },
      });
    const whenQueued = (c: number) => new Promise<void>((resolve) => queued.set(`${prefix}lock:conv${c}:queue`, resolve));
    const locks = [
      createRedisLock({ redis: observed(a.commands), prefix: `${prefix}lock:` }),
      createRedisLock({ redis: observed(b.commands), prefix: `${prefix}lock:` }),
    ];
    const log = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    // The first job of every conversation holds its lock until all ten first jobs run at once: only
    // conversations that do not wait for each other get there (serial execution would hang, then time out).
    let releaseFirsts: () => void = () => {};
    const allFirstsRunning = new Promise<void>((resolve) => {
      releaseFirsts = resolve;
    });
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      for (let c = 0; c < 10; c++) {
        const lock = locks[(i + c) % 2] as (typeof locks)[number];
        const ticket = whenQueued(c);
        jobs.push(
          lock.run(`conv${c}`, async () => {
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            const inConv = log.get(`conv${c}`) ?? [];
            inConv.push(i);
            log.set(`conv${c}`, inConv);
            if (i === 0) {
              if (running === 10) releaseFirsts();
              await allFirstsRunning;
            } else await new Promise((resolve) => setImmediate(resolve));
            running -= 1;
          }),
        );
        await ticket;
      }
    }
    await Promise.all(jobs);
    for (let c = 0; c < 10; c++) expect(log.get(`conv${c}`)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Conversations do not wait for each other (serial execution would never have more than one running).
    expect(maxRunning).toBe(10);
  });

  it('releases the lock when work throws, and a dead holder blocks only until its TTL', async () => {
    const lock = createRedisLock({ redis: a.commands, prefix: `${prefix}lock2:`, ttlMs: 300 });
    await expect(lock.run('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run('x', async () => 'next')).toBe('next');
    // A replica that died while holding: its ticket heads the queue, its heartbeat lapses.
    await a.commands.eval("redis.call('RPUSH', KEYS[1], 'dead') return 1", { keys: [`${prefix}lock2:y:queue`], arguments: [] });
    // The dead ticket has no heartbeat: the next waiter removes it (a lock that waited for it forever would time the test out).
    expect(await lock.run('y', async () => 'after the dead one')).toBe('after the dead one');
  });

  it('a lease has one holder; it expires unless renewed; claimTick runs a tick once', async () => {
    // A TTL longer than a loaded machine's stalls between these calls; its expiry is then waited for, not slept past.
    const l1 = createRedisLease({ redis: a.commands, name: 'leader', ttlMs: 4000, prefix });
    const l2 = createRedisLease({ redis: b.commands, name: 'leader', ttlMs: 4000, prefix });
    expect(await l1.acquireOrRenew()).toBe(true);
    expect(await l2.acquireOrRenew()).toBe(false);
    expect(await l1.acquireOrRenew()).toBe(true);
    expect(await l2.holder()).toBe(l1.owner);
    // Not renewed any more: it expires by itself.
    await vi.waitFor(async () => expect(await l2.holder()).toBeNull(), { timeout: 30_000, interval: 50 });
    expect(await l2.acquireOrRenew()).toBe(true);
    expect(await l1.acquireOrRenew()).toBe(false);
    await l1.release(); // not the holder: no effect
    expect(await l2.holder()).toBe(l2.owner);
    await l2.release();
    expect(await l1.holder()).toBeNull();
    const tick = new Date();
    const claims = await Promise.all([claimTick(a.commands, 'job', tick, { prefix }), claimTick(b.commands, 'job', tick, { prefix })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('one replica holds a leased connection; the other takes over when it stops renewing', async () => {
    const events: string[] = [];
    const adapter = (name: string): ChatAdapter => ({
      name: 'fake',
      async start() {
        events.push(`${name} connect`);
      },
      async stop() {
        events.push(`${name} disconnect`);
      },
      async post() {
        return { thread: null };
      },
    });
    const handler: MessageHandler = async () => null;
    /** Renewal attempts per replica: observed, so the test waits for renewals rather than for time. */
    const attempts = new Map<string, number>();
    const mk = (name: string, conn: RedisConnection) => {
      const lease = createRedisLease({ redis: conn.commands, name: 'conn:fake', ttlMs: 3000, prefix });
      const counted = {
        ...lease,
        async acquireOrRenew() {
          const held = await lease.acquireOrRenew();
          attempts.set(name, (attempts.get(name) ?? 0) + 1);
          return held;
        },
      };
      return createLeasedAdapter({ adapter: adapter(name), lease: counted, logger, renewMs: 150 });
    };
    const r1 = mk('r1', a);
    const r2 = mk('r2', b);
    await r1.start(handler);
    await r2.start(handler);
    // A few renewals go by on both (150 ms apart; the 3 s TTL outlasts a loaded machine's stalls): r1 keeps it.
    await vi.waitFor(() => expect(Math.min(attempts.get('r1') ?? 0, attempts.get('r2') ?? 0)).toBeGreaterThanOrEqual(3), { timeout: 30_000, interval: 20 });
    expect(r1.holding).toBe(true);
    expect(r2.holding).toBe(false);
    await r1.stop(); // releases: r2 takes over at its next renewal
    await vi.waitFor(() => expect(r2.holding).toBe(true), { timeout: 30_000, interval: 20 });
    expect(events).toEqual(['r1 connect', 'r1 disconnect', 'r2 connect']);
    await r2.stop();
  });
});
