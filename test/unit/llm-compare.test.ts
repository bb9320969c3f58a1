import { describe, expect, it } from 'vitest';
import { compareProviders, renderComparison } from '../../src/cli/compare-llms.js';
import { LlmError } from '../../src/errors.js';
import { createOfflineProvider } from '../../src/llm/index.js';
import { createFakeLlm } from '../doubles/fake-llm.js';

describe('compare-llms', () => {
  const request = { evidence: [{ text: 'Pilots run payloads on worker nodes.' }], messages: [{ role: 'user' as const, content: 'what do pilots run?' }] };

  it('runs every provider, keeps going past a failing one, and reports latency and tokens', async () => {
    const rows = await compareProviders(
      [
        { spec: 'offline', llm: createOfflineProvider() },
        {
          spec: 'openai:gpt-4.1-mini',
          llm: createFakeLlm({ id: 'openai:gpt-4.1-mini', results: [{ text: 'Payloads.', usage: { inputTokens: 30, outputTokens: 2 } }] }),
        },
        {
          spec: 'mistral:small',
          llm: createFakeLlm({
            id: 'mistral:small',
            results: [{ text: 'x', model: 'offline', notice: 'mistral:small failed (HTTP 500); this is the offline answer.' }],
          }),
        },
        {
          spec: 'anthropic:claude-sonnet-4-6',
          llm: new LlmError('not_configured', 'anthropic:claude-sonnet-4-6 needs an API key: set ANTHROPIC_API_KEY in the environment.'),
        },
      ],
      request,
    );
    expect(rows.map((r) => [r.spec, r.outcome])).toEqual([
      ['offline', 'ok'],
      ['openai:gpt-4.1-mini', 'ok'],
      ['mistral:small', 'fallback'],
      ['anthropic:claude-sonnet-4-6', 'error'],
    ]);
    expect(rows[0]?.answer).toBe('Pilots run payloads on worker nodes.');
    expect(rows[1]).toMatchObject({ answer: 'Payloads.', inputTokens: 30, outputTokens: 2 });
    expect(rows[3]?.answer).toMatch(/set ANTHROPIC_API_KEY/);
  });

  it('prints providers side by side when the terminal is wide enough, stacked otherwise', async () => {
    const rows = await compareProviders(
      [
        { spec: 'offline', llm: createOfflineProvider() },
        { spec: 'openai:gpt-4.1-mini', llm: createFakeLlm({ id: 'openai:gpt-4.1-mini', results: [{ text: 'Payloads.' }] }) },
      ],
      request,
    );
    const wide = renderComparison(rows, 100).split('\n');
    expect(wide[0]).toMatch(/^offline\s+│ openai:gpt-4\.1-mini$/);
    expect(wide[2]).toMatch(/^\d+ ms · \d+ in \/ \d+ out tokens\s+│ \d+ ms · 0 in \/ 0 out tokens$/);
    expect(wide.some((l) => l.startsWith('Pilots run payloads on worker nodes.') && l.endsWith('│ Payloads.'))).toBe(true);
    const narrow = renderComparison(rows, 50);
    expect(narrow).toContain('══ offline\nok\n');
    expect(narrow).toContain('══ openai:gpt-4.1-mini\nok\n');
  });
});
