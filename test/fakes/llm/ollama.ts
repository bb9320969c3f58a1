/**
 * Fake Ollama on 127.0.0.1: native `POST /api/chat` (JSON, NDJSON streaming, `tool_calls`, `format`
 * schema), `POST /api/embed`, `GET /api/tags`, and the OpenAI-compatible `/v1/chat/completions`
 * Ollama also serves. Point the SDK's `host` at `server.url`. Refusal is an empty answer.
 */
import type { ServerResponse } from 'node:http';
import { replyChat } from './openai.js';
import {
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
  fakeEmbedding,
  pieces,
  type RecordedRequest,
  replyText,
  sendCutJson,
  sendJson,
  startFakeServer,
} from './server.js';

function reply(request: RecordedRequest, res: ServerResponse, r: FakeReply): void {
  const model = String(request.body.model ?? 'llama-fake');
  if ('fail' in r) {
    if (r.fail === 'rate_limit') return sendJson(res, 429, { error: 'too many requests' }, { 'retry-after': String(r.retryAfter ?? 1) });
    if (r.fail === 'server_error') return sendJson(res, 500, { error: 'llama runner process has terminated' });
    if (r.fail === 'hang') return;
    if (r.fail === 'malformed') {
      res.writeHead(200, { 'content-type': request.body.stream === false ? 'application/json' : 'application/x-ndjson' });
      return void res.end('{"model": "x", "message": {"content": "half\n');
    }
  }
  const truncated = 'fail' in r && r.fail === 'truncated';
  const text = replyText(r);
  const calls = 'toolCalls' in r ? r.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) : [];
  const u = 'usage' in r && r.usage ? r.usage : { input: 12, output: 7 };
  const created_at = new Date().toISOString();
  const final = {
    model,
    created_at,
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 1000,
    load_duration: 10,
    prompt_eval_count: u.input,
    prompt_eval_duration: 10,
    eval_count: u.output,
    eval_duration: 10,
  };
  if (request.body.stream === false) {
    const body = { ...final, message: { role: 'assistant', content: text, ...(calls.length ? { tool_calls: calls } : {}) } };
    return truncated ? sendCutJson(res, body) : sendJson(res, 200, body);
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const p of pieces(text)) if (p) res.write(`${JSON.stringify({ model, created_at, message: { role: 'assistant', content: p }, done: false })}\n`);
  if (calls.length) res.write(`${JSON.stringify({ model, created_at, message: { role: 'assistant', content: '', tool_calls: calls }, done: false })}\n`);
  if (!truncated) res.write(`${JSON.stringify(final)}\n`);
  res.end();
}

export async function startFakeOllama(options: FakeServerOptions = {}): Promise<FakeServer> {
  const dimension = options.dimension ?? 64;
  return startFakeServer(
    [
      (request, res, next) => {
        if (request.method !== 'POST' || request.path !== '/api/chat') return false;
        reply(request, res, next());
        return true;
      },
      (request, res) => {
        if (request.method !== 'POST' || request.path !== '/api/embed') return false;
        const input = request.body.input;
        const texts = Array.isArray(input) ? input.map(String) : [String(input ?? '')];
        sendJson(res, 200, { model: String(request.body.model ?? 'embed-fake'), embeddings: texts.map((t) => fakeEmbedding(t, dimension)) });
        return true;
      },
      (request, res) => {
        if (request.method !== 'GET' || request.path !== '/api/tags') return false;
        sendJson(res, 200, {
          models: [{ name: 'llama-fake', model: 'llama-fake', modified_at: new Date(0).toISOString(), size: 1, digest: 'x', details: {} }],
        });
        return true;
      },
      (request, res, next) => {
        if (request.method !== 'POST' || !request.path.startsWith('/v1/chat/completions')) return false;
        replyChat(request, res, next(), 'openai');
        return true;
      },
    ],
    options,
  );
}
