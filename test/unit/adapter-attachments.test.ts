/**
 * Reply images reach the chat: each adapter posts the text, then uploads the PNG into the same
 * thread through its real SDK, against the platform's protocol fake on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageHandler } from '../../src/contracts/chat.js';
import type { Reply, ReplyAttachment } from '../../src/contracts/reply.js';
import type { ChatAdapterDriver } from '../contract/chat-adapter.js';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';
import { createSlackDriver } from '../fakes/slack/driver.js';

// A real 1×1 PNG: the platforms store the bytes as they are.
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function chart(filename = 'failures-by-signature.png', data: Uint8Array = new Uint8Array(PNG_1X1)): ReplyAttachment {
  return { kind: 'image', filename, mimeType: 'image/png', data, alt: 'Bar chart: failed jobs by error signature' };
}

/** Answers every new message with `reply` (once per event id, as the core does). */
function answering(reply: Reply): MessageHandler {
  const seen = new Set<string>();
  return async (message) => {
    if (seen.has(message.eventId)) return null;
    seen.add(message.eventId);
    return reply;
  };
}

const TEXT = 'Task 4242: 17 jobs failed, mostly stage-out timeouts.';
const replyWith = (...attachments: ReplyAttachment[]): Reply => ({ blocks: [{ kind: 'markdown', text: TEXT }], attachments });

let running: ChatAdapterDriver | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Starts a driver of `make` whose core answers `reply` (stopped after the test), with its captured log lines. */
const starter =
  <D extends ChatAdapterDriver>(make: () => Promise<D>) =>
  async (reply: Reply): Promise<{ driver: D; lines: Array<Record<string, unknown>> }> => {
    const driver = await make();
    running = driver;
    const { logger, lines } = captureLogger();
    await driver.start(answering(reply), logger);
    return { driver, lines };
  };

describe('Slack: files.uploadV2 into the reply thread', () => {
  const start = starter(() => createSlackDriver('socket'));

  it('uploads the chart into the thread of the mention, with its name and size', async () => {
    const { driver } = await start(replyWith(chart()));
    const sent = await driver.sendMention('why did task 4242 fail?');
    const [channel, thread] = sent.conversation.split('/');
    const upload = await waitFor(() => driver.fake.files.completed[0], 'a completed Slack upload');
    expect(upload).toMatchObject({ filename: 'failures-by-signature.png', length: PNG_1X1.length, channel, thread_ts: thread });
    expect(Buffer.from(upload.bytes ?? [])).toEqual(PNG_1X1);
    expect(upload.alt_text).toBe('Bar chart: failed jobs by error signature');
    expect(driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('17 jobs failed'))).toBe(true);
  });

  it('keeps the text reply and logs when the upload fails', async () => {
    const { driver, lines } = await start(replyWith(chart()));
    driver.fake.files.failUploadsWith = 500;
    const sent = await driver.sendMention('why did task 4242 fail?');
    const warning = await waitFor(() => lines.find((l) => String(l.msg).includes('could not upload the reply images')), 'the upload warning');
    expect(warning.files).toEqual(['failures-by-signature.png']);
    expect(driver.fake.files.completed).toHaveLength(0);
    expect(driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('17 jobs failed'))).toBe(true);
  });

  it('skips an image over 8 MB with a notice line and uploads the rest', async () => {
    const big = chart('huge.png', new Uint8Array(9 * 1024 * 1024));
    const { driver } = await start(replyWith(big, chart()));
    const sent = await driver.sendMention('why did task 4242 fail?');
    await waitFor(() => driver.fake.files.completed[0], 'a completed Slack upload');
    expect(driver.fake.files.uploads.map((u) => u.filename)).toEqual(['failures-by-signature.png']);
    const text = driver
      .posts()
      .filter((p) => p.conversation === sent.conversation)
      .map((p) => p.text)
      .join('\n');
    expect(text).toContain('17 jobs failed');
    expect(text).toMatch(/huge\.png was not attached: it is 9\.0 MB, over the 8\.0 MB upload limit/);
  });
});

describe('Mattermost: Client4.uploadFile, then a thread post with file_ids', () => {
  const start = starter(() => createMattermostDriver());

  it('uploads the chart to the channel and attaches it to a post in the thread of the mention', async () => {
    const { driver } = await start(replyWith(chart()));
    const sent = await driver.sendMention('why did task 4242 fail?');
    const [channel, root] = sent.conversation.split('/');
    const file = await waitFor(() => driver.fake.files.find((f) => f.post_id), 'an attached Mattermost file');
    expect(file).toMatchObject({ name: 'failures-by-signature.png', size: PNG_1X1.length, mime_type: 'image/png', channel_id: channel });
    expect(Buffer.from(file.bytes)).toEqual(PNG_1X1);
    const withFile = driver.fake.posts.find((p) => p.id === file.post_id);
    expect(withFile).toMatchObject({ channel_id: channel, root_id: root, file_ids: [file.id], message: 'Bar chart: failed jobs by error signature' });
    expect(driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('17 jobs failed'))).toBe(true);
  });

  it('keeps the text reply and logs when the upload fails', async () => {
    const { driver, lines } = await start(replyWith(chart()));
    driver.fake.failUploadsWith = 500;
    const sent = await driver.sendMention('why did task 4242 fail?');
    const warning = await waitFor(() => lines.find((l) => String(l.msg).includes('could not upload the reply images')), 'the upload warning');
    expect(warning.files).toEqual(['failures-by-signature.png']);
    expect(driver.fake.files).toHaveLength(0);
    expect(driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('17 jobs failed'))).toBe(true);
  });
});

describe('Discord: a message with files (multipart payload_json + files[n]) in the reply thread', () => {
  const start = starter(() => createDiscordDriver());

  it('sends the chart into the thread started from the mention, with its name and size', async () => {
    const { driver } = await start(replyWith(chart()));
    const sent = await driver.sendMention('why did task 4242 fail?');
    const message = await waitFor(() => driver.fake.messages.find((m) => m.attachments?.length), 'a Discord message with a file');
    expect(message.channel_id).toBe(sent.conversation);
    expect(driver.fake.channels.get(message.channel_id)?.type).toBe(11);
    const [file] = message.attachments ?? [];
    expect(file).toMatchObject({ filename: 'failures-by-signature.png', size: PNG_1X1.length, description: 'Bar chart: failed jobs by error signature' });
    expect(Buffer.from(file?.bytes ?? [])).toEqual(PNG_1X1);
    expect(driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('17 jobs failed'))).toBe(true);
  });

  it('sends the chart in a DM after the text', async () => {
    const { driver } = await start(replyWith(chart()));
    const sent = await driver.sendDm('why did task 4242 fail?');
    const message = await waitFor(() => driver.fake.messages.find((m) => m.attachments?.length), 'a Discord message with a file');
    expect(message.channel_id).toBe(sent.conversation);
    expect(message.attachments?.map((a) => [a.filename, a.size])).toEqual([['failures-by-signature.png', PNG_1X1.length]]);
  });

  it('keeps the text reply and logs when the upload fails; skips images over 8 MB with a notice', async () => {
    const { driver, lines } = await start(replyWith(chart('huge.png', new Uint8Array(9 * 1024 * 1024)), chart()));
    driver.fake.failFilesWith = 403;
    const sent = await driver.sendMention('why did task 4242 fail?');
    const warning = await waitFor(() => lines.find((l) => String(l.msg).includes('could not upload the reply images')), 'the upload warning');
    expect(warning.files).toEqual(['failures-by-signature.png']);
    expect(driver.fake.messages.filter((m) => m.attachments?.length)).toHaveLength(0);
    const text = driver
      .posts()
      .filter((p) => p.conversation === sent.conversation)
      .map((p) => p.text)
      .join('\n');
    expect(text).toContain('17 jobs failed');
    expect(text).toContain('huge.png was not attached');
  });
});
