import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Router } from '../../src/contracts/agent.js';
import type { Turn } from '../../src/contracts/conversation.js';
import type { ConversationKey, IncomingMessage } from '../../src/contracts/message.js';
import { createMemoryDeduper } from '../../src/state/dedupe.js';
import { createLocalLock } from '../../src/state/lock.js';
import { type ConversationMemory, createConversationMemory } from '../../src/state/memory.js';
import { createCore } from '../../src/core/pipeline.js';
import { createLogger } from '../../src/log.js';
import { createFakeLlm } from '../doubles/fake-llm.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sqliteKeyv(): Keyv {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-memory-'));
  dirs.push(dir);
  return new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${join(dir, 'memory.sqlite')}`, table: 'memory' }), namespace: 'memory' });
}

function redisKeyv(): Keyv {
  const keyv = new Keyv({ store: new KeyvRedis(REDIS_URL), namespace: `askpanda-test:${randomUUID()}` });
  cleanups.push(async () => {
    await keyv.clear();
    await keyv.disconnect();
  });
  return keyv;
}

const key = (thread: string): ConversationKey => ({ platform: 'slack', workspace: 'T1', channel: 'C1', thread });
const turn = (role: Turn['role'], text: string): Turn => ({ role, text, at: new Date().toISOString() });

/** Records what history each answer was given, and says which queue the user mentioned earlier. */
function memoryCore(memory: ConversationMemory) {
  const seen: Turn[][] = [];
  const router: Router = {
    route: async () => ({
      intent: 'chitchat',
      entities: { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null },
      reason: 'test',
      confidence: 1,
      source: 'rules',
    }),
  };
  const core = createCore({
    router,
    agents: [
      {
        name: 'recall',
        description: 'repeats what the user said earlier in the thread',
        intents: ['chitchat'],
        async answer({ history, text }) {
          seen.push(history);
          const facts = history.filter((t) => t.role === 'user').map((t) => t.text);
          const body = `heard: ${text}; remembered: ${facts.join(' | ') || 'nothing'}`;
          return { blocks: [{ kind: 'markdown', text: body }], summary: body };
        },
      },
    ],
    memory,
    deduper: createMemoryDeduper(),
    lock: createLocalLock(),
    logger: createLogger({ level: 'silent' }),
  });
  let n = 0;
  const say = (thread: string, text: string) => {
    const message: IncomingMessage = {
      platform: 'slack',
      workspace: 'T1',
      channel: 'C1',
      thread,
      user: 'U1',
      text,
      isDirect: false,
      mentionsBot: true,
      eventId: `e${++n}-${randomUUID()}`,
      receivedAt: new Date(),
    };
    return core.handle(message);
  };
  return { say, seen };
}

describe.each([
  ['sqlite', sqliteKeyv],
  ['redis', redisKeyv],
])('conversation memory on %s', (_name, makeKeyv) => {
  const make = (overrides: Partial<Parameters<typeof createConversationMemory>[0]> = {}) =>
    createConversationMemory({ keyv: makeKeyv(), maxTurns: 6, maxChars: 2000, ttlMs: 60_000, ...overrides });

  it("keeps thread A's facts out of thread B, across the core", async () => {
    const memory = make();
    const { say } = memoryCore(memory);
    await say('A', 'my queue is CERN-SECRET-QUEUE and task 45500125 failed');
    const inB = await say('B', 'what did I tell you?');
    expect(inB?.summary).toContain('remembered: nothing');
    expect(JSON.stringify(await memory.load(key('B')))).not.toContain('CERN-SECRET-QUEUE');
    const inA = await say('A', 'and the retry?');
    expect(inA?.summary).toContain('CERN-SECRET-QUEUE');
  });

  it('forget empties the thread and only that thread', async () => {
    const memory = make();
    const { say } = memoryCore(memory);
    await say('A', 'fact one');
    await say('B', 'fact two');
    const reply = await say('A', 'forget');
    expect(reply?.summary).toContain('forgot this conversation');
    expect(await memory.load(key('A'))).toEqual([]);
    expect((await memory.load(key('B'))).map((t) => t.text)).toContain('fact two');
    const after = await say('A', 'anything?');
    expect(after?.summary).toContain('remembered: nothing');
  });

  it('honours the TTL', async () => {
    // Long enough to read it back on a loaded machine; then it goes by itself (a 60 s TTL would time the wait out).
    const memory = make({ ttlMs: 1500 });
    await memory.append(key('T'), [turn('user', 'short-lived'), turn('assistant', 'ok')]);
    expect(await memory.load(key('T'))).toHaveLength(2);
    await vi.waitFor(async () => expect(await memory.load(key('T'))).toEqual([]), { timeout: 15_000, interval: 50 });
  });

  it('bounds turns and size, dropping the oldest without a summariser', async () => {
    const memory = make({ maxTurns: 4, maxChars: 1000 });
    for (let i = 1; i <= 5; i++) await memory.append(key('W'), [turn('user', `question ${i}`), turn('assistant', `answer ${i}`)]);
    const turns = await memory.load(key('W'));
    expect(turns.map((t) => t.text)).toEqual(['question 4', 'answer 4', 'question 5', 'answer 5']);
    await memory.append(key('W'), [turn('user', 'x'.repeat(600)), turn('assistant', 'y'.repeat(600))]);
    const big = await memory.load(key('W'));
    expect(big.reduce((n, t) => n + t.text.length, 0)).toBeLessThanOrEqual(1000);
    expect(big.at(-1)?.text.startsWith('y')).toBe(true);
  });

  it('summarises dropped turns with the configured LLM', async () => {
    const llm = createFakeLlm({ fallback: (req) => ({ text: `summary of: ${req.evidence?.map((e) => e.text).join(' / ')}`.slice(0, 300) }) });
    const memory = make({ maxTurns: 2, summarise: llm });
    await memory.append(key('S'), [turn('user', 'job 6715819744 failed on CERN-PROD'), turn('assistant', 'stage-in error 1099')]);
    await memory.append(key('S'), [turn('user', 'and the retry?'), turn('assistant', 'same error')]);
    const turns = await memory.load(key('S'));
    expect(turns).toHaveLength(3);
    expect(turns[0]?.text).toContain('Summary of the earlier conversation');
    expect(turns[0]?.text).toContain('6715819744');
    expect(llm.calls).toHaveLength(1);
    expect(JSON.stringify(llm.calls[0]?.system)).toContain('untrusted');
  });

  it('prune removes expired conversations and counts the rest', async () => {
    const memory = make({ ttlMs: 300 });
    await memory.append(key('P1'), [turn('user', 'old')]);
    // P1 is left untouched for prune; a witness written after it, in a store of its own, shows its TTL has passed.
    const witness = make({ ttlMs: 300 });
    await witness.append(key('P0'), [turn('user', 'later')]);
    await vi.waitFor(async () => expect(await witness.load(key('P0'))).toEqual([]), { timeout: 15_000, interval: 50 });
    const longer = createConversationMemory({ keyv: makeKeyv(), maxTurns: 6, maxChars: 2000, ttlMs: 60_000 });
    await longer.append(key('P2'), [turn('user', 'fresh')]);
    const result = await memory.prune();
    expect(result.conversations).toBe(0);
    expect(await memory.load(key('P1'))).toEqual([]);
    expect((await longer.prune()).conversations).toBe(1);
  });
});
