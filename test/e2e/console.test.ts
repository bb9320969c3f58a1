import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { SPAWNED_CLI_TIMEOUT_MS } from '../support/cli.js';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';

const repo = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-e2e-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function collect(stream: PassThrough): () => string {
  let out = '';
  stream.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  return () => out;
}

describe('console adapter end to end (offline, demo data)', () => {
  it('answers each line in the same thread and renders plain text when not a terminal', async () => {
    const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }), logger: silentLogger() });
    const { core, memory } = createCoreWiring(services);
    const input = new PassThrough();
    const output = new PassThrough();
    const read = collect(output);
    const adapter = createConsoleAdapter({ input, output, logger: silentLogger(), interactive: false });
    await adapter.start((m) => core.handle(m));
    input.write('what does pilot error 1150 mean?\n');
    input.write('hello\n');
    input.write('/new\n');
    input.end('/help\n');
    await adapter.closed;
    await memory.close();
    const text = read();
    expect(text).toContain('Pilot error 1150');
    expect(text).toMatch(/looping/i);
    expect(text).toMatch(/Retry advice\s*:/);
    expect(text).toContain('Started a new thread.');
    expect(text).toContain('/panda-job <pandaid>');
    expect(text).not.toContain('\x1b['); // no ANSI codes when output is not a TTY
    // answers come in input order
    expect(text.indexOf('Pilot error 1150')).toBeLessThan(text.indexOf('Started a new thread.'));
  });

  it(
    '`npm start` with piped input answers every line and exits 0 at the end of input',
    async () => {
      const child = spawn(process.execPath, ['bin/askpanda.js', 'start'], {
        cwd: repo,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ASKPANDA_DATA_DIR: dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.stdin.end('what does pilot error 1150 mean?\nthanks!\n');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(0);
      expect(out).toContain('demo data');
      expect(out).toContain('Pilot error 1150');
      expect(out).toContain('You are welcome');
    },
    SPAWNED_CLI_TIMEOUT_MS,
  );
});
