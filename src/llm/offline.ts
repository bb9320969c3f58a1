/**
 * The offline provider (`offline`): a real, deterministic LlmProvider that needs no model.
 *
 * - Text: extractive. The question is the last user message (its last line when it also carries
 *   context). The answer is the up to three sentences/lines of the context — evidence parts, tool
 *   results, earlier turns, context lines of the last message — that share the most content words
 *   with the question, in their original order. When nothing matches it says so in one line.
 * - Tool calls: the tool whose name and description share the most words with the question, with
 *   its required arguments filled from numbers, labelled words, enum values or the question itself
 *   (see offline-fill.ts); no call when no tool matches or a required argument is missing.
 * - Structured output: an object built the same way from the JSON Schema of the zod schema and
 *   validated by it; when it cannot be built deterministically the result has
 *   `finishReason: 'error'` and a one-line `text` naming the fields it could not fill.
 *
 * Agents compute their richer offline answers themselves; this provider is the floor every LLM
 * failure falls back to.
 */
import type { GenerateRequest, GenerateResult, LlmProvider, LlmTool, StreamDelta, ToolCall } from '../contracts/llm.js';
import { createFillContext, fillObject } from './offline-fill.js';
import { estimateRequestTokens, lastUserText } from './prompt.js';
import { toJsonSchema, validate } from './schema.js';
import { estimateTokens, identifierTerms, overlap, sentences, terms } from './text.js';

const MAX_SENTENCES = 3;

function splitQuestion(last: string): { question: string; context: string } {
  const lines = last
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length <= 1) return { question: last.trim(), context: '' };
  const index = lines.findLastIndex((l) => l.endsWith('?'));
  const at = index >= 0 ? index : lines.length - 1;
  return { question: lines[at] ?? '', context: lines.filter((_, i) => i !== at).join('\n') };
}

function extractiveAnswer(request: GenerateRequest): string {
  const { question, context } = splitQuestion(lastUserText(request));
  const sources: string[] = [...(request.evidence ?? []).map((e) => e.text), context];
  let lastUserSeen = false;
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (!m) continue;
    if (m.role === 'user' && !lastUserSeen) {
      lastUserSeen = true;
      continue;
    }
    sources.push(m.content);
  }
  const queryTerms = terms(question);
  const seen = new Set<string>();
  const scored: Array<{ text: string; score: number; order: number }> = [];
  let order = 0;
  for (const source of sources) {
    for (const sentence of sentences(source)) {
      order++;
      if (seen.has(sentence)) continue;
      seen.add(sentence);
      const score = overlap(queryTerms, terms(sentence));
      if (score > 0) scored.push({ text: sentence, score, order });
    }
  }
  if (scored.length === 0) return 'Nothing in the information available offline matches this question.';
  const best = scored.sort((a, b) => b.score - a.score || a.order - b.order).slice(0, MAX_SENTENCES);
  return best
    .sort((a, b) => a.order - b.order)
    .map((s) => s.text)
    .join('\n');
}

function chooseToolCall(tools: readonly LlmTool[], request: GenerateRequest): ToolCall | undefined {
  const { question } = splitQuestion(lastUserText(request));
  const queryTerms = terms(question);
  let best: { tool: LlmTool; score: number; args: unknown } | undefined;
  for (const tool of tools) {
    const score = overlap(queryTerms, [...identifierTerms(tool.name), ...terms(tool.description)]);
    if (score === 0 || (best && score <= best.score)) continue;
    const filled = fillObject(tool.parameters, createFillContext(question));
    if (filled.ok) best = { tool, score, args: filled.value ?? {} };
  }
  if (!best) return undefined;
  return { id: `offline-call-1`, name: best.tool.name, arguments: best.args };
}

export function createOfflineProvider(): LlmProvider {
  async function generate<T>(request: GenerateRequest<T>): Promise<GenerateResult<T>> {
    const started = performance.now();
    const inputTokens = estimateRequestTokens(request as GenerateRequest);
    const done = (partial: Omit<GenerateResult<T>, 'usage' | 'model' | 'latencyMs'>, output: string): GenerateResult<T> => ({
      ...partial,
      usage: { inputTokens, outputTokens: estimateTokens(output) },
      model: 'offline',
      latencyMs: Math.round(performance.now() - started),
    });
    if (request.signal?.aborted) throw request.signal.reason ?? new Error('aborted');
    if (request.schema) {
      const text = lastUserText(request as GenerateRequest);
      const filled = fillObject(toJsonSchema(request.schema as GenerateRequest['schema'] & object), createFillContext(text));
      const checked = filled.ok ? validate(request.schema, filled.value) : undefined;
      if (checked?.ok) return done({ object: checked.value, finishReason: 'stop' }, JSON.stringify(checked.value));
      const why = filled.ok ? (checked && !checked.ok ? checked.problems : 'invalid') : `no value for ${filled.missing.join(', ')}`;
      const message = `The offline provider cannot build ${request.schema.name} from this request (${why}).`;
      return done({ text: message, finishReason: 'error' }, message);
    }
    const last = request.messages.at(-1);
    if (request.tools?.length && last?.role !== 'tool') {
      const call = chooseToolCall(request.tools, request as GenerateRequest);
      if (call) return done({ toolCalls: [call], finishReason: 'tool_calls' }, JSON.stringify(call.arguments));
    }
    const text = extractiveAnswer(request as GenerateRequest);
    return done({ text, finishReason: 'stop' }, text);
  }

  return {
    id: 'offline',
    generate,
    async *stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
      const result = await generate(request);
      if (result.text) for (const piece of result.text.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text', text: piece };
      if (result.object !== undefined) yield { type: 'text', text: JSON.stringify(result.object) };
      for (const call of result.toolCalls ?? []) yield { type: 'tool_call', call };
      yield { type: 'done', usage: result.usage, model: result.model, finishReason: result.finishReason };
    },
  };
}
