import { describe, expect, it } from 'vitest';
import { renderDiscordMessages } from '../../adapters/discord/render.js';
import { renderMattermostPosts } from '../../adapters/mattermost/render.js';
import { markdownToMrkdwn } from '../../adapters/shared/mrkdwn.js';
import { splitText } from '../../adapters/shared/split-text.js';
import { renderSlackMessages } from '../../adapters/slack/render.js';
import type { Reply } from '../../src/contracts/reply.js';

const fences = (t: string): number => (t.match(/^\s*```/gm) ?? []).length;

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('hello', 100)).toEqual(['hello']);
  });

  it('closes and reopens a code block cut by the limit, keeping its language', () => {
    const code = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const chunks = splitText(`intro\n\`\`\`python\n${code}\n\`\`\`\noutro`, 120);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(120);
      expect(fences(c) % 2).toBe(0);
    }
    expect(chunks[1]?.startsWith('```python\n')).toBe(true);
    expect(chunks.join('\n').match(/line \d+/g)).toHaveLength(40);
  });

  it('hard-splits a single line longer than the limit', () => {
    const chunks = splitText('x'.repeat(250), 100);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
  });
});

describe('markdownToMrkdwn', () => {
  it('converts bold, italic, strike, links, headings and bullets', () => {
    expect(markdownToMrkdwn('**Job** failed, *see* ~~old~~ [log](https://x.org/a?b=1&c=2)')).toBe(
      '*Job* failed, _see_ ~old~ <https://x.org/a?b=1&amp;c=2|log>',
    );
    expect(markdownToMrkdwn('## Summary\n- one\n- two')).toBe('*Summary*\n• one\n• two');
  });

  it('escapes <, > and & but leaves code alone otherwise', () => {
    expect(markdownToMrkdwn('a < b & `x **y**`\n```js\nif (a<b) {}\n```')).toBe('a &lt; b &amp; `x **y**`\n```\nif (a&lt;b) {}\n```');
  });
});

const reply: Reply = {
  blocks: [
    { kind: 'heading', text: 'Job 6715819744 failed' },
    {
      kind: 'fields',
      fields: [
        { label: 'Site', value: 'CERN' },
        { label: 'Error', value: 'pilot 1150' },
      ],
    },
    { kind: 'table', columns: ['queue', 'state'], rows: [['CERN-PROD', 'online']] },
    { kind: 'evidence', source: 'pilotlog.txt', lines: [{ n: 12, text: 'stage-out failed' }] },
    { kind: 'citations', items: [{ n: 1, title: 'Pilot errors', source: 'docs', url: 'https://panda.example/errors' }] },
    { kind: 'notice', level: 'warning', text: 'Retrying will not help.' },
  ],
  actions: [
    { id: 'expert', label: 'Expert details', value: '6715819744' },
    { id: 'feedback-up', label: '👍', value: '6715819744' },
  ],
  correlationId: 'abc123',
};

describe('renderers', () => {
  it('Slack: Block Kit with header, fields, code, context and buttons; ≤ 50 blocks per message', () => {
    const [message] = renderSlackMessages(reply);
    const types = message?.blocks.map((b) => b.type);
    expect(types?.[0]).toBe('header');
    expect(types).toContain('context');
    expect(types?.at(-1)).toBe('actions');
    expect(JSON.stringify(message?.blocks)).toContain('stage-out failed');
    const many: Reply = { blocks: Array.from({ length: 120 }, (_, i) => ({ kind: 'markdown' as const, text: `para ${i}` })), actions: reply.actions };
    const messages = renderSlackMessages(many);
    expect(messages.length).toBe(3);
    for (const m of messages) expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(messages.at(-1)?.blocks.at(-1)?.type).toBe('actions');
  });

  it('Mattermost: one Markdown post with a GFM table and buttons carrying their context', () => {
    const posts = renderMattermostPosts(reply, (r) =>
      (r.actions ?? []).map((a) => ({
        id: a.id.replace(/-/g, ''),
        name: a.label,
        integration: { url: 'http://bot/mattermost/actions', context: { action: a.id, value: a.value } },
      })),
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.message).toContain('| queue | state |');
    expect(posts[0]?.message).toContain('ref: abc123');
    expect(posts[0]?.props?.attachments[0]?.actions.map((a) => a.integration.context.action)).toEqual(['expert', 'feedback-up']);
  });

  it('Discord: content ≤ 2,000, fields and sources as embeds, buttons as components, no pings', () => {
    const [message] = renderDiscordMessages(reply);
    expect(message?.content).toContain('```\nqueue');
    expect(message?.embeds?.map((e) => e.title ?? 'fields')).toEqual(['fields', 'Sources']);
    expect(message?.components?.[0]?.components.map((c) => c.custom_id)).toEqual(['expert|6715819744', 'feedback-up|6715819744']);
    expect(message?.allowed_mentions).toEqual({ parse: [] });
    const long = renderDiscordMessages({ blocks: [{ kind: 'code', text: 'x\n'.repeat(3000) }] });
    for (const m of long) {
      expect(m.content.length).toBeLessThanOrEqual(2000);
      expect(fences(m.content) % 2).toBe(0);
    }
  });
});
