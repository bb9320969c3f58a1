import { createLlm } from '../../src/llm/index.js';
import { FAST_SETTINGS, llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeOpenAI } from '../fakes/llm/openai.js';

llmProviderContract({
  name: 'openai:gpt-4.1-mini',
  scripted: true,
  schemaInRequest: (body) => (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema,
  async setup(replies) {
    const server = await startFakeOpenAI({ script: replies });
    const provider = createLlm('openai:gpt-4.1-mini', { settings: { ...FAST_SETTINGS, openaiBaseUrl: `${server.url}/v1` }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});
