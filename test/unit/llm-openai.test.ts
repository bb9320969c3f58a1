import { createLlm } from '../../src/llm/index.js';
import { llmProviderContract, TEST_KEYS } from '../contract/llm-provider.js';
import { startFakeOllama } from '../fakes/llm/ollama.js';
import { startFakeOpenAI } from '../fakes/llm/openai.js';

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
