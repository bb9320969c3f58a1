/**
 * Fake Mistral API on 127.0.0.1: `POST /v1/chat/completions` (JSON and SSE, `tool_calls`,
 * `response_format: json_schema`). Point the SDK's `serverURL` at `server.url` (no `/v1`).
 * Refusal is played as `finish_reason: "error"` with empty content (Mistral has no content filter flag).
 */
import { replyChat } from './openai.js';
import { type FakeServer, type FakeServerOptions, startFakeServer } from './server.js';

export async function startFakeMistral(options: FakeServerOptions = {}): Promise<FakeServer> {
  return startFakeServer(
    [
      (request, res, next) => {
        if (request.method !== 'POST' || !request.path.startsWith('/v1/chat/completions')) return false;
        replyChat(request, res, next(), 'mistral');
        return true;
      },
    ],
    options,
  );
}
