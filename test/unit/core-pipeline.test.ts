import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, AgentRequest, Router } from '../../src/contracts/agent.js';
import { currentAnswerDeadline } from '../../src/contracts/answer-deadline.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Entities, Intent } from '../../src/contracts/routing.js';
import { createMemoryDeduper } from '../../src/state/dedupe.js';
import { createLocalLock } from '../../src/state/lock.js';
import { createConversationMemory } from '../../src/state/memory.js';
import { createCore, type HandledEvent } from '../../src/core/pipeline.js';
import { AskPandaError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';

const none: Entities = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };

/** Routes "job N" to job, "boom" to docs, anything else to chitchat. */
const router: Router = {
  async route(text) {
    const job = /job (\d+)/.exec(text);
    if (job) return { intent: 'job', entities: { ...none, pandaid: Number(job[1]) }, reason: 'test', confidence: 1, source: 'rules' };
    return { intent: /boom|oops/.test(text) ? 'docs' : 'chitchat', entities: none, reason: 'test', confidence: 1, source: 'rules' };
  },
};

function recordingAgent(intents: Intent[], calls: AgentRequest[], delay = 0): Agent {
  return {
    name: 'recorder',
    intents,
    description: 'test',
    async answer(request) {
      calls.push(request);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (request.text.includes('boom')) throw new Error('secret internal detail');
      if (request.text.includes('oops')) throw new AskPandaError('not_found', 'Job 1 was not found on the monitor.');
      const memory = request.history.map((t) => t.text).join(' | ');
      return { blocks: [{ kind: 'markdown', text: `answer to "${request.text}" (view ${request.view}) memory: ${memory}` }] };
    },
  };
}

let n = 0;
function msg(text: string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  n++;
  return {
    platform: 'test',
    workspace: 'w',
    channel: 'c',
    thread: 't1',
    user: 'u',
    text,
    isDirect: false,
    mentionsBot: true,
    eventId: `e${n}`,
    receivedAt: new Date(),
    ...extra,
  };
}

const dirs: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(delay = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'core-'));
  dirs.push(dir);
  const keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${join(dir, 'm.sqlite')}` }) });
  const memory = createConversationMemory({ keyv, maxTurns: 6, maxChars: 10_000, ttlMs: 60_000 });
  open.push(memory);
  const calls: AgentRequest[] = [];
  const events: HandledEvent[] = [];
  const core = createCore({
    router,
    agents: [recordingAgent(['job', 'docs', 'chitchat'], calls, delay)],
    memory,
    deduper: createMemoryDeduper(),
    lock: createLocalLock(),
    logger: silentLogger(),
    onHandled: (e) => events.push(e),
  });
  return { core, memory, calls, events };
}

function text(reply: { blocks: Array<{ kind: string; text?: string }> } | null): string {
  return (reply?.blocks ?? []).map((b) => b.text ?? '').join('\n');
}

describe('core pipeline', () => {
  it('answers, remembers the thread and keeps threads apart', async () => {
    const { core } = setup();
    await core.handle(msg('hello there', { thread: 'A' }));
    const followUp = await core.handle(msg('and now?', { thread: 'A' }));
    expect(text(followUp)).toContain('memory: hello there');
    const other = await core.handle(msg('fresh start', { thread: 'B' }));
    expect(text(other)).not.toContain('hello there');
  });

  it('reads the history a client carried when the thread has no memory of its own', async () => {
    const { core } = setup();
    const carried = [
      { role: 'user' as const, text: 'why did job 42 fail?' },
      { role: 'assistant' as const, text: 'stage-in timed out' },
    ];
    const first = await core.handle(msg('would a retry help?', { thread: 'fresh-1', history: carried }));
    expect(text(first)).toContain('memory: why did job 42 fail? | stage-in timed out');
    // Once the thread has memory, that memory is the history (not what the client claims).
    const second = await core.handle(msg('and then?', { thread: 'fresh-1', history: [{ role: 'user', text: 'something else' }] }));
    expect(text(second)).toContain('memory: would a retry help?');
    expect(text(second)).not.toContain('something else');
  });

  it('sends a message carrying a text file to the job agent, even one with no text (issue 20)', async () => {
    const { core, calls } = setup();
    const files = [{ name: 'pilot.log', size: 5, text: 'ERROR' }];
    await core.handle(msg('', { files, thread: 'F1' }));
    await core.handle(msg('what is wrong here?', { files, thread: 'F2' }));
    expect(calls.map((c) => c.route.intent)).toEqual(['job', 'job']);
    // A file that was not read (binary, too large) changes nothing: an empty message still gets the help.
    const help = await core.handle(msg('', { files: [{ name: 'a.png', size: 5, skipped: 'not a text file' }], thread: 'F3' }));
    expect(calls).toHaveLength(2);
    expect(text(help)).toMatch(/help|ask/i);
  });

  it('ignores a duplicate delivery of the same event', async () => {
    const { core, calls, events } = setup();
    const m = msg('hi');
    expect(await core.handle(m)).not.toBeNull();
    expect(await core.handle({ ...m })).toBeNull();
    expect(calls).toHaveLength(1);
    expect(events.map((e) => e.outcome)).toEqual(['ok', 'duplicate']);
  });

  it('keeps arrival order within a conversation while other conversations run concurrently', async () => {
    const { core, calls } = setup(30);
    const replies = await Promise.all([
      core.handle(msg('one', { thread: 'X' })),
      core.handle(msg('two', { thread: 'X' })),
      core.handle(msg('three', { thread: 'X' })),
      core.handle(msg('other', { thread: 'Y' })),
    ]);
    expect(calls.filter((c) => c.message.thread === 'X').map((c) => c.text)).toEqual(['one', 'two', 'three']);
    expect(text(replies[2])).toContain('memory: one | answer to "one"');
    const order = calls.map((c) => c.text);
    // Y started while X's first message was still being answered, not after X's queue.
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('two'));
  });

  it('routes /panda-job and the expert button to the job intent', async () => {
    const { core, calls } = setup();
    await core.handle(msg('', { command: { name: 'panda-job', args: 'https://bigpanda.cern.ch/job?pandaid=6715819744' } }));
    expect(calls[0]?.route.intent).toBe('job');
    expect(calls[0]?.route.entities.pandaid).toBe(6715819744);
    const expert = await core.handle(msg('', { action: { id: 'expert', value: '6715819744' } }));
    expect(text(expert)).toContain('view expert');
    const bad = await core.handle(msg('', { command: { name: 'panda-job', args: 'abc' } }));
    expect(text(bad)).toContain('Usage: `/panda-job <pandaid>`');
  });

  it('forget erases the conversation and feedback is stored on the last answer', async () => {
    const { core, memory } = setup();
    await core.handle(msg('remember me', { thread: 'F' }));
    await core.handle(msg('', { thread: 'F', action: { id: 'feedback-up', value: '' } }));
    const key = { platform: 'test' as const, workspace: 'w', channel: 'c', thread: 'F' };
    const turns = await memory.load(key);
    expect(turns.at(-1)?.feedback).toBe('up');
    const reply = await core.handle(msg('forget', { thread: 'F' }));
    expect(text(reply)).toContain('forgot');
    expect(await memory.load(key)).toEqual([]);
  });

  it('turns failures into a short reply with a correlation id, never the internal detail', async () => {
    const { core } = setup();
    const reply = await core.handle(msg('boom'));
    expect(reply?.correlationId).toMatch(/^[0-9a-f]{8}$/);
    expect(text(reply)).toContain(`ref ${reply?.correlationId}`);
    expect(text(reply)).not.toContain('secret internal detail');
    const known = await core.handle(msg('oops'));
    expect(text(known)).toBe(`Job 1 was not found on the monitor (ref ${known?.correlationId}).`);
  });

  it('says honestly when an intent has no agent, and ignores malformed events', async () => {
    const { core } = setup();
    const coreWithout = createCore({
      router: { route: async () => ({ intent: 'task', entities: none, reason: 't', confidence: 1, source: 'rules' }) },
      agents: [],
      memory: createConversationMemory({ keyv: new Keyv(), maxTurns: 4, maxChars: 1000, ttlMs: 1000 }),
      deduper: createMemoryDeduper(),
      lock: createLocalLock(),
      logger: silentLogger(),
    });
    expect(text(await coreWithout.handle(msg('task 12345678?')))).toContain('Task summaries are not set up');
    expect(await core.handle({ ...msg('x'), eventId: '' })).toBeNull();
    expect(await core.handle({ ...msg('x'), text: undefined as unknown as string })).toBeNull();
  });
});

describe('answer deadline', () => {
  /** An agent that never answers ("hang", ignoring its signal) or waits for the deadline like an LLM call cut by it ("slow model"). */
  function deadlineCore() {
    const dir = mkdtempSync(join(tmpdir(), 'core-'));
    dirs.push(dir);
    const keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${join(dir, 'm.sqlite')}` }) });
    const memory = createConversationMemory({ keyv, maxTurns: 6, maxChars: 10_000, ttlMs: 60_000 });
    open.push(memory);
    const calls: AgentRequest[] = [];
    const events: HandledEvent[] = [];
    const agent: Agent = {
      name: 'slow',
      intents: ['job', 'docs', 'chitchat'],
      description: 'test',
      async answer(request) {
        calls.push(request);
        if (request.text.includes('hang')) return new Promise(() => undefined);
        if (request.text.includes('slow model')) {
          const deadline = currentAnswerDeadline();
          if (!deadline) throw new Error('no deadline around the agent');
          await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve, { once: true }));
          deadline.cut = true; // what the LLM layer does when it answers offline instead
          return {
            blocks: [
              { kind: 'notice', level: 'info', text: 'fake:model did not answer in time (answer deadline 0.2 s); this is the offline answer.' },
              { kind: 'markdown', text: 'the offline answer' },
            ],
          };
        }
        return { blocks: [{ kind: 'markdown', text: `memory: ${request.history.map((t) => t.text).join(' | ')}` }] };
      },
    };
    const core = createCore({
      router,
      agents: [agent],
      memory,
      deduper: createMemoryDeduper(),
      lock: createLocalLock(),
      logger: silentLogger(),
      answerDeadlineMs: 200,
      // A generous grace: the "slow model" agent answers right after the abort, however loaded the machine.
      answerGraceMs: 2000,
      onHandled: (e) => events.push(e),
    });
    return { core, calls, events };
  }

  it('answers offline with one short notice when the model is cut by the deadline', async () => {
    const { core } = deadlineCore();
    const reply = await core.handle(msg('slow model please', { thread: 'dl-1' }));
    expect(reply?.blocks.slice(0, 2)).toEqual([
      { kind: 'notice', level: 'warning', text: 'The language model did not answer in time (answer deadline 0.2 s), so this is the offline answer.' },
      { kind: 'markdown', text: 'the offline answer' },
    ]);
  });

  it('past the deadline and its grace, replies alone, aborts the agent and keeps the conversation usable', async () => {
    const { core, calls, events } = deadlineCore();
    // The agent never answers: only the deadline can end this call.
    const reply = await core.handle(msg('please hang', { thread: 'dl-2' }));
    expect(text(reply)).toMatch(/took longer than the 0\.2 s answer deadline/);
    expect(calls[0]?.signal?.aborted).toBe(true);
    expect(events.at(-1)).toMatchObject({ outcome: 'error' });
    // The conversation is not locked by the abandoned answer, and nothing of it was remembered.
    const next = await core.handle(msg('hello again', { thread: 'dl-2' }));
    expect(text(next)).toBe('memory: ');
  });

  it('bounds the agents handed out to MCP the same way', async () => {
    const { core } = deadlineCore();
    const agent = core.agentFor('job');
    const reply = await agent?.answer({
      message: msg('please hang'),
      text: 'please hang',
      route: { intent: 'job', entities: none, reason: 'test', confidence: 1, source: 'command' },
      history: [],
    });
    expect(text(reply ?? null)).toMatch(/took longer than the 0\.2 s answer deadline/);
    expect(reply?.intent).toBe('job');
  });
});

describe('conversation memory', () => {
  it('bounds turns and honours the TTL', async () => {
    let now = 1_000_000;
    const keyv = new Keyv();
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const memory = createConversationMemory({ keyv, maxTurns: 3, maxChars: 10_000, ttlMs: 1000 });
      const key = { platform: 'test' as const, workspace: 'w', channel: 'c', thread: 'T' };
      for (const t of ['a', 'b', 'c', 'd']) await memory.append(key, [{ role: 'user', text: t, at: 'x' }]);
      expect((await memory.load(key)).map((t) => t.text)).toEqual(['b', 'c', 'd']);
      now += 1500;
      expect(await memory.load(key)).toEqual([]);
    } finally {
      Date.now = realNow;
    }
  });
});
