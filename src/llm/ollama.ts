/**
 * Ollama's native /api/chat through the official `ollama` SDK. Structured output passes the JSON
 * Schema as `format`; tools use `tools`/`tool_calls`. Each call gets its own client whose fetch
 * carries the request's AbortSignal (the SDK's own abort() would cancel every stream at once).
 */
import { type ChatRequest, type ChatResponse, type Message, Ollama } from 'ollama';
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta, ToolCall } from '../contracts/llm.js';
import { ProviderFailure, retryAfterMs, toProviderFailure, truncatedStream } from './failure.js';
import { systemWithEvidence } from './prompt.js';
import { toJsonSchema } from './schema.js';
import { createVendorProvider, DEFAULT_MAX_TOKENS, type VendorOptions } from './vendor.js';

function toMessages(request: GenerateRequest): Message[] {
  const names = new Map<string, string>();
  const out: Message[] = [];
  const system = systemWithEvidence(request);
  if (system) out.push({ role: 'system', content: system });
  for (const m of request.messages) {
    if (m.role === 'tool') out.push({ role: 'tool', content: m.content, tool_name: names.get(m.toolCallId ?? '') });
    else if (m.role === 'assistant' && m.toolCalls?.length) {
      for (const c of m.toolCalls) names.set(c.id, c.name);
      out.push({
        role: 'assistant',
        content: m.content,
        tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: (c.arguments ?? {}) as Record<string, unknown> } })),
      });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

function finish(response: ChatResponse, hasCalls: boolean): GenerateResult['finishReason'] {
  if (response.done_reason === 'length') return 'length';
  return hasCalls ? 'tool_calls' : 'stop';
}

function toolCalls(response: ChatResponse, offset: number): ToolCall[] {
  return (response.message?.tool_calls ?? []).map((c, i) => ({ id: `call_${offset + i + 1}`, name: c.function.name, arguments: c.function.arguments ?? {} }));
}

export function createOllamaProvider(options: VendorOptions): LlmProvider {
  const id = `ollama:${options.model}`;
  const host = options.baseUrl ?? 'http://127.0.0.1:11434';

  /** A client bound to one request: its fetch adds the signal and keeps the last response's headers. */
  function clientFor(request: GenerateRequest) {
    const seen: { headers?: Headers } = {};
    const boundFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const signals = [init?.signal, request.signal].filter((s): s is AbortSignal => Boolean(s));
      const response = await fetch(input, { ...init, signal: signals.length ? AbortSignal.any(signals) : undefined });
      seen.headers = response.headers;
      if (response.ok || response.headers.get('content-type')?.includes('application/json')) return response;
      // The SDK prints non-JSON error bodies to stdout; hand it a JSON error instead.
      const text = (await response.text()).slice(0, 200);
      return new Response(JSON.stringify({ error: text || response.statusText }), {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    const headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : undefined;
    return { client: new Ollama({ host, fetch: boundFetch, headers }), seen };
  }

  function params(request: GenerateRequest): ChatRequest {
    return {
      model: options.model,
      messages: toMessages(request),
      options: {
        num_predict: request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS,
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      },
      ...(request.tools?.length
        ? { tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
      ...(request.schema ? { format: toJsonSchema(request.schema) } : {}),
    } as ChatRequest;
  }

  function failure(error: unknown, headers: Headers | undefined): ProviderFailure {
    const mapped = toProviderFailure(id, error);
    if (mapped.retryAfterMs !== undefined || !headers || mapped.status === undefined) return mapped;
    const after = retryAfterMs(headers);
    return after === undefined
      ? mapped
      : new ProviderFailure(mapped.code as 'llm_error', mapped.message, {
          status: mapped.status,
          retryAfterMs: after,
          retryable: mapped.retryable,
          reason: mapped.reason,
          cause: error,
        });
  }

  async function call(request: GenerateRequest) {
    const { client, seen } = clientFor(request);
    let response: ChatResponse;
    try {
      response = await client.chat({ ...params(request), stream: false });
    } catch (error) {
      throw failure(error, seen.headers);
    }
    if (!response.done) throw truncatedStream(id);
    const calls = toolCalls(response, 0);
    return {
      text: response.message?.content || undefined,
      toolCalls: calls.length ? calls : undefined,
      usage: { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 },
      model: id,
      finishReason: finish(response, calls.length > 0),
    };
  }

  async function* stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
    const { client, seen } = clientFor(request);
    let last: ChatResponse | undefined;
    let count = 0;
    try {
      const parts = await client.chat({ ...params(request), stream: true });
      for await (const part of parts) {
        if (part.message?.content) yield { type: 'text', text: part.message.content };
        for (const call of toolCalls(part, count)) {
          count++;
          yield { type: 'tool_call', call };
        }
        last = part;
      }
    } catch (error) {
      throw failure(error, seen.headers);
    }
    if (!last?.done) throw truncatedStream(id);
    yield {
      type: 'done',
      usage: { inputTokens: last.prompt_eval_count ?? 0, outputTokens: last.eval_count ?? 0 },
      model: id,
      finishReason: finish(last, count > 0),
    };
  }

  return createVendorProvider(id, call, stream);
}
