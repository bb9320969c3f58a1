import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { readBody, sendJson } from '../../src/wire/http.js';
import { silentLogger } from '../../src/log.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<string> {
  server = createHttpServer({ host: '127.0.0.1', port: 0, logger: silentLogger() });
  server.route('POST', '/echo', async (req, res) => sendJson(res, 200, { got: (await readBody(req, 16)).toString() }));
  server.route('GET', '/api/*', (req, res) => sendJson(res, 200, { path: req.url }));
  server.route('GET', '/boom', () => {
    throw new Error('kaboom');
  });
  const { port } = await server.listen();
  return `http://127.0.0.1:${port}`;
}

describe('http server', () => {
  it('serves /healthz, exact and subtree routes, and 404 for the rest', async () => {
    const base = await start();
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/api/a/b?x=1`)).json()).toEqual({ path: '/api/a/b?x=1' });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('caps request bodies and turns handler errors into 500 without the detail', async () => {
    const base = await start();
    expect(await (await fetch(`${base}/echo`, { method: 'POST', body: 'short' })).json()).toEqual({ got: 'short' });
    const big = await fetch(`${base}/echo`, { method: 'POST', body: 'x'.repeat(100) });
    expect(big.status).toBe(413);
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('kaboom');
  });
});
