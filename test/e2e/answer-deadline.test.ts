/**
 * The total answer deadline (#17.3): a model that never answers costs at most the deadline. The real
 * core and agents on the demo data, the real openai SDK pointed at a fake OpenAI-compatible server
 * on 127.0.0.1 that accepts every request and never answers.
 */
// Loaded first on purpose (see test/unit/mcp-demo-core.ts).
import 'discord.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Reply } from '../../src/contracts/reply.js';
import { silentLogger } from '../../src/log.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { type FakeServer, startFakeOpenAI } from '../fakes/llm/index.js';

const DEADLINE_MS = 2500;
/** What the reply may take beyond the deadline: the offline path of the agent, on demo data. */
const MARGIN_MS = 2000;

let fake: FakeServer;
const dirs: string[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI({ script: () => ({ fail: 'hang' }) });
});
afterAll(async () => {
  await fake.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The bot with every given LLM role on the hanging server; per-call timeouts far beyond the deadline. */
function bot(roles: Array<'ROUTER' | 'ANSWER' | 'ANALYSIS'>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-deadline-'));
  dirs.push(dataDir);
  const env: Record<string, string> = {
    ASKPANDA_DATA_DIR: dataDir,
    ASKPANDA_ANSWER_DEADLINE_MS: String(DEADLINE_MS),
    ASKPANDA_LLM_TIMEOUT_MS: '120000',
    ASKPANDA_LLM_MAX_RETRIES: '2',
  };
  for (const role of roles) env[`ASKPANDA_LLM_${role}`] = `openai-compatible:${fake.url}/v1#never-answers`;
  const services = createServices({ loaded: loadConfig(env), logger: silentLogger() });
  const { core, memory, feedback } = createCoreWiring(services);
  let n = 0;
  return {
    async ask(text: string): Promise<{ reply: Reply; ms: number; text: string }> {
      n += 1;
      const message: IncomingMessage = {
        platform: 'test',
        workspace: 'w',
        channel: 'c',
        thread: `deadline-${n}`,
        user: 'u',
        text,
        isDirect: true,
        mentionsBot: true,
        eventId: `deadline-${n}-${Date.now()}`,
        receivedAt: new Date(),
      };
      const started = performance.now();
      const reply = await core.handle(message);
      if (!reply) throw new Error('no reply');
      return { reply, ms: performance.now() - started, text: replyToMarkdown(reply) };
    },
    async close() {
      await memory.close().catch(() => undefined);
      await feedback.close().catch(() => undefined);
    },
  };
}

const notices = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'notice' ? [b.text] : []));

describe('answer deadline with a model that never answers', () => {
  it('a job analysis arrives within the deadline as the offline diagnosis, with a notice, and the model request is aborted', async () => {
    const offline = bot([]);
    const hanging = bot(['ANALYSIS']);
    try {
      // The offline answer first (it also warms the demo data, so the model is asked well before the deadline).
      const expected = (await offline.ask('why did job 6601000005 fail?')).reply;
      const [sentBefore, abortedBefore] = [fake.requests.length, fake.aborted.length];
      const { reply, ms, text } = await hanging.ask('why did job 6601000005 fail?');
      expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      // One short line, not the provider's address.
      expect(notices(reply)).toContain('The language model did not answer in time (answer deadline 2.5 s), so this is the offline answer.');
      expect(notices(reply).join('\n')).not.toContain(fake.url);
      // The offline path of the same agent: the same diagnosis the bot gives without any model.
      expect(text).toMatch(/Job 6601000005 failed/);
      expect(reply.summary).toBe(expected.summary);
      // The model was asked, and every request to it was given up on, not left open.
      const sent = fake.requests.length - sentBefore;
      expect(sent).toBeGreaterThan(0);
      await fake.untilAborted(abortedBefore + sent);
    } finally {
      await Promise.all([offline.close(), hanging.close()]);
    }
  }, 20_000);

  it('a docs answer arrives within the deadline as the extractive answer, with a notice', async () => {
    const hanging = bot(['ANSWER']);
    try {
      const { reply, ms, text } = await hanging.ask('how does the pilot stage in input files?');
      expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      expect(reply.intent).toBe('docs');
      expect(notices(reply).join('\n')).toMatch(/did not answer in time/);
      expect(text).toMatch(/\[1\]/);
    } finally {
      await hanging.close();
    }
  }, 20_000);

  it('with every role on the hanging model (router included) the answer still arrives once, within the deadline', async () => {
    const hanging = bot(['ROUTER', 'ANSWER', 'ANALYSIS']);
    try {
      const { reply, ms } = await hanging.ask('what does pilot error 1099 mean and is the job 6601000005 worth a retry?');
      expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      const said = notices(reply).join('\n');
      expect(said).toMatch(/did not answer in time/);
      // One deadline notice, not one per model call that was skipped.
      expect(said.match(/did not answer in time/g)).toHaveLength(1);
    } finally {
      await hanging.close();
    }
  }, 20_000);
});
