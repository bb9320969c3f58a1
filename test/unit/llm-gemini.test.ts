import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLlm } from '../../src/llm/index.js';
import { FAST_SETTINGS, llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeGemini } from '../fakes/llm/gemini.js';
import type { FakeReply } from '../fakes/llm/server.js';

llmProviderContract({
  name: 'gemini:gemini-2.5-flash',
  scripted: true,
  schemaInRequest: (body) => (body.generationConfig as { responseJsonSchema?: unknown } | undefined)?.responseJsonSchema,
  async setup(replies, settings) {
    const server = await startFakeGemini({ script: replies });
    const provider = createLlm('gemini:gemini-2.5-flash', { settings: { ...settings, geminiBaseUrl: server.url }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});

describe('Gemini 2.5 thinking against the strict fake (issue 20, mismatch 2)', () => {
  const answer = 'The job failed in stage-out: the destination storage refused the file.';
  async function provider(model: string, script: FakeReply[]) {
    const server = await startFakeGemini({ script });
    closers.push(() => server.close());
    return { server, llm: createLlm(`gemini:${model}`, { settings: { ...FAST_SETTINGS, geminiBaseUrl: server.url }, apiKeys: TEST_KEYS, backoffMs: 5 }) };
  }
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('a 200-token answer from gemini-2.5-flash is the answer, not an empty MAX_TOKENS reply replaced by the offline fallback', async () => {
    const { server, llm } = await provider('gemini-2.5-flash', [{ text: answer }]);
    const result = await llm.generate({ messages: [{ role: 'user', content: 'why did job 42 fail?' }], maxTokens: 200 });
    expect(result.model).toBe('gemini:gemini-2.5-flash');
    expect(result.notice).toBeUndefined();
    expect(result.text).toBe(answer);
    const config = server.requests[0]?.body.generationConfig as { maxOutputTokens: number; thinkingConfig?: { thinkingBudget: number } };
    expect(config.thinkingConfig?.thinkingBudget).toBeGreaterThan(0);
    expect(config.maxOutputTokens - (config.thinkingConfig?.thinkingBudget ?? 0)).toBe(200);
  });

  it('a structured router call turns thinking off on Flash and uses the 128-token minimum on Pro (which cannot stop thinking)', async () => {
    const schema = { name: 'route', schema: z.object({ route: z.string() }) };
    for (const [model, budget] of [
      ['gemini-2.5-flash', 0],
      ['gemini-2.5-pro', 128],
    ] as const) {
      const { server, llm } = await provider(model, [{ json: { route: 'job' } }]);
      const result = await llm.generate({ messages: [{ role: 'user', content: 'job 42' }], schema, maxTokens: 120 });
      expect(result.object).toEqual({ route: 'job' });
      const config = server.requests[0]?.body.generationConfig as { thinkingConfig?: { thinkingBudget: number } };
      expect(config.thinkingConfig?.thinkingBudget).toBe(budget);
    }
  });
});
