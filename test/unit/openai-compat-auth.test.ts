import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHttpAuth, parseTokens } from '../../src/http/auth.js';
import { detectUiTask } from '../../src/http/ui-tasks.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('HTTP API auth', () => {
  const auth = createHttpAuth({ tokens: ['openwebui:tok-a', 'claude:tok-b'], host: '127.0.0.1', allowedOrigins: ['https://chat.example.org'] });

  it('names the client of each token and refuses missing or wrong ones', () => {
    expect(auth.check(req({ host: '127.0.0.1:8080', authorization: 'Bearer tok-b' }))).toEqual({ ok: true, client: 'claude' });
    expect(auth.check(req({ host: 'localhost:8080' }))).toMatchObject({ ok: false, status: 401 });
    expect(auth.check(req({ host: 'localhost', authorization: 'Bearer tok-c' }))).toMatchObject({
      ok: false,
      status: 401,
      message: 'The bearer token is not valid.',
    });
    expect(auth.check(req({ host: 'localhost', authorization: 'Basic dG9rLWE=' }))).toMatchObject({ ok: false, status: 401 });
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
    expect(open.check(req({ host: '127.0.0.1:8080' }))).toEqual({ ok: true, client: 'local' });
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
