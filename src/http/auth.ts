/**
 * Bearer-token authentication and Origin/Host checks for the HTTP API (MCP and OpenAI-compatible); without
 * tokens, browser-originated and non-JSON requests are refused.
 * Tokens come from the configuration as `name:token` pairs; the name is what the logs show.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../errors.js';

export interface ApiToken {
  name: string;
  token: string;
}

/**
 * Who is calling. `client` is the configured name (for logs); `identity` keys the caller's memory:
 * the name plus a short SHA-256 of the token (never the token itself), so two tokens never share a
 * conversation even under one name; `local` in tokenless local mode.
 */
export interface Caller {
  client: string;
  identity: string;
}

export const LOCAL_CALLER: Caller = { client: 'local', identity: 'local' };

export type AuthResult = ({ ok: true } & Caller) | { ok: false; status: 401 | 403 | 415; message: string };

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
  const tokens = parseTokens(options.tokens).map((t) => {
    const hash = digest(t.token);
    return { name: t.name, hash, identity: `${t.name}~${hash.toString('hex').slice(0, 12)}` };
  });
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
      if (tokens.length === 0) return checkLocalRequest(req);
      const header = req.headers.authorization ?? '';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m?.[1]) return { ok: false, status: 401, message: 'A bearer token is required (Authorization: Bearer <token>).' };
      const given = digest(m[1]);
      const match = tokens.find((t) => timingSafeEqual(t.hash, given));
      return match ? { ok: true, client: match.name, identity: match.identity } : { ok: false, status: 401, message: 'The bearer token is not valid.' };
    },
  };
}

/** Methods whose requests carry a body (GET, HEAD and DELETE on /mcp and /v1 have none). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Tokenless local mode: any page in the user's browser can reach 127.0.0.1, and a "simple" request
 * (text/plain or form body, `Origin: null` from a sandboxed frame or file) needs no CORS preflight. So
 * only non-browser clients are served: no Origin other than the server's own, no same-site/cross-site
 * Sec-Fetch-Site, and a JSON body (which a page cannot send cross-origin without a preflight).
 */
function checkLocalRequest(req: IncomingMessage): AuthResult {
  const origin = req.headers.origin;
  const own = String(req.headers.host ?? '').toLowerCase();
  if (origin !== undefined && !(URL.canParse(origin) && new URL(origin).host.toLowerCase() === own)) {
    return { ok: false, status: 403, message: `Without API tokens only local clients may call this server, not browser pages (Origin ${origin}).` };
  }
  const site = String(req.headers['sec-fetch-site'] ?? '').toLowerCase();
  if (site === 'cross-site' || site === 'same-site') {
    return { ok: false, status: 403, message: `Without API tokens only local clients may call this server, not browser pages (Sec-Fetch-Site ${site}).` };
  }
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (BODY_METHODS.has(String(req.method).toUpperCase()) && type !== 'application/json') {
    return { ok: false, status: 415, message: `Request bodies must be JSON (Content-Type: application/json), not ${type || 'untyped'}.` };
  }
  return { ok: true, ...LOCAL_CALLER };
}

const ERROR_KINDS: Record<401 | 403 | 415, { type: string; code: string }> = {
  401: { type: 'authentication_error', code: 'invalid_api_key' },
  403: { type: 'permission_error', code: 'forbidden' },
  415: { type: 'invalid_request_error', code: 'unsupported_media_type' },
};

/** Wraps a handler: rejected requests get 401/403/415 with an OpenAI-style error body. */
export function withAuth(
  auth: HttpAuth,
  handler: (req: IncomingMessage, res: ServerResponse, caller: Caller) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const result = auth.check(req);
    if (!result.ok) {
      const body = JSON.stringify({ error: { message: result.message, ...ERROR_KINDS[result.status] } });
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      if (result.status === 401) headers['www-authenticate'] = 'Bearer realm="askpanda"';
      res.writeHead(result.status, headers);
      res.end(body);
      return;
    }
    await handler(req, res, { client: result.client, identity: result.identity });
  };
}
