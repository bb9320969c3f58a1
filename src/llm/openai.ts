/**
 * OpenAI chat completions through the official `openai` SDK. Also serves every OpenAI-compatible
 * server (vLLM, llama.cpp server, Ollama's /v1, Azure OpenAI) through `baseUrl`:
 * `openai-compatible:http://host:8000/v1#model`. Structured output uses
 * `response_format: { type: 'json_schema' }`; tools use `tools`/`tool_calls`.
 *
 * Reasoning models (o1/o3/o4-mini, gpt-5 except gpt-5-chat) reject `temperature` other than 1 and
 * count reasoning tokens in `max_completion_tokens` (platform.openai.com/docs/guides/reasoning):
 * `familyParams` leaves temperature out, asks for the least reasoning the family offers
 * (`minimal` on gpt-5 for structured and tool calls, `low` otherwise) and adds room for it on top
 * of the answer's own budget.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions/completions';
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta, ToolCall } from '../contracts/llm.js';
import { ProviderFailure, toProviderFailure, truncatedStream } from './failure.js';
import { systemWithEvidence } from './prompt.js';
import { toJsonSchema } from './schema.js';
import { createVendorProvider, DEFAULT_MAX_TOKENS, type VendorOptions } from './vendor.js';

export interface OpenAiOptions extends VendorOptions {
  /** `openai` (max_completion_tokens) or `openai-compatible` (max_tokens, understood by every server). */
  flavour?: 'openai' | 'openai-compatible';
}

/** Room for reasoning tokens added on top of the answer's budget, per reasoning effort. */
const REASONING_ROOM = { minimal: 1024, low: 4096 } as const;

export const isReasoningModel = (model: string): boolean => /^(o\d|gpt-5)/.test(model) && !model.includes('chat');

/** The temperature, token and reasoning parameters the model's family accepts. */
export function familyParams(model: string, flavour: 'openai' | 'openai-compatible', request: GenerateRequest, answerTokens: number): Record<string, unknown> {
  if (flavour === 'openai-compatible') return { max_tokens: answerTokens, ...(request.temperature !== undefined ? { temperature: request.temperature } : {}) };
  if (!isReasoningModel(model))
    return { max_completion_tokens: answerTokens, ...(request.temperature !== undefined ? { temperature: request.temperature } : {}) };
  const structured = Boolean(request.schema) || Boolean(request.tools?.length);
  const effort = structured && model.startsWith('gpt-5') ? 'minimal' : 'low';
  return { reasoning_effort: effort, max_completion_tokens: answerTokens + REASONING_ROOM[effort] };
}

function toMessages(request: GenerateRequest): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  const system = systemWithEvidence(request);
  if (system) out.push({ role: 'system', content: system });
  for (const m of request.messages) {
    if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content });
    else if (m.role === 'assistant' && m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) } })),
      });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

function parseArguments(id: string, name: string, raw: string): unknown {
  try {
    return raw.trim() ? JSON.parse(raw) : {};
  } catch (cause) {
    throw new ProviderFailure('llm_error', `${id} sent arguments for tool ${name} that are not JSON.`, { retryable: true, cause });
  }
}

function toToolCalls(id: string, calls: ChatCompletionMessageToolCall[] | undefined): ToolCall[] | undefined {
  const out: ToolCall[] = [];
  for (const c of calls ?? []) {
    if (c.type === 'function') out.push({ id: c.id, name: c.function.name, arguments: parseArguments(id, c.function.name, c.function.arguments) });
  }
  return out.length ? out : undefined;
}

function finish(reason: string | null | undefined, refused: boolean): GenerateResult['finishReason'] {
  if (refused || reason === 'content_filter') return 'content_filter';
  if (reason === 'length') return 'length';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool_calls';
  return 'stop';
}

export function createOpenAiProvider(options: OpenAiOptions): LlmProvider {
  const flavour = options.flavour ?? 'openai';
  const id = flavour === 'openai' ? `openai:${options.model}` : `openai-compatible:${options.baseUrl}#${options.model}`;
  const client = new OpenAI({ apiKey: options.apiKey ?? 'not-needed', baseURL: options.baseUrl, maxRetries: 0, timeout: 600_000 });

  function params(request: GenerateRequest): ChatCompletionCreateParamsBase {
    const maxTokens = request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS;
    return {
      model: options.model,
      messages: toMessages(request),
      ...familyParams(options.model, flavour, request, maxTokens),
      ...(request.tools?.length
        ? { tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
      ...(request.schema
        ? {
            response_format: {
              type: 'json_schema' as const,
              json_schema: { name: request.schema.name, description: request.schema.description, schema: toJsonSchema(request.schema), strict: false },
            },
          }
        : {}),
    };
  }

  async function call(request: GenerateRequest) {
    let completion: OpenAI.ChatCompletion;
    try {
      completion = await client.chat.completions.create({ ...params(request), stream: false }, { signal: request.signal });
    } catch (error) {
      throw toProviderFailure(id, error);
    }
    const choice = completion.choices?.[0];
    if (!choice) throw new ProviderFailure('llm_error', `${id} returned no choices.`, { retryable: true });
    const refused = Boolean(choice.message.refusal);
    return {
      text: refused ? (choice.message.refusal ?? undefined) : (choice.message.content ?? undefined),
      toolCalls: toToolCalls(id, choice.message.tool_calls),
      usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
      model: id,
      finishReason: finish(choice.finish_reason, refused),
    };
  }

  async function* stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
    const usage = { inputTokens: 0, outputTokens: 0 };
    const pending = new Map<number, { id: string; name: string; args: string }>();
    let reason: string | null | undefined;
    let refused = false;
    try {
      const chunks = await client.chat.completions.create(
        { ...params(request), stream: true, stream_options: { include_usage: true } },
        { signal: request.signal },
      );
      for await (const chunk of chunks) {
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens;
          usage.outputTokens = chunk.usage.completion_tokens;
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.delta?.content) yield { type: 'text', text: choice.delta.content };
        if (choice.delta?.refusal) refused = true;
        for (const t of choice.delta?.tool_calls ?? []) {
          const entry = pending.get(t.index) ?? { id: t.id ?? `call_${t.index}`, name: '', args: '' };
          if (t.function?.name) entry.name += t.function.name;
          if (t.function?.arguments) entry.args += t.function.arguments;
          pending.set(t.index, entry);
        }
        if (choice.finish_reason) reason = choice.finish_reason;
      }
    } catch (error) {
      throw toProviderFailure(id, error);
    }
    if (!reason) throw truncatedStream(id);
    for (const c of pending.values()) yield { type: 'tool_call', call: { id: c.id, name: c.name, arguments: parseArguments(id, c.name, c.args) } };
    yield { type: 'done', usage, model: id, finishReason: finish(reason, refused) };
  }

  return createVendorProvider(id, call, stream);
}
