import { createLlm } from '../../src/llm/index.js';
import { llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeMistral } from '../fakes/llm/mistral.js';

llmProviderContract({
  name: 'mistral:mistral-small-latest',
  scripted: true,
  schemaInRequest: (body) => (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema,
  async setup(replies, settings) {
    const server = await startFakeMistral({ script: replies });
    const provider = createLlm('mistral:mistral-small-latest', { settings: { ...settings, mistralBaseUrl: server.url }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});
