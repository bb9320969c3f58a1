/**
 * Untrusted spans (Reply contract `untrusted()`): a job whose error diag carries mentions,
 * broadcasts and links is analysed by the real job agent, and its replies render inert on Slack,
 * Mattermost and Discord and in the user-view text; the marks themselves never reach a user.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/console/render.js';
import { renderDiscordMessages } from '../../adapters/discord/render.js';
import { renderMattermostPosts } from '../../adapters/mattermost/render.js';
import { renderSlackMessages } from '../../adapters/slack/render.js';
import { createJobAgent } from '../../agents/logs/index.js';
import { mapUntrusted, type Reply, untrusted, withoutMarks, withoutMarksDeep } from '../../src/contracts/reply.js';
import { userViewText } from '../../src/cli/eval-conversations.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { createFileSource } from '../../src/panda/index.js';
import { toToolResult } from '../../src/mcp/server.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { agentRequest } from '../doubles/agent-request.js';
import { needShared, sharedPath } from '../support/shared.js';

const HOSTILE = '@channel <!here> <https://evil.example|click> [click](https://evil.example) @alice';
const dev = needShared('eval/failures-dev');
const tmp = mkdtempSync(join(tmpdir(), 'untrusted-spans-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A failures-dev job whose pilot error diag carries the hostile text. */
async function hostileJobReplies(): Promise<{ user: Reply; expert: Reply }> {
  const id = '6589214430';
  const dir = join(tmp, 'cases');
  mkdirSync(join(dir, id), { recursive: true });
  const raw = JSON.parse(readFileSync(sharedPath(`eval/failures-dev/${id}/job.json`), 'utf8')) as { job: Record<string, unknown> };
  raw.job = { ...raw.job, piloterrordiag: `Job killed by signal: SIGTERM ${HOSTILE}` };
  writeFileSync(join(dir, id, 'job.json'), JSON.stringify(raw));
  writeFileSync(join(dir, id, 'pilotlog.txt'), readFileSync(sharedPath(`eval/failures-dev/${id}/pilotlog.txt`), 'utf8'));
  const agent = createJobAgent({ panda: createFileSource(dir), kb: createKnowledgeBase() });
  const ask = (view?: 'expert') => agentRequest(`why did job ${id} fail?`, 'job', { entities: { pandaid: Number(id) }, view, message: { workspace: 'local' } });
  return { user: await agent.answer(ask()), expert: await agent.answer(ask('expert')) };
}

/** Live forms on each platform. */
const SLACK_LIVE = /<!here>|<!channel>|<https?:\/\/[^>]*>|<@\w/;
const MARKDOWN_LIVE = /\[click\]\(https?:|<https?:\/\/|https?:\/\/evil|(^|[^\w\u2060\u200b])@(channel|here|alice)\b|<!here>/;
const NO_MARKS = /[\uE000-\uE002]/;
/** Text outside code blocks (inside them nothing renders; fence safety is tested in adapter-render.test.ts). */
const prose = (text: string): string => text.replace(/```[\s\S]*?```/g, '```…```');

describe('the untrusted mark', () => {
  it('wraps text so it cannot close its own span, and renderers see exactly the quoted part', () => {
    const marked = `Reported: "${untrusted('a\uE001 [x](http://e) \uE000b')}" end`;
    const parts: string[] = [];
    mapUntrusted(marked, (q) => {
      parts.push(q);
      return q;
    });
    expect(parts).toEqual(['a [x](http://e) b']);
    expect(withoutMarks(marked)).toBe('Reported: "a [x](http://e) b" end');
  });
});

describe.skipIf(dev.missing)(`a job whose error diag holds ${HOSTILE}${dev.note}`, () => {
  const replies = dev.missing ? null : hostileJobReplies();

  it('quotes the diag in the user view, marked untrusted', async () => {
    const { user } = (await replies) as { user: Reply };
    const text = user.blocks
      .filter((b) => b.kind === 'markdown')
      .map((b) => ('text' in b ? b.text : ''))
      .join('\n');
    expect(text).toContain(untrusted(`Job killed by signal: SIGTERM ${HOSTILE}`).slice(0, -1));
  });

  it('Slack: no broadcast, mention or link forms; the diag reads as text', async () => {
    for (const reply of Object.values(await (replies as Promise<Record<string, Reply>>))) {
      for (const message of renderSlackMessages(reply)) {
        const texts = [message.text, ...message.blocks.map((b) => prose(JSON.stringify(b)))];
        for (const t of texts) {
          expect(t).not.toMatch(SLACK_LIVE);
          expect(t).not.toMatch(/https?:\/\/evil/);
          expect(t).not.toMatch(NO_MARKS);
        }
        expect(JSON.stringify(message.blocks)).toContain('&lt;!here&gt;');
      }
    }
  });

  it('Mattermost: no @channel/@alice mention, no Markdown or bare link', async () => {
    for (const reply of Object.values(await (replies as Promise<Record<string, Reply>>))) {
      for (const post of renderMattermostPosts(reply, () => [])) {
        expect(prose(post.message)).not.toMatch(MARKDOWN_LIVE);
        expect(post.message).not.toMatch(NO_MARKS);
        expect(post.message).toContain('\\[click\\]\\(https:\u2060//evil.example\\)');
      }
    }
  });

  it('Discord: no mention or link in content or embeds, mentions never parsed', async () => {
    for (const reply of Object.values(await (replies as Promise<Record<string, Reply>>))) {
      for (const m of renderDiscordMessages(reply)) {
        expect(prose(m.content)).not.toMatch(MARKDOWN_LIVE);
        expect(JSON.stringify(m.embeds ?? [])).not.toMatch(/\[click\]\(https?:|https?:\/\/evil/);
        expect(m.content).not.toMatch(NO_MARKS);
        expect(m.allowed_mentions).toEqual({ parse: [] });
      }
    }
  });

  it('MCP / v1 Markdown: the same inert Markdown', async () => {
    const { user } = (await replies) as { user: Reply };
    const markdown = replyToMarkdown(user);
    expect(prose(markdown)).not.toMatch(MARKDOWN_LIVE);
    expect(markdown).not.toMatch(NO_MARKS);
  });

  it('MCP tool result and --json: no marks in text, summary or structured data', async () => {
    const { user } = (await replies) as { user: Reply };
    const marked = { ...user, summary: `Job failed: ${untrusted(HOSTILE)}`, data: { diag: untrusted(HOSTILE), lines: [untrusted('x')] } };
    const result = toToolResult(marked, 12_000, 24_000);
    expect(JSON.stringify(result)).not.toMatch(NO_MARKS);
    expect((result.structuredContent as { data: { diag: string } }).data.diag).toBe(HOSTILE);
    const json = JSON.stringify(withoutMarksDeep(marked));
    expect(json).not.toMatch(NO_MARKS);
    expect(json).toContain(JSON.stringify(`Job killed by signal: SIGTERM ${HOSTILE}`).slice(1, -1));
  });

  it('user-view text: the diag exactly as the job record has it, no marks', async () => {
    const { user, expert } = (await replies) as { user: Reply; expert: Reply };
    const text = userViewText(user);
    expect(text).toContain(`Job killed by signal: SIGTERM ${HOSTILE}`);
    expect(text).not.toMatch(NO_MARKS);
    expect(renderReply(expert, { color: false, width: 100 })).not.toMatch(NO_MARKS);
  });
});
