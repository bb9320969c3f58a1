import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/contracts/reply.js';
import { replyToMarkdown, withinBudget } from '../../src/wire/markdown.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createDemoWiring } from './mcp-demo-core.js';

const wiring = createDemoWiring();
const client = new Client({ name: 'mcp-test', version: '1.0.0' });

beforeAll(async () => {
  const server = createMcpServer({ toolbox: wiring.toolbox, logger: wiring.logger });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
});
afterAll(async () => {
  await client.close();
  await wiring.close();
});

const textOf = (result: CallToolResult): string => {
  const first = result.content[0];
  if (first?.type !== 'text') throw new Error('no text content');
  return first.text;
};
const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const chatText = (reply: Reply) => withinBudget(replyToMarkdown(reply), 12_000).text;
/** Answers say when their data was read ("as of <ISO time>"); two calls differ only there. */
const timeless = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');

/** Each tool call and the chat question that must give the same answer. */
const SAME_AS_CHAT: Array<{ tool: string; args: Record<string, unknown>; question: string; expect: RegExp }> = [
  { tool: 'analyze_job', args: { pandaid: 6601000005 }, question: 'why did job 6601000005 fail?', expect: /1151/ },
  { tool: 'task_summary', args: { jeditaskid: 46200002 }, question: 'summarise task 46200002', expect: /Task 46200002/ },
  { tool: 'query_queues', args: { question: 'which queues use rucio as copytool?' }, question: 'which queues use rucio as copytool?', expect: /rucio/i },
  { tool: 'explain_error_code', args: { code: 1150, component: 'pilot' }, question: 'what does pilot error 1150 mean?', expect: /1150/ },
  { tool: 'error_summary', args: { hours: 24, site: 'SWT2_CPB' }, question: 'top errors at SWT2_CPB in the last 24 hours', expect: /pilot:1099/ },
  { tool: 'search_docs', args: { query: 'how does the pilot stage in input files?' }, question: 'how does the pilot stage in input files?', expect: /\S/ },
  { tool: 'ask', args: { question: 'why did job 6601000006 fail?' }, question: 'why did job 6601000006 fail?', expect: /1099/ },
];

describe('MCP server over the in-memory transport (real SDK client, demo data)', () => {
  it('lists the seven read-only tools with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'analyze_job',
      'ask',
      'error_summary',
      'explain_error_code',
      'query_queues',
      'search_docs',
      'task_summary',
    ]);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations?.destructiveHint, tool.name).toBe(false);
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(60);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.properties).toHaveProperty('truncated');
    }
    const job = tools.find((t) => t.name === 'analyze_job');
    expect(job?.inputSchema.required).toEqual(['pandaid']);
  });

  for (const c of SAME_AS_CHAT) {
    it(`${c.tool} answers what the chat path answers to "${c.question}"`, async () => {
      const [result, chat] = await Promise.all([call(c.tool, c.args), wiring.chat(c.question)]);
      const text = textOf(result);
      expect(text).toMatch(c.expect);
      expect(timeless(text)).toBe(timeless(chatText(chat)));
      const structured = result.structuredContent as { intent?: string; summary: string; truncated: boolean; data?: unknown };
      expect(structured.intent).toBe(chat.intent);
      expect(structured.truncated).toBe(false);
      if (chat.data) expect(timeless(JSON.stringify(structured.data))).toBe(timeless(JSON.stringify(chat.data)));
    });
  }

  it('keeps a conversation across ask calls with the same conversation id', async () => {
    await call('ask', { question: 'why did job 6601000011 fail?', conversation: 'conv-1' });
    const follow = textOf(await call('ask', { question: 'show me the expert details for it', conversation: 'conv-1' }));
    expect(follow).toMatch(/Job 6601000011 failed/);
    const fresh = textOf(await call('ask', { question: 'show me the expert details for it', conversation: 'conv-2' }));
    expect(fresh).not.toMatch(/6601000011/);
  });

  it('rejects arguments outside the schema before any agent runs', async () => {
    const result = await call('analyze_job', { pandaid: 'not-a-number' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/pandaid/);
  });

  it('answers an unknown job with a one-sentence error naming the job', async () => {
    const text = textOf(await call('analyze_job', { pandaid: 6609999999 }));
    expect(text).toMatch(/6609999999/);
  });

  it('serves error codes as resources and lists them', async () => {
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(100);
    expect(resources.some((r) => r.uri === 'askpanda://error-codes/pilot/1150')).toBe(true);
    const read = await client.readResource({ uri: 'askpanda://error-codes/pilot/1150' });
    const first = read.contents[0];
    const entry = JSON.parse(first && 'text' in first ? first.text : '{}') as { code: number; component: string; retry: string };
    expect(entry).toMatchObject({ component: 'pilot', code: 1150 });
    expect(entry.retry).toBeTruthy();
    const index = await client.readResource({ uri: 'askpanda://error-codes' });
    expect(JSON.stringify(index.contents)).toMatch(/\| pilot \| \d+ \|/);
    await expect(client.readResource({ uri: 'askpanda://error-codes/pilot/99999' })).rejects.toThrow(/not in the knowledge base/);
  });

  it('offers prompts for diagnosing a job and triaging a task', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['diagnose_failed_job', 'triage_task']);
    const prompt = await client.getPrompt({ name: 'diagnose_failed_job', arguments: { pandaid: '6601000005' } });
    expect(JSON.stringify(prompt.messages)).toMatch(/analyze_job.*6601000005/);
  });
});
