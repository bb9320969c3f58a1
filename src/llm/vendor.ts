/**
 * What every vendor file shares: structured output checked against the zod schema with exactly one
 * repair attempt (the model is asked again, told what was wrong — model text is never patched by
 * hand), and per-call timing.
 */
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta } from '../contracts/llm.js';
import { ProviderFailure } from './failure.js';
import { parseJson, validate } from './schema.js';

/** A vendor's single call: `object` may be set (already-parsed tool input) but is not yet validated. */
export type VendorCall = (request: GenerateRequest) => Promise<Omit<GenerateResult, 'latencyMs'>>;
export type VendorStream = (request: GenerateRequest) => AsyncIterable<StreamDelta>;

export interface VendorOptions {
  /** The model name the vendor expects. */
  model: string;
  apiKey?: string;
  baseUrl?: string;
  /** Default max output tokens when the request does not set one. */
  maxTokens?: number;
}

export const DEFAULT_MAX_TOKENS = 2048;

function check(request: GenerateRequest, result: Omit<GenerateResult, 'latencyMs'>) {
  const schema = request.schema;
  if (!schema) return undefined;
  const parsed = result.object !== undefined ? { ok: true as const, value: result.object } : parseJson(result.text);
  if (!parsed.ok) return { ok: false as const, problems: 'the reply was not a JSON document' };
  return validate(schema, parsed.value);
}

export function createVendorProvider(id: string, call: VendorCall, stream: VendorStream): LlmProvider {
  return {
    id,
    async generate<T>(request: GenerateRequest<T>): Promise<GenerateResult<T>> {
      const started = performance.now();
      const req = request as GenerateRequest;
      const first = await call(req);
      const elapsed = () => Math.round(performance.now() - started);
      const firstCheck = check(req, first);
      if (!firstCheck || first.finishReason === 'content_filter') return { ...first, latencyMs: elapsed() } as GenerateResult<T>;
      if (firstCheck.ok) return { ...first, text: undefined, object: firstCheck.value as T, latencyMs: elapsed() };
      const previous = first.text ?? (first.object !== undefined ? JSON.stringify(first.object) : '');
      const repair: GenerateRequest = {
        ...req,
        messages: [
          ...req.messages,
          { role: 'assistant', content: previous },
          {
            role: 'user',
            content: `That reply does not match the ${req.schema?.name} schema (${firstCheck.problems}). Reply again with only the corrected JSON.`,
          },
        ],
      };
      const second = await call(repair);
      const usage = {
        inputTokens: first.usage.inputTokens + second.usage.inputTokens,
        outputTokens: first.usage.outputTokens + second.usage.outputTokens,
      };
      const secondCheck = check(req, second);
      if (secondCheck?.ok) return { ...second, text: undefined, object: secondCheck.value as T, usage, latencyMs: elapsed() };
      throw new ProviderFailure(
        'llm_error',
        `${id} returned output that does not match ${req.schema?.name} even after one repair attempt (${secondCheck?.problems ?? firstCheck.problems}).`,
        { retryable: false, reason: `returned no valid ${req.schema?.name}` },
      );
    },
    stream,
  };
}
