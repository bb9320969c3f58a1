/**
 * In-process LlmProvider double with scripted results (modelled on vercel/ai's MockLanguageModel).
 *
 *   const llm = createFakeLlm({ results: [{ text: 'hello' }, new LlmError('llm_error', 'boom')] });
 *   await llm.generate({ messages: [{ role: 'user', content: 'hi' }] }); // → text 'hello'
 *   llm.calls[0].messages;                                               // what the code under test sent
 *
 * Each call consumes the next script entry: a partial result (defaults filled in), an Error (thrown),
 * or a function of the request returning either. When the script runs out the call throws a
 * "not implemented" error, so a test never silently gets an answer it did not script.
 * `stream()` consumes entries the same way and yields the text in word-sized deltas.
 */
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta } from '../../src/contracts/llm.js';

export type FakeLlmStep =
  | Partial<GenerateResult>
  | Error
  | ((request: GenerateRequest) => Partial<GenerateResult> | Error | Promise<Partial<GenerateResult> | Error>);

export interface FakeLlmOptions {
  results?: FakeLlmStep[];
  /** Provider id, default `fake:model`. */
  id?: string;
  /** Used once the script is exhausted instead of throwing. */
  fallback?: FakeLlmStep;
}

export interface FakeLlm extends LlmProvider {
  /** Every request received, in order (generate and stream). */
  readonly calls: GenerateRequest[];
  /** Appends steps to the script. */
  push(...steps: FakeLlmStep[]): void;
}

export function createFakeLlm(options: FakeLlmOptions = {}): FakeLlm {
  const id = options.id ?? 'fake:model';
  const script = [...(options.results ?? [])];
  const calls: GenerateRequest[] = [];

  async function next(request: GenerateRequest): Promise<GenerateResult> {
    calls.push(request);
    if (request.signal?.aborted) throw request.signal.reason ?? new Error('aborted');
    const step = script.length > 0 ? script.shift() : options.fallback;
    if (step === undefined) {
      throw new Error(`fake LLM ${id}: not implemented — call ${calls.length} has no scripted result`);
    }
    const value = typeof step === 'function' ? await step(request) : step;
    if (value instanceof Error) throw value;
    return {
      usage: { inputTokens: 0, outputTokens: 0 },
      model: id,
      latencyMs: 0,
      finishReason: value.toolCalls?.length ? 'tool_calls' : 'stop',
      ...value,
    };
  }

  return {
    id,
    calls,
    push(...steps) {
      script.push(...steps);
    },
    async generate<T>(request: GenerateRequest<T>): Promise<GenerateResult<T>> {
      return (await next(request as GenerateRequest)) as GenerateResult<T>;
    },
    async *stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
      const result = await next(request);
      const text = result.text ?? (result.object !== undefined ? JSON.stringify(result.object) : '');
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text', text: piece };
      for (const call of result.toolCalls ?? []) yield { type: 'tool_call', call };
      yield { type: 'done', usage: result.usage, model: result.model, finishReason: result.finishReason, notice: result.notice };
    },
  };
}

/** A scripted answer that is one tool call: `toolCall('queue_query', { filters: [...] })`. */
export function toolCall(name: string, args: Record<string, unknown> | string, id = 't1'): Partial<GenerateResult> {
  return { toolCalls: [{ id, name, arguments: args }] };
}
