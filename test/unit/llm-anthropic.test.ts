import { createLlm } from '../../src/llm/index.js';
import { llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeAnthropic } from '../fakes/llm/anthropic.js';

llmProviderContract({
  name: 'anthropic:claude-sonnet-4-6',
  scripted: true,
  schemaInRequest: (body) => (body.tools as Array<{ name: string; input_schema: unknown }>).find((t) => t.name === 'job_verdict')?.input_schema,
  async setup(replies, settings) {
    const server = await startFakeAnthropic({ script: replies });
    const provider = createLlm('anthropic:claude-sonnet-4-6', { settings: { ...settings, anthropicBaseUrl: server.url }, apiKeys: TEST_KEYS, backoffMs: 5 });
    return { provider, requests: () => server.requests, close: () => server.close() };
  },
});
