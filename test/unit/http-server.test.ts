import { connect } from 'node:net';
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

  it('cuts a client that sends its body too slowly, and still streams a long response', async () => {
    server = createHttpServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), requestTimeoutMs: 400 });
    server.route('POST', '/echo', async (req, res) => sendJson(res, 200, { got: (await readBody(req, 1024)).toString() }));
    server.route('GET', '/stream', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 4; i++) {
        res.write(`${i}\n`);
        await new Promise((r) => setTimeout(r, 250));
      }
      res.end();
    });
    const { port } = await server.listen();
    // A slow body: headers, then one byte, then nothing more; the server closes the connection.
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d) => {
        got += d.toString();
      });
      socket.on('close', () => resolve(got));
    });
    socket.write('POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    const answer = await closed;
    expect(answer).not.toContain('"got"');
    // A response that takes longer than the request timeout is not cut.
    const streamed = await (await fetch(`http://127.0.0.1:${port}/stream`)).text();
    expect(streamed).toBe('0\n1\n2\n3\n');
  });

  it('cuts a client that never finishes its headers, and closes an idle kept-alive connection', async () => {
    server = createHttpServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), requestTimeoutMs: 600_000, headersTimeoutMs: 300, idleTimeoutMs: 300 });
    const { port } = await server.listen();
    const talk = (text: string) => {
      const socket = connect(port, '127.0.0.1');
      const closed = new Promise<string>((resolve) => {
        let got = '';
        socket.on('data', (d) => {
          got += d.toString();
        });
        socket.on('close', () => resolve(got));
      });
      socket.write(text);
      return closed;
    };
    // Slow headers: the request line and one header, then nothing more.
    // Cut by the headers timeout: the request timeout (10 min) is far beyond this test's own.
    const cut = await talk('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(cut).not.toContain('"status"');
    // A complete keep-alive request is answered; the idle connection is closed afterwards.
    const idle = await talk('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    expect(idle).toContain('{"status":"ok"}');
  });
});
