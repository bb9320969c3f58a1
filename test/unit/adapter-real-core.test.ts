/**
 * The adapters with the real core (createCore: dedupe, per-conversation lock, Keyv memory, router,
 * agents): a follow-up in the thread reaches the agent with the earlier turns, and 👎 is stored on
 * the conversation's last assistant turn. The agents add no 👍/👎 of their own: the buttons every
 * answer shows come from the core, and the platform's strict fake must accept them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, AgentRequest, Router } from '../../src/contracts/agent.js';
import type { ConversationStore } from '../../src/contracts/conversation.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Entities } from '../../src/contracts/routing.js';
import { conversationKeyOf } from '../../src/contracts/conversation-key.js';
import { createFeedbackStore } from '../../src/core/feedback-store.js';
import { createMemoryDeduper } from '../../src/state/dedupe.js';
import { createLocalLock } from '../../src/state/lock.js';
import { createConversationMemory } from '../../src/state/memory.js';
import { createCore } from '../../src/core/pipeline.js';
import { captureLogger, type ChatAdapterDriver, waitFor } from '../contract/chat-adapter.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';
import { createSlackDriver } from '../fakes/slack/driver.js';
import { createRuleRouter } from '../../agents/selection/index.js';
import { analyseOffline, createJobAgent } from '../../agents/logs/index.js';
import { DEMO_DIR } from '../../src/cli/panda-wiring.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { createFileSource } from '../../src/panda/index.js';

const none: Entities = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };
const router: Router = { route: async () => ({ intent: 'chitchat', entities: none, reason: 'test', confidence: 1, source: 'rules' }) };

function echoAgent(calls: AgentRequest[]): Agent {
  return {
    name: 'echo',
    intents: ['chitchat'],
    description: 'repeats the question and the turns it remembers',
    async answer(request) {
      calls.push(request);
      return {
        blocks: [
          {
            kind: 'markdown',
            text: `Re: ${request.text}. Remembered: ${
              request.history
                .filter((t) => t.role === 'user')
                .map((t) => t.text)
                .join(' / ') || 'nothing'
            }`,
          },
        ],
      };
    },
  };
}

const drivers: Array<[string, () => Promise<ChatAdapterDriver>]> = [
  ['slack', () => createSlackDriver('socket')],
  ['mattermost', () => createMattermostDriver()],
  ['discord', () => createDiscordDriver()],
];

let running: ChatAdapterDriver | undefined;
let memory: ConversationStore | undefined;

/** The real core with in-process dedupe and locks, logging to a capture. */
const realCore = (options: Pick<Parameters<typeof createCore>[0], 'router' | 'agents' | 'memory' | 'feedback' | 'botNames'>) =>
  createCore({ deduper: createMemoryDeduper(), lock: createLocalLock(), logger: captureLogger().logger, ...options });
afterEach(async () => {
  await running?.stop();
  await memory?.close();
  running = undefined;
});

describe.each(drivers)('%s adapter with the real core', (_name, make) => {
  it('uses the thread memory for a follow-up and stores 👎 with the conversation', async () => {
    const driver = await make();
    running = driver;
    const store = createConversationMemory({ keyv: new Keyv(), maxTurns: 10, maxChars: 10_000, ttlMs: 60_000 });
    memory = store;
    const calls: AgentRequest[] = [];
    const core = realCore({ router, agents: [echoAgent(calls)], memory: store, botNames: ['askpanda'] });
    await driver.start(core.handle, captureLogger().logger);

    const sent = await driver.sendMention('which queue ran job 42');
    await waitFor(() => driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('Remembered: nothing')), 'the first answer');
    await driver.sendThreadReply(sent, 'and why did it fail');
    const [followUp] = await waitFor(() => {
      const found = driver.posts().filter((p) => p.conversation === sent.conversation && p.text.includes('Re: and why did it fail'));
      return found.length > 0 && found;
    }, 'the follow-up answer');
    expect(followUp?.text).toContain('Remembered: which queue ran job 42');
    expect(calls.at(-1)?.history.map((t) => t.role)).toEqual(['user', 'assistant']);

    await driver.clickButton(followUp as NonNullable<typeof followUp>, 'feedback-down');
    const first = calls[0]?.message;
    if (!first) throw new Error('the agent was not called');
    const stored = await waitFor(async () => {
      const history = await store.load(conversationKeyOf(first));
      return history.some((t) => t.feedback === 'down') && history;
    }, 'the 👎 in the thread memory');
    expect(stored.filter((t) => t.role === 'assistant').at(-1)?.feedback).toBe('down');
  });
});

/** A job answer as the log agent gives it: evidence lines, the model that wrote it, and Expert details. */
const jobAgent: Agent = {
  name: 'job',
  intents: ['job'],
  description: 'explains a failed job',
  async answer(request) {
    return {
      blocks: [
        { kind: 'markdown', text: `Job ${request.route.entities.pandaid} failed in stage-out: the destination storage refused the file.` },
        { kind: 'evidence', source: 'pilotlog.txt', lines: [{ n: 812, text: 'stage-out failed: StorageError: permission denied' }] },
      ],
      actions: [{ id: 'expert', label: 'Expert details', value: String(request.route.entities.pandaid) }],
      data: { model: 'gemini:gemini-2.5-flash' },
    };
  },
};
const jobRouter: Router = {
  route: async () => ({ intent: 'job', entities: { ...none, pandaid: 6715819744 }, reason: 'a job id and "fail"', confidence: 1, source: 'rules' }),
};

describe.each(drivers)('%s: 👍/👎 on every answer, stored durably', (_name, make) => {
  it('renders Expert details, 👍 and 👎 (accepted by the strict fake) and keeps 👎 with question, route, answer, model and evidence after memory expired', async () => {
    const driver = await make();
    running = driver;
    const dir = mkdtempSync(join(tmpdir(), 'askpanda-feedback-'));
    const path = join(dir, 'feedback.sqlite');
    const feedback = createFeedbackStore({ path });
    // Memory forgets after 30 ms: feedback must not depend on it.
    const store = createConversationMemory({ keyv: new Keyv(), maxTurns: 10, maxChars: 10_000, ttlMs: 30 });
    memory = store;
    const core = realCore({ router: jobRouter, agents: [jobAgent], memory: store, feedback });
    try {
      const handled: IncomingMessage[] = [];
      await driver.start((m) => {
        handled.push(m);
        return core.handle(m);
      }, captureLogger().logger);
      await driver.sendMention('why did job 6715819744 fail?');
      const answer = await waitFor(() => driver.posts().find((p) => p.text.includes('destination storage refused')), 'the answer');
      expect(answer.buttons.map((b) => b.id)).toEqual(['expert', 'feedback-up', 'feedback-down']);
      const answerId = answer.buttons.find((b) => b.id === 'feedback-down')?.value;
      expect(answerId).toMatch(/^[0-9a-f]{20}$/);
      // The click comes after the thread's memory expired (waited for, not slept past).
      const question = handled[0];
      if (!question) throw new Error('the core was not called');
      await waitFor(async () => (await store.load(conversationKeyOf(question))).length === 0, 'the thread memory to expire');
      await driver.clickButton(answer, 'feedback-down');
      const [stored] = await waitFor(async () => {
        const rows = await feedback.rated('down');
        return rows.length > 0 && rows;
      }, 'the stored 👎');
      expect(stored).toMatchObject({
        id: answerId,
        value: 'down',
        question: 'why did job 6715819744 fail?',
        intent: 'job',
        routeSource: 'rules',
        model: 'gemini:gemini-2.5-flash',
        evidence: ['pilotlog.txt:812: stage-out failed: StorageError: permission denied'],
      });
      expect(stored?.entities.pandaid).toBe(6715819744);
      expect(stored?.answer).toContain('destination storage refused the file');
    } finally {
      await feedback.close();
    }
    const reopened = createFeedbackStore({ path });
    expect((await reopened.rated('down')).map((r) => r.question)).toEqual(['why did job 6715819744 fail?']);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.each(drivers)('%s adapter: a thread reply without @mention is a follow-up', (_name, make) => {
  it('answers "would a retry help?" in the thread for the job of the thread, leading with the verdict', async () => {
    const driver = await make();
    running = driver;
    memory = createConversationMemory({ keyv: new Keyv(), maxTurns: 10, maxChars: 10_000, ttlMs: 60_000 });
    const panda = createFileSource(DEMO_DIR);
    const kb = createKnowledgeBase();
    const core = realCore({ router: createRuleRouter(), agents: [createJobAgent({ panda, kb })], memory, botNames: ['askpanda'] });
    await driver.start(core.handle, captureLogger().logger);
    const { job } = await panda.getJob(6601000011);
    const helps = (await analyseOffline({ panda, kb }, job)).diagnosis.verdict.helps;
    const lead =
      helps === true ? 'Yes, a retry is likely to help job 6601000011' : helps === false ? 'No, retrying job 6601000011' : 'Maybe: a retry of job 6601000011';

    const sent = await driver.sendMention('why did job 6601000011 fail?');
    await waitFor(() => driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('6601000011')), 'the analysis');
    await driver.sendThreadReply(sent, 'would a retry help?');
    const [answer] = await waitFor(() => {
      const found = driver.posts().filter((p) => p.conversation === sent.conversation && p.text.includes(lead));
      return found.length > 0 && found;
    }, 'the verdict in the thread');
    expect(answer?.inThread).toBe(true);
  });
});
