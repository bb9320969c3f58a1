import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { sendJson } from '../wire/http.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

interface Route {
  method: string;
  path: string;
  /** Match `path` and everything below it. */
  prefix: boolean;
  handler: RouteHandler;
}

export interface HttpServer {
  /** Adds a route; `path` ending in `/*` matches the whole subtree. Method `*` matches any. */
  route(method: string, path: string, handler: RouteHandler): void;
  listen(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
  readonly server: Server;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Largest request body a handler may read with `readBody`. */
  maxBodyBytes?: number;
  /**
   * Most time a client may take to send a whole request (headers and body); slow senders are cut.
   * Responses are not limited by it (SSE and MCP streams stay open). Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Most time to send the headers; default 20 s (at most the request timeout). */
  headersTimeoutMs?: number;
  /** An idle kept-alive connection is closed after this; default 5 s. */
  idleTimeoutMs?: number;
}

/** The bot's one HTTP server: health, metrics, platform endpoints, MCP and the OpenAI-compatible API. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const routes: Route[] = [];
  const log = options.logger.child({ component: 'http' });
  // Timeouts are checked this often (Node's default is every 30 s).
  const server = createServer(
    { connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor((options.requestTimeoutMs ?? 30_000) / 4))) },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = routes.find(
        (r) =>
          (r.method === '*' || r.method === req.method) &&
          (r.prefix ? url.pathname === r.path || url.pathname.startsWith(`${r.path}/`) : url.pathname === r.path),
      );
      if (!match) {
        sendJson(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
        return;
      }
      Promise.resolve()
        .then(() => match.handler(req, res))
        .catch((error: unknown) => {
          const status = (error as { status?: number }).status ?? 500;
          log.error({ err: error, path: url.pathname }, 'request failed');
          if (!res.headersSent) sendJson(res, status, { error: status === 413 ? 'request body too large' : 'internal error' });
          else res.end();
        });
    },
  );
  // Receiving the request is bounded (a byte every 40 s no longer holds a connection open); the
  // response is not: Node's requestTimeout ends when the request is complete, so streams stay open.
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.requestTimeout = requestTimeout;
  server.headersTimeout = Math.min(options.headersTimeoutMs ?? 20_000, requestTimeout);
  server.keepAliveTimeout = options.idleTimeoutMs ?? 5_000;
  routes.push({ method: 'GET', path: '/healthz', prefix: false, handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) });
  return {
    server,
    route(method, path, handler) {
      const prefix = path.endsWith('/*');
      const clean = prefix ? path.slice(0, -2) : path;
      // Later registrations of the same path replace earlier ones (e.g. a richer /healthz).
      const existing = routes.findIndex((r) => r.method === method && r.path === clean && r.prefix === prefix);
      if (existing >= 0) routes.splice(existing, 1);
      routes.push({ method, path: clean, prefix, handler });
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          const address = server.address() as AddressInfo;
          log.info({ host: address.address, port: address.port }, 'http server listening');
          resolve({ host: address.address, port: address.port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
