import { describe, expect, it } from 'vitest';
import { renderDiscordMessages } from '../../adapters/discord/render.js';
import { renderMattermostPosts } from '../../adapters/mattermost/render.js';
import { acknowledgement, analysisRootText } from '../../adapters/shared/commands.js';
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

describe('untrusted text quoted in replies is chat-safe', () => {
  // A job diag / log line / user text carrying a backtick, a fence, mentions and links.
  const hostile = 'stage-out failed` @channel <!channel> <!here> <@U123> @here @all @everyone <@&42> [click](http://evil.example/x) ``` @channel';
  const quoted: Reply = {
    blocks: [
      { kind: 'markdown', text: `The pilot reported \`${hostile}\`.` },
      { kind: 'fields', fields: [{ label: 'Error', value: hostile }] },
      { kind: 'code', text: hostile },
      { kind: 'evidence', source: 'pilotlog.txt', lines: [{ n: 7, text: hostile }] },
      { kind: 'table', columns: ['error'], rows: [[hostile]] },
      { kind: 'notice', level: 'error', text: hostile },
    ],
  };
  // `<!channel>` is Slack syntax only; on Mattermost and Discord the `@` forms ping.
  const livePing = /(^|[^\w\u200b])@(channel|here|all|everyone)\b|<@[&!]?\w/;

  it('Slack: <, > and & escaped everywhere, so no <!channel>, <@U…> or <url|label> forms from quoted text', () => {
    const json = JSON.stringify(renderSlackMessages(quoted));
    expect(json).not.toMatch(/<!(channel|here)|<@U123/);
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('Slack: a fence inside quoted code cannot close the code block', () => {
    const texts = renderSlackMessages({ blocks: [{ kind: 'code', text: hostile }] })[0]?.blocks.map((b) => JSON.stringify(b)) ?? [];
    const body = (JSON.parse(texts[0] ?? '{}') as { text?: { text?: string } }).text?.text ?? '';
    expect(fences(body)).toBe(2);
    expect(body.slice(3, -3)).not.toContain('```');
  });

  it('Mattermost: no @channel/@here/@all or user mention survives, fences stay closed', () => {
    const [post] = renderMattermostPosts(quoted, () => []);
    const message = post?.message ?? '';
    expect(message).not.toMatch(livePing);
    expect(message).toContain('@\u200bchannel');
    for (const block of message.split(/\n\n/)) if (block.includes('```')) expect(block.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
  });

  it('Discord: no @everyone/@here or <@id> mention survives in content or embeds, and mentions are never parsed', () => {
    const messages = renderDiscordMessages(quoted);
    for (const m of messages) {
      expect(m.content).not.toMatch(livePing);
      expect(JSON.stringify(m.embeds ?? [])).not.toMatch(livePing);
      expect(m.allowed_mentions).toEqual({ parse: [] });
    }
  });

  it('leaves e-mail addresses and the bot’s own links alone', () => {
    const [post] = renderMattermostPosts(
      { blocks: [{ kind: 'markdown', text: 'Ask user@cern.ch or see [job 1](https://bigpanda.cern.ch/job/1/).' }] },
      () => [],
    );
    expect(post?.message).toBe('Ask user@cern.ch or see [job 1](https://bigpanda.cern.ch/job/1/).');
  });
});

describe('/panda-job with an argument that is not a job ID', () => {
  for (const args of ['<!channel>', '@channel', 'abc', '<http://evil.example|click>']) {
    it(`answers ${JSON.stringify(args)} with a usage message that does not echo it`, () => {
      const command = { name: 'panda-job', args };
      const ack = acknowledgement(command);
      expect(ack).toMatch(/Usage: .*\/panda-job <pandaid>/);
      expect(ack).toContain('not a PanDA job ID');
      expect(ack).not.toContain(args);
      expect(analysisRootText(command, '@alice')).not.toContain(args);
    });
  }

  it('a numeric ID (or a monitor link) is acknowledged with the ID alone', () => {
    expect(acknowledgement({ name: 'panda-job', args: '6601000006' })).toBe('Looking at PanDA job 6601000006: the analysis will appear in a thread.');
    expect(acknowledgement({ name: 'panda-job', args: 'https://bigpanda.cern.ch/job/6601000006/ <!channel>' })).not.toContain('<!channel>');
    expect(analysisRootText({ name: 'panda-job', args: '6601000006' }, '@alice')).toBe('🔎 PanDA job 6601000006: analysis requested by @alice');
  });
});
