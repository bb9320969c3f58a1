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

/**
 * A piece of evidence (log excerpt, document passage, job record) handed to the model. Providers
 * render evidence into the prompt as clearly delimited untrusted data; the token budget trims
 * evidence (lowest priority first, then the tail of the text) and never the system instructions.
 */
export interface EvidencePart {
  /** Short label shown to the model, e.g. `pilot log lines 120-160` or a document title. */
  title?: string;
  text: string;
  /** Higher survives trimming longer; default 0. */
  priority?: number;
}

export interface GenerateRequest<T = unknown> {
  system?: string;
  messages: LlmMessage[];
  /** Evidence for the answer; kept separate from `system` so budgets trim it and never instructions. */
  evidence?: EvidencePart[];
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
