/**
 * Shared machinery of the protocol-level LLM fakes: a node:http server on 127.0.0.1 (random port),
 * a script of replies consumed one per chat request, a log of every request, and the failure modes
 * every vendor fake can play.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted reply. Failures are played in the vendor's own wire format. */
export type FakeReply =
  | { text: string; usage?: { input: number; output: number } }
  /** A structured answer: JSON text (OpenAI/Mistral/Gemini/Ollama) or a forced tool_use (Anthropic). */
  | { json: unknown; usage?: { input: number; output: number } }
  | { toolCalls: Array<{ name: string; arguments: unknown; id?: string }>; usage?: { input: number; output: number } }
  /** 429 with `retry-after` seconds (default 1). */
  | { fail: 'rate_limit'; retryAfter?: number }
  | { fail: 'server_error' }
  /** Never answers (until the client gives up or the server closes). */
  | { fail: 'hang' }
  /** HTTP 200 whose body is not JSON. */
  | { fail: 'malformed' }
  /** The vendor's refusal / content filter answer. */
  | { fail: 'refusal' }
  /** Streams: a few text deltas, then the stream ends without the end-of-answer event. Non-stream: a cut body. */
  | { fail: 'truncated'; text?: string };

export type FakeScript = FakeReply[] | ((request: RecordedRequest) => FakeReply);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined for GET). */
  body: Record<string, unknown>;
}

export interface FakeServerOptions {
  script?: FakeScript;
  /** Used when the script is exhausted; default: a text reply echoing the last user message. */
  fallback?: (request: RecordedRequest) => FakeReply;
  /** Embedding dimension for embedding endpoints (default 64). */
  dimension?: number;
}

export interface FakeServer {
  /** Root URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests the client gave up on (the connection closed before the answer was sent). */
  readonly aborted: RecordedRequest[];
  /** Resolves once `count` requests have been given up on by the client. */
  untilAborted(count: number): Promise<void>;
  /** Replaces / extends the script. */
  push(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

export interface Exchange {
  request: RecordedRequest;
  res: ServerResponse;
  reply: FakeReply;
}

export type Route = (request: RecordedRequest, res: ServerResponse, next: () => FakeReply) => boolean | Promise<boolean>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes a JSON body cut in the middle and drops the connection. */
export function sendCutJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.write(text.slice(0, Math.floor(text.length / 2)));
  setTimeout(() => res.destroy(), 5);
}

export function sendMalformed(res: ServerResponse): void {
  const text = '{"id": "x", "choices": [ {"message": {"content": "half';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function startSse(res: ServerResponse): (data: unknown, event?: string) => void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  return (data, event) => {
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
}

/** Splits text into a few stream pieces (word groups). */
export function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** The last user message's text in OpenAI-like, Anthropic, Gemini or Ollama bodies (for the echo fallback). */
export function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages ?? body.contents) as Array<Record<string, unknown>> | undefined;
  for (const m of [...(messages ?? [])].reverse()) {
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    const parts = (m.content ?? m.parts) as Array<Record<string, unknown>> | undefined;
    const text = parts?.map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
    if (text) return text;
  }
  return '';
}

/** Deterministic unit vectors by feature hashing of words: texts sharing words are similar. */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619) >>> 0;
    v[h % dimension] = (v[h % dimension] ?? 0) + 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export async function startFakeServer(routes: Route[], options: FakeServerOptions): Promise<FakeServer> {
  const script = typeof options.script === 'function' ? [] : [...(options.script ?? [])];
  const scriptFn = typeof options.script === 'function' ? options.script : undefined;
  const requests: RecordedRequest[] = [];
  const aborted: RecordedRequest[] = [];
  const abortWaiters: Array<{ count: number; resolve: () => void }> = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          sendJson(res, 400, { error: { message: 'request body is not JSON' } });
          return;
        }
        const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
        requests.push(recorded);
        res.on('close', () => {
          if (res.writableEnded) return;
          aborted.push(recorded);
          for (const w of abortWaiters.filter((x) => aborted.length >= x.count)) {
            abortWaiters.splice(abortWaiters.indexOf(w), 1);
            w.resolve();
          }
        });
        const next = (): FakeReply =>
          scriptFn?.(recorded) ?? script.shift() ?? options.fallback?.(recorded) ?? { text: `fake answer to: ${lastUserText(body)}` };
        for (const route of routes) if (await route(recorded, res, next)) return;
        sendJson(res, 404, { error: { message: `no fake route for ${recorded.method} ${recorded.path}` } });
      })().catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
        else res.destroy();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    aborted,
    untilAborted(count) {
      return aborted.length >= count ? Promise.resolve() : new Promise((resolve) => abortWaiters.push({ count, resolve }));
    },
    push(...replies) {
      script.push(...replies);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The answer text a reply streams: its text, its JSON, or the start of a truncated answer. */
export function replyText(r: FakeReply): string {
  if ('json' in r) return JSON.stringify(r.json);
  if ('fail' in r) return r.fail === 'truncated' ? (r.text ?? 'The job failed because the') : '';
  if ('text' in r) return r.text;
  return '';
}
