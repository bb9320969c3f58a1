/**
 * `askpanda feedback export` and `feedback rerun` on answers rated through the real core (demo
 * data): the export holds eval-format items (routing, failures, docqa) and the rerun prints the
 * old and the new answer of every 👎 question side by side.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { type ExportLine, register } from '../../src/cli/feedback.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { runInProcess } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-feedback-cli-'));
const services = () => createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }), logger: silentLogger() });

let n = 0;
function message(text: string, action?: IncomingMessage['action']): IncomingMessage {
  n += 1;
  return {
    platform: 'slack',
    workspace: 'T1',
    channel: 'C1',
    thread: `t${text.length}`,
    messageId: `m${n}`,
    user: 'U1',
    text,
    isDirect: false,
    mentionsBot: true,
    eventId: `e${n}`,
    receivedAt: new Date(),
    ...(action ? { action } : {}),
  };
}

const run = (args: string[]): Promise<string> => runInProcess(register, services, args);

beforeAll(async () => {
  const { core, memory, feedback } = createCoreWiring(services());
  const rate = async (question: string, value: 'up' | 'down') => {
    const reply = await core.handle(message(question));
    const button = reply?.actions?.find((a) => a.id === `feedback-${value}`);
    if (!button?.value) throw new Error(`no stored ${value} button on the answer to ${question}`);
    await core.handle(message(question, { id: button.id, value: button.value }));
  };
  await rate('why did job 6601000005 fail?', 'down');
  await rate('what does pilot error 1150 mean?', 'up');
  await rate('how does the pilot stage in input files?', 'down');
  await memory.close();
  await feedback.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('askpanda feedback', () => {
  it('export writes routing items for every rated answer, a failures label for the job and a docqa item for the docs answer', async () => {
    const out = join(dataDir, 'regression.jsonl');
    const stdout = await run(['feedback', 'export', '--out', out]);
    expect(stdout).toContain('3 rated answers (2 👎)');
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ExportLine);
    expect(lines.filter((l) => l.set === 'routing').map((l) => [l.item.question, l.item.intent, l.feedback])).toEqual([
      ['why did job 6601000005 fail?', 'job', 'down'],
      ['what does pilot error 1150 mean?', 'error_code', 'up'],
      ['how does the pilot stage in input files?', 'docs', 'down'],
    ]);
    const routing = lines.find((l) => l.set === 'routing');
    expect(Object.keys(routing?.item.entities as object)).toEqual(['pandaid', 'jeditaskid', 'queue', 'site', 'error_code', 'error_component']);
    const failure = lines.find((l) => l.set === 'failures');
    expect(failure?.item).toMatchObject({ pandaid: 6601000005, root_cause_code: 1151, component: 'pilot' });
    expect(failure?.item.evidence_lines as string[]).not.toHaveLength(0);
    expect(failure?.needs_review).toBe(true);
    expect(lines.find((l) => l.set === 'docqa')?.item).toMatchObject({ question: 'how does the pilot stage in input files?', evidence: [] });
  });

  it('rerun asks only the 👎 questions again and prints before and after side by side', async () => {
    const stdout = await run(['feedback', 'rerun', '--llm', 'offline']);
    expect(stdout).toContain('▶ why did job 6601000005 fail?');
    expect(stdout).toContain('▶ how does the pilot stage in input files?');
    expect(stdout).not.toContain('pilot error 1150 mean');
    expect(stdout).toMatch(/before \(👎\) +│ now with offline/);
    expect(stdout).toMatch(/STAGEINTIMEOUT.*│.*STAGEINTIMEOUT/);
  });
});
