/**
 * Google Gemini through the official `@google/genai` SDK (Gemini API, API key). Structured output
 * uses `responseMimeType: application/json` with `responseJsonSchema`; tools use
 * `functionDeclarations` with `parametersJsonSchema`.
 *
 * Gemini 2.5 Flash and Pro think by default and the thought tokens count against
 * `maxOutputTokens` (ai.google.dev/gemini-api/docs/thinking), so a 200-token budget comes back
 * empty with `MAX_TOKENS`. `thinkingFor` sends an explicit `thinkingConfig`: the smallest budget
 * the model accepts for structured and tool calls (0 on Flash, 128 on Pro, which cannot stop
 * thinking), and for free text a budget as large as the answer's own (at most 1024); the request's
 * `maxTokens` stays the answer's allowance and the thinking budget is added on top.
 */
import { type Content, type GenerateContentConfig, type GenerateContentResponse, GoogleGenAI, type Part } from '@google/genai';
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta, ToolCall } from '../contracts/llm.js';
import { ProviderFailure, toProviderFailure, truncatedStream } from './failure.js';
import { systemWithEvidence } from './prompt.js';
import { toJsonSchema } from './schema.js';
import { createVendorProvider, DEFAULT_MAX_TOKENS, type VendorOptions } from './vendor.js';

const BLOCKED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

function toContents(request: GenerateRequest): Content[] {
  const names = new Map<string, string>();
  const out: Content[] = [];
  for (const m of request.messages) {
    let content: Content;
    if (m.role === 'tool') {
      let response: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(m.content);
        response = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { result: parsed };
      } catch {
        response = { result: m.content };
      }
      const name = names.get(m.toolCallId ?? '') ?? 'tool';
      content = { role: 'user', parts: [{ functionResponse: { id: m.toolCallId, name, response } }] };
    } else if (m.role === 'assistant') {
      const parts: Part[] = m.content ? [{ text: m.content }] : [];
      for (const c of m.toolCalls ?? []) {
        names.set(c.id, c.name);
        parts.push({ functionCall: { id: c.id, name: c.name, args: (c.arguments ?? {}) as Record<string, unknown> } });
      }
      content = { role: 'model', parts };
    } else content = { role: 'user', parts: [{ text: m.content }] };
    const prev = out.at(-1);
    if (prev && prev.role === content.role && m.role === 'tool') prev.parts?.push(...(content.parts ?? []));
    else out.push(content);
  }
  return out;
}

function finish(response: GenerateContentResponse, hasCalls: boolean): GenerateResult['finishReason'] | undefined {
  if (response.promptFeedback?.blockReason) return 'content_filter';
  const reason = response.candidates?.[0]?.finishReason;
  if (!reason) return undefined;
  if (BLOCKED.has(reason)) return 'content_filter';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason === 'MALFORMED_FUNCTION_CALL') return 'error';
  return hasCalls ? 'tool_calls' : 'stop';
}

function calls(response: GenerateContentResponse, counter: { n: number }): ToolCall[] {
  return (response.functionCalls ?? []).map((c) => ({ id: c.id ?? `call_${++counter.n}`, name: c.name ?? '', arguments: c.args ?? {} }));
}

/** Google reports retry-after as RetryInfo.retryDelay ("1.5s") in the error body, which ApiError carries as its message. */
function failure(id: string, error: unknown): ProviderFailure {
  const mapped = toProviderFailure(id, error);
  if (mapped.status !== 429 || !(error instanceof Error)) return mapped;
  let delay: number | undefined;
  try {
    const body = JSON.parse(error.message) as { error?: { details?: Array<{ '@type'?: string; retryDelay?: string }> } };
    const info = body.error?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'));
    const seconds = info?.retryDelay ? Number.parseFloat(info.retryDelay) : Number.NaN;
    if (Number.isFinite(seconds)) delay = seconds * 1000;
  } catch {
    // Not a JSON error body: no retry hint.
  }
  return delay === undefined
    ? mapped
    : new ProviderFailure('rate_limited', mapped.message, { status: 429, retryAfterMs: delay, retryable: true, cause: error });
}

function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.flatMap((p) => (typeof p.text === 'string' && !p.thought ? [p.text] : [])).join('');
}

const MAX_TEXT_THINKING = 1024;

/** The thinking budget for one request, and the output allowance that leaves `answerTokens` for the answer. */
export function thinkingFor(
  model: string,
  request: Pick<GenerateRequest, 'schema' | 'tools'>,
  answerTokens: number,
): { budget?: number; maxOutputTokens: number } {
  const m = /gemini-2\.5-(flash|pro)/.exec(model);
  if (!m) return { maxOutputTokens: answerTokens };
  const minimum = m[1] === 'pro' ? 128 : 0;
  const structured = Boolean(request.schema) || Boolean(request.tools?.length);
  const budget = structured ? minimum : Math.max(minimum, Math.min(answerTokens, MAX_TEXT_THINKING));
  return { budget, maxOutputTokens: answerTokens + budget };
}

export function createGeminiProvider(options: VendorOptions): LlmProvider {
  const id = `gemini:${options.model}`;
  const client = new GoogleGenAI({ apiKey: options.apiKey, httpOptions: options.baseUrl ? { baseUrl: options.baseUrl } : undefined });

  function config(request: GenerateRequest): GenerateContentConfig {
    const system = systemWithEvidence(request);
    const thinking = thinkingFor(options.model, request, request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS);
    return {
      abortSignal: request.signal,
      maxOutputTokens: thinking.maxOutputTokens,
      ...(thinking.budget !== undefined ? { thinkingConfig: { thinkingBudget: thinking.budget } } : {}),
      ...(system ? { systemInstruction: system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.tools?.length
        ? { tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }] }
        : {}),
      ...(request.schema ? { responseMimeType: 'application/json', responseJsonSchema: toJsonSchema(request.schema) } : {}),
    };
  }

  async function call(request: GenerateRequest) {
    let response: GenerateContentResponse;
    try {
      response = await client.models.generateContent({ model: options.model, contents: toContents(request), config: config(request) });
    } catch (error) {
      throw failure(id, error);
    }
    const toolCalls = calls(response, { n: 0 });
    const finishReason = finish(response, toolCalls.length > 0);
    if (!finishReason) throw new ProviderFailure('llm_error', `${id} returned no candidate.`, { retryable: true });
    const text = textOf(response);
    return {
      text: text || undefined,
      toolCalls: toolCalls.length ? toolCalls : undefined,
      usage: { inputTokens: response.usageMetadata?.promptTokenCount ?? 0, outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0 },
      model: id,
      finishReason,
    };
  }

  async function* stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
    const usage = { inputTokens: 0, outputTokens: 0 };
    const counter = { n: 0 };
    let finishReason: GenerateResult['finishReason'] | undefined;
    let sawCalls = false;
    try {
      const chunks = await client.models.generateContentStream({ model: options.model, contents: toContents(request), config: config(request) });
      for await (const chunk of chunks) {
        const text = textOf(chunk);
        if (text) yield { type: 'text', text };
        for (const call of calls(chunk, counter)) {
          sawCalls = true;
          yield { type: 'tool_call', call };
        }
        if (chunk.usageMetadata) {
          usage.inputTokens = chunk.usageMetadata.promptTokenCount ?? usage.inputTokens;
          usage.outputTokens = chunk.usageMetadata.candidatesTokenCount ?? usage.outputTokens;
        }
        finishReason = finish(chunk, sawCalls) ?? finishReason;
      }
    } catch (error) {
      throw failure(id, error);
    }
    if (!finishReason) throw truncatedStream(id);
    yield { type: 'done', usage, model: id, finishReason };
  }

  return createVendorProvider(id, call, stream);
}
