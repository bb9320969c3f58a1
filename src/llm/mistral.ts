/**
 * Mistral chat completions through the official `@mistralai/mistralai` SDK. Structured output uses
 * `responseFormat: { type: 'json_schema' }`; tools use `tools`/`toolCalls`. The SDK's own retries are
 * off: the reliability wrapper retries.
 */
import { Mistral } from '@mistralai/mistralai';
import type { ChatCompletionRequest, ChatCompletionResponse, ContentChunk, ToolCall as MistralToolCall } from '@mistralai/mistralai/models/components';
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta, ToolCall } from '../contracts/llm.js';
import { ProviderFailure, toProviderFailure, truncatedStream } from './failure.js';
import { systemWithEvidence } from './prompt.js';
import { toJsonSchema } from './schema.js';
import { createVendorProvider, DEFAULT_MAX_TOKENS, type VendorOptions } from './vendor.js';

function toMessages(request: GenerateRequest): ChatCompletionRequest['messages'] {
  const names = new Map<string, string>();
  const out: ChatCompletionRequest['messages'] = [];
  const system = systemWithEvidence(request);
  if (system) out.push({ role: 'system', content: system });
  for (const m of request.messages) {
    if (m.role === 'tool') out.push({ role: 'tool', toolCallId: m.toolCallId, name: names.get(m.toolCallId ?? ''), content: m.content });
    else if (m.role === 'assistant') {
      for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
      out.push({
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls?.length
          ? {
              toolCalls: m.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) },
              })),
            }
          : {}),
      });
    } else out.push({ role: 'user', content: m.content });
  }
  return out;
}

function textOf(content: string | ContentChunk[] | null | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
}

function toToolCall(id: string, c: MistralToolCall, index: number): ToolCall {
  let args: unknown = c.function.arguments;
  if (typeof args === 'string') {
    try {
      args = args.trim() ? JSON.parse(args) : {};
    } catch (cause) {
      throw new ProviderFailure('llm_error', `${id} sent arguments for tool ${c.function.name} that are not JSON.`, { retryable: true, cause });
    }
  }
  return { id: c.id ?? `call_${index}`, name: c.function.name, arguments: args };
}

function finish(reason: string | null | undefined): GenerateResult['finishReason'] {
  if (reason === 'length' || reason === 'model_length') return 'length';
  if (reason === 'tool_calls') return 'tool_calls';
  if (reason === 'error') return 'error';
  return 'stop';
}

export function createMistralProvider(options: VendorOptions): LlmProvider {
  const id = `mistral:${options.model}`;
  const client = new Mistral({ apiKey: options.apiKey, serverURL: options.baseUrl, retryConfig: { strategy: 'none' } });

  function params(request: GenerateRequest): ChatCompletionRequest {
    return {
      model: options.model,
      messages: toMessages(request),
      maxTokens: request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.tools?.length
        ? { tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
      ...(request.schema
        ? {
            responseFormat: {
              type: 'json_schema' as const,
              jsonSchema: { name: request.schema.name, description: request.schema.description, schemaDefinition: toJsonSchema(request.schema), strict: false },
            },
          }
        : {}),
    };
  }

  async function call(request: GenerateRequest) {
    let response: ChatCompletionResponse;
    try {
      response = await client.chat.complete(params(request), { signal: request.signal, retries: { strategy: 'none' } });
    } catch (error) {
      throw toProviderFailure(id, error);
    }
    const choice = response.choices?.[0];
    if (!choice) throw new ProviderFailure('llm_error', `${id} returned no choices.`, { retryable: true });
    const toolCalls = (choice.message?.toolCalls ?? []).map((c, i) => toToolCall(id, c, i));
    const text = textOf(choice.message?.content);
    return {
      text: text || undefined,
      toolCalls: toolCalls.length ? toolCalls : undefined,
      usage: { inputTokens: response.usage?.promptTokens ?? 0, outputTokens: response.usage?.completionTokens ?? 0 },
      model: id,
      finishReason: finish(choice.finishReason),
    };
  }

  async function* stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
    const usage = { inputTokens: 0, outputTokens: 0 };
    const calls: ToolCall[] = [];
    let reason: string | null | undefined;
    try {
      const events = await client.chat.stream(params(request), { signal: request.signal, retries: { strategy: 'none' } });
      for await (const event of events) {
        const chunk = event.data;
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.promptTokens ?? usage.inputTokens;
          usage.outputTokens = chunk.usage.completionTokens ?? usage.outputTokens;
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const text = textOf(choice.delta.content);
        if (text) yield { type: 'text', text };
        for (const c of choice.delta.toolCalls ?? []) calls.push(toToolCall(id, c, calls.length));
        if (choice.finishReason) reason = choice.finishReason;
      }
    } catch (error) {
      throw toProviderFailure(id, error);
    }
    if (!reason) throw truncatedStream(id);
    for (const call of calls) yield { type: 'tool_call', call };
    yield { type: 'done', usage, model: id, finishReason: finish(reason) };
  }

  return createVendorProvider(id, call, stream);
}
