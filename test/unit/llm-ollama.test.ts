import { createLlm } from '../../src/llm/index.js';
import { llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeOllama } from '../fakes/llm/ollama.js';

llmProviderContract({
  name: 'ollama:llama3.1',
  scripted: true,
  schemaInRequest: (body) => body.format,
  async setup(replies, settings) {
    const server = await startFakeOllama({ script: replies });
    const provider = createLlm('ollama:llama3.1', { settings: { ...settings, ollamaHost: server.url }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});
