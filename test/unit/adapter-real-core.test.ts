/**
 * The adapters with the real core (createCore: dedupe, per-conversation lock, Keyv memory, router,
 * agents): a follow-up in the thread reaches the agent with the earlier turns, and 👎 is stored on
 * the conversation's last assistant turn.
 */
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, AgentRequest, Router } from '../../src/contracts/agent.js';
import type { ConversationStore } from '../../src/contracts/conversation.js';
import type { Entities } from '../../src/contracts/routing.js';
import { conversationKeyOf } from '../../src/core/conversation-key.js';
import { createMemoryDeduper } from '../../src/core/dedupe.js';
import { createLocalLock } from '../../src/core/lock.js';
import { createConversationMemory } from '../../src/core/memory.js';
import { createCore } from '../../src/core/pipeline.js';
import { captureLogger, type ChatAdapterDriver, waitFor } from '../contract/chat-adapter.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';
import { createSlackDriver } from '../fakes/slack/driver.js';

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
        actions: [
          { id: 'feedback-up', label: '👍', value: 'x' },
          { id: 'feedback-down', label: '👎', value: 'x' },
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
afterEach(async () => {
  await running?.stop();
  await memory?.close();
  running = undefined;
});

describe.each(drivers)('%s adapter with the real core', (_name, make) => {
  it('uses the thread memory for a follow-up and stores 👎 with the conversation', async () => {
    const driver = await make();
    running = driver;
    memory = createConversationMemory({ keyv: new Keyv(), maxTurns: 10, maxChars: 10_000, ttlMs: 60_000 });
    const calls: AgentRequest[] = [];
    const core = createCore({
      router,
      agents: [echoAgent(calls)],
      memory,
      deduper: createMemoryDeduper(),
      lock: createLocalLock(),
      logger: captureLogger().logger,
      botNames: ['askpanda'],
    });
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
    const stored = await (async () => {
      for (let i = 0; i < 200; i += 1) {
        const history = await memory.load(conversationKeyOf(first));
        if (history.some((t) => t.feedback === 'down')) return history;
        await new Promise((r) => setTimeout(r, 20));
      }
      return memory.load(conversationKeyOf(first));
    })();
    expect(stored.filter((t) => t.role === 'assistant').at(-1)?.feedback).toBe('down');
  });
});
