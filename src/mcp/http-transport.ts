/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport (the SDK's
 * stateless pattern), so any instance behind a load balancer can answer. GET/DELETE (server-sent
 * notification streams and sessions) are not offered: 405.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { readBody } from '../wire/http.js';
import type { Logger } from '../log.js';
import { createMcpServer, type McpServerOptions } from './server.js';

/** `caller` is the authenticated client's identity (src/http/auth.ts); it scopes `ask` conversations. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, caller?: string) => Promise<void>;

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return JSON.parse((await readBody(req, maxBytes)).toString('utf8')) as unknown;
}

export interface McpHttpOptions extends McpServerOptions {
  maxBodyBytes?: number;
  logger: Logger;
}

/** The `/mcp` route handler. Authentication happens before it (src/http/auth.ts). */
export function createMcpHttpHandler(options: McpHttpOptions): NodeHandler {
  const log = options.logger.child({ component: 'mcp-http' });
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  return async (req, res, caller) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendJsonRpcError(res, 405, -32000, 'Method not allowed: this MCP endpoint is stateless, use POST.');
      return;
    }
    let body: unknown;
    try {
      body = await readJson(req, maxBody);
    } catch (error) {
      const tooLarge = (error as { status?: number }).status === 413;
      sendJsonRpcError(res, tooLarge ? 413 : 400, -32700, tooLarge ? 'Request body too large.' : 'Parse error: the body is not JSON.');
      return;
    }
    const server = createMcpServer({ ...options, ...(caller ? { caller } : {}) });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (error) {
      log.error({ err: error }, 'MCP request failed');
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error.');
    }
  };
}
