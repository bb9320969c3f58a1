/**
 * Anthropic Messages API through the official `@anthropic-ai/sdk`. Structured output is a forced
 * tool call whose `input_schema` is the JSON Schema of the zod schema (Anthropic's native way to
 * get schema-shaped JSON); the tool's `input` is the object.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta, ToolCall } from '../contracts/llm.js';
import { ProviderFailure, toProviderFailure, truncatedStream } from './failure.js';
import { systemWithEvidence } from './prompt.js';
import { toJsonSchema } from './schema.js';
import { createVendorProvider, DEFAULT_MAX_TOKENS, type VendorOptions } from './vendor.js';

type Params = Anthropic.MessageCreateParamsNonStreaming;

function toMessages(request: GenerateRequest): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [];
  for (const m of request.messages) {
    if (m.role === 'tool') {
      const block: Anthropic.ToolResultBlockParam = { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content };
      const prev = out.at(-1);
      // Consecutive tool results belong in one user turn.
      if (prev?.role === 'user' && Array.isArray(prev.content) && prev.content.every((b) => b.type === 'tool_result')) prev.content.push(block);
      else out.push({ role: 'user', content: [block] });
    } else if (m.role === 'assistant' && m.toolCalls?.length) {
      const blocks: Anthropic.ContentBlockParam[] = m.content ? [{ type: 'text', text: m.content }] : [];
      for (const c of m.toolCalls) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments ?? {} });
      out.push({ role: 'assistant', content: blocks });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

function finish(reason: string | null | undefined): GenerateResult['finishReason'] {
  if (reason === 'refusal') return 'content_filter';
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  if (reason === 'tool_use') return 'tool_calls';
  return 'stop';
}

export function createAnthropicProvider(options: VendorOptions): LlmProvider {
  const id = `anthropic:${options.model}`;
  const client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout: 600_000 });

  function params(request: GenerateRequest): Params {
    const system = systemWithEvidence(request);
    const tools: Anthropic.Tool[] = (request.tools ?? []).map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.parameters as Anthropic.Tool.InputSchema,
    }));
    const schema = request.schema;
    if (schema) {
      tools.push({
        name: schema.name,
        description: schema.description ?? `Return the answer as ${schema.name}.`,
        input_schema: toJsonSchema(schema) as Anthropic.Tool.InputSchema,
      });
    }
    return {
      model: options.model,
      max_tokens: request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS,
      messages: toMessages(request),
      ...(system ? { system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(tools.length ? { tools } : {}),
      ...(schema ? { tool_choice: { type: 'tool' as const, name: schema.name } } : {}),
    };
  }

  async function call(request: GenerateRequest) {
    let message: Anthropic.Message;
    try {
      message = await client.messages.create(params(request), { signal: request.signal });
    } catch (error) {
      throw toProviderFailure(id, error);
    }
    if (!Array.isArray(message.content)) throw new ProviderFailure('llm_error', `${id} returned a message without content.`, { retryable: true });
    const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    const uses = message.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
    const structured = request.schema ? uses.find((u) => u.name === request.schema?.name) : undefined;
    const toolCalls: ToolCall[] = uses.filter((u) => u !== structured).map((u) => ({ id: u.id, name: u.name, arguments: u.input }));
    return {
      text: text || undefined,
      object: structured?.input,
      toolCalls: toolCalls.length ? toolCalls : undefined,
      usage: { inputTokens: message.usage?.input_tokens ?? 0, outputTokens: message.usage?.output_tokens ?? 0 },
      model: id,
      finishReason: structured ? 'stop' : finish(message.stop_reason),
    };
  }

  async function* stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
    const usage = { inputTokens: 0, outputTokens: 0 };
    const blocks = new Map<number, { id: string; name: string; json: string }>();
    let reason: string | null | undefined;
    let stopped = false;
    try {
      const events = await client.messages.create({ ...params(request), stream: true }, { signal: request.signal });
      for await (const event of events) {
        if (event.type === 'message_start') usage.inputTokens = event.message.usage?.input_tokens ?? 0;
        else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          blocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
        } else if (event.type === 'content_block_delta') {
          if (event.delta.type === 'text_delta') yield { type: 'text', text: event.delta.text };
          else if (event.delta.type === 'input_json_delta') {
            const block = blocks.get(event.index);
            if (block) block.json += event.delta.partial_json;
          }
        } else if (event.type === 'message_delta') {
          reason = event.delta.stop_reason;
          usage.outputTokens = event.usage?.output_tokens ?? usage.outputTokens;
        } else if (event.type === 'message_stop') stopped = true;
      }
    } catch (error) {
      throw toProviderFailure(id, error);
    }
    if (!stopped) throw truncatedStream(id);
    for (const b of blocks.values()) {
      let input: unknown;
      try {
        input = b.json ? JSON.parse(b.json) : {};
      } catch (cause) {
        throw new ProviderFailure('llm_error', `${id} sent input for tool ${b.name} that is not JSON.`, { retryable: true, cause });
      }
      if (request.schema && b.name === request.schema.name) yield { type: 'text', text: JSON.stringify(input) };
      else yield { type: 'tool_call', call: { id: b.id, name: b.name, arguments: input } };
    }
    yield { type: 'done', usage, model: id, finishReason: finish(reason) };
  }

  return createVendorProvider(id, call, stream);
}
