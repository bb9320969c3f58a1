import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { type AnswerDeadline, AnswerDeadlineExceeded, withAnswerDeadline } from '../../src/contracts/answer-deadline.js';
import type { GenerateRequest } from '../../src/contracts/llm.js';
import { LlmError } from '../../src/errors.js';
import { ProviderFailure } from '../../src/llm/failure.js';
import { createBreaker, createLimiter, createOfflineProvider, createReliableProvider } from '../../src/llm/index.js';
import { createFakeLlm, type FakeLlmStep } from '../doubles/fake-llm.js';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

function wrap(steps: FakeLlmStep[], overrides: Partial<Parameters<typeof createReliableProvider>[1]> = {}) {
  const inner = createFakeLlm({ id: 'openai:test', results: steps });
  const { logger, lines } = capture(overrides.logger ? 'info' : 'debug');
  const provider = createReliableProvider(inner, {
    fallback: createOfflineProvider(),
    logger,
    limiter: createLimiter(4),
    breaker: createBreaker(3, 60_000),
    timeoutMs: 500,
    maxRetries: 2,
    maxInputTokens: 10_000,
    backoffMs: 1,
    ...overrides,
  });
  return { inner, provider, lines };
}

const question: GenerateRequest = {
  system: 'SYSTEM INSTRUCTIONS: answer briefly.',
  evidence: [{ text: 'The job was killed after exceeding its memory limit.' }],
  messages: [{ role: 'user', content: 'secret-question-text: why was the job killed?' }],
};
const http500 = () => new ProviderFailure('llm_error', 'HTTP 500', { status: 500, retryable: true });

describe('reliability wrapper', () => {
  it('retries 5xx with backoff and returns the provider answer', async () => {
    const { inner, provider } = wrap([http500(), http500(), { text: 'It ran out of memory.' }]);
    const result = await provider.generate(question);
    expect(result.text).toBe('It ran out of memory.');
    expect(result.notice).toBeUndefined();
    expect(inner.calls).toHaveLength(3);
  });

  it('does not retry a 400 and answers offline with a notice', async () => {
    const { inner, provider } = wrap([new ProviderFailure('llm_error', 'HTTP 400', { status: 400, retryable: false })]);
    const result = await provider.generate(question);
    expect(inner.calls).toHaveLength(1);
    expect(result.text).toBe('The job was killed after exceeding its memory limit.');
    expect(result.notice).toBe('openai:test failed (HTTP 400); this is the offline answer.');
  });

  it('does not wait for a retry-after longer than the limit', async () => {
    const long = new ProviderFailure('rate_limited', '429', { status: 429, retryAfterMs: 120_000, retryable: true });
    const { inner, provider } = wrap([long], { maxRetryAfterMs: 1000 });
    // No clock reading: with timers frozen, the answer comes only if nothing waits on a timer (not 120 s, not the 1 s cap).
    vi.useFakeTimers();
    let result: Awaited<ReturnType<typeof provider.generate>> | undefined;
    try {
      void provider.generate(question).then((r) => {
        result = r;
      });
      await vi.advanceTimersByTimeAsync(0);
    } finally {
      vi.useRealTimers();
    }
    if (!result) throw new Error('the provider waited on a timer instead of answering at once');
    expect(inner.calls).toHaveLength(1);
    expect(result.notice).toMatch(/is rate limiting requests; this is the offline answer\.$/);
  });

  it('opens the circuit after N failed calls and skips the provider until the cooldown ends', async () => {
    let now = 0;
    const failing = new ProviderFailure('llm_error', 'down', { status: 503, retryable: false });
    const { inner, provider } = wrap([failing, failing, failing, { text: 'back again' }], { breaker: createBreaker(3, 30_000, () => now) });
    for (let i = 0; i < 3; i++) await provider.generate(question);
    expect(inner.calls).toHaveLength(3);
    const skipped = await provider.generate(question);
    expect(inner.calls).toHaveLength(3);
    expect(skipped.notice).toBe('openai:test is paused after 3 failures in a row; this is the offline answer.');
    now = 30_001;
    const trial = await provider.generate(question);
    expect(trial.text).toBe('back again');
    expect(inner.calls).toHaveLength(4);
  });

  it('bounds concurrency per provider', async () => {
    let running = 0;
    let peak = 0;
    const slow: FakeLlmStep = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      return { text: 'ok' };
    };
    const { provider } = wrap([slow, slow, slow, slow], { limiter: createLimiter(2) });
    const results = await Promise.all([1, 2, 3, 4].map(() => provider.generate(question)));
    expect(results.map((r) => r.text)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(peak).toBe(2);
  });

  it('times out a slow call and answers offline', async () => {
    const hang: FakeLlmStep = (req) => new Promise((_, reject) => req.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    const { provider } = wrap([hang, hang, hang], { timeoutMs: 40, maxRetries: 1 });
    const result = await provider.generate(question);
    expect(result.notice).toBe('openai:test did not answer in time; this is the offline answer.');
  });

  it('stops when the caller aborts, without a fallback answer', async () => {
    const { provider, lines } = wrap([http500(), http500(), http500()], { backoffMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user went away')), 30);
    await expect(provider.generate({ ...question, signal: controller.signal })).rejects.toThrow('user went away');
    expect(lines.find((l) => l.msg === 'llm call')).toMatchObject({ outcome: 'cancelled' });
  });

  describe('answer deadline', () => {
    const deadline = (ms = 2000) => {
      const controller = new AbortController();
      const d: AnswerDeadline & { pass(): void } = {
        signal: controller.signal,
        ms,
        cut: false,
        pass: () => controller.abort(new AnswerDeadlineExceeded(ms)),
      };
      return d;
    };

    it('aborts the request in flight when the deadline passes and answers offline with a notice', async () => {
      const d = deadline();
      let seen: AbortSignal | undefined;
      const hang: FakeLlmStep = (req) =>
        new Promise((_, reject) => {
          seen = req.signal;
          req.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          d.pass();
        });
      const { inner, provider, lines } = wrap([hang, hang, hang], { timeoutMs: 60_000 });
      const result = await withAnswerDeadline(d, () => provider.generate(question));
      expect(result.notice).toBe('openai:test did not answer in time (answer deadline 2 s); this is the offline answer.');
      expect(result.text).toBe('The job was killed after exceeding its memory limit.');
      expect(seen?.aborted).toBe(true);
      expect(inner.calls).toHaveLength(1);
      expect(d.cut).toBe(true);
      expect(lines.find((l) => l.msg === 'llm call')).toMatchObject({ outcome: 'deadline' });
    });

    it('skips the model once the deadline has passed, and stops waiting for a retry', async () => {
      const d = deadline();
      d.pass();
      const { inner, provider } = wrap([{ text: 'never asked' }]);
      const result = await withAnswerDeadline(d, () => provider.generate(question));
      expect(inner.calls).toHaveLength(0);
      expect(result.notice).toMatch(/did not answer in time/);

      const later = deadline();
      const failThenPass: FakeLlmStep = () => {
        // The deadline passes while the wrapper would back off for a minute before retrying.
        queueMicrotask(() => later.pass());
        throw http500();
      };
      const retried = wrap([failThenPass, { text: 'too late' }], { backoffMs: 60_000 });
      const fell = await withAnswerDeadline(later, () => retried.provider.generate(question));
      expect(retried.inner.calls).toHaveLength(1);
      expect(fell.notice).toMatch(/did not answer in time \(answer deadline 2 s\)/);
    });

    it("still throws on the caller's own cancellation inside a deadline", async () => {
      const d = deadline();
      const controller = new AbortController();
      const hang: FakeLlmStep = (req) =>
        new Promise((_, reject) => {
          req.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          controller.abort(new Error('user went away'));
        });
      const { provider } = wrap([hang]);
      await expect(withAnswerDeadline(d, () => provider.generate({ ...question, signal: controller.signal }))).rejects.toThrow('user went away');
      expect(d.cut).toBe(false);
    });

    it('a stream cut by the deadline ends with the offline answer and the notice', async () => {
      const d = deadline();
      const { provider } = wrap([
        (req) =>
          new Promise((_, reject) => {
            req.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
            d.pass();
          }),
      ]);
      const deltas = await withAnswerDeadline(d, async () => {
        const out = [];
        for await (const delta of provider.stream(question)) out.push(delta);
        return out;
      });
      const done = deltas.at(-1);
      expect(done?.type === 'done' ? done.notice : '').toMatch(/did not answer in time \(answer deadline 2 s\)/);
      expect(deltas.some((x) => x.type === 'text' && x.text.includes('memory limit'))).toBe(true);
    });
  });

  it('trims evidence to the token budget and never the instructions or the question', async () => {
    const big = { title: 'log', text: 'memory '.repeat(4000), priority: 0 };
    const key = { title: 'summary', text: 'The job was killed after exceeding its memory limit.', priority: 10 };
    const { inner, provider } = wrap([{ text: 'ok' }], { maxInputTokens: 1500 });
    await provider.generate({ ...question, evidence: [big, key] });
    const sent = inner.calls[0];
    expect(sent?.system).toBe(question.system);
    expect(sent?.messages.at(-1)?.content).toBe(question.messages[0]?.content);
    expect(sent?.evidence?.map((e) => e.title)).toEqual(['log', 'summary']);
    expect(sent?.evidence?.[1]?.text).toBe(key.text);
    expect(sent?.evidence?.[0]?.text.length).toBeLessThan(big.text.length);
    expect(sent?.evidence?.[0]?.text).toMatch(/trimmed to fit the token budget\]$/);
  });

  it('logs usage, latency and outcome per call, and prompt text only at debug level', async () => {
    const info = capture('info');
    const { provider } = wrap([{ text: 'ok', usage: { inputTokens: 120, outputTokens: 8 } }], { logger: info.logger });
    await provider.generate(question);
    expect(info.lines).toHaveLength(1);
    expect(info.lines[0]).toMatchObject({ msg: 'llm call', provider: 'openai:test', outcome: 'ok', attempts: 1, inputTokens: 120, outputTokens: 8 });
    expect(info.lines[0]?.latencyMs).toEqual(expect.any(Number));
    expect(JSON.stringify(info.lines)).not.toContain('secret-question-text');
    const debug = wrap([{ text: 'ok' }]);
    await debug.provider.generate(question);
    expect(JSON.stringify(debug.lines)).toContain('secret-question-text');
  });

  it('turns a script error into the offline answer (unknown errors are failures too)', async () => {
    const { provider } = wrap([new LlmError('llm_error', 'boom'), new Error('socket hang up'), new Error('socket hang up')]);
    const result = await provider.generate(question);
    expect(result.model).toBe('offline');
    expect(result.notice).toMatch(/^openai:test failed/);
  });

  it('streams: a break after partial text appends the offline answer, marked', async () => {
    const inner = createFakeLlm({ id: 'openai:test' });
    const broken = {
      ...inner,
      async *stream() {
        yield { type: 'text' as const, text: 'The job ' };
        throw new Error('socket hang up');
      },
    };
    const { logger } = capture();
    const provider = createReliableProvider(broken, {
      fallback: createOfflineProvider(),
      logger,
      limiter: createLimiter(1),
      breaker: createBreaker(3, 1000),
      timeoutMs: 500,
      maxRetries: 2,
      maxInputTokens: 10_000,
    });
    let text = '';
    let notice: string | undefined;
    for await (const d of provider.stream(question)) {
      if (d.type === 'text') text += d.text;
      if (d.type === 'done') notice = d.notice;
    }
    expect(text).toBe('The job \n\nThe job was killed after exceeding its memory limit.');
    expect(notice).toBe('openai:test stopped in mid-answer; the rest is the offline answer.');
  });
});
