/**
 * Fake OpenAI API on 127.0.0.1: `POST /v1/chat/completions` (JSON and SSE streaming, `tool_calls`,
 * `response_format: json_schema`) and `POST /v1/embeddings` (float and base64). Point the real SDK
 * at `${server.url}/v1`. Mistral's fake (mistral.ts) reuses the chat renderer with its dialect.
 *
 *   const server = await startFakeOpenAI({ script: [{ json: { verdict: 'retry' } }, { fail: 'rate_limit' }] });
 *   // ASKPANDA_LLM_ANALYSIS=openai:gpt-4.1-mini OPENAI_BASE_URL=${server.url}/v1 OPENAI_API_KEY=test
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

export type ChatDialect = 'openai' | 'mistral';

function usageOf(reply: FakeReply, _dialect: ChatDialect) {
  const u = 'usage' in reply && reply.usage ? reply.usage : { input: 12, output: 7 };
  return { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output };
}

function errorBody(status: number, message: string, type: string, dialect: ChatDialect) {
  return dialect === 'openai' ? { error: { message, type, param: null, code: null } } : { object: 'error', message, type, code: status };
}

/** Plays one scripted reply on an OpenAI-style chat completions request. */
export function replyChat(request: RecordedRequest, res: ServerResponse, reply: FakeReply, dialect: ChatDialect): void {
  const model = String(request.body.model ?? 'fake-model');
  const stream = request.body.stream === true;
  const base = { id: `chatcmpl-${Date.now()}`, created: Math.floor(Date.now() / 1000), model };
  if ('fail' in reply) {
    if (reply.fail === 'rate_limit') {
      sendJson(res, 429, errorBody(429, 'Rate limit reached, slow down.', 'rate_limit_error', dialect), { 'retry-after': String(reply.retryAfter ?? 1) });
      return;
    }
    if (reply.fail === 'server_error') return sendJson(res, 500, errorBody(500, 'The server had an error.', 'server_error', dialect));
    if (reply.fail === 'hang') return;
    if (reply.fail === 'malformed') return sendMalformed(res);
  }
  const refusal = 'fail' in reply && reply.fail === 'refusal';
  const truncated = 'fail' in reply && reply.fail === 'truncated';
  const text = replyText(reply);
  const calls = 'toolCalls' in reply ? reply.toolCalls.map((c, i) => ({ id: c.id ?? `call_${i + 1}`, name: c.name, args: JSON.stringify(c.arguments) })) : [];
  const finish = refusal ? (dialect === 'openai' ? 'content_filter' : 'error') : calls.length ? 'tool_calls' : 'stop';
  const refusalText = "I'm sorry, I can't help with that.";
  const usage = usageOf(reply, dialect);

  if (!stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: refusal ? (dialect === 'openai' ? null : '') : calls.length ? null : text,
      ...(dialect === 'openai' ? { refusal: refusal ? refusalText : null } : {}),
      ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) } : {}),
    };
    const body = { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage };
    if (truncated) return sendCutJson(res, body);
    return sendJson(res, 200, body);
  }
  const send = startSse(res);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] });
  chunk({ role: 'assistant', content: '' });
  if (refusal && dialect === 'openai') chunk({ refusal: refusalText });
  for (const piece of pieces(text)) if (piece) chunk({ content: piece });
  if (truncated) return void res.end();
  calls.forEach((c, index) => {
    if (dialect === 'openai') {
      chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] });
      const half = Math.floor(c.args.length / 2);
      chunk({ tool_calls: [{ index, function: { arguments: c.args.slice(0, half) } }] });
      chunk({ tool_calls: [{ index, function: { arguments: c.args.slice(half) } }] });
    } else chunk({ tool_calls: [{ id: c.id, type: 'function', index, function: { name: c.name, arguments: c.args } }] });
  });
  if (dialect === 'openai') {
    chunk({}, finish);
    const options = request.body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
  } else send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }], usage });
  send('[DONE]');
  res.end();
}

function embeddings(request: RecordedRequest, res: ServerResponse, dimension: number): void {
  const input = request.body.input;
  const texts = Array.isArray(input) ? input.map(String) : [String(input ?? '')];
  const base64 = request.body.encoding_format === 'base64';
  const data = texts.map((t, index) => {
    const vector = fakeEmbedding(t, Number(request.body.dimensions ?? dimension));
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  sendJson(res, 200, { object: 'list', data, model: String(request.body.model ?? 'fake-embed'), usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

export async function startFakeOpenAI(options: FakeServerOptions = {}): Promise<FakeServer> {
  const dimension = options.dimension ?? 64;
  return startFakeServer(
    [
      (request, res, next) => {
        if (request.method !== 'POST' || !request.path.startsWith('/v1/chat/completions')) return false;
        replyChat(request, res, next(), 'openai');
        return true;
      },
      (request, res) => {
        if (request.method !== 'POST' || !request.path.startsWith('/v1/embeddings')) return false;
        embeddings(request, res, dimension);
        return true;
      },
      (request, res) => {
        if (request.method !== 'GET' || !request.path.startsWith('/v1/models')) return false;
        sendJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
        return true;
      },
    ],
    options,
  );
}
