/**
 * An OpenAI-compatible chat API (`/v1/chat/completions`, `/v1/models`) so Open WebUI, LibreChat
 * and AnythingLLM can add Ask PanDA as a model. The last user message goes through the same core
 * as the chat adapters (platform `http`); UI housekeeping prompts are answered without agents.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import { errorText } from '../errors.js';
import type { Logger } from '../log.js';
import { type HttpAuth, withAuth } from './auth.js';
import { readBody, sendJson } from '../wire/http.js';
import type { HttpServer } from './server.js';
import { answerUiTask, detectUiTask } from './ui-tasks.js';

export interface OpenAiCompatOptions {
  auth: HttpAuth;
  /** The core's `handle`. */
  handle(message: IncomingMessage): Promise<Reply | null>;
  /** Reply → Markdown (injected: the renderer lives with the MCP server). */
  render(reply: Reply): string;
  logger: Logger;
  /** Model id shown to clients. */
  model?: string;
  maxBodyBytes?: number;
  /** Interval of SSE keep-alive comments while an answer is computed. */
  keepAliveMs?: number;
}

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});
const requestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
});
type ChatRequest = z.infer<typeof requestSchema>;

const CHAT_ID_HEADERS = ['x-openwebui-chat-id', 'x-chat-id', 'x-conversation-id', 'x-librechat-conversation-id'];
const USER_HEADERS = ['x-openwebui-user-id', 'x-openwebui-user-email', 'x-user-id'];

function textOf(content: ChatRequest['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

function header(req: HttpRequest, names: readonly string[]): string | null {
  for (const name of names) {
    const value = req.headers[name];
    const v = Array.isArray(value) ? value[0] : value;
    if (v?.trim()) return v.trim().slice(0, 200);
  }
  return null;
}

/**
 * The conversation: the client's conversation id header (Open WebUI sends `X-OpenWebUI-Chat-Id` when
 * `ENABLE_FORWARD_USER_INFO_HEADERS=true`; LibreChat sends one when its endpoint sets
 * `headers: { X-Conversation-Id: '{{LIBRECHAT_BODY_CONVERSATIONID}}' }`), else a fresh thread for this
 * request alone: two chats without ids never share memory, whatever their first question. Without an
 * id the earlier turns come from the request's own messages (`IncomingMessage.history`). The id is
 * scoped by the user the client names (user header or body `user`), and the message's workspace is
 * the caller's identity, so one chat id from two tokens or two users never reaches the same memory.
 */
export function conversationOf(req: HttpRequest, user: string | null = null): string {
  const id = header(req, CHAT_ID_HEADERS);
  if (!id) return `req:${randomUUID()}`;
  return user ? `chat:${encodeURIComponent(user)}/${id}` : `chat:${id}`;
}

/** The earlier user/assistant turns of the request (everything before the last user message). */
function carriedHistory(request: ChatRequest): Array<{ role: 'user' | 'assistant'; text: string }> {
  const turns = request.messages.filter((m) => m.role === 'user' || m.role === 'assistant');
  const lastUser = turns.map((m) => m.role).lastIndexOf('user');
  return turns
    .slice(0, Math.max(0, lastUser))
    .map((m) => ({ role: m.role as 'user' | 'assistant', text: textOf(m.content) }))
    .filter((t) => t.text.trim());
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

function openAiError(res: ServerResponse, status: number, message: string, type = 'invalid_request_error'): void {
  sendJson(res, status, { error: { message, type, param: null, code: null } });
}

/** Splits an answer into stream pieces of whole lines (long lines by words), each up to ~200 characters. */
export function streamPieces(text: string, size = 200): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const token of text.split(/(?<=\n)|(?<= )/)) {
    if (current.length + token.length > size && current) {
      pieces.push(current);
      current = '';
    }
    current += token;
  }
  if (current) pieces.push(current);
  return pieces;
}

export function registerOpenAiCompat(http: Pick<HttpServer, 'route'>, options: OpenAiCompatOptions): void {
  const model = options.model ?? 'askpanda';
  const log = options.logger.child({ component: 'openai-compat' });
  const keepAliveMs = options.keepAliveMs ?? 10_000;

  http.route(
    'GET',
    '/v1/models',
    withAuth(options.auth, (_req, res) => {
      sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 1_760_000_000, owned_by: 'askpanda' }] });
    }),
  );

  http.route(
    'POST',
    '/v1/chat/completions',
    withAuth(options.auth, async (req, res, { client, identity }) => {
      let request: ChatRequest;
      try {
        const raw = (await readBody(req, options.maxBodyBytes ?? 1024 * 1024)).toString('utf8');
        const parsed = requestSchema.safeParse(JSON.parse(raw));
        if (!parsed.success) return openAiError(res, 400, `The chat request is invalid: ${parsed.error.issues[0]?.message ?? 'bad shape'}.`);
        request = parsed.data;
      } catch (error) {
        if ((error as { status?: number }).status === 413) return openAiError(res, 413, 'The chat request body is too large.');
        return openAiError(res, 400, 'The chat request body is not JSON.');
      }
      const userMessages = request.messages.filter((m) => m.role === 'user').map((m) => textOf(m.content));
      const last = userMessages.at(-1)?.trim();
      if (!last) return openAiError(res, 400, 'The chat request has no user message.');

      const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
      const created = Math.floor(Date.now() / 1000);
      const promptTokens = tokens(request.messages.map((m) => textOf(m.content)).join('\n'));
      const task = detectUiTask(last);
      const namedUser = header(req, USER_HEADERS) ?? request.user?.trim().slice(0, 200) ?? null;
      const conversation = conversationOf(req, namedUser || null);
      const carried = conversation.startsWith('req:') ? carriedHistory(request) : [];
      const started = Date.now();

      const answer = async (): Promise<string> => {
        if (task) return answerUiTask(task, last, userMessages.slice(0, -1));
        const eventId = randomUUID();
        const reply = await options.handle({
          platform: 'http',
          // Memory is keyed by (platform, workspace, channel, thread): the workspace is who calls.
          workspace: identity,
          channel: 'openai-compat',
          thread: conversation,
          messageId: eventId,
          user: namedUser || client,
          text: last,
          ...(carried.length > 0 ? { history: carried } : {}),
          isDirect: true,
          mentionsBot: true,
          channelPrivate: true,
          eventId,
          receivedAt: new Date(),
        });
        return reply ? options.render(reply) : 'No answer was produced for this message.';
      };
      const done = (content: string) =>
        log.info(
          { client, conversation, task: task ?? undefined, stream: Boolean(request.stream), ms: Date.now() - started, chars: content.length },
          'chat completion',
        );

      if (!request.stream) {
        const content = await answer();
        done(content);
        const completionTokens = tokens(content);
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model,
          system_fingerprint: null,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        });
        return;
      }

      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: null, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`,
        );
      chunk({ role: 'assistant', content: '' }, null);
      const keepAlive = setInterval(() => res.write(': computing\n\n'), keepAliveMs);
      let content: string;
      try {
        content = await answer();
      } catch (error) {
        log.error({ err: error, conversation }, 'streamed answer failed');
        content = errorText(error);
      } finally {
        clearInterval(keepAlive);
      }
      done(content);
      for (const piece of streamPieces(content)) chunk({ content: piece }, null);
      chunk({}, 'stop');
      if (request.stream_options?.include_usage) {
        const completionTokens = tokens(content);
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: null, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } })}\n\n`,
        );
      }
      res.end('data: [DONE]\n\n');
    }),
  );
}
