/**
 * Puts the API on the bot's one HTTP server: MCP (Streamable HTTP) at `/mcp` and the
 * OpenAI-compatible chat API at `/v1/*`, both behind the bearer tokens of ASKPANDA_API_TOKENS.
 */
import type { Core } from '../core/pipeline.js';
import { assertSafeBinding, createHttpAuth, withAuth } from '../http/auth.js';
import { registerOpenAiCompat } from '../http/openai-compat.js';
import type { HttpServer } from '../http/server.js';
import { createMcpHttpHandler } from '../mcp/http-transport.js';
import { replyToMarkdown } from '../wire/markdown.js';
import { createMcpToolbox } from './mcp-toolbox.js';
import type { Services } from './services.js';

/** The subset of the service graph the API needs (tests pass their own). */
export type ApiServices = Pick<Services, 'config' | 'logger' | 'router' | 'kb'>;

export function registerHttpApi(http: Pick<HttpServer, 'route'>, services: ApiServices, core: Core): void {
  const { config, logger } = services;
  assertSafeBinding(config.http.host, config.http.tokens);
  const auth = createHttpAuth({ tokens: config.http.tokens, allowedOrigins: config.http.allowedOrigins, host: config.http.host });
  const toolbox = createMcpToolbox({ core, router: services.router(), kb: services.kb(), logger, channel: 'mcp-http' });
  const mcp = createMcpHttpHandler({ toolbox, logger });
  http.route(
    '*',
    '/mcp',
    withAuth(auth, (req, res, { client, identity }) => {
      logger.debug({ client, method: req.method }, 'mcp request');
      return mcp(req, res, identity);
    }),
  );
  registerOpenAiCompat(http, { auth, handle: (message) => core.handle(message), render: (reply) => replyToMarkdown(reply, { images: 'inline' }), logger });
}
