/**
 * Watches end to end in the console, wired like `askpanda start` does it (services, state, core
 * with the watch words, the watch maintenance jobs, the console adapter posting alerts): a watch is
 * set, the fake monitor's data changes over simulated time, the check posts the alert, and the
 * daily digest arrives at its time. ASKPANDA_PRINT_TRANSCRIPT=1 prints what the console showed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { createServices } from '../../src/cli/services.js';
import { createWatchWiring } from '../../src/cli/watch-wiring.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { createScheduler } from '../../src/maintenance/scheduler.js';
import { createStatusStore } from '../../src/maintenance/status-store.js';
import { waitFor } from '../contract/wait.js';
import { startFakeMonitor } from '../fakes/monitor/index.js';
import { createWorld } from '../support/watch-world.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-watch-e2e-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('watch in the console', () => {
  it('sets a watch, posts the alert it produces once, and the morning digest', async () => {
    const world = createWorld('2026-03-05T06:40:00Z');
    const task = 45500125;
    world.add(task, 30, { jobstatus: 'finished', computingsite: 'BNL' });
    world.add(task, 2, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
    world.add(task, 20, { jobstatus: 'running', computingsite: 'CERN-PROD' });
    const fake = await startFakeMonitor({ dir: world.dir });
    const services = createServices({
      loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir, ASKPANDA_PANDA_URL: fake.url, ASKPANDA_PANDA_TOKEN: 'not-needed-by-this-fake' }),
      logger: silentLogger(),
    });
    const state = await services.state();
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => {
      shown += c.toString('utf8');
    });
    const console = createConsoleAdapter({ input, output, logger: silentLogger(), interactive: false });
    const watch = createWatchWiring(services, { state, now: world.now, post: (_place, thread, reply) => console.post({ channel: 'terminal', thread }, reply) });
    const { core, memory, feedback } = createCoreWiring(services, { commands: watch.commands, commandWords: watch.commandWords });
    const scheduler = createScheduler({ jobs: watch.jobs, store: createStatusStore(state.keyv('maintenance')), logger: silentLogger(), replica: 'console' });
    await console.start((m) => core.handle(m));
    // Simulated minutes pass: the monitor responses cached in the data directory (5 min) expire too.
    const advance = (minutes: number) => {
      world.advance(minutes);
      rmSync(join(dataDir, 'cache'), { recursive: true, force: true });
    };
    const say = async (line: string, until: string) => {
      shown += `askpanda> ${line}\n`;
      input.write(`${line}\n`);
      await waitFor(() => shown.includes(until), until);
    };
    try {
      await say(`watch task ${task}`, 'Watching task 45500125 here');
      await say('digest daily 07:30', 'Daily digest here at 07:30 UTC');
      await say('watches', 'Watches here:');

      shown += '\n[06:45 UTC: the maintenance job "watch" runs; nothing changed]\n';
      advance(5);
      expect((await scheduler.runNow('watch')).summary).toBe('1 watches checked: 0 alerts, 0 recoveries, 0 held back, 0 failed');

      shown += '[06:50 UTC: 12 jobs of the task failed at CERN-PROD; the "watch" job runs twice]\n';
      advance(5);
      world.add(task, 12, {
        jobstatus: 'failed',
        computingsite: 'CERN-PROD',
        piloterrorcode: 1305,
        piloterrordiag: 'Payload execution error: segmentation violation in G4',
      });
      expect((await scheduler.runNow('watch')).summary).toBe('1 watches checked: 2 alerts, 0 recoveries, 0 held back, 0 failed');
      expect((await scheduler.runNow('watch')).summary).toBe('1 watches checked: 0 alerts, 0 recoveries, 0 held back, 0 failed');
      expect(shown).toContain('🔔 Task 45500125: failure rate 32% is over the 20% threshold');
      expect(shown).toContain('🔔 Task 45500125: new error signature pilot:1305');
      expect(shown).toContain(`${fake.url}/job?pandaid=`);

      shown += '[07:30 UTC: the maintenance job "watch-digest" runs]\n';
      advance(40);
      expect((await scheduler.runNow('watch-digest')).summary).toBe('1 digests subscribed, 1 sent, 0 failed');
      expect(shown).toContain('☀️ PanDA daily digest: the last 24 h (to 2026-03-05 07:30 UTC)');
      expect(shown).toMatch(/pilot:1305 +Payload execution error: segmentation violation… +12 +0 +new/);
      expect(shown).toContain('• 45500125: 32% of 44 ended jobs failed (no ended jobs the day before)');
      if (process.env.ASKPANDA_PRINT_TRANSCRIPT) process.stdout.write(`\n----- transcript -----\n${shown}\n----- end -----\n`);
    } finally {
      input.end();
      await console.closed;
      await memory.close();
      await feedback.close();
      await state.close();
      await fake.close();
      world.close();
    }
  });
});
