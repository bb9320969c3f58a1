/**
 * Fake Anthropic Messages API on 127.0.0.1: `POST /v1/messages` (JSON and SSE, `tool_use`). A `json`
 * reply answers a forced `tool_choice` with a tool_use block carrying the object. Point the SDK's
 * `baseURL` at `server.url`.
 */
import type { ServerResponse } from 'node:http';
import {
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
  pieces,
  type RecordedRequest,
  replyText,
  sendCutJson,
  sendJson,
  sendMalformed,
  startFakeServer,
  startSse,
} from './server.js';

function reply(request: RecordedRequest, res: ServerResponse, r: FakeReply): void {
  const model = String(request.body.model ?? 'claude-fake');
  const error = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
    sendJson(res, status, { type: 'error', error: { type, message } }, headers);
  if ('fail' in r) {
    if (r.fail === 'rate_limit')
      return error(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit.', { 'retry-after': String(r.retryAfter ?? 1) });
    if (r.fail === 'server_error') return error(500, 'api_error', 'Internal server error.');
    if (r.fail === 'hang') return;
    if (r.fail === 'malformed') return sendMalformed(res);
  }
  const refusal = 'fail' in r && r.fail === 'refusal';
  const truncated = 'fail' in r && r.fail === 'truncated';
  const forced = (request.body.tool_choice as { type?: string; name?: string } | undefined)?.name;
  type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };
  const blocks: Block[] = [];
  if (('text' in r && !('fail' in r)) || truncated) blocks.push({ type: 'text', text: replyText(r) });
  if ('json' in r) blocks.push(forced ? { type: 'tool_use', id: 'toolu_struct', name: forced, input: r.json } : { type: 'text', text: JSON.stringify(r.json) });
  if ('toolCalls' in r) r.toolCalls.forEach((c, i) => blocks.push({ type: 'tool_use', id: c.id ?? `toolu_${i + 1}`, name: c.name, input: c.arguments }));
  const stop = refusal ? 'refusal' : blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  const usage = 'usage' in r && r.usage ? r.usage : { input: 12, output: 7 };
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', model, stop_sequence: null, container: null };

  if (request.body.stream !== true) {
    const body = { ...message, content: blocks, stop_reason: stop, usage: { input_tokens: usage.input, output_tokens: usage.output } };
    return truncated ? sendCutJson(res, body) : sendJson(res, 200, body);
  }
  const send = startSse(res);
  const event = (data: Record<string, unknown>) => send(data, String(data.type));
  event({ type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input, output_tokens: 1 } } });
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      event({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const p of pieces(b.text)) event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } });
    } else {
      event({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const json = JSON.stringify(b.input);
      const half = Math.floor(json.length / 2);
      event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(0, half) } });
      event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(half) } });
    }
    if (!truncated) event({ type: 'content_block_stop', index });
  });
  if (truncated) return void res.end();
  event({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } });
  event({ type: 'message_stop' });
  res.end();
}

export async function startFakeAnthropic(options: FakeServerOptions = {}): Promise<FakeServer> {
  return startFakeServer(
    [
      (request, res, next) => {
        if (request.method !== 'POST' || !request.path.startsWith('/v1/messages')) return false;
        reply(request, res, next());
        return true;
      },
    ],
    options,
  );
}
