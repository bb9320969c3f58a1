/**
 * Recorded payloads (test/fixtures/replay, sources in its README) through the code that reads them
 * in production: the Slack and Mattermost inbound parsers, discord.js via the fake gateway into the
 * real adapter, and the Gemini and OpenAI SDKs through the vendor providers.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePosted } from '../../adapters/mattermost/inbound.js';
import { actionToMessage, parseSlackEvent } from '../../adapters/slack/inbound.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createVendorLlm } from '../../src/llm/index.js';
import { TEST_KEYS } from '../contract/llm-provider.js';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createDiscordDriver, type DiscordDriver } from '../fakes/discord/driver.js';
import { snowflake } from '../fakes/discord/fake-discord.js';

const read = (path: string): string => readFileSync(new URL(`../fixtures/replay/${path}`, import.meta.url), 'utf8');
const json = (path: string): Record<string, unknown> => JSON.parse(read(path)) as Record<string, unknown>;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('Slack events as Slack sends them', () => {
  const bot = { userId: 'U0LAN0Z89' };
  it('app_mention: the question without the mention, threaded on the message', async () => {
    const r = await parseSlackEvent(json('slack/app_mention.json'), bot, async () => false);
    expect(r.ok && r.message).toMatchObject({
      text: 'why did job 6715819744 fail?',
      channel: 'C123ABC456',
      thread: '1515449522.000016',
      eventId: 'Ev123ABC456',
      mentionsBot: true,
    });
  });

  it('message/file_share in a DM: answered, with the file to download', async () => {
    const r = await parseSlackEvent(json('slack/message.im.file_share.json'), bot, async () => false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message).toMatchObject({ text: 'why did job 6715819744 fail? the pilot log is attached', isDirect: true, channel: 'D0PNCRP9N' });
    expect(r.files?.[0]).toMatchObject({
      name: 'pilotlog.txt',
      mimetype: 'text/plain',
      size: 43518,
      url_private_download: expect.stringContaining('/download/pilotlog.txt'),
    });
  });

  it('message/thread_broadcast in a followed thread: a follow-up in that thread', async () => {
    const r = await parseSlackEvent(json('slack/message.channels.thread_broadcast.json'), bot, async (_c, thread) => thread === '1517414896.001003');
    expect(r.ok && r.message).toMatchObject({ text: 'and would a retry help?', thread: '1517414896.001003' });
  });

  it('block_actions: the 👎 click with the stored answer id, in the thread of the message', () => {
    const r = actionToMessage(json('slack/block_actions.json'));
    expect(r.ok && r.message).toMatchObject({
      action: { id: 'feedback-down', value: '3f1c2a9b8d7e6f5a4b3c' },
      channel: 'CBR2V3XEX',
      thread: '1548261230.000100',
    });
  });
});

describe('Mattermost posted events (the post is a JSON string)', () => {
  const bot = { userId: 'nfb9tmjn6pbzbmfmpyorkawm9h', username: 'askpanda' };
  it('an @mention at the top of a channel starts a thread on the post', async () => {
    const r = await parsePosted(json('mattermost/posted.json'), bot, async () => false);
    expect(r.ok && r.message).toMatchObject({
      text: 'why did job 6715819744 fail?',
      channel: 'ir7ngfjayfgddkpwtg5rbrgpuo',
      thread: 'ewgq6p5nbfb3pg3toimoyheu3e',
    });
  });

  it('a reply in a followed thread needs no mention', async () => {
    const r = await parsePosted(json('mattermost/posted.thread-reply.json'), bot, async (root) => root === 'ewgq6p5nbfb3pg3toimoyheu3e');
    expect(r.ok && r.message).toMatchObject({ text: 'and would a retry help?', thread: 'ewgq6p5nbfb3pg3toimoyheu3e' });
  });
});

describe('Discord gateway payloads through discord.js and the adapter', () => {
  let driver: DiscordDriver | undefined;
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
  });

  it('a message in the answer thread and a button click on the answer reach the core with the thread and the action', async () => {
    driver = await createDiscordDriver();
    const d = driver;
    const seen: IncomingMessage[] = [];
    await d.start(async (m) => {
      seen.push(m);
      return { blocks: [{ kind: 'markdown', text: `answer ${seen.length}` }], actions: [{ id: 'feedback-down', label: '👎', value: 'a1b2c3' }] };
    }, captureLogger().logger);
    const sent = await d.sendMention('why did job 6715819744 fail?');
    const answer = await waitFor(() => d.fake.messages.find((m) => m.content === 'answer 1'), 'the first answer');
    const fill = (text: string, extra: Record<string, string>) =>
      Object.entries({
        GUILD_ID: d.fake.guildId,
        CHANNEL_ID: d.channelId,
        THREAD_ID: sent.conversation,
        USER_ID: snowflake(),
        APPLICATION_ID: d.fake.applicationId,
        ...extra,
      }).reduce((t, [k, v]) => t.replaceAll(`{{${k}}}`, v), text);
    const message = JSON.parse(fill(read('discord/message-create.thread.json'), { MESSAGE_ID: snowflake() })) as { t: string; d: Record<string, unknown> };
    d.fake.dispatch(message.t, message.d);
    await waitFor(() => seen.find((m) => m.text === 'and would a retry help?'), 'the thread message at the core');
    expect(seen.at(-1)).toMatchObject({ channel: d.channelId, thread: sent.conversation });

    const token = `itoken-${snowflake()}`;
    d.fake.registerInteraction(token, { channel_id: sent.conversation, guild_id: d.fake.guildId });
    const customId = answer.components[0]?.components[0]?.custom_id as string;
    const click = JSON.parse(fill(read('discord/interaction-create.button.json'), { TOKEN: token, INTERACTION_ID: snowflake(), CUSTOM_ID: customId })) as {
      t: string;
      d: Record<string, unknown>;
    };
    d.fake.dispatch(click.t, { ...click.d, message: d.fake.wire(answer) });
    const clicked = await waitFor(() => seen.find((m) => m.action), 'the click at the core');
    expect(clicked.action).toEqual({ id: 'feedback-down', value: 'a1b2c3' });
  });
});

/** Serves one recorded body (with its status) at any path. */
async function serve(status: number, body: string): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('vendor responses through the real SDKs', () => {
  it('Gemini 2.5 with thoughts: the answer is the non-thought part', async () => {
    const url = await serve(200, read('gemini/generate-content.thinking.json'));
    const llm = createVendorLlm('gemini:gemini-2.5-flash', { settings: { geminiBaseUrl: url }, apiKeys: TEST_KEYS });
    const r = await llm.generate({ messages: [{ role: 'user', content: 'why?' }], maxTokens: 200 });
    expect(r.text).toBe('Job 6715819744 failed because copying its input from CERN-PROD_DATADISK timed out (pilot error 1151). A retry usually works.');
    expect(r.finishReason).toBe('stop');
  });

  it('Gemini 2.5 whose thoughts used the whole allowance: no text, finish "length" (never read as an answer)', async () => {
    const url = await serve(200, read('gemini/generate-content.max-tokens-empty.json'));
    const llm = createVendorLlm('gemini:gemini-2.5-flash', { settings: { geminiBaseUrl: url }, apiKeys: TEST_KEYS });
    const r = await llm.generate({ messages: [{ role: 'user', content: 'why?' }], maxTokens: 200 });
    expect(r.text).toBeUndefined();
    expect(r.finishReason).toBe('length');
  });

  it('OpenAI reasoning completions: the answer, and the empty "length" one when reasoning used everything', async () => {
    const ok = await serve(200, read('openai/chat-completion.reasoning.json'));
    const r = await createVendorLlm('openai:gpt-5-mini', { settings: { openaiBaseUrl: `${ok}/v1` }, apiKeys: TEST_KEYS }).generate({
      messages: [{ role: 'user', content: 'why?' }],
    });
    expect(r.text).toContain('pilot error 1151');
    const spent = await serve(200, read('openai/chat-completion.reasoning-used-everything.json'));
    const empty = await createVendorLlm('openai:gpt-5-mini', { settings: { openaiBaseUrl: `${spent}/v1` }, apiKeys: TEST_KEYS }).generate({
      messages: [{ role: 'user', content: 'why?' }],
    });
    expect(empty.finishReason).toBe('length');
    expect(empty.text ?? '').toBe('');
  });

  it('OpenAI 400 unsupported_value: a failure naming the parameter, not retried as if transient', async () => {
    const url = await serve(400, read('openai/error.temperature-unsupported.json'));
    const llm = createVendorLlm('openai:gpt-5-mini', { settings: { openaiBaseUrl: `${url}/v1` }, apiKeys: TEST_KEYS });
    const error = await llm.generate({ messages: [{ role: 'user', content: 'why?' }] }).then(
      () => undefined,
      (e: unknown) => e as { message: string; retryable?: boolean },
    );
    expect(error?.message).toContain("'temperature' does not support 0");
    expect(error?.retryable).toBe(false);
  });
});
