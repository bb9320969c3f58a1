/**
 * Mattermost hands attached text files to the core as Slack does (issue 20): the post's `file_ids`
 * are read with the bot token through GET /api/v4/files/{id}/info and /api/v4/files/{id}; a file
 * in a channel the bot cannot read is described, never fatal.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../contract/wait.js';
import { ATTACHED_LOG, fileEchoDrivers } from '../support/file-echo.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';

const LOG = ATTACHED_LOG;
const start = fileEchoDrivers(() => createMattermostDriver());

describe('Mattermost: files attached to a post', () => {
  it('a DM that is only a log hands the log text to the core, read with the bot token', async () => {
    const { d, seen } = await start();
    await d.sendDmWithFiles('', [{ name: 'pilotlog.txt', mime_type: 'text/plain', text: LOG }]);
    await waitFor(() => d.fake.posts.find((p) => p.user_id === d.fake.bot.id && p.message.includes('answer to: (file only)')), 'the DM answer');
    expect(seen[0]?.files).toEqual([{ name: 'pilotlog.txt', mimeType: 'text/plain', size: LOG.length, text: LOG }]);
    const reads = d.fake.requests.filter((r) => r.path.startsWith('/api/v4/files/'));
    expect(reads.map((r) => [r.path.endsWith('/info') ? 'info' : 'bytes', r.status])).toEqual([
      ['info', 200],
      ['bytes', 200],
    ]);
  });

  it('a file the bot cannot read is described, and the question is still answered', async () => {
    const { d, seen } = await start();
    const post = d.fake.userPost({ user_id: 'alice0000000000000000000aa', channel_id: 'dm00000000000000000000alice', message: 'what is this?' }, '@alice', [
      { name: 'payload.stdout', mime_type: 'text/plain', text: 'Traceback' },
    ]);
    // Deleted before the adapter reads it (the posted event is delivered asynchronously).
    d.fake.files.splice(
      d.fake.files.findIndex((f) => f.id === post.file_ids?.[0]),
      1,
    );
    await waitFor(() => d.fake.posts.find((p) => p.user_id === d.fake.bot.id && p.message.includes('answer to: what is this?')), 'the answer');
    expect(seen[0]?.files?.[0]?.text).toBeUndefined();
    expect(seen[0]?.files?.[0]?.skipped).toMatch(/not readable.*404/);
  });

  it('the fake serves a file only with the bot token and to a member of its channel, as Mattermost does', async () => {
    const { d } = await start();
    const post = d.fake.userPost({ user_id: 'alice0000000000000000000aa', channel_id: 'dm00000000000000000000alice', message: 'log' }, '@alice', [
      { name: 'a.log', mime_type: 'text/plain', text: 'x' },
    ]);
    const url = `${d.fake.url}/api/v4/files/${post.file_ids?.[0]}`;
    expect((await fetch(url)).status).toBe(401);
    d.fake.botMemberOf = new Set(['chan0000000000000000general']);
    expect((await fetch(url, { headers: { authorization: 'Bearer fake-bot-token' } })).status).toBe(403);
    d.fake.botMemberOf = undefined;
    const ok = await fetch(url, { headers: { authorization: 'Bearer fake-bot-token' } });
    expect(await ok.text()).toBe('x');
  });
});
