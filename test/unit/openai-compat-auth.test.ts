import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpAuth, parseTokens, withAuth } from '../../src/http/auth.js';
import { detectUiTask } from '../../src/http/ui-tasks.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('HTTP API auth', () => {
  const auth = createHttpAuth({ tokens: ['openwebui:tok-a', 'claude:tok-b'], host: '127.0.0.1', allowedOrigins: ['https://chat.example.org'] });

  it('names the client of each token and refuses missing or wrong ones', () => {
    expect(auth.check(req({ host: '127.0.0.1:8080', authorization: 'Bearer tok-b' }))).toMatchObject({ ok: true, client: 'claude' });
    expect(auth.check(req({ host: 'localhost:8080' }))).toMatchObject({ ok: false, status: 401 });
    expect(auth.check(req({ host: 'localhost', authorization: 'Bearer tok-c' }))).toMatchObject({
      ok: false,
      status: 401,
      message: 'The bearer token is not valid.',
    });
    expect(auth.check(req({ host: 'localhost', authorization: 'Basic dG9rLWE=' }))).toMatchObject({ ok: false, status: 401 });
  });

  it('gives each token its own identity (name and a hash of the token, never the token) to key memory by', () => {
    const same = createHttpAuth({ tokens: ['team:first-secret-token', 'team:second-secret-token'], host: '127.0.0.1' });
    const a = same.check(req({ host: 'localhost', authorization: 'Bearer first-secret-token' }));
    const b = same.check(req({ host: 'localhost', authorization: 'Bearer second-secret-token' }));
    const again = same.check(req({ host: 'localhost', authorization: 'Bearer first-secret-token' }));
    if (!a.ok || !b.ok || !again.ok) throw new Error('tokens refused');
    expect([a.client, b.client]).toEqual(['team', 'team']);
    expect(a.identity).toMatch(/^team~[0-9a-f]{12}$/);
    expect(b.identity).not.toBe(a.identity);
    expect(again.identity).toBe(a.identity);
    expect(a.identity).not.toContain('first-secret-token');
  });

  it('blocks DNS rebinding (foreign Host on a loopback server) and foreign origins', () => {
    expect(auth.check(req({ host: 'attacker.example:8080', authorization: 'Bearer tok-a' }))).toMatchObject({ ok: false, status: 403 });
    expect(auth.check(req({ host: 'localhost:8080', origin: 'https://evil.example', authorization: 'Bearer tok-a' }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(auth.check(req({ host: 'localhost:8080', origin: 'https://chat.example.org', authorization: 'Bearer tok-a' }))).toMatchObject({ ok: true });
    expect(auth.check(req({ host: 'localhost:8080', origin: 'http://localhost:3000', authorization: 'Bearer tok-a' }))).toMatchObject({ ok: true });
  });

  it('lets loopback requests in without tokens only when none are configured', () => {
    const open = createHttpAuth({ tokens: [], host: '127.0.0.1' });
    expect(open.required).toBe(false);
    expect(open.check(req({ host: '127.0.0.1:8080' }))).toEqual({ ok: true, client: 'local', identity: 'local' });
  });

  describe('tokenless local mode refuses what a browser page could send', () => {
    const open = createHttpAuth({ tokens: [], host: '127.0.0.1' });
    const post = (headers: Record<string, string>) =>
      ({ method: 'POST', headers: { host: '127.0.0.1:8080', 'content-type': 'application/json', ...headers } }) as unknown as IncomingMessage;

    it("accepts a JSON POST from a local client (no Origin) or from the server's own origin", () => {
      expect(open.check(post({}))).toEqual({ ok: true, client: 'local', identity: 'local' });
      expect(open.check(post({ 'content-type': 'application/json; charset=utf-8', 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:8080' }))).toEqual(
        { ok: true, client: 'local', identity: 'local' },
      );
      expect(open.check(post({ 'sec-fetch-site': 'none' }))).toEqual({ ok: true, client: 'local', identity: 'local' });
    });

    it('refuses Origin: null, another localhost page and foreign origins (403)', () => {
      for (const origin of ['null', 'http://localhost:3000', 'http://127.0.0.1:5173', 'https://evil.example']) {
        expect(open.check(post({ origin }))).toMatchObject({ ok: false, status: 403, message: expect.stringContaining(origin) });
      }
    });

    it('refuses cross-site and same-site fetches even without an Origin header (403)', () => {
      expect(open.check(post({ 'sec-fetch-site': 'cross-site' }))).toMatchObject({ ok: false, status: 403 });
      expect(open.check(post({ 'sec-fetch-site': 'same-site' }))).toMatchObject({ ok: false, status: 403 });
    });

    it('refuses bodies that are not JSON (415): text/plain, forms, no content type', () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
        expect(open.check(post({ 'content-type': type }))).toMatchObject({ ok: false, status: 415, message: expect.stringContaining('application/json') });
      }
      // GET has no body: the models list and the MCP event stream stay reachable.
      expect(open.check({ method: 'GET', headers: { host: '127.0.0.1:8080' } } as unknown as IncomingMessage)).toEqual({
        ok: true,
        client: 'local',
        identity: 'local',
      });
    });

    it('answers a refused request with a JSON error body', async () => {
      const server = createServer(withAuth(open, (_req, res) => void res.writeHead(200).end('{}')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const text = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
        expect(text.status).toBe(415);
        expect(((await text.json()) as { error: { message: string } }).error.message).toMatch(/application\/json/);
        const page = await fetch(`http://127.0.0.1:${port}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'null' },
          body: '{}',
        });
        expect(page.status).toBe(403);
        expect(((await page.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  it('rejects a token without a name', () => {
    expect(() => parseTokens(['just-a-token'])).toThrow(/API token 1 in ASKPANDA_API_TOKENS is not a name:token pair/);
  });
});

describe('chat UI housekeeping prompts', () => {
  it('recognises Open WebUI and LibreChat tasks and leaves real questions alone', () => {
    expect(detectUiTask('### Task:\nGenerate a concise, 3-5 word title with an emoji summarizing the chat history.')).toBe('title');
    expect(detectUiTask('### Task:\nGenerate 1-3 broad tags categorizing the main themes of the chat history')).toBe('tags');
    expect(detectUiTask('### Task:\nSuggest 3-5 relevant follow-up questions or prompts')).toBe('follow_ups');
    expect(detectUiTask('### Task:\nAnalyze the chat history to determine the necessity of generating search queries')).toBe('queries');
    expect(detectUiTask('Please generate a concise, 5-word-or-less title for the conversation')).toBe('title');
    expect(detectUiTask('why did job 6601000005 fail?')).toBeNull();
    expect(detectUiTask('which tags does task 46200001 have?')).toBeNull();
  });
});
