/**
 * Fake Gemini API on 127.0.0.1: `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse` (text, JSON with `responseJsonSchema`, `functionCall`), plus
 * `:embedContent` / `:batchEmbedContents`. Point `httpOptions.baseUrl` at `server.url`.
 * Refusal is `finishReason: SAFETY`.
 *
 * Thinking, as Gemini 2.5 does it (ai.google.dev/gemini-api/docs/thinking): 2.5 Flash and Pro think
 * by default, and the thought tokens count against `generationConfig.maxOutputTokens`. Without a
 * `thinkingConfig` the fake thinks DEFAULT_THOUGHTS tokens; with one it thinks exactly
 * `thinkingBudget` (0 turns thinking off on Flash; Pro rejects budgets under 128 with 400
 * INVALID_ARGUMENT). When thoughts plus the answer do not fit, the answer is cut (`MAX_TOKENS`) and
 * is empty when the thoughts alone used the whole allowance — what a real 2.5 model returns.
 */
import type { ServerResponse } from 'node:http';
import {
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
  fakeEmbedding,
  pieces,
  type RecordedRequest,
  sendCutJson,
  replyText,
  sendJson,
  sendMalformed,
  startFakeServer,
  startSse,
} from './server.js';

/** Tokens a thinking model spends when the request leaves thinking at its default (dynamic) setting. */
export const DEFAULT_THOUGHTS = 900;

const thinks = (model: string) => /gemini-2\.5-(flash|pro)(?!-lite)/.test(model);
const approxTokens = (text: string) => Math.ceil(text.length / 4);

interface Thinking {
  thoughts: number;
  error?: string;
}

/** How many tokens the model thinks for this request, or why the request is invalid. */
function thinkingOf(body: Record<string, unknown>, model: string): Thinking {
  const config = (body.generationConfig ?? {}) as { thinkingConfig?: { thinkingBudget?: number } };
  const budget = config.thinkingConfig?.thinkingBudget;
  if (!thinks(model)) return { thoughts: 0 };
  if (budget === undefined || budget === -1) return { thoughts: DEFAULT_THOUGHTS };
  const pro = model.includes('-pro');
  if (pro && budget < 128) return { thoughts: 0, error: `Budget ${budget} is invalid. This model only works in thinking mode.` };
  if (budget > 32768)
    return { thoughts: 0, error: `The thinking budget ${budget} is invalid. Please choose a value between ${pro ? 128 : 0} and ${pro ? 32768 : 24576}.` };
  return { thoughts: budget };
}

function reply(request: RecordedRequest, res: ServerResponse, r: FakeReply, stream: boolean, model: string): void {
  const error = (code: number, status: string, message: string, headers: Record<string, string> = {}, details?: unknown[]) =>
    sendJson(res, code, { error: { code, message, status, ...(details ? { details } : {}) } }, headers);
  if ('fail' in r) {
    if (r.fail === 'rate_limit')
      return error(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', {}, [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${r.retryAfter ?? 1}s` },
      ]);
    if (r.fail === 'server_error') return error(500, 'INTERNAL', 'An internal error has occurred.');
    if (r.fail === 'hang') return;
    if (r.fail === 'malformed') return sendMalformed(res);
  }
  const thinking = thinkingOf(request.body, model);
  if (thinking.error) return error(400, 'INVALID_ARGUMENT', thinking.error);
  const refusal = 'fail' in r && r.fail === 'refusal';
  const truncated = 'fail' in r && r.fail === 'truncated';
  const maxOutput = Number((request.body.generationConfig as { maxOutputTokens?: number } | undefined)?.maxOutputTokens ?? 65_536);
  const room = Math.max(0, maxOutput - thinking.thoughts);
  const full = replyText(r);
  const cut = room === 0 || approxTokens(full) > room;
  const text = cut ? full.slice(0, room * 4) : full;
  const calls = 'toolCalls' in r ? r.toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.arguments } })) : [];
  const u = 'usage' in r && r.usage ? r.usage : { input: 12, output: 7 };
  const usageMetadata = {
    promptTokenCount: u.input,
    candidatesTokenCount: cut ? approxTokens(text) : u.output,
    ...(thinking.thoughts ? { thoughtsTokenCount: Math.min(thinking.thoughts, maxOutput) } : {}),
    totalTokenCount: u.input + u.output + thinking.thoughts,
  };
  const candidate = (parts: unknown[], finishReason?: string) => ({
    ...(parts.length ? { content: { role: 'model', parts } } : {}),
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  });
  const finish = refusal ? 'SAFETY' : cut ? 'MAX_TOKENS' : 'STOP';
  if (!stream) {
    const parts = [...(text ? [{ text }] : []), ...(cut ? [] : calls)];
    const body = { candidates: [candidate(parts, finish)], usageMetadata, modelVersion: model };
    return truncated ? sendCutJson(res, body) : sendJson(res, 200, body);
  }
  const send = startSse(res);
  for (const p of pieces(text)) if (p) send({ candidates: [candidate([{ text: p }])], modelVersion: model });
  if (truncated) return void res.end();
  send({ candidates: [candidate(calls, finish)], usageMetadata, modelVersion: model });
  res.end();
}

export async function startFakeGemini(options: FakeServerOptions = {}): Promise<FakeServer> {
  const dimension = options.dimension ?? 64;
  return startFakeServer(
    [
      (request, res, next) => {
        const m = /^\/v1(?:beta|alpha)?\/models\/([^:/?]+):(generateContent|streamGenerateContent)/.exec(request.path);
        if (request.method !== 'POST' || !m) return false;
        reply(request, res, next(), m[2] === 'streamGenerateContent', m[1] ?? 'gemini-fake');
        return true;
      },
      (request, res) => {
        const m = /^\/v1(?:beta|alpha)?\/models\/([^:/?]+):(embedContent|batchEmbedContents)/.exec(request.path);
        if (request.method !== 'POST' || !m) return false;
        const textOf = (c: unknown) => ((c as { parts?: Array<{ text?: string }> })?.parts ?? []).map((p) => p.text ?? '').join(' ');
        const items =
          m[2] === 'batchEmbedContents' ? ((request.body.requests as Array<{ content: unknown }>) ?? []).map((x) => x.content) : [request.body.content];
        const embeddings = items.map((c) => ({ values: fakeEmbedding(textOf(c), dimension) }));
        sendJson(res, 200, m[2] === 'batchEmbedContents' ? { embeddings } : { embedding: embeddings[0] });
        return true;
      },
    ],
    options,
  );
}
