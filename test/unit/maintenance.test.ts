import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { ErrorSummary, PandaSource } from '../../src/contracts/panda.js';
import { createErrorSummaryCache } from '../../src/maintenance/error-summary-cache.js';
import { errorSummaryJob, pruneJob } from '../../src/maintenance/jobs.js';
import { fileAgePruner, sqliteAgePruner } from '../../src/maintenance/pruners.js';
import { createScheduler } from '../../src/maintenance/scheduler.js';
import { createStatusCommand, formatStatus } from '../../src/maintenance/status-report.js';
import { createStatusStore } from '../../src/maintenance/status-store.js';
import type { MaintenanceJob } from '../../src/maintenance/types.js';
import { createMemoryDeduper } from '../../src/state/dedupe.js';
import { createLocalLock } from '../../src/state/lock.js';
import { createConversationMemory } from '../../src/state/memory.js';
import { createCore } from '../../src/core/pipeline.js';
import { createLogger } from '../../src/log.js';

const logger = createLogger({ level: 'silent' });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function summary(hours: number): ErrorSummary {
  return {
    hours,
    errsByCount: [{ error: 'pilot:1099', codename: 'STAGEINFAILED', count: hours * 2, example_pandaid: 1, diag: 'stage-in failed' } as never],
    errsBySite: [],
    errsByUser: [],
    errsByTask: [],
    fetchedAt: new Date().toISOString(),
  };
}

describe('maintenance', () => {
  it('refreshes error summaries for every window into the cache and records the run', async () => {
    const asked: number[] = [];
    const panda = {
      getErrorSummary: async (hours: number) => {
        asked.push(hours);
        return summary(hours);
      },
    } as unknown as PandaSource;
    const keyv = new Keyv();
    const cache = createErrorSummaryCache({ keyv, maxAgeMs: 60_000 });
    const store = createStatusStore(keyv);
    const scheduler = createScheduler({ jobs: [errorSummaryJob({ panda, cache, cron: '*/30 * * * *' })], store, logger, replica: 'r1' });
    const status = await scheduler.runNow('error-summaries');
    expect(asked).toEqual([1, 3, 6, 12, 24]);
    expect((await cache.get(6))?.errsByCount[0]?.count).toBe(12);
    expect(status).toMatchObject({ outcome: 'ok', replica: 'r1', runs: 1, failures: 0, summary: '5/5 windows refreshed, 48 errors in 24 h' });
    expect(await store.all()).toHaveLength(1);
  });

  it('bounds a job in time and records the timeout and failures', async () => {
    const keyv = new Keyv();
    const store = createStatusStore(keyv);
    let aborted = false;
    const slow: MaintenanceJob = {
      name: 'slow',
      cron: '* * * * *',
      timeoutMs: 100,
      // Never finishes on its own: only the scheduler's time bound can end the run.
      run: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    };
    const failing: MaintenanceJob = { name: 'failing', cron: '* * * * *', timeoutMs: 1000, run: async () => Promise.reject(new Error('monitor unreachable')) };
    const scheduler = createScheduler({ jobs: [slow, failing], store, logger, replica: 'r1' });
    const s1 = await scheduler.runNow('slow');
    expect(s1.outcome).toBe('timeout');
    expect(aborted).toBe(true);
    const s2 = await scheduler.runNow('failing');
    expect(s2).toMatchObject({ outcome: 'failed', summary: 'monitor unreachable', failures: 1 });
    await expect(scheduler.runNow('nope')).rejects.toThrow(/Maintenance job nope does not exist/);
    const text = formatStatus({ jobs: scheduler.jobs, statuses: await store.all(), sizes: { 'memory.sqlite': 2048 } });
    expect(text).toMatch(/• slow \(\* \* \* \* \*\): timeout .*maintenance job slow exceeded 100 ms/);
    expect(text).toMatch(/• failing .*failed .*monitor unreachable/);
    expect(text).toContain('• memory.sqlite: 2.0 KiB');
  });

  it('runs on its cron schedule only when this replica claims the tick', async () => {
    const keyv = new Keyv();
    const store = createStatusStore(keyv);
    const runs: string[] = [];
    let twoRuns: () => void = () => undefined;
    const ranTwice = new Promise<void>((resolve) => {
      twoRuns = resolve;
    });
    const claimed = new Set<string>();
    const claim = async (job: string, tick: Date) => {
      const key = `${job}:${tick.getTime()}`;
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    };
    const mk = (replica: string) =>
      createScheduler({
        jobs: [
          {
            name: 'tick',
            cron: '* * * * * *',
            timeoutMs: 500,
            run: async () => {
              runs.push(replica);
              if (runs.length === 2) twoRuns();
              return { summary: replica };
            },
          },
        ],
        store,
        logger,
        replica,
        claim,
      });
    const a = mk('a');
    const b = mk('b');
    a.start();
    b.start();
    // Two ticks (a second apart) have run: stopping now, well before the next one.
    await ranTwice;
    await a.stop();
    await b.stop();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBe(claimed.size);
    expect((await store.get('tick'))?.runs).toBe(runs.length);
  });

  it('prunes old attachments and old analyses, keeping recent ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askpanda-prune-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'attachments'));
    writeFileSync(join(dir, 'attachments', 'old.log'), 'x');
    writeFileSync(join(dir, 'attachments', 'new.log'), 'y');
    const old = new Date(Date.now() - 10 * 86_400_000);
    utimesSync(join(dir, 'attachments', 'old.log'), old, old);
    const db = new Database(join(dir, 'job-analyses.sqlite'));
    db.exec('CREATE TABLE analyses (pandaid INTEGER, attempt INTEGER, body TEXT, created_at TEXT)');
    db.prepare('INSERT INTO analyses VALUES (1, 1, ?, ?)').run('{}', new Date(Date.now() - 40 * 86_400_000).toISOString());
    db.prepare('INSERT INTO analyses VALUES (2, 1, ?, ?)').run('{}', new Date().toISOString());
    db.close();
    const job = pruneJob({
      cron: '5 3 * * *',
      pruners: [
        fileAgePruner('attachments', join(dir, 'attachments'), 7 * 86_400_000),
        sqliteAgePruner('analyses', join(dir, 'job-analyses.sqlite'), 'analyses', 'created_at', 30 * 86_400_000),
        { name: 'broken', prune: async () => Promise.reject(new Error('disk gone')) },
      ],
    });
    const result = await job.run(new AbortController().signal);
    expect(result.summary).toBe('attachments: 1 removed, 1 kept; analyses: 1 removed, 1 kept; broken: failed (disk gone)');
  });

  it('answers the status command for admins only', async () => {
    const command = createStatusCommand({ admins: ['mattermost:jdoe', 'U0ADMIN'], report: async () => 'Maintenance jobs:\n• cric: ok' });
    const msg = (platform: IncomingMessage['platform'], user: string, userName?: string): IncomingMessage => ({
      platform,
      workspace: 'w',
      channel: 'c',
      thread: null,
      user,
      ...(userName ? { userName } : {}),
      text: 'status',
      isDirect: true,
      mentionsBot: true,
      eventId: 'e',
      receivedAt: new Date(),
    });
    expect(await command(msg('slack', 'U0ALICE'))).toBeNull();
    expect(await command(msg('slack', 'U0ADMIN'))).toMatchObject({ blocks: [{ kind: 'heading' }, { kind: 'code', text: 'Maintenance jobs:\n• cric: ok' }] });
    expect(await command(msg('mattermost', 'abc123', 'jdoe'))).not.toBeNull();
    expect(await command(msg('discord', 'abc123', 'jdoe'))).toBeNull();

    // Through the core: an admin's "status" is the command; anyone else's is routed as a question.
    const routed: string[] = [];
    const core = createCore({
      router: {
        route: async (text) => {
          routed.push(text);
          return {
            intent: 'chitchat',
            entities: { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null },
            reason: 't',
            confidence: 1,
            source: 'rules',
          };
        },
      },
      agents: [
        { name: 'chat', description: 'chitchat', intents: ['chitchat'], answer: async () => ({ blocks: [{ kind: 'markdown', text: 'hi' }], summary: 'hi' }) },
      ],
      memory: createConversationMemory({ keyv: new Keyv(), maxTurns: 10, maxChars: 5000, ttlMs: 60_000 }),
      deduper: createMemoryDeduper(),
      lock: createLocalLock(),
      logger,
      commands: { status: command },
    });
    const admin = await core.handle({ ...msg('slack', 'U0ADMIN'), eventId: 'e1', text: 'Status' });
    expect(admin?.blocks[1]).toEqual({ kind: 'code', text: 'Maintenance jobs:\n• cric: ok' });
    const other = await core.handle({ ...msg('slack', 'U0ALICE'), eventId: 'e2' });
    expect(other?.summary).toBe('hi');
    expect(routed).toEqual(['status']);
  });
});
