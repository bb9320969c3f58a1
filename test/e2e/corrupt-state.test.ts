/**
 * Corrupt SQLite files in the data directory (#17.4): the bot starts anyway, moves each broken file
 * aside, answers with fresh stores (memory included), and `/healthz` and `askpanda status` say what
 * was moved aside. The real services, runtime, core and agents on the demo data.
 */
// Loaded first on purpose (see test/unit/mcp-demo-core.ts).
import 'discord.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/cli/runtime.js';
import { createServices } from '../../src/cli/services.js';
import { register as registerStatus } from '../../src/cli/status.js';
import { loadConfig } from '../../src/config.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { runInProcess } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-corrupt-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const GARBAGE = 'this is not a database\n'.repeat(300);
const BROKEN = ['memory.sqlite', 'state.sqlite', 'feedback.sqlite', 'maintenance.sqlite', join('analyses', 'job-analyses.sqlite')];

let n = 0;
const message = (text: string): IncomingMessage => {
  n += 1;
  return {
    platform: 'test',
    workspace: 'w',
    channel: 'c',
    thread: 'corrupt-thread',
    user: 'u',
    text,
    isDirect: true,
    mentionsBot: true,
    eventId: `corrupt-${n}`,
    receivedAt: new Date(),
  };
};

describe('a data directory with corrupt SQLite files', () => {
  it('starts, moves them aside with a warning, answers with fresh stores, and /healthz and status report it', async () => {
    mkdirSync(join(dataDir, 'analyses'), { recursive: true });
    for (const file of BROKEN) writeFileSync(join(dataDir, file), GARBAGE);
    writeFileSync(join(dataDir, 'memory.sqlite-wal'), GARBAGE);

    let logged = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    const loaded = loadConfig({ ASKPANDA_DATA_DIR: dataDir, ASKPANDA_HTTP_PORT: '0', ASKPANDA_MAINTENANCE: 'false' });
    const runtime = await createRuntime(createServices({ loaded, logger }));
    try {
      await runtime.start([]);
      // It answers, and remembers: the follow-up knows the job of the first question.
      const first = await runtime.core.handle(message('why did job 6601000011 fail?'));
      expect(replyToMarkdown(first ?? { blocks: [] })).toMatch(/Job 6601000011 failed/);
      const follow = await runtime.core.handle(message('show me the expert details for it'));
      expect(replyToMarkdown(follow ?? { blocks: [] })).toMatch(/Job 6601000011 failed/);

      // Each broken file was moved aside (the WAL beside it too) and a fresh one is in use.
      const names = [...readdirSync(dataDir), ...readdirSync(join(dataDir, 'analyses')).map((f) => join('analyses', f))];
      for (const file of BROKEN) {
        expect(names.some((f) => f.startsWith(`${file}.corrupt-`))).toBe(true);
        expect(readFileSync(join(dataDir, file)).subarray(0, 15).toString()).toBe('SQLite format 3');
      }
      expect(names.some((f) => /^memory\.sqlite-wal\.corrupt-\d{8}T\d{6}Z$/.test(f))).toBe(true);
      expect(logged).toMatch(/corrupt SQLite file memory\.sqlite moved aside to memory\.sqlite\.corrupt-/);

      if (!runtime.http) throw new Error('no HTTP server');
      const { port } = runtime.http.server.address() as { port: number };
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; notes?: string[] };
      expect(health.status).toBe('ok');
      expect(health.notes?.join('\n')).toMatch(/memory\.sqlite was corrupt and was moved aside on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(health.notes?.join('\n')).toMatch(/analyses\/job-analyses\.sqlite was corrupt/);
    } finally {
      await runtime.close();
    }

    // `askpanda status` (another process on the same data directory) lists them too.
    const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }), logger: silentLogger() });
    const stdout = await runInProcess(registerStatus, () => services, ['status']).finally(() => services.closeState());
    expect(stdout).toMatch(/data files: .*memory\.sqlite was corrupt and was moved aside on .*; a fresh one is in use/);
    expect(stdout).toMatch(/feedback\.sqlite was corrupt/);
  });
});
