/**
 * Bearer-token authentication and Origin/Host checks for the HTTP API (MCP and OpenAI-compatible).
 * Tokens come from the configuration as `name:token` pairs; the name is what the logs show.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../errors.js';

export interface ApiToken {
  name: string;
  token: string;
}

export type AuthResult = { ok: true; client: string } | { ok: false; status: 401 | 403; message: string };

export interface HttpAuth {
  check(req: IncomingMessage): AuthResult;
  /** True when tokens are configured (requests then need one). */
  readonly required: boolean;
}

export interface HttpAuthOptions {
  /** `name:token` pairs, as in ASKPANDA_API_TOKENS. */
  tokens: readonly string[];
  /** Browser origins allowed to call the API, e.g. `https://chat.example.org`. */
  allowedOrigins?: readonly string[];
  /** The address the server is bound to. */
  host: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parses `name:token` pairs; a pair without a name or token is a configuration error. */
export function parseTokens(pairs: readonly string[]): ApiToken[] {
  return pairs.map((pair, i) => {
    const colon = pair.indexOf(':');
    const name = colon > 0 ? pair.slice(0, colon).trim() : '';
    const token = colon > 0 ? pair.slice(colon + 1).trim() : '';
    if (!name || !token) throw new ConfigError(`API token ${i + 1} in ASKPANDA_API_TOKENS is not a name:token pair.`);
    return { name, token };
  });
}

/** Refuses an HTTP server reachable from other machines without tokens. */
export function assertSafeBinding(host: string, tokens: readonly string[]): void {
  if (tokens.length === 0 && !isLoopback(host)) {
    throw new ConfigError(`The HTTP server on ${host} needs ASKPANDA_API_TOKENS because it is not bound to 127.0.0.1.`);
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** `localhost:8080` → `localhost`; `[::1]:8080` → `[::1]`. */
function hostname(hostHeader: string): string {
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim());
  return (m?.[1] ?? hostHeader).toLowerCase();
}

export function createHttpAuth(options: HttpAuthOptions): HttpAuth {
  const tokens = parseTokens(options.tokens).map((t) => ({ name: t.name, hash: digest(t.token) }));
  const origins = new Set((options.allowedOrigins ?? []).map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const originHosts = new Set([...origins].map((o) => (URL.canParse(o) ? new URL(o).hostname : o)));
  const loopback = isLoopback(options.host);

  return {
    required: tokens.length > 0,
    check(req) {
      const host = hostname(String(req.headers.host ?? ''));
      // DNS rebinding: a loopback-bound server answers only to loopback (or explicitly allowed) host names.
      if (loopback && !isLoopback(host) && !originHosts.has(host)) return { ok: false, status: 403, message: `Host ${host || '(none)'} is not allowed.` };
      const origin = req.headers.origin;
      if (origin && origin !== 'null') {
        const o = origin.replace(/\/+$/, '').toLowerCase();
        const sameHost = URL.canParse(o) && new URL(o).host === String(req.headers.host ?? '').toLowerCase();
        const localOrigin = loopback && URL.canParse(o) && isLoopback(new URL(o).hostname);
        if (!origins.has(o) && !sameHost && !localOrigin) return { ok: false, status: 403, message: `Origin ${origin} is not allowed.` };
      }
      if (tokens.length === 0) return { ok: true, client: 'local' };
      const header = req.headers.authorization ?? '';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m?.[1]) return { ok: false, status: 401, message: 'A bearer token is required (Authorization: Bearer <token>).' };
      const given = digest(m[1]);
      const match = tokens.find((t) => timingSafeEqual(t.hash, given));
      return match ? { ok: true, client: match.name } : { ok: false, status: 401, message: 'The bearer token is not valid.' };
    },
  };
}

/** Wraps a handler: rejected requests get 401/403 with an OpenAI-style error body. */
export function withAuth(
  auth: HttpAuth,
  handler: (req: IncomingMessage, res: ServerResponse, client: string) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const result = auth.check(req);
    if (!result.ok) {
      const body = JSON.stringify({
        error: {
          message: result.message,
          type: result.status === 401 ? 'authentication_error' : 'permission_error',
          code: result.status === 401 ? 'invalid_api_key' : 'forbidden',
        },
      });
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      if (result.status === 401) headers['www-authenticate'] = 'Bearer realm="askpanda"';
      res.writeHead(result.status, headers);
      res.end(body);
      return;
    }
    await handler(req, res, result.client);
  };
}
