import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema, describeConfig, ENV_KEYS, envKeysOf, loadConfig } from '../../src/config.js';
import { parseSpec } from '../../src/llm/index.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has working defaults with no environment at all', () => {
    const { config } = loadConfig({});
    expect(config.dataDir).toBe('./data');
    expect(config.llm.analysis).toBe('offline');
    expect(config.panda.url).toBe('https://bigpanda.cern.ch');
  });

  it('reports one bad value in one line naming the variable, the problem and an example', () => {
    const error = errorOf(() => loadConfig({ ASKPANDA_PANDA_TIMEOUT_MS: 'abc' }));
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain('ASKPANDA_PANDA_TIMEOUT_MS');
    expect(error.message).toContain('example: ASKPANDA_PANDA_TIMEOUT_MS=30000');
    expect(errorOf(() => loadConfig({ ASKPANDA_LLM_ROUTER: 'gpt4' })).message).toMatch(/ASKPANDA_LLM_ROUTER.*provider>:<model/);
  });

  it('accepts a model spec exactly when its vendor serves the role (one vendor table per kind)', () => {
    expect(() => loadConfig({ ASKPANDA_LLM_ANALYSIS: 'transformers:x' })).toThrow(
      /^ASKPANDA_LLM_ANALYSIS \(llm\.analysis\): "transformers:x" names no provider "transformers" for chat \(router, answer, analysis\); use one of openai, openai-compatible, anthropic, gemini, mistral, ollama/,
    );
    expect(() => loadConfig({ ASKPANDA_LLM_EMBEDDINGS: 'anthropic:claude-sonnet-4-5' })).toThrow(
      /names no provider "anthropic" for embeddings; use one of transformers, openai, openai-compatible, ollama/,
    );
    expect(() => loadConfig({ ASKPANDA_LLM_ROUTER: 'cohere:command-r' })).toThrow(/names no provider "cohere"/);
    expect(() => loadConfig({ ASKPANDA_LLM_EMBEDDINGS: 'openai-compatible:bge-small' })).toThrow(/ASKPANDA_LLM_EMBEDDINGS.*needs a base URL and a model/);
    const { config } = loadConfig({
      ASKPANDA_LLM_ANALYSIS: 'anthropic:claude-sonnet-4-5',
      ASKPANDA_LLM_EMBEDDINGS: 'transformers:Xenova/all-MiniLM-L6-v2',
      ANTHROPIC_API_KEY: 'sk-ant-test',
    });
    expect([config.llm.analysis, config.llm.embeddings]).toEqual(['anthropic:claude-sonnet-4-5', 'transformers:Xenova/all-MiniLM-L6-v2']);
  });

  it('refuses a role whose vendor needs an API key that is not set, naming both variables (as the first call would)', () => {
    const cases = [
      [
        'ASKPANDA_LLM_ANSWER',
        'openai:gpt-4.1-mini',
        'set OPENAI_API_KEY in the environment (or use openai-compatible:<url>#<model> for a server without keys).',
      ],
      ['ASKPANDA_LLM_ROUTER', 'anthropic:claude-sonnet-4-5', 'set ANTHROPIC_API_KEY in the environment.'],
      ['ASKPANDA_LLM_ANALYSIS', 'gemini:gemini-2.5-flash', 'set GEMINI_API_KEY or GOOGLE_API_KEY in the environment.'],
      ['ASKPANDA_LLM_ANSWER', 'mistral:mistral-small-latest', 'set MISTRAL_API_KEY in the environment.'],
      [
        'ASKPANDA_LLM_EMBEDDINGS',
        'openai:text-embedding-3-small',
        'set OPENAI_API_KEY in the environment (or use openai-compatible:<url>#<model> for a server without keys).',
      ],
    ] as const;
    for (const [variable, spec, fix] of cases) {
      // A base URL does not stand in for the key: the vendor's SDK sends it.
      expect(() => loadConfig({ [variable]: spec, OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' })).toThrow(`${variable}: ${spec} needs an API key: ${fix}`);
    }
    expect(loadConfig({ ASKPANDA_LLM_ANALYSIS: 'gemini:gemini-2.5-flash', GOOGLE_API_KEY: 'g' }).apiKeys).toEqual({ GOOGLE_API_KEY: 'g' });
    // Vendors without keys: ollama, an openai-compatible server named in the spec, local transformers.
    const keyless = loadConfig({
      ASKPANDA_LLM_ROUTER: 'ollama:llama3.1',
      ASKPANDA_LLM_ANSWER: 'openai-compatible:http://127.0.0.1:8000/v1#llama-3.1-8b',
      ASKPANDA_LLM_EMBEDDINGS: 'ollama:nomic-embed-text',
    });
    expect(keyless.apiKeys).toEqual({});
    expect(loadConfig({ ASKPANDA_LLM_EMBEDDINGS: 'transformers:Xenova/all-MiniLM-L6-v2' }).config.llm.embeddings).toBe('transformers:Xenova/all-MiniLM-L6-v2');
    // The keys are secrets: masked by config check, refused in the config file.
    expect(describeConfig(loadConfig({ OPENAI_API_KEY: 'sk-live-123' })).join('\n')).toMatch(/^OPENAI_API_KEY\s+\*\*\*\*\* \(set\) {2}\[env\]$/m);
  });

  it('derives ENV_KEYS from the schema: every setting has exactly one environment variable', () => {
    const leaves = envKeysOf(configSchema);
    expect(leaves.filter((k) => !k.env).map((k) => k.path.join('.'))).toEqual([]);
    expect(ENV_KEYS).toHaveLength(leaves.length);
    expect(new Set(ENV_KEYS.map((k) => k.env)).size).toBe(ENV_KEYS.length);
    expect(ENV_KEYS.find((k) => k.env === 'ASKPANDA_PRUNE_CRON')?.path).toEqual(['maintenance', 'pruneCron']);
    expect(ENV_KEYS.find((k) => k.env === 'SLACK_BOT_TOKEN')).toMatchObject({ path: ['slack', 'botToken'], secret: true });
    expect(loadConfig({ ASKPANDA_PRUNE_CRON: '0 4 * * *' }).config.maintenance.pruneCron).toBe('0 4 * * *');
  });

  it('checks a setting with the rule its user applies at run time (config check fails where the first use would)', () => {
    const spec = 'openai-compatible:gpu01#m';
    expect(() => parseSpec(spec)).toThrow(/needs a base URL and a model/);
    expect(() => loadConfig({ ASKPANDA_LLM_ANALYSIS: spec })).toThrow(/ASKPANDA_LLM_ANALYSIS.*needs a base URL and a model/);
    expect(() => parseSpec('transformers:x')).toThrow(/names no provider "transformers" for chat/);
    expect(() => loadConfig({ ASKPANDA_WATCH_QUIET_HOURS: '25:00-07:00' })).toThrow(/ASKPANDA_WATCH_QUIET_HOURS.*not valid times/);
    expect(() => loadConfig({ ASKPANDA_WATCH_QUIET_HOURS: 'nights' })).toThrow(/not HH:MM-HH:MM/);
    expect(loadConfig({ ASKPANDA_WATCH_QUIET_HOURS: '22:00-07:00' }).config.watch.quietHours).toBe('22:00-07:00');
    expect(() => loadConfig({ ASKPANDA_WATCH_CRON: 'every five minutes' })).toThrow(/ASKPANDA_WATCH_CRON.*is not a cron expression/);
    expect(loadConfig({ ASKPANDA_WATCH_CRON: '*/10 * * * *' }).config.watch.cron).toBe('*/10 * * * *');
  });

  it('reads a YAML file, lets the environment win, and refuses secrets in the file', () => {
    const file = join(dir, 'askpanda.yaml');
    writeFileSync(file, 'panda:\n  url: https://panda-doma.cern.ch\nmemory:\n  maxTurns: 8\n');
    const { config, origins } = loadConfig({ ASKPANDA_CONFIG: file, ASKPANDA_MEMORY_TURNS: '12' });
    expect(config.panda.url).toBe('https://panda-doma.cern.ch');
    expect(config.memory.maxTurns).toBe(12);
    expect(origins['panda.url']).toBe('file');
    writeFileSync(file, 'slack:\n  botToken: xoxb-123\n');
    expect(errorOf(() => loadConfig({ ASKPANDA_CONFIG: file })).message).toContain('SLACK_BOT_TOKEN');
  });

  it('masks every secret in config check output', () => {
    const loaded = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret-token', OPENAI_API_KEY: 'sk-abcdef', ASKPANDA_PANDA_TOKEN: 'eyJsecret' });
    const text = describeConfig(loaded).join('\n');
    expect(text).not.toContain('xoxb-very-secret-token');
    expect(text).not.toContain('sk-abcdef');
    expect(text).not.toContain('eyJsecret');
    expect(text).toMatch(/SLACK_BOT_TOKEN\s+\*{5} \(set\)/);
  });
});
