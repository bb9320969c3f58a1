import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLlm } from '../../src/llm/index.js';
import { FAST_SETTINGS, llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeOllama } from '../fakes/llm/ollama.js';
import { startFakeOpenAI } from '../fakes/llm/openai.js';
import type { FakeReply } from '../fakes/llm/server.js';

llmProviderContract({
  name: 'openai:gpt-4.1-mini',
  scripted: true,
  schemaInRequest: (body) => (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema,
  async setup(replies, settings) {
    const server = await startFakeOpenAI({ script: replies });
    const provider = createLlm('openai:gpt-4.1-mini', { settings: { ...settings, openaiBaseUrl: `${server.url}/v1` }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});

// The same SDK against an OpenAI-compatible server: Ollama's /v1 endpoint (vLLM and llama.cpp speak the same protocol).
llmProviderContract({
  name: 'openai-compatible (Ollama /v1)',
  scripted: true,
  schemaInRequest: (body) => (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema,
  async setup(replies, settings) {
    const server = await startFakeOllama({ script: replies });
    const provider = createLlm(`openai-compatible:${server.url}/v1#llama3.1`, { settings, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});

describe('OpenAI reasoning models against the strict fake (issue 20, mismatch 3)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  async function provider(model: string, script: FakeReply[]) {
    const server = await startFakeOpenAI({ script });
    closers.push(() => server.close());
    const llm = createLlm(`openai:${model}`, { settings: { ...FAST_SETTINGS, openaiBaseUrl: `${server.url}/v1` }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { server, llm };
  }
  const answer = 'Job 42 failed because the pilot lost its heartbeat.';

  for (const model of ['gpt-5-mini', 'o4-mini']) {
    it(`${model}: a temperature-0, 200-token call is answered by the model (no 400 unsupported_value, room left for reasoning)`, async () => {
      const { server, llm } = await provider(model, [{ text: answer }]);
      const result = await llm.generate({ messages: [{ role: 'user', content: 'why did job 42 fail?' }], temperature: 0, maxTokens: 200 });
      expect(result.notice).toBeUndefined();
      expect(result.model).toBe(`openai:${model}`);
      expect(result.text).toBe(answer);
      const body = server.requests[0]?.body ?? {};
      expect(body.temperature).toBeUndefined();
      expect(body.max_tokens).toBeUndefined();
      expect(Number(body.max_completion_tokens)).toBeGreaterThan(200);
    });

    it(`${model}: a structured call gets its object back`, async () => {
      const { llm } = await provider(model, [{ json: { route: 'job' } }]);
      const schema = { name: 'route', schema: z.object({ route: z.string() }) };
      const result = await llm.generate({ messages: [{ role: 'user', content: 'job 42' }], schema, temperature: 0, maxTokens: 120 });
      expect(result.object).toEqual({ route: 'job' });
    });
  }

  it('gpt-4.1-mini (not a reasoning model) still gets temperature 0 and exactly its token budget', async () => {
    const { server, llm } = await provider('gpt-4.1-mini', [{ text: answer }]);
    await llm.generate({ messages: [{ role: 'user', content: 'why?' }], temperature: 0, maxTokens: 200 });
    expect(server.requests[0]?.body.temperature).toBe(0);
    expect(server.requests[0]?.body.max_completion_tokens).toBe(200);
    expect(server.requests[0]?.body.reasoning_effort).toBeUndefined();
  });
});
