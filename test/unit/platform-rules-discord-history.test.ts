/**
 * Discord history as Discord stores it (issue 20, mismatch 1): a thread is a channel of its own, so
 * the replies in a thread started from a message (including the threads the bot opens for its
 * answers) and the posts of a forum channel are not in the parent channel's messages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordHistory } from '../../adapters/discord/history.js';
import { UpstreamError } from '../../src/errors.js';
import { createFakeDiscordHistory, type FakeDcMessage, type FakeDiscordHistory } from '../fakes/discord/history-routes.js';

const GUILD = '900000000000000001';
const HELP = '900000000000000010';
const FORUM = '900000000000000020';
let fake: FakeDiscordHistory | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

let seq = 0n;
function msg(channel: string, content: string, extra: Partial<FakeDcMessage> = {}): FakeDcMessage {
  seq += 1n;
  const m: FakeDcMessage = {
    id: String(1_300_000_000_000_000_000n + seq),
    channel_id: channel,
    author: { id: `u${seq % 3n}`, username: `user${seq % 3n}`, global_name: null },
    content,
    timestamp: new Date(1_760_000_000_000 + Number(seq) * 60_000).toISOString(),
    edited_timestamp: null,
    ...extra,
  };
  fake?.messages.push(m);
  return m;
}

describe('Discord history reads threads and forum posts', () => {
  it('a question answered in a thread started from it comes back as one thread with every reply', async () => {
    fake = await createFakeDiscordHistory('bot-token');
    fake.channels.set(HELP, { name: 'panda-help', guild_id: GUILD, private: false });
    const root = msg(HELP, 'my jobs at BNL fail with pilot error 1099, why?');
    fake.threads.set(root.id, { parent_id: HELP, guild_id: GUILD, name: 'pilot error 1099', archived: false, archive_timestamp: root.timestamp });
    msg(root.id, '', { type: 21, message_reference: { message_id: root.id, channel_id: HELP } });
    msg(root.id, 'stage-in failed: the replica at BNL-OSG2_DATADISK is lost');
    msg(root.id, 'thanks, a retry on another site worked ✅');
    const archived = msg(HELP, 'task 4242 is stuck in throttled');
    fake.threads.set(archived.id, {
      parent_id: HELP,
      guild_id: GUILD,
      name: 'throttled',
      archived: true,
      archive_timestamp: new Date(1_761_000_000_000).toISOString(),
    });
    msg(archived.id, 'throttled means the task waits for free input; it resumes by itself');

    const threads = await createDiscordHistory({ apiUrl: fake.apiUrl, token: 'bot-token' }).readThreads(HELP);
    const first = threads.find((t) => t.threadId === root.id);
    expect(first?.messages.map((m) => m.text)).toEqual([
      'my jobs at BNL fail with pilot error 1099, why?',
      'stage-in failed: the replica at BNL-OSG2_DATADISK is lost',
      'thanks, a retry on another site worked ✅',
    ]);
    expect(threads.find((t) => t.threadId === archived.id)?.messages.map((m) => m.text)).toEqual([
      'task 4242 is stuck in throttled',
      'throttled means the task waits for free input; it resumes by itself',
    ]);
  });

  it('a forum channel yields one thread per post, with the starter message and its replies', async () => {
    fake = await createFakeDiscordHistory('bot-token');
    fake.channels.set(FORUM, { name: 'panda-forum', guild_id: GUILD, private: false, type: 15 });
    // A forum post: the thread and its starter message share one id.
    const starter = msg('pending', 'is ANALY_BNL_VP offline? my jobs stay activated');
    const postId = starter.id;
    starter.channel_id = postId;
    fake.threads.set(postId, { parent_id: FORUM, guild_id: GUILD, name: 'queue offline?', archived: false, archive_timestamp: new Date().toISOString() });
    msg(postId, 'yes, blacklisted by HammerCloud since this morning');

    const threads = await createDiscordHistory({ apiUrl: fake.apiUrl, token: 'bot-token' }).readThreads(FORUM);
    expect(threads).toHaveLength(1);
    expect(threads[0]?.threadId).toBe(postId);
    expect(threads[0]?.messages.map((m) => m.text)).toEqual([
      'is ANALY_BNL_VP offline? my jobs stay activated',
      'yes, blacklisted by HammerCloud since this morning',
    ]);
    expect(threads[0]?.permalink).toBe(`https://discord.com/channels/${GUILD}/${postId}`);
  });
});

describe('Discord history meets the limits and errors the API sends', () => {
  it('a 429 with retry_after is waited out: the read completes with every message and nothing is sent early', async () => {
    fake = await createFakeDiscordHistory('bot-token');
    fake.channels.set(HELP, { name: 'panda-help', guild_id: GUILD, private: true });
    const root = msg(HELP, 'why is my task 4711 exhausted?');
    msg(HELP, 'it hit the retry limit on every site', { message_reference: { message_id: root.id } });
    fake.rateLimitNext(0.2);

    const source = createDiscordHistory({ apiUrl: fake.apiUrl, token: 'bot-token' });
    const threads = await source.readThreads(HELP);
    expect(threads).toHaveLength(1);
    expect(threads[0]?.channel).toMatchObject({ name: 'panda-help', private: true });
    expect(threads[0]?.messages.map((m) => m.text)).toEqual(['why is my task 4711 exhausted?', 'it hit the retry limit on every site']);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(1);
    expect(fake.earlyCalls).toBe(0);
  });

  it('a spent bucket is waited out before the next request of that bucket, without a 429', async () => {
    fake = await createFakeDiscordHistory('bot-token');
    fake.channels.set(HELP, { name: 'panda-help', guild_id: GUILD, private: false });
    for (let i = 0; i < 250; i++) msg(HELP, `question ${i}`);
    fake.budget = 2;
    fake.windowMs = 300;

    const threads = await createDiscordHistory({ apiUrl: fake.apiUrl, token: 'bot-token' }).readThreads(HELP);
    expect(threads).toHaveLength(250);
    expect(fake.calls.filter((c) => c.path.endsWith('/messages'))).toHaveLength(3);
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(fake.earlyCalls).toBe(0);
  });

  it("an unknown channel and a channel the bot cannot see fail with UpstreamError carrying the status and Discord's reason", async () => {
    fake = await createFakeDiscordHistory('bot-token');
    fake.channels.set(HELP, { name: 'staff-only', guild_id: GUILD, private: true, hidden: true });
    const source = createDiscordHistory({ apiUrl: fake.apiUrl, token: 'bot-token' });

    const unknown = await source.channelInfo('900000000000000099').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(UpstreamError);
    expect(unknown).toMatchObject({ status: 404, code: 'upstream_error' });
    expect((unknown as Error).message).toContain('Unknown Channel');

    const hidden = await source.readThreads(HELP).catch((error: unknown) => error);
    expect(hidden).toBeInstanceOf(UpstreamError);
    expect(hidden).toMatchObject({ status: 403, code: 'upstream_error' });
    expect((hidden as Error).message).toContain('Missing Access');
  });

  it('a wrong token fails with status 401', async () => {
    fake = await createFakeDiscordHistory('bot-token');
    fake.channels.set(HELP, { name: 'panda-help', guild_id: GUILD, private: false });
    const failure = await createDiscordHistory({ apiUrl: fake.apiUrl, token: 'stale-token' })
      .channelInfo(HELP)
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'UpstreamError', status: 401 });
  });
});
