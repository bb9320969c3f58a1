/**
 * Core figures: 100 conversations answered concurrently by an agent calling an LLM with 1 s latency
 * (the core must not serialise them), and the core's own cost per message with the offline agents.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { createRuleRouter } from '../agents/selection/index.js';
import { createCoreWiring } from '../src/cli/core-wiring.js';
import { tunedSqlite } from '../src/state/keyv.js';
import { createServices } from '../src/cli/services.js';
import { loadConfig } from '../src/config.js';
import type { Agent } from '../src/contracts/agent.js';
import type { IncomingMessage } from '../src/contracts/message.js';
import { INTENTS } from '../src/contracts/routing.js';
import { createMemoryDeduper } from '../src/state/dedupe.js';
import { createLocalLock } from '../src/state/lock.js';
import { createConversationMemory } from '../src/state/memory.js';
import { createCore } from '../src/core/pipeline.js';
import { silentLogger } from '../src/log.js';
import { createFakeLlm } from '../test/doubles/fake-llm.js';

export const figures = ['concurrent-100-threads-s', 'core-overhead-p95-ms'];

const message = (thread: string, text: string): IncomingMessage => ({
  platform: 'test',
  workspace: 'bench',
  channel: 'C1',
  thread,
  user: 'U1',
  text,
  isDirect: false,
  mentionsBot: true,
  eventId: randomUUID(),
  receivedAt: new Date(),
});

async function concurrentThreads(dataDir: string): Promise<number> {
  const llm = createFakeLlm({
    fallback: async (request) => {
      await new Promise((r) => setTimeout(r, 1000));
      return { text: `answer to ${request.messages.at(-1)?.content ?? ''}`.slice(0, 200) };
    },
  });
  const agent: Agent = {
    name: 'llm-answer',
    description: 'answers every question with the (fake) LLM',
    intents: [...INTENTS],
    async answer({ text, history, signal }) {
      const result = await llm.generate({ messages: [...history.map((t) => ({ role: t.role, content: t.text })), { role: 'user', content: text }], signal });
      return { blocks: [{ kind: 'markdown', text: result.text ?? '' }], summary: result.text };
    },
  };
  // The memory backend `start` uses by default: SQLite in the data directory.
  const keyv = new Keyv({
    store: tunedSqlite(new KeyvSqlite({ uri: `sqlite://${join(dataDir, 'bench-memory.sqlite')}`, table: 'memory' })),
    namespace: 'memory',
  });
  const memory = createConversationMemory({ keyv, maxTurns: 20, maxChars: 24_000, ttlMs: 3600_000 });
  const core = createCore({
    router: createRuleRouter(),
    agents: [agent],
    memory,
    deduper: createMemoryDeduper(),
    lock: createLocalLock(),
    logger: silentLogger(),
  });
  const start = performance.now();
  const replies = await Promise.all(
    Array.from({ length: 100 }, (_, i) => core.handle(message(`thread-${i}`, `how does the pilot stage in files for thread ${i}?`))),
  );
  const seconds = (performance.now() - start) / 1000;
  if (replies.filter((r) => r?.summary?.startsWith('answer to')).length !== 100) throw new Error('not every thread got its LLM answer');
  await memory.close();
  return seconds;
}

async function coreOverhead(dataDir: string): Promise<number> {
  const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }), logger: silentLogger() });
  const { core, memory } = createCoreWiring(services);
  const questions = ['what does pilot error 1150 mean?', 'what does pilot error 1099 mean?', 'hello', 'what is exit code 65 of the transform?', 'help'];
  for (let i = 0; i < 20; i++) await core.handle(message('warmup', questions[i % questions.length] as string));
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    const reply = await core.handle(message(`thread-${i % 20}`, questions[i % questions.length] as string));
    times.push(performance.now() - start);
    if (!reply) throw new Error('no reply');
  }
  await memory.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.95)] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-core-bench-'));
  try {
    console.log(`BENCH concurrent-100-threads-s ${(await concurrentThreads(dataDir)).toFixed(2)} s`);
    console.log(`BENCH core-overhead-p95-ms ${(await coreOverhead(dataDir)).toFixed(2)} ms`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
