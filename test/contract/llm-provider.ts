/**
 * The contract every LlmProvider passes (called by test/unit/llm-<vendor>.test.ts), in the spirit of
 * honojs/hono's shared runtime cases. A vendor harness builds the provider the way the bot does
 * (`createLlm(spec, settings)`: real SDK → reliability wrapper → offline fallback) against a fresh
 * protocol-level fake whose script it is given. The offline harness has no script.
 *
 * Checked: plain text, streaming, structured output (native schema mechanism, one repair attempt),
 * tool calls, cancellation, and for every failure mode — 429 with retry-after, 500, hang/timeout,
 * malformed JSON, refusal/content filter, truncated stream — that the user still gets an answer:
 * the offline answer, marked by a one-line notice naming the provider.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GenerateRequest, LlmProvider, StreamDelta } from '../../src/contracts/llm.js';
import type { FakeReply, RecordedRequest } from '../fakes/llm/server.js';

/** Reliability settings that keep the failure-mode tests fast (timeouts in ms, one retry). */
export const FAST_SETTINGS = { timeoutMs: 5000, maxRetries: 1, breakerFailures: 100, maxInputTokens: 12_000 };
/** The per-attempt timeout used by the hang/timeout tests. */
export const HANG_TIMEOUT_MS = 400;
export const TEST_KEYS = { OPENAI_API_KEY: 'test-openai', ANTHROPIC_API_KEY: 'test-anthropic', GEMINI_API_KEY: 'test-gemini', MISTRAL_API_KEY: 'test-mistral' };

export interface ProviderUnderTest {
  provider: LlmProvider;
  /** Requests the fake received (empty for offline). */
  requests(): RecordedRequest[];
  close(): Promise<void>;
}

export interface LlmProviderHarness {
  name: string;
  /** Builds the provider against a fresh fake that plays `replies` in order; `settings` override FAST_SETTINGS. */
  setup(replies: FakeReply[], settings: typeof FAST_SETTINGS): Promise<ProviderUnderTest>;
  /** False for the offline provider: answers are computed, not scripted, and nothing can fail. */
  scripted: boolean;
  /** Where this vendor's native structured-output mechanism carries the JSON Schema in a request body. */
  schemaInRequest?(body: Record<string, unknown>): unknown;
}

const EVIDENCE = [
  { title: 'pilot log', text: 'Job 6715819744 ran on CERN-PROD. The payload exceeded the memory limit of 2000 MB and was killed. The site had no outage.' },
];
const QUESTION = 'Why did job 6715819744 run out of memory?';
const ANSWER_SENTENCE = 'The payload exceeded the memory limit of 2000 MB and was killed.';

export const verdictSchema = {
  name: 'job_verdict',
  description: 'Why a job failed and whether to retry it',
  schema: z.object({ pandaid: z.number().int(), category: z.enum(['memory', 'network', 'software']), retry: z.boolean().default(false) }),
};

const tools = [
  {
    name: 'get_job',
    description: 'Look up one PanDA job by its pandaid',
    parameters: { type: 'object', properties: { pandaid: { type: 'integer' } }, required: ['pandaid'] },
  },
  {
    name: 'search_docs',
    description: 'Search the PanDA documentation',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

function ask(extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { system: 'You explain PanDA job failures.', evidence: EVIDENCE, messages: [{ role: 'user', content: QUESTION }], ...extra };
}

async function collect(stream: AsyncIterable<StreamDelta>) {
  let text = '';
  const calls = [];
  let done: Extract<StreamDelta, { type: 'done' }> | undefined;
  for await (const d of stream) {
    if (d.type === 'text') text += d.text;
    else if (d.type === 'tool_call') calls.push(d.call);
    else done = d;
  }
  return { text, calls, done };
}

export function llmProviderContract(h: LlmProviderHarness): void {
  describe(`LlmProvider contract: ${h.name}`, () => {
    let current: ProviderUnderTest | undefined;
    const start = async (replies: FakeReply[] = [], timeoutMs = FAST_SETTINGS.timeoutMs) => {
      current = await h.setup(replies, { ...FAST_SETTINGS, timeoutMs });
      return current;
    };
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    it('answers a plain question with text, usage, model and latency', async () => {
      const { provider } = await start([{ text: 'The payload used more memory than the queue allows.', usage: { input: 40, output: 11 } }]);
      const result = await provider.generate(ask());
      expect(result.finishReason).toBe('stop');
      expect(result.notice).toBeUndefined();
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      if (h.scripted) {
        expect(result.text).toBe('The payload used more memory than the queue allows.');
        expect(result.usage).toEqual({ inputTokens: 40, outputTokens: 11 });
        expect(result.model).toBe(provider.id);
      } else {
        expect(result.text).toContain(ANSWER_SENTENCE);
        expect(result.usage.inputTokens).toBeGreaterThan(0);
        expect(result.model).toBe('offline');
      }
    });

    it('streams the answer as text deltas ending with a done event', async () => {
      const { provider } = await start([{ text: 'The payload was killed for using too much memory.' }]);
      const { text, done } = await collect(provider.stream(ask()));
      if (h.scripted) expect(text).toBe('The payload was killed for using too much memory.');
      else expect(text).toContain(ANSWER_SENTENCE);
      expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
      expect(done?.notice).toBeUndefined();
    });

    it('returns a schema-valid object for structured output', async () => {
      const { provider, requests } = await start([{ json: { pandaid: 6715819744, category: 'memory', retry: true } }]);
      const result = await provider.generate(
        ask({ schema: verdictSchema, messages: [{ role: 'user', content: 'job 6715819744 failed with a memory error' }] }),
      );
      if (h.scripted) {
        expect(result.object).toEqual({ pandaid: 6715819744, category: 'memory', retry: true });
        expect(h.schemaInRequest?.(requests()[0]?.body ?? {})).toMatchObject({ type: 'object', required: expect.arrayContaining(['pandaid', 'category']) });
      } else {
        expect(result.object).toEqual({ pandaid: 6715819744, category: 'memory', retry: false });
      }
    });

    it('calls a tool with arguments', async () => {
      const { provider, requests } = await start([{ toolCalls: [{ name: 'get_job', arguments: { pandaid: 6715819744 } }] }]);
      const result = await provider.generate({ messages: [{ role: 'user', content: 'show me job 6715819744' }], tools });
      expect(result.finishReason).toBe('tool_calls');
      expect(result.toolCalls).toEqual([{ id: expect.any(String), name: 'get_job', arguments: { pandaid: 6715819744 } }]);
      if (h.scripted) expect(JSON.stringify(requests()[0]?.body)).toContain('search_docs');
    });

    it('streams tool calls', async () => {
      const { provider } = await start([{ toolCalls: [{ name: 'search_docs', arguments: { query: 'how do I search the documentation for pilot errors' } }] }]);
      const { calls, done } = await collect(
        provider.stream({ messages: [{ role: 'user', content: 'how do I search the documentation for pilot errors' }], tools }),
      );
      expect(calls).toEqual([{ id: expect.any(String), name: 'search_docs', arguments: { query: 'how do I search the documentation for pilot errors' } }]);
      expect(done?.finishReason).toBe('tool_calls');
    });

    if (!h.scripted) return;

    it('repairs structured output once: the second request says what was wrong', async () => {
      const { provider, requests } = await start([{ json: { pandaid: 'six', category: 'memory' } }, { json: { pandaid: 6715819744, category: 'memory' } }]);
      const result = await provider.generate(ask({ schema: verdictSchema }));
      expect(result.object).toEqual({ pandaid: 6715819744, category: 'memory', retry: false });
      expect(result.notice).toBeUndefined();
      expect(requests()).toHaveLength(2);
      expect(JSON.stringify(requests()[1]?.body)).toContain('does not match the job_verdict schema');
    });

    it('falls back to the offline answer, marked, when structured output stays invalid', async () => {
      const { provider, requests } = await start([{ text: 'not json at all' }, { json: { category: 'cpu' } }]);
      const result = await provider.generate(ask({ schema: verdictSchema }));
      expect(requests()).toHaveLength(2);
      expect(result.model).toBe('offline');
      expect(result.notice).toMatch(
        new RegExp(`^${provider.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} returned no valid job_verdict; this is the offline answer\\.$`),
      );
      // The question names the job and the memory category, so the offline provider can build it.
      expect(result.object).toEqual({ pandaid: 6715819744, category: 'memory', retry: false });
    });

    it('retries after a 429, waiting for retry-after, and then answers', async () => {
      const { provider, requests } = await start([{ fail: 'rate_limit', retryAfter: 1 }, { text: 'Out of memory.' }]);
      const started = Date.now();
      const result = await provider.generate(ask());
      expect(result.text).toBe('Out of memory.');
      expect(result.notice).toBeUndefined();
      expect(requests()).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('cancels a hanging call when the caller aborts', async () => {
      const { provider } = await start([{ fail: 'hang' }]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user left')), 50);
      // The call never answers: only the abort can end it.
      await expect(provider.generate(ask({ signal: controller.signal }))).rejects.toThrow('user left');
    });

    const modes: Array<{ reply: FakeReply; notice: RegExp }> = [
      { reply: { fail: 'rate_limit', retryAfter: 0 }, notice: /is rate limiting requests/ },
      { reply: { fail: 'server_error' }, notice: /failed \(HTTP 500\)/ },
      { reply: { fail: 'hang' }, notice: /did not answer in time/ },
      { reply: { fail: 'malformed' }, notice: /failed|broke off/ },
      { reply: { fail: 'refusal' }, notice: /declined to answer|reported an error|empty answer/ },
      { reply: { fail: 'truncated' }, notice: /failed|broke off/ },
    ];
    for (const { reply, notice } of modes) {
      const mode = 'fail' in reply ? reply.fail : '';
      it(`${mode}: generate still answers — the offline answer, marked`, async () => {
        const { provider } = await start([reply, reply, reply], mode === 'hang' ? HANG_TIMEOUT_MS : undefined);
        const result = await provider.generate(ask());
        expect(result.text).toContain(ANSWER_SENTENCE);
        expect(result.model).toBe('offline');
        expect(result.notice).toMatch(notice);
        expect(result.notice).toContain(provider.id);
        expect(result.notice).toMatch(/offline answer\.$/);
      });

      it(`${mode}: stream still answers — the offline answer, marked`, async () => {
        const { provider } = await start([reply, reply, reply], mode === 'hang' ? HANG_TIMEOUT_MS : undefined);
        const { text, done } = await collect(provider.stream(ask()));
        expect(text).toContain(ANSWER_SENTENCE);
        expect(done?.model).toBe('offline');
        expect(done?.notice).toContain(provider.id);
        if (mode === 'truncated') expect(done?.notice).toMatch(/stopped in mid-answer; the rest is the offline answer\.$/);
        else expect(done?.notice).toMatch(notice);
      });
    }
  });
}
