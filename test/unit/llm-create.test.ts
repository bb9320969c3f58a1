import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { LlmError } from '../../src/errors.js';
import { createLlm, createLlmRegistry, parseSpec } from '../../src/llm/index.js';
import { startFakeOpenAI } from '../fakes/llm/openai.js';
import type { FakeServer } from '../fakes/llm/server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('provider specs and configuration', () => {
  it('parses provider:model specs, including openai-compatible base URLs', () => {
    expect(parseSpec('offline')).toEqual({ vendor: 'offline', model: 'offline' });
    expect(parseSpec('anthropic:claude-sonnet-4-6')).toEqual({ vendor: 'anthropic', model: 'claude-sonnet-4-6' });
    expect(parseSpec('ollama:llama3.1:8b')).toEqual({ vendor: 'ollama', model: 'llama3.1:8b' });
    expect(parseSpec('openai-compatible:http://gpu01:8000/v1#meta-llama/Llama-3.1-8B')).toEqual({
      vendor: 'openai-compatible',
      model: 'meta-llama/Llama-3.1-8B',
      baseUrl: 'http://gpu01:8000/v1',
    });
    expect(() => parseSpec('chatgpt:4')).toThrow(/LLM spec "chatgpt:4" names no provider "chatgpt" for chat \(router, answer, analysis\); use one of openai, /);
    expect(() => parseSpec('openai-compatible:gpu01#m')).toThrow(/needs a base URL and a model/);
  });

  it('names the missing environment variable when a key is absent', () => {
    for (const [spec, variable] of [
      ['openai:gpt-4.1-mini', 'OPENAI_API_KEY in the environment (or use openai-compatible:<url>#<model> for a server without keys)'],
      ['anthropic:claude-sonnet-4-6', 'ANTHROPIC_API_KEY in the environment'],
      ['gemini:gemini-2.5-flash', 'GEMINI_API_KEY or GOOGLE_API_KEY in the environment'],
      ['mistral:mistral-small-latest', 'MISTRAL_API_KEY in the environment'],
    ] as const) {
      let caught: unknown;
      try {
        createLlm(spec, { apiKeys: {} });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(LlmError);
      expect((caught as LlmError).message).toBe(`${spec} needs an API key: set ${variable}.`);
    }
    // Ollama and self-hosted OpenAI-compatible servers need no key.
    expect(createLlm('ollama:llama3.1').id).toBe('ollama:llama3.1');
    expect(createLlm('openai-compatible:http://127.0.0.1:8000/v1#m').id).toBe('openai-compatible:http://127.0.0.1:8000/v1#m');
  });

  it('switches the analysis role from offline to OpenAI with configuration only', async () => {
    server = await startFakeOpenAI({ script: [{ json: { category: 'memory', retry: false } }] });
    const request = {
      messages: [{ role: 'user' as const, content: 'Classify: payload killed, memory limit exceeded' }],
      schema: { name: 'analysis', schema: z.object({ category: z.enum(['memory', 'network']), retry: z.boolean() }) },
    };
    const offline = loadConfig({});
    const before = createLlmRegistry({ settings: offline.config.llm, apiKeys: offline.apiKeys }).forRole('analysis');
    expect(before.id).toBe('offline');

    const env = { ASKPANDA_LLM_ANALYSIS: 'openai:gpt-4.1-mini', OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: 'sk-test' };
    const loaded = loadConfig(env);
    const registry = createLlmRegistry({ settings: loaded.config.llm, apiKeys: loaded.apiKeys });
    const analysis = registry.forRole('analysis');
    expect(analysis.id).toBe('openai:gpt-4.1-mini');
    expect(registry.forRole('answer').id).toBe('offline');
    const result = await analysis.generate(request);
    expect(result.object).toEqual({ category: 'memory', retry: false });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4.1-mini', response_format: { type: 'json_schema' } });
  });

  it('talks to OpenAI-compatible servers with max_tokens and without a key', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'hello from vLLM' }] });
    const llm = createLlm(`openai-compatible:${server.url}/v1#Qwen2.5-7B`);
    const result = await llm.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 64 });
    expect(result.text).toBe('hello from vLLM');
    expect(server.requests[0]?.body).toMatchObject({ model: 'Qwen2.5-7B', max_tokens: 64 });
    expect(server.requests[0]?.body.max_completion_tokens).toBeUndefined();
  });

  it('shares one provider (and its breaker) between roles configured with the same spec', () => {
    const registry = createLlmRegistry({ settings: { router: 'ollama:llama3.1', answer: 'ollama:llama3.1' } });
    expect(registry.forRole('router')).toBe(registry.forRole('answer'));
  });
});
