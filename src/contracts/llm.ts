import type { ZodType } from 'zod';

export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

export interface LlmMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: ToolCall[];
  /** For role `tool`: the id of the call this answers. */
  toolCallId?: string;
}

export interface LlmTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface StructuredSchema<T> {
  name: string;
  description?: string;
  schema: ZodType<T>;
}

export interface GenerateRequest<T = unknown> {
  system?: string;
  messages: LlmMessage[];
  tools?: LlmTool[];
  /** When set, the provider asks for JSON matching it (native mechanism) and validates `object`. */
  schema?: StructuredSchema<T>;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult<T = unknown> {
  text?: string;
  object?: T;
  toolCalls?: ToolCall[];
  usage: Usage;
  /** `provider:model` that produced the answer (e.g. `offline` after a fallback). */
  model: string;
  latencyMs: number;
  finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';
  /** Set when the answer came from the offline fallback: one line saying why. */
  notice?: string;
}

export type StreamDelta =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; usage: Usage; model: string; finishReason: GenerateResult['finishReason']; notice?: string };

export interface LlmProvider {
  /** `provider:model`, e.g. `openai:gpt-4.1-mini`, `offline`. */
  readonly id: string;
  generate<T = unknown>(request: GenerateRequest<T>): Promise<GenerateResult<T>>;
  stream(request: GenerateRequest): AsyncIterable<StreamDelta>;
}

export type LlmRole = 'router' | 'answer' | 'analysis' | 'embeddings';

export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
