import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/contracts/reply.js';
import { replyToMarkdown, withinBudget } from '../../src/wire/markdown.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createDemoWiring } from './mcp-demo-core.js';

const wiring = createDemoWiring();
afterAll(() => wiring.close());

describe('MCP result size budget', () => {
  it('cuts a large task summary, says so in the text and in structuredContent, and drops oversized data', async () => {
    const server = createMcpServer({ toolbox: wiring.toolbox, logger: wiring.logger, maxTextChars: 1500, maxDataChars: 500 });
    const client = new Client({ name: 'budget', version: '1' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(b), client.connect(a)]);
    const result = (await client.callTool({ name: 'task_summary', arguments: { jeditaskid: 46200001 } })) as CallToolResult;
    const first = result.content[0];
    const text = first?.type === 'text' ? first.text : '';
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text).toMatch(/\[truncated: showing about 1500 of \d+ characters/);
    expect(text.startsWith('### Task 46200001')).toBe(true);
    const structured = result.structuredContent as { truncated: boolean; data?: unknown; dataOmitted?: string };
    expect(structured.truncated).toBe(true);
    expect(structured.data).toBeUndefined();
    expect(structured.dataOmitted).toMatch(/above the 500-character budget/);
    await client.close();
  });

  it('leaves a small answer whole and closes a code fence it cuts through', () => {
    expect(withinBudget('short', 100)).toEqual({ text: 'short', truncated: false, fullLength: 5 });
    const code = `intro\n\`\`\`\n${'line of log\n'.repeat(200)}\`\`\``;
    const cut = withinBudget(code, 400);
    expect(cut.truncated).toBe(true);
    expect((cut.text.match(/```/g) ?? []).length % 2).toBe(0);
  });

  it('renders every block kind as Markdown', () => {
    const reply: Reply = {
      blocks: [
        { kind: 'heading', text: 'Job 1 failed' },
        { kind: 'fields', fields: [{ label: 'Site', value: 'CERN' }] },
        { kind: 'table', columns: ['a', 'b|c'], rows: [['1', '2']], caption: 'Counts' },
        { kind: 'evidence', source: 'pilotlog.txt', lines: [{ n: 12, text: 'ERROR stage-in' }] },
        { kind: 'citations', items: [{ n: 1, title: 'Pilot docs', source: 'pilot', url: 'https://example.org/p' }] },
        { kind: 'notice', level: 'warning', text: 'LLM offline' },
      ],
      actions: [{ id: 'expert', label: 'Expert details', value: '1' }],
      attachments: [{ kind: 'image', filename: 'c.png', mimeType: 'image/png', data: new Uint8Array([1, 2, 3]), alt: 'bars' }],
    };
    const md = replyToMarkdown(reply);
    expect(md).toContain('### Job 1 failed');
    expect(md).toContain('**Site:** CERN');
    expect(md).toContain('| a | b\\|c |');
    expect(md).toMatch(/\*\*Evidence\*\* \(pilotlog\.txt\)\n```\n12 \| ERROR stage-in\n```/);
    expect(md).toContain('[1] [Pilot docs](https://example.org/p)');
    expect(md).toContain('⚠️ LLM offline');
    expect(md).toContain('*Chart (c.png):* bars');
    expect(md).toContain('Expert details (expert 1)');
    expect(replyToMarkdown(reply, { images: 'inline' })).toContain('![bars](data:image/png;base64,AQID)');
  });
});
