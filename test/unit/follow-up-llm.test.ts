import { describe, expect, it } from 'vitest';
import { createFollowUpLlmRouter, createRuleRouter } from '../../agents/selection/index.js';
import type { Turn } from '../../src/contracts/conversation.js';
import { LlmError } from '../../src/errors.js';
import { createFakeLlm } from '../doubles/fake-llm.js';

const at = '2026-01-01T00:00:00Z';
const none = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };
const jobThread: Turn[] = [
  { role: 'user', text: 'why did job 6601000006 fail?', at, intent: 'job', entities: { ...none, pandaid: 6601000006 } },
  { role: 'assistant', text: 'Job 6601000006 failed: pilot error 1099', at, intent: 'job', entities: { ...none, pandaid: 6601000006 } },
];
const queueThread: Turn[] = [
  { role: 'user', text: 'what is the maxrss of AGLT2?', at, intent: 'queue', entities: { ...none, queue: 'AGLT2' } },
  { role: 'assistant', text: 'AGLT2 maxrss 48000 MB', at, intent: 'queue', entities: { ...none, queue: 'AGLT2' } },
];
const call = (args: Record<string, unknown>) => ({ toolCalls: [{ id: 'c1', name: 'follow_up', arguments: args }] });

describe('follow-up classifier with an LLM, rules as fallback', () => {
  it('applies the act the model finds for wording the rules miss, to the job of the thread', async () => {
    const llm = createFakeLlm({ results: [call({ act: 'retry' })] });
    const router = createFollowUpLlmRouter({ llm, inner: createRuleRouter() });
    const route = await router.route('do you reckon it goes through if I leave it till tomorrow?', jobThread);
    expect(route).toMatchObject({ intent: 'job', followUp: { act: 'retry' }, source: 'llm' });
    expect(route.entities.pandaid).toBe(6601000006);
    // The thread's context is in the prompt; the message goes as data.
    expect(llm.calls[0]?.system).toContain('PanDA job 6601000006');
  });

  it('rewrites a queue follow-up with the field the model names, for the queue of the thread', async () => {
    const llm = createFakeLlm({ results: [call({ act: 'queue-field', field: 'corecount' })] });
    const route = await createFollowUpLlmRouter({ llm, inner: createRuleRouter() }).route('how many slots per job there?', queueThread);
    expect(route.intent).toBe('queue');
    expect(route.followUp?.question).toBe('what is the corecount of AGLT2?');
  });

  it('keeps the rules when they already resolved the follow-up, and when the model fails or answers nonsense', async () => {
    const llm = createFakeLlm({ results: [new LlmError('llm_timeout', 'slow'), { text: 'no idea' }, call({ act: 'bogus' })] });
    const router = createFollowUpLlmRouter({ llm, inner: createRuleRouter() });
    expect((await router.route('would a retry help?', jobThread)).followUp?.act).toBe('retry');
    expect(llm.calls).toHaveLength(0);
    for (let i = 0; i < 3; i += 1) expect((await router.route('do you reckon it goes through if I leave it till tomorrow?', jobThread)).source).not.toBe('llm');
    expect(llm.calls).toHaveLength(3);
    // Without context there is nothing to follow up: no call.
    await router.route('do you reckon it goes through if I leave it till tomorrow?', []);
    expect(llm.calls).toHaveLength(3);
  });
});
