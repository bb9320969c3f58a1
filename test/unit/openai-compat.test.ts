import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/pipeline.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createHttpAuth } from '../../src/http/auth.js';
import { registerOpenAiCompat } from '../../src/http/openai-compat.js';
import { createHttpServer } from '../../src/http/server.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { createDemoWiring } from './mcp-demo-core.js';

const TOKEN = 'owui-test-token';
const OTHER_TOKEN = 'librechat-test-token';
const wiring = createDemoWiring();
const http = createHttpServer({ host: '127.0.0.1', port: 0, logger: wiring.logger });
/** Every message the endpoint hands to the core. */
const handled: IncomingMessage[] = [];
const core: Core = wiring.core;
let baseURL = '';
let client: OpenAI;

beforeAll(async () => {
  registerOpenAiCompat(http, {
    auth: createHttpAuth({ tokens: [`openwebui:${TOKEN}`, `librechat:${OTHER_TOKEN}`], host: '127.0.0.1' }),
    handle: (message) => {
      handled.push(message);
      return core.handle(message);
    },
    render: (reply) => replyToMarkdown(reply, { images: 'inline' }),
    logger: wiring.logger,
  });
  const { port } = await http.listen();
  baseURL = `http://127.0.0.1:${port}/v1`;
  client = new OpenAI({ apiKey: TOKEN, baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await http.close();
  await wiring.close();
});

const expected = async (question: string) => replyToMarkdown(await wiring.chat(question), { images: 'inline' });
const timeless = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');

describe('OpenAI-compatible endpoint with the official openai client', () => {
  it('lists the askpanda model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['askpanda']);
  });

  it('answers a question non-streaming with what the chat path answers, through the core as platform http', async () => {
    const completion = await client.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content: 'why did job 6601000005 fail?' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toBe(await expected('why did job 6601000005 fail?'));
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(handled.at(-1)).toMatchObject({
      platform: 'http',
      workspace: expect.stringMatching(/^openwebui~[0-9a-f]{12}$/),
      text: 'why did job 6601000005 fail?',
    });
  });

  it('streams the same answer in OpenAI chunks', async () => {
    const stream = await client.chat.completions.create({
      model: 'askpanda',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'how many jobs of task 46200002 failed, and why?' }],
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    let usage = 0;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage?.total_tokens ?? usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
    expect(usage).toBeGreaterThan(0);
    expect(text).toMatch(/46200002/);
    expect(timeless(text)).toBe(timeless(await expected('how many jobs of task 46200002 failed, and why?')));
  });

  it('ends the raw SSE stream with data: [DONE]', async () => {
    const res = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'askpanda', stream: true, messages: [{ role: 'user', content: 'what does pilot error 1099 mean?' }] }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const body = await res.text();
    const events = body.split('\n\n').filter(Boolean);
    expect(events[0]).toMatch(/^data: \{.*"delta":\{"role":"assistant","content":""\}/);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(body).toMatch(/"finish_reason":"stop"/);
  });

  it('refuses requests without a token or with a wrong one (401)', async () => {
    const anonymous = await fetch(`${baseURL}/chat/completions`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const wrong = new OpenAI({ apiKey: 'nope', baseURL, maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('keeps a conversation by the Open WebUI chat id header', async () => {
    const headers = { 'X-OpenWebUI-Chat-Id': 'chat-42' };
    await client.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content: 'why did job 6601000011 fail?' }] }, { headers });
    const before = handled.length;
    const follow = await client.chat.completions.create(
      {
        model: 'askpanda',
        messages: [
          { role: 'user', content: 'why did job 6601000011 fail?' },
          { role: 'assistant', content: '…' },
          { role: 'user', content: 'show me the expert details for it' },
        ],
      },
      { headers },
    );
    expect(handled[before]?.thread).toBe('chat:chat-42');
    expect(follow.choices[0]?.message.content).toMatch(/6601000011/);
  });

  it('keeps memory per caller: one chat id from two tokens or two named users never shares a conversation', async () => {
    const other = new OpenAI({ apiKey: OTHER_TOKEN, baseURL, maxRetries: 0 });
    const ask = (c: OpenAI, content: string, headers: Record<string, string>) =>
      c.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content }] }, { headers }).then((r) => r.choices[0]?.message.content ?? '');
    const chat = { 'X-Chat-Id': 'shared-7' };
    await ask(client, 'why did job 6601000011 fail?', chat);
    // Another token, same chat id: its follow-up knows nothing of the job asked through the first token.
    expect(await ask(other, 'show me the expert details for it', chat)).not.toMatch(/6601000011/);
    // The first token's own follow-up still does.
    expect(await ask(client, 'show me the expert details for it', chat)).toMatch(/Job 6601000011 failed/);
    // One token (one Open WebUI) for many people: the user it names scopes the chat id too.
    const alice = { 'X-Chat-Id': 'shared-8', 'X-OpenWebUI-User-Id': 'alice' };
    const bob = { 'X-Chat-Id': 'shared-8', 'X-OpenWebUI-User-Id': 'bob' };
    await ask(client, 'why did job 6601000011 fail?', alice);
    expect(await ask(client, 'show me the expert details for it', bob)).not.toMatch(/6601000011/);
    expect(await ask(client, 'show me the expert details for it', alice)).toMatch(/Job 6601000011 failed/);
  });

  it('gives every request without a conversation id a fresh thread, with the history the request carries', async () => {
    const first = 'what does pilot error 1324 mean?';
    // Two people open a chat with the same first question: they never share a thread.
    await client.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content: first }] });
    const a = handled.at(-1);
    await client.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content: first }] });
    const b = handled.at(-1);
    expect(a?.thread).toMatch(/^req:/);
    expect(b?.thread).not.toBe(a?.thread);
    expect(a?.history).toBeUndefined();
    // A follow-up carries its own history in `messages`; the bot reads it from there.
    await client.chat.completions.create({
      model: 'askpanda',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: first },
        { role: 'assistant', content: 'It means the pilot lost the heartbeat.' },
        { role: 'user', content: 'would a retry help?' },
      ],
    });
    const follow = handled.at(-1);
    expect(follow?.thread).not.toBe(a?.thread);
    expect(follow?.text).toBe('would a retry help?');
    expect(follow?.history).toEqual([
      { role: 'user', text: first },
      { role: 'assistant', text: 'It means the pilot lost the heartbeat.' },
    ]);
  });

  it('answers Open WebUI title, tag and follow-up tasks without running the core', async () => {
    const before = handled.length;
    const history = '<chat_history>\nUSER: why did job 6601000005 fail?\nASSISTANT: stage-in timed out\n</chat_history>';
    const ask = async (task: string) =>
      (await client.chat.completions.create({ model: 'askpanda', messages: [{ role: 'user', content: `### Task:\n${task}\n${history}` }] })).choices[0]?.message
        .content ?? '';
    const title = JSON.parse(
      await ask(
        'Generate a concise, 3-5 word title with an emoji summarizing the chat history.\n### Output:\nJSON format: { "title": "your concise title here" }',
      ),
    ) as { title: string };
    expect(title.title).toMatch(/6601000005/);
    const tags = JSON.parse(
      await ask('Generate 1-3 broad tags categorizing the main themes of the chat history, along with 1-3 more specific subtopic tags.'),
    ) as { tags: string[] };
    expect(tags.tags).toContain('Job failure');
    const follow = JSON.parse(await ask('Suggest 3-5 relevant follow-up questions or prompts that the user might naturally ask next.')) as {
      follow_ups: string[];
    };
    expect(follow.follow_ups.length).toBeGreaterThan(0);
    const libre = await client.chat.completions.create({
      model: 'askpanda',
      messages: [
        { role: 'user', content: 'Please generate a concise, 5-word-or-less title for the conversation, using its same language, with no punctuation.' },
      ],
    });
    expect(libre.choices[0]?.message.content).toMatch(/^🐼/);
    expect(handled.length).toBe(before);
  });

  it('rejects a request without a user message (400)', async () => {
    await expect(client.chat.completions.create({ model: 'askpanda', messages: [{ role: 'system', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
  });
});
