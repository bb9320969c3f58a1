/**
 * The local (SQLite) state: leases, tick claims, exclusive work and leader election between two
 * handles on one data directory (as two processes would open it), and followed threads that survive
 * a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createLeaderElection, createState, runExclusive } from '../../src/state/index.js';
import { openSqliteLeases } from '../../src/state/lease.js';

const dirs: string[] = [];
const closers: Array<() => unknown> = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'askpanda-state-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** The lease stores of two processes on one data directory (closed after the test). */
const twoProcesses = () => {
  const dir = tempDir();
  const one = openSqliteLeases(dir);
  const two = openSqliteLeases(dir);
  closers.push(
    () => one.close(),
    () => two.close(),
  );
  return { one, two };
};

describe('SQLite leases on one data directory', () => {
  it('gives a lease to one owner until it expires or is released', async () => {
    const dir = tempDir();
    let t = 1000;
    const one = openSqliteLeases(dir, () => t);
    const two = openSqliteLeases(dir, () => t);
    closers.push(
      () => one.close(),
      () => two.close(),
    );
    const a = one.lease({ name: 'leader', ttlMs: 100, owner: 'a' });
    const b = two.lease({ name: 'leader', ttlMs: 100, owner: 'b' });
    expect(await a.acquireOrRenew()).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    expect(await b.holder()).toBe('a');
    t += 50;
    expect(await a.acquireOrRenew()).toBe(true); // renewed until 1150
    t += 80;
    expect(await b.acquireOrRenew()).toBe(false);
    t += 100; // a's lease lapsed
    expect(await b.acquireOrRenew()).toBe(true);
    expect(await a.acquireOrRenew()).toBe(false);
    await b.release();
    expect(await b.holder()).toBeNull();
    expect(await a.acquireOrRenew()).toBe(true);
  });

  it('claims each scheduled tick once', async () => {
    const { one, two } = twoProcesses();
    const tick = new Date('2026-01-01T00:00:00Z');
    const claims = await Promise.all([one.claimTick('cric', tick, { owner: 'a' }), two.claimTick('cric', tick, { owner: 'b' })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await one.claimTick('cric', tick, { owner: 'a' })).toBe(false);
    expect(await one.claimTick('cric', new Date(tick.getTime() + 60_000), { owner: 'a' })).toBe(true);
    expect(await two.claimTick('docs', tick, { owner: 'b' })).toBe(true);
  });

  it('runs exclusive work one holder at a time, the other after it', async () => {
    const { one, two } = twoProcesses();
    const events: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstMayEnd = new Promise<void>((r) => {
      releaseFirst = r;
    });
    let waited: () => void = () => undefined;
    const secondWaits = new Promise<void>((r) => {
      waited = r;
    });
    const first = runExclusive(
      one.lease({ name: 'index', ttlMs: 5000, owner: 'a' }),
      async () => {
        events.push('a start');
        await firstMayEnd;
        events.push('a end');
      },
      { ttlMs: 5000, pollMs: 10 },
    );
    const second = runExclusive(
      two.lease({ name: 'index', ttlMs: 5000, owner: 'b' }),
      async () => {
        events.push('b start');
      },
      { ttlMs: 5000, pollMs: 10, onWait: () => waited() },
    );
    await secondWaits;
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['a start', 'a end', 'b start']);
  });

  it('waits out a lease store that drops mid-command (Redis going away) instead of failing the work', async () => {
    const dir = tempDir();
    const leases = openSqliteLeases(dir);
    closers.push(() => leases.close());
    const real = leases.lease({ name: 'index', ttlMs: 5000, owner: 'a' });
    let failures = 2;
    const flaky = {
      ...real,
      acquireOrRenew: () => (failures-- > 0 ? Promise.reject(new Error('Socket closed unexpectedly')) : real.acquireOrRenew()),
      holder: () => (failures > 0 ? Promise.reject(new Error('Socket closed unexpectedly')) : real.holder()),
    };
    const waits: Array<string | null> = [];
    const result = await runExclusive(flaky, async () => 'indexed', { ttlMs: 5000, pollMs: 5, onWait: (holder) => waits.push(holder) });
    expect(result).toBe('indexed');
    expect(waits).toEqual([null]);
    expect(failures).toBe(-1);
  });

  it('gives up waiting when its own lease store is closed (the process is ending), instead of waiting for good', async () => {
    const dir = tempDir();
    const holderStore = openSqliteLeases(dir);
    const waiterStore = openSqliteLeases(dir);
    closers.push(() => holderStore.close());
    expect(await holderStore.lease({ name: 'index', ttlMs: 60_000, owner: 'a' }).acquireOrRenew()).toBe(true);
    let ran = false;
    const waiting = runExclusive(
      waiterStore.lease({ name: 'index', ttlMs: 60_000, owner: 'b' }),
      async () => {
        ran = true;
      },
      { ttlMs: 60_000, pollMs: 5, onWait: () => waiterStore.close() },
    );
    await expect(waiting).rejects.toThrow("the lease store of 'index' is closed");
    expect(ran).toBe(false);
  });

  it('elects one leader; the other takes over when it stops', async () => {
    const { one, two } = twoProcesses();
    const changes: string[] = [];
    const a = createLeaderElection({ lease: one.lease({ name: 'leader', ttlMs: 5000, owner: 'a' }), renewMs: 20, logger: silentLogger() });
    let becameLeader: () => void = () => undefined;
    const bLeads = new Promise<void>((r) => {
      becameLeader = r;
    });
    const b = createLeaderElection({
      lease: two.lease({ name: 'leader', ttlMs: 5000, owner: 'b' }),
      renewMs: 20,
      logger: silentLogger(),
      onChange: (leader) => {
        changes.push(`b ${leader}`);
        if (leader) becameLeader();
      },
    });
    closers.push(
      () => b.stop(),
      () => a.stop(),
    );
    await a.start();
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await a.stop();
    await bLeads;
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    expect(changes).toEqual(['b true']);
  });
});

describe('the local state', () => {
  it('keeps followed threads across a restart', async () => {
    const dataDir = tempDir();
    const first = await createState({ dataDir, replica: 'r', logger: silentLogger() });
    await first.followedThreads.follow('slack', 'C1:1700000000.000100');
    expect(first.shared).toBe(false);
    await first.close();
    const second = await createState({ dataDir, replica: 'r', logger: silentLogger() });
    closers.push(() => second.close());
    expect(await second.followedThreads.follows('slack', 'C1:1700000000.000100')).toBe(true);
    expect(await second.followedThreads.follows('slack', 'C1:1700000000.000200')).toBe(false);
    expect(await second.followedThreads.follows('mattermost', 'C1:1700000000.000100')).toBe(false);
  });
});
