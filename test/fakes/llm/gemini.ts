/**
 * Fake Gemini API on 127.0.0.1: `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse` (text, JSON with `responseJsonSchema`, `functionCall`), plus
 * `:embedContent` / `:batchEmbedContents`. Point `httpOptions.baseUrl` at `server.url`.
 * Refusal is `finishReason: SAFETY`.
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

function reply(_request: RecordedRequest, res: ServerResponse, r: FakeReply, stream: boolean, model: string): void {
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
  const refusal = 'fail' in r && r.fail === 'refusal';
  const truncated = 'fail' in r && r.fail === 'truncated';
  const text = replyText(r);
  const calls = 'toolCalls' in r ? r.toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.arguments } })) : [];
  const u = 'usage' in r && r.usage ? r.usage : { input: 12, output: 7 };
  const usageMetadata = { promptTokenCount: u.input, candidatesTokenCount: u.output, totalTokenCount: u.input + u.output };
  const candidate = (parts: unknown[], finishReason?: string) => ({
    ...(parts.length ? { content: { role: 'model', parts } } : {}),
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  });
  const finish = refusal ? 'SAFETY' : 'STOP';
  if (!stream) {
    const parts = [...(text ? [{ text }] : []), ...calls];
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
