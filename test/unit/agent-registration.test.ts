// Loaded first on purpose (see mcp-demo-core.ts): discord.js's bundled inspect breaks under vitest otherwise.
import 'discord.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createMcpToolbox } from '../../src/cli/mcp-toolbox.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import type { Agent } from '../../src/contracts/agent.js';
import { createCore } from '../../src/core/pipeline.js';
import { silentLogger } from '../../src/log.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createMemoryDeduper } from '../../src/state/dedupe.js';
import { createLocalLock } from '../../src/state/lock.js';
import { createConversationMemory } from '../../src/state/memory.js';
import Keyv from 'keyv';
import { createToyAgent } from '../fixtures/toy-agent/index.js';
import { directMessage, replyText } from '../doubles/message.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-toy-'));
const logger = silentLogger();
const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }), logger });
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

/** A bot whose agent list is `agents`: the same wiring the composition root does. */
async function botWith(agents: Agent[]) {
  const memory = createConversationMemory({ keyv: new Keyv(), maxTurns: 10, maxChars: 10_000, ttlMs: 60_000 });
  const core = createCore({ router: services.router(), agents, memory, deduper: createMemoryDeduper(), lock: createLocalLock(), logger });
  const server = createMcpServer({ toolbox: createMcpToolbox({ core, router: services.router(), kb: services.kb(), logger }), logger });
  const client = new Client({ name: 'toy-test', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  closers.push(
    () => client.close(),
    () => memory.close(),
  );
  const chat = async (text: string): Promise<string> => replyText(await core.handle(directMessage(text)));
  return { chat, client };
}

describe('one registration point per agent', () => {
  it('a toy agent added to the agent list brings its own intent: routed by its rule, listed in help, served as an MCP tool', async () => {
    const bot = await botWith([createToyAgent(), ...services.agents()]);
    expect(await bot.chat('how much bamboo does a panda eat?')).toBe('🐼 The toy panda munches bamboo (how much bamboo does a panda eat?).');
    // The built-in intents keep their routes.
    expect(await bot.chat('hello')).not.toContain('toy panda');

    const help = await bot.chat('help');
    expect(help).toContain('• tell you what a toy panda eats: "how much bamboo does a panda eat?"');
    expect(help).toContain('• explain error codes: "what does pilot error 1150 mean?"');

    const { tools } = await bot.client.listTools();
    const toy = tools.find((t) => t.name === 'toy_diet');
    expect(toy?.description).toBe('Tells how much bamboo a named toy panda eats.');
    expect(toy?.inputSchema.properties).toHaveProperty('name');
    expect(toy?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    const result = (await bot.client.callTool({ name: 'toy_diet', arguments: { name: 'Ada' } })) as CallToolResult;
    expect(result.content[0]).toEqual({ type: 'text', text: '🐼 The toy panda munches bamboo (how much bamboo does Ada eat?).' });
    const bad = (await bot.client.callTool({ name: 'toy_diet', arguments: { name: '' } })) as CallToolResult;
    expect(bad.isError).toBe(true);
  });

  it("an intent declared by an agent that does not serve it answers with the agent's 'not set up' sentence", async () => {
    const toy = createToyAgent();
    const bot = await botWith([{ ...toy, intents: [] }, ...services.agents()]);
    expect(await bot.chat('how much bamboo does a panda eat?')).toBe('Panda diet questions are not set up in this deployment yet.');
  });

  it('without the toy agent, its words take the built-in routes', async () => {
    const bot = await botWith(services.agents());
    expect(await bot.chat('how much bamboo does a panda eat?')).not.toContain('toy panda');
  });

  it('the MCP tools and the help lines are exactly what the listed agents declare', async () => {
    const bot = await botWith(services.agents());
    const { tools } = await bot.client.listTools();
    const declared = services.agents().flatMap((a) => (a.tools ?? []).map((t) => t.name));
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', ...declared].sort());
    expect(declared.sort()).toEqual(['analyze_job', 'error_summary', 'explain_error_code', 'query_queues', 'search_docs', 'task_summary']);
    const help = await bot.chat('help');
    expect(help).not.toContain('toy panda');
    for (const line of services.agents().flatMap((a) => a.help ?? [])) expect(help).toContain(line);
  });
});
