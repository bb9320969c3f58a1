/**
 * Discord history as Discord stores it (issue 20, mismatch 1): a thread is a channel of its own, so
 * the replies in a thread started from a message (including the threads the bot opens for its
 * answers) and the posts of a forum channel are not in the parent channel's messages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordHistory } from '../../adapters/discord/history.js';
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
