import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHttpApi } from '../../src/cli/http-api.js';
import { assertSafeBinding } from '../../src/http/auth.js';
import { createHttpServer } from '../../src/http/server.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { createDemoWiring } from '../unit/mcp-demo-core.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
// inspector-cli 1.0.3 finds its own package.json through `../package.json` relative to the working
// directory, so it runs from a folder one level below the repository root (bin/).
const inspector = join(repo, 'node_modules/@modelcontextprotocol/inspector-cli/build/index.js');
const TOKEN = 's3cret-e2e-token';

const wiring = createDemoWiring({ ASKPANDA_API_TOKENS: `e2e:${TOKEN},other:another-token` });
const http = createHttpServer({ host: '127.0.0.1', port: 0, logger: wiring.logger });
let url = '';

beforeAll(async () => {
  registerHttpApi(http, wiring.services, wiring.core);
  const { port } = await http.listen();
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await http.close();
  await wiring.close();
});

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

const initialize = (headers: Record<string, string>) =>
  fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    }),
  });

describe('MCP over Streamable HTTP on the bot HTTP server', () => {
  it('answers through the SDK client over HTTP like the chat path', async () => {
    const client = await connect(TOKEN);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(7);
      const result = (await client.callTool({ name: 'analyze_job', arguments: { pandaid: 6601000010 } })) as CallToolResult;
      const chat = await wiring.chat('why did job 6601000010 fail?');
      const first = result.content[0];
      expect(first?.type === 'text' ? first.text : '').toBe(replyToMarkdown(chat));
      expect(first?.type === 'text' ? first.text : '').toMatch(/1150/);
      const task = (await client.callTool({ name: 'task_summary', arguments: { jeditaskid: 46200001 } })) as CallToolResult;
      expect((task.structuredContent as { intent: string }).intent).toBe('task');
    } finally {
      await client.close();
    }
  });

  it('refuses requests without a valid bearer token (401) and foreign origins (403)', async () => {
    const none = await initialize({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await initialize({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await initialize({ authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' })).status).toBe(403);
    const ok = await initialize({ authorization: 'Bearer another-token' });
    expect(ok.status).toBe(200);
    await ok.text();
    await expect(connect('wrong')).rejects.toThrow();
  });

  it('keeps ask memory per token: one conversation id from two tokens never shares a conversation', async () => {
    const a = await connect(TOKEN);
    const b = await connect('another-token');
    const a2 = await connect(TOKEN);
    const ask = async (client: Client, question: string) => {
      const result = (await client.callTool({ name: 'ask', arguments: { question, conversation: 'team-conv' } })) as CallToolResult;
      const first = result.content[0];
      return first?.type === 'text' ? first.text : '';
    };
    try {
      await ask(a, 'why did job 6601000011 fail?');
      // Token B with the same conversation id: the job asked by A is unknown to its follow-up.
      expect(await ask(b, 'show me the expert details for it')).not.toMatch(/6601000011/);
      // Token A again (a new connection, same token): the conversation is shared.
      expect(await ask(a2, 'show me the expert details for it')).toMatch(/Job 6601000011 failed/);
    } finally {
      await Promise.all([a.close(), b.close(), a2.close()]);
    }
  });

  it('has no session streams: GET /mcp is 405', async () => {
    const res = await fetch(`${url}/mcp`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
  });

  it('the MCP inspector CLI lists the tools and calls one over HTTP', async () => {
    const common = [inspector, `${url}/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${TOKEN}`];
    const list = await run(process.execPath, [...common, '--method', 'tools/list'], { cwd: join(repo, 'bin'), timeout: 60_000 });
    const names = (JSON.parse(list.stdout) as { tools: Array<{ name: string }> }).tools.map((t) => t.name).sort();
    expect(names).toEqual(['analyze_job', 'ask', 'error_summary', 'explain_error_code', 'query_queues', 'search_docs', 'task_summary']);
    const call = await run(process.execPath, [...common, '--method', 'tools/call', '--tool-name', 'analyze_job', '--tool-arg', 'pandaid=6601000007'], {
      cwd: join(repo, 'bin'),
      timeout: 60_000,
    });
    const result = JSON.parse(call.stdout) as CallToolResult;
    expect(result.isError).toBeUndefined();
    expect(JSON.stringify(result.content)).toMatch(/1322/);
  });

  it('the MCP inspector CLI calls a tool of `askpanda mcp` over stdio', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-stdio-'));
    try {
      const call = await run(
        process.execPath,
        [
          inspector,
          process.execPath,
          join(repo, 'bin/askpanda.js'),
          'mcp',
          '--method',
          'tools/call',
          '--tool-name',
          'explain_error_code',
          '--tool-arg',
          'code=1150',
          '--tool-arg',
          'component=pilot',
        ],
        { cwd: join(repo, 'bin'), timeout: 90_000, env: { ...process.env, ASKPANDA_DATA_DIR: dataDir } },
      );
      const result = JSON.parse(call.stdout) as CallToolResult & { structuredContent: { intent: string } };
      expect(result.structuredContent.intent).toBe('error_code');
      expect(JSON.stringify(result.content)).toMatch(/LOOPINGJOB/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to expose the API beyond 127.0.0.1 without tokens', () => {
    expect(() => assertSafeBinding('0.0.0.0', [])).toThrow(/0\.0\.0\.0 needs ASKPANDA_API_TOKENS/);
    expect(() => assertSafeBinding('127.0.0.1', [])).not.toThrow();
    expect(() => assertSafeBinding('0.0.0.0', ['ops:t'])).not.toThrow();
  });
});
