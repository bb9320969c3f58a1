import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocsAgent, NOT_FOUND, rewriteFollowUp } from '../../agents/docs/index.js';
import type { AgentRequest } from '../../src/contracts/agent.js';
import type { Turn } from '../../src/contracts/conversation.js';
import { renderDiscordMessages } from '../../adapters/discord/render.js';
import { renderMattermostPosts } from '../../adapters/mattermost/render.js';
import { renderSlackMessages } from '../../adapters/slack/render.js';
import { type Reply, untrusted } from '../../src/contracts/reply.js';
import { createDocIngester, type IndexedDocumentStore, loadGlossary, openLanceStore } from '../../src/index/index.js';
import { createFakeLlm } from '../doubles/fake-llm.js';
import { agentRequest } from '../doubles/agent-request.js';

const primer = fileURLToPath(new URL('../../resources/demo/docs', import.meta.url));
let root: string;
let store: IndexedDocumentStore;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'askpanda-docs-agent-'));
  store = await openLanceStore({ dir: join(root, 'index'), glossary: loadGlossary() });
  await createDocIngester({ store, catalogFile: join(root, 'index', 'catalog.json') }).ingest([primer]);
});
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

function request(text: string, history: Turn[] = []): AgentRequest {
  return agentRequest(text, 'docs', { history, message: { platform: 'console', workspace: 'local', thread: 't', mentionsBot: true, eventId: text } });
}

const markdown = (reply: Reply): string => reply.blocks.map((b) => (b.kind === 'markdown' ? b.text : '')).join('\n');
const citations = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'citations' ? b.items : []));
const turn = (role: 'user' | 'assistant', text: string): Turn => ({ role, text, at: new Date().toISOString(), intent: 'docs' });

describe('docs agent (offline)', () => {
  const agent = () => createDocsAgent({ store, glossary: loadGlossary() });

  it('answers "what is PanDA?" with quoted sentences, numbered citations and a lead-in', async () => {
    const reply = await agent().answer(request('what is PanDA?'));
    const text = markdown(reply);
    expect(text.split('\n')[0]).toBe('The documentation says:');
    expect(text).toContain('> PanDA (Production and Distributed Analysis) is the workload management system of the ATLAS experiment');
    expect(text).toMatch(/\[1\]/);
    expect(citations(reply)[0]).toMatchObject({ n: 1, title: 'What is PanDA?', source: 'what-is-panda.md' });
    for (const c of citations(reply)) expect(c.url).toBeUndefined();
    expect(reply.intent).toBe('docs');
  });

  it('"explain it better" after "what is PanDA?" answers the first question at more length', async () => {
    const first = await agent().answer(request('what is PanDA?'));
    const history = [turn('user', 'what is PanDA?'), turn('assistant', first.summary ?? '')];
    const reply = await agent().answer(request('explain it better', history));
    expect(reply.data).toMatchObject({ question: 'what is PanDA?', followUp: true, found: true });
    // The user's own question is quoted as untrusted text.
    expect(markdown(reply)).toContain(`Following up on “${untrusted('what is PanDA?')}”, here is more of what the documentation says:`);
    const quotes = markdown(reply)
      .split('\n')
      .filter((l) => l.startsWith('> '));
    const firstQuotes = markdown(first)
      .split('\n')
      .filter((l) => l.startsWith('> '));
    expect(quotes.length).toBeGreaterThan(firstQuotes.length);
  });

  it('"and in Rucio?" carries the earlier question over to Rucio', async () => {
    const history = [turn('user', 'how are the outputs of my jobs stored?'), turn('assistant', 'The pilot uploads outputs.')];
    expect(rewriteFollowUp('and in Rucio?', history)).toEqual({ question: 'how are the outputs of my jobs stored in Rucio', followUp: true, elaborate: false });
    const reply = await agent().answer(request('and in Rucio?', history));
    expect(citations(reply).some((c) => c.source === 'rucio-and-data.md')).toBe(true);
  });

  it('says it could not find it when the documents do not cover the question', async () => {
    const reply = await agent().answer(request('what is the best recipe for sourdough bread?'));
    expect(markdown(reply)).toContain(NOT_FOUND);
    expect(citations(reply)).toEqual([]);
    expect(reply.data).toMatchObject({ found: false });
  });

  it('says back a question holding mentions and links as inert text on Slack, Mattermost and Discord', async () => {
    const hostile = 'sourdough @channel <!here> <https://evil.example|click> [click](https://evil.example) @alice';
    const reply = await agent().answer(request(hostile));
    expect(markdown(reply)).toContain(untrusted(hostile));
    const slack = JSON.stringify(renderSlackMessages(reply));
    expect(slack).not.toMatch(/<!here>|<https?:\/\/|https?:\/\/evil/);
    expect(slack).toContain('&lt;!here&gt;');
    const posts = [renderMattermostPosts(reply, () => [])[0]?.message ?? '', renderDiscordMessages(reply)[0]?.content ?? ''];
    for (const text of posts) {
      expect(text).not.toMatch(/\[click\]\(https?:|<https?:\/\/|https?:\/\/evil|(^|[^\w\u2060\u200b])@(channel|here|alice)\b/);
      expect(text).toContain('\\[click\\]');
    }
  });
});

describe('docs agent with an LLM', () => {
  it('hands the passages as evidence, keeps only citations of given passages and removes invented links', async () => {
    const llm = createFakeLlm({
      results: [{ text: 'PanDA is the ATLAS workload management system [1]. See https://evil.example/panda and [9].' }],
    });
    const reply = await createDocsAgent({ store, llm }).answer(request('what is PanDA?'));
    const call = llm.calls[0];
    expect(call?.evidence?.[0]?.title).toMatch(/^\[1\] What is PanDA\?/);
    expect(call?.system).toContain('ONLY the numbered documentation passages');
    const text = markdown(reply);
    expect(text).toContain('PanDA is the ATLAS workload management system [1].');
    expect(text).not.toContain('evil.example');
    expect(text).not.toContain('[9]');
    expect(citations(reply).map((c) => c.n)).toEqual([1]);
    expect(reply.data).toMatchObject({ mode: 'llm' });
  });

  it('falls back to the extractive answer, saying so, when the model fails', async () => {
    const llm = createFakeLlm({ results: [new Error('model down'), new Error('model down')] });
    const reply = await createDocsAgent({ store, llm }).answer(request('what is PanDA?'));
    expect(reply.blocks[0]).toMatchObject({ kind: 'notice', level: 'info' });
    expect(markdown(reply)).toContain('> PanDA (Production and Distributed Analysis)');
    expect(reply.data).toMatchObject({ mode: 'extractive' });
  });
});

describe('extractive answers', () => {
  it('quotes a sentence repeated in overlapping passages only once', async () => {
    const { bestSentences } = await import('../../agents/docs/extractive.js');
    const sentence = 'A job has a numeric PanDA ID and a task has a JEDI task ID.';
    const passage = (id: string, extra: string) => ({ id, text: `${sentence} ${extra}`, kind: 'doc' as const, source: 's.md', title: 'T', score: 1 });
    const quotes = bestSentences(
      'what is a PanDA job ID and a task ID?',
      [passage('a', 'PanDA jobs run on sites.'), passage('b', 'Tasks are sets of jobs.')],
      5,
    );
    expect(quotes.filter((q) => q.text === sentence)).toHaveLength(1);
  });
});
