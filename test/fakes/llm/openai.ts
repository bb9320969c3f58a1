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

export const isReasoningModel = (model: string) => /^(o\d|gpt-5)/.test(model) && !/chat/.test(model);
/** Reasoning tokens the fake spends per `reasoning_effort` (medium is the API default). */
export const REASONING_TOKENS: Record<string, number> = { minimal: 64, low: 768, medium: 2048, high: 6000 };

/** Why OpenAI would reject this request for a reasoning model, or the reasoning tokens it spends. */
function reasoningRules(body: Record<string, unknown>, model: string): { error?: { message: string; param: string; code: string }; reasoning: number } {
  if (!isReasoningModel(model)) return { reasoning: 0 };
  if (body.temperature !== undefined && body.temperature !== 1) {
    return {
      reasoning: 0,
      error: {
        message: `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
        param: 'temperature',
        code: 'unsupported_value',
      },
    };
  }
  if (body.max_tokens !== undefined) {
    return {
      reasoning: 0,
      error: {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        param: 'max_tokens',
        code: 'unsupported_parameter',
      },
    };
  }
  const effort = String(body.reasoning_effort ?? 'medium');
  if (!(effort in REASONING_TOKENS) || (effort === 'minimal' && !model.startsWith('gpt-5'))) {
    return {
      reasoning: 0,
      error: {
        message: `Unsupported value: 'reasoning_effort' does not support '${effort}' with this model.`,
        param: 'reasoning_effort',
        code: 'unsupported_value',
      },
    };
  }
  return { reasoning: REASONING_TOKENS[effort] ?? 0 };
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
  const rules = dialect === 'openai' ? reasoningRules(request.body, model) : { reasoning: 0 };
  if (rules.error)
    return sendJson(res, 400, { error: { message: rules.error.message, type: 'invalid_request_error', param: rules.error.param, code: rules.error.code } });
  const refusal = 'fail' in reply && reply.fail === 'refusal';
  const truncated = 'fail' in reply && reply.fail === 'truncated';
  const limit = Number(request.body.max_completion_tokens ?? request.body.max_tokens ?? 1_000_000);
  const room = Math.max(0, limit - rules.reasoning);
  const full = replyText(reply);
  const cut = rules.reasoning > 0 && (room === 0 || Math.ceil(full.length / 4) > room);
  const text = cut ? full.slice(0, room * 4) : full;
  const calls =
    'toolCalls' in reply && !cut ? reply.toolCalls.map((c, i) => ({ id: c.id ?? `call_${i + 1}`, name: c.name, args: JSON.stringify(c.arguments) })) : [];
  const finish = refusal ? (dialect === 'openai' ? 'content_filter' : 'error') : cut ? 'length' : calls.length ? 'tool_calls' : 'stop';
  const refusalText = "I'm sorry, I can't help with that.";
  const usage = {
    ...usageOf(reply, dialect),
    ...(rules.reasoning ? { completion_tokens_details: { reasoning_tokens: Math.min(rules.reasoning, limit) } } : {}),
  };

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
