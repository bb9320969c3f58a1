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
}

/** The bot's one HTTP server: health, metrics, platform endpoints, MCP and the OpenAI-compatible API. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const routes: Route[] = [];
  const log = options.logger.child({ component: 'http' });
  const server = createServer((req, res) => {
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
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // streaming responses (SSE, MCP) stay open
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
