/**
 * `askpanda watch|unwatch|watches|digest … --in platform:channel --as platform:user` on the demo
 * data: the chat grammar and admin rule from the shell, stored in the data directory's state, and
 * `watch-run` checking them (a console watch prints its alerts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/cli/services.js';
import { register } from '../../src/cli/watch.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { runInProcess } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-watch-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const services = () => createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir, ASKPANDA_ADMINS: 'slack:UADMIN' }), logger: silentLogger() });

const run = (args: string[]): Promise<string> => runInProcess(register, services, args);

describe('askpanda watch (CLI)', () => {
  it('sets, lists and removes watches with the chat grammar and the admin rule', async () => {
    expect(await run(['watch', 'task', '46200001', '--in', 'slack:C0OPS', '--as', 'slack:UBOB'])).toMatch(/Only admins/);
    expect(await run(['watch', 'task', '46200001', '--in', 'slack:C0OPS', '--as', 'slack:UADMIN'])).toMatch(
      /Watching task 46200001 here \(set by slack:UADMIN\)/,
    );
    expect(await run(['watch', 'error', 'pilot:1099', '--in', 'slack:D0BOB', '--dm', '--as', 'slack:UBOB'])).toMatch(/Watching error pilot:1099 here/);
    expect(await run(['watches', '--in', 'slack:C0OPS'])).toMatch(/Task 46200001: set by slack:UADMIN/);
    expect(await run(['digest', 'daily', '06:15', '--in', 'slack:C0OPS', '--as', 'slack:UADMIN'])).toMatch(/Daily digest here at 06:15 UTC/);
    expect(await run(['unwatch', 'task', '46200001', '--in', 'slack:C0OPS', '--as', 'slack:UADMIN'])).toMatch(/Stopped watching task 46200001/);
    await expect(run(['watch', 'error', 'nonsense', '--in', 'slack:C0OPS'])).rejects.toThrow(/component:code/);
  });

  it('watch-run checks the console watches and prints their alerts', async () => {
    // Demo task 46200001 is running with a 31 % failure rate: over the 20 % threshold.
    expect(await run(['watch', 'task', '46200001'])).toMatch(/Watching task 46200001 here \(set by cli:/);
    const out = await run(['watch-run']);
    expect(out).toContain('🔔 Task 46200001: failure rate');
    expect(out).toMatch(/watches checked: 1 alerts/);
    expect(await run(['watch-run'])).toMatch(/watches checked: 0 alerts, 0 recoveries/);
  });
});
