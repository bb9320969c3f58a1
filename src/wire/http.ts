/** The HTTP body reader and JSON writer every edge uses (adapters' endpoints, MCP, the OpenAI-compatible API). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a request body up to a cap; beyond it rejects with an error carrying `status: 413`. */
export async function readBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw Object.assign(new Error(`request body exceeds ${maxBytes} bytes`), { status: 413 });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON response (nothing when headers were already sent). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
