import { createLlm } from '../../src/llm/index.js';
import { llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeGemini } from '../fakes/llm/gemini.js';

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
