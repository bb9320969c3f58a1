import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { register } from '../../src/cli/job.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { runInProcess, SPAWNED_CLI_TIMEOUT_MS, spawnCli } from '../support/cli.js';
import { needShared, sharedPath } from '../support/shared.js';

const FAILURES_DEV = sharedPath('eval/failures-dev');
const dev = needShared('eval/failures-dev');
const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-job-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the command in this process (spawning the CLI costs seconds per run). */
const inProcess = async (args: string[], pandaDir?: string): Promise<{ stdout: string }> => ({
  stdout: await runInProcess(
    register,
    () => createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }, { 'panda.dir': pandaDir }), logger: silentLogger() }),
    args,
  ),
});

describe('askpanda job', () => {
  it(
    'prints state, site, attempt, times and every error code of a demo job',
    async () => {
      const { code, stdout } = await spawnCli(['job', '6601000014'], { ASKPANDA_DATA_DIR: dataDir, ASKPANDA_LOG_LEVEL: 'error' });
      expect(code).toBe(0);
      expect(stdout).toContain('Job 6601000014: failed at RAL (attempt 1 of 5), task 46100014');
      expect(stdout).toMatch(/created 2025-10-06T\d\d:\d\d:\d\dZ +started 2025-10-06T\d\d:\d\d:\d\dZ +ended 2025-10-06T/);
      expect(stdout).toMatch(/pilot:1305 +piloterrorcode +Failed to execute payload/);
      expect(stdout).toMatch(/executor:65 +exeerrorcode +Non-zero return code from RAWtoALL \(8\)/);
      expect(stdout).toMatch(/transform:65 +transexitcode/);
      expect(stdout).toContain('source: the demo data');
      // The terminal names what works there: the --expert flag, not the chat command or button.
      expect(stdout).toContain('askpanda job 6601000014 --expert');
      expect(stdout).not.toContain('/expert');
    },
    SPAWNED_CLI_TIMEOUT_MS,
  );

  it.skipIf(dev.missing)(`reads a --panda-dir directory and prints JSON${dev.note}`, async () => {
    const { stdout } = await inProcess(['job', '6583389412', '--json'], FAILURES_DEV);
    const parsed = JSON.parse(stdout) as { summary: { status: string; site: string; errors: Array<{ error: string }> }; job: { pandaid: number } };
    expect(parsed.job.pandaid).toBe(6583389412);
    expect(parsed.summary.status).toBe('failed');
    expect(parsed.summary.site).toBe('UNI-FREIBURG');
    expect(parsed.summary.errors.map((e) => e.error)).toContain('jobdispatcher:100');
  });

  it('says in one sentence when the job does not exist, or the id is not one', async () => {
    await expect(inProcess(['job', '42'])).rejects.toThrow(/^Job 42 was not found in the demo data\.$/);
    await expect(inProcess(['job', 'abc'])).rejects.toThrow('"abc" is not a PanDA job id (expected a number such as 6601000006).');
  });
});
