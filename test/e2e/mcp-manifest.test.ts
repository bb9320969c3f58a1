/**
 * The client configurations in manifests/ tried as a new user would: Claude Desktop's command
 * spawned from `/` with only the manifest's environment, and `askpanda start` with the Open WebUI
 * settings of manifests/open-webui.md, queried with the official openai client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { SPAWNED_CLI_TIMEOUT_MS } from '../support/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-manifest-'));
let bot: ChildProcess | undefined;

afterAll(() => {
  if (bot?.pid) bot.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('client configurations in manifests/', () => {
  it(
    'Claude Desktop: the configured command serves the tools over stdio',
    async () => {
      const manifest = JSON.parse(readFileSync(join(repo, 'manifests/claude-desktop.json'), 'utf8').replaceAll('/ABSOLUTE/PATH/TO/askpanda', repo)) as {
        mcpServers: { askpanda: { command: string; args: string[]; env: Record<string, string> } };
      };
      const server = manifest.mcpServers.askpanda;
      expect(server.args).toEqual([`${repo}/bin/askpanda.js`, 'mcp']);
      // Like Claude Desktop: working directory `/`, the manifest's env plus PATH; data in a temp dir.
      const transport = new StdioClientTransport({
        command: server.command === 'node' ? process.execPath : server.command,
        args: server.args,
        env: { PATH: process.env.PATH ?? '', ...server.env, ASKPANDA_DATA_DIR: dataDir },
        cwd: '/',
        stderr: 'pipe',
      });
      const client = new Client({ name: 'claude-desktop-like', version: '1' });
      await client.connect(transport);
      try {
        expect((await client.listTools()).tools.map((t) => t.name)).toContain('analyze_job');
        const result = (await client.callTool({ name: 'analyze_job', arguments: { pandaid: 6601000011 } })) as CallToolResult;
        expect(JSON.stringify(result.content)).toMatch(/1235/);
        expect(result.isError).toBeUndefined();
      } finally {
        await client.close();
      }
    },
    SPAWNED_CLI_TIMEOUT_MS + 60_000,
  );

  it(
    'Open WebUI: askpanda start with the documented settings serves /v1 to the openai client',
    async () => {
      const token = 'manifest-test-token';
      bot = spawn(process.execPath, [join(repo, 'bin/askpanda.js'), 'start'], {
        cwd: repo,
        env: {
          PATH: process.env.PATH ?? '',
          ASKPANDA_API_TOKENS: `openwebui:${token}`,
          ASKPANDA_HTTP_PORT: '0',
          ASKPANDA_HTTP_HOST: '127.0.0.1',
          ASKPANDA_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const port = await new Promise<number>((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`no listening line in: ${log.slice(-2000)}`)), SPAWNED_CLI_TIMEOUT_MS);
        bot?.stderr?.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          const m = /"port":(\d+)[^\n]*http server listening/.exec(log);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        bot?.once('exit', (code) => reject(new Error(`askpanda start exited with ${code}: ${log.slice(-2000)}`)));
      });
      const baseURL = `http://127.0.0.1:${port}/v1`;
      expect((await fetch(`${baseURL}/models`)).status).toBe(401);
      const openai = new OpenAI({ apiKey: token, baseURL, maxRetries: 0 });
      expect((await openai.models.list()).data[0]?.id).toBe('askpanda');
      const stream = await openai.chat.completions.create({
        model: 'askpanda',
        stream: true,
        messages: [{ role: 'user', content: 'what does pilot error 1099 mean?' }],
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toMatch(/Pilot error 1099/);
    },
    SPAWNED_CLI_TIMEOUT_MS + 60_000,
  );
});
