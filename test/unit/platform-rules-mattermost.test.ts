/**
 * Mattermost as it behaves (issue 20, mismatch 5), against the strict fake: a bot must be a channel
 * member to post (else 403), a slash command's payload has no root_id but its response_url posts
 * into the thread where it was typed (5 responses within 30 minutes), and button callbacks must use
 * the bot's public URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/contracts/reply.js';
import { MATTERMOST_ACTIONS_PATH } from '../../adapters/mattermost/http.js';
import { actionUrlFor } from '../../adapters/mattermost/index.js';
import { loadConfig } from '../../src/config.js';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createMattermostDriver, type MattermostDriver } from '../fakes/mattermost/driver.js';

let driver: MattermostDriver | undefined;
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
});

const ANSWER = 'Job 6715819744 failed in stage-in: the source storage timed out.';
const jobReply: Reply = { blocks: [{ kind: 'markdown', text: ANSWER }], actions: [{ id: 'expert', label: 'Expert details', value: '6715819744' }] };

describe('Mattermost /panda-job', () => {
  it('answers through response_url when the bot is not a member of the channel (REST posts get 403)', async () => {
    driver = await createMattermostDriver();
    driver.fake.botMemberOf = new Set();
    await driver.start(async () => jobReply, captureLogger().logger);
    const channel = [...driver.fake.channels.values()].find((c) => c.type === 'O')?.id as string;
    await driver.sendSlashCommand('panda-job', '6715819744');
    const answer = await waitFor(() => driver?.fake.posts.find((p) => p.channel_id === channel && p.message.includes(ANSWER)), 'the answer in the channel');
    expect(answer.props.from_webhook).toBe('true');
    // Nothing could be posted over REST: everything the user sees came through the response URL.
    expect(driver.fake.posts.filter((p) => p.user_id === driver?.fake.bot.id)).toEqual([]);
  });

  it('a command typed in a thread is answered in that thread, not in a new root', async () => {
    driver = await createMattermostDriver();
    await driver.start(async () => jobReply, captureLogger().logger);
    const question = await driver.sendMention('our jobs at BNL fail, any idea?');
    const threadRoot = question.conversation.split('/')[1] as string;
    await driver.sendSlashCommand('panda-job', '6715819744', threadRoot);
    const answer = await waitFor(() => driver?.fake.posts.find((p) => p.message.includes(ANSWER)), 'the answer');
    expect(answer.root_id).toBe(threadRoot);
    const ours = new Set([driver.fake.bot.id, driver.fake.commandCreator]);
    const roots = driver.fake.posts.filter((p) => ours.has(p.user_id) && p.root_id === '' && p.message.includes('6715819744'));
    expect(roots).toEqual([]);
  });
});

describe('Mattermost button callbacks', () => {
  /** The actions URL the Mattermost module computes from the loaded config (its section and the HTTP server's). */
  const mattermostActionUrl = (extra: Record<string, string>, path: string) => {
    const { config } = loadConfig({
      MATTERMOST_URL: 'http://127.0.0.1:1',
      MATTERMOST_TOKEN: 'tok',
      MATTERMOST_ACTION_SECRET: 'a-secret',
      ASKPANDA_HTTP_PORT: '8080',
      ...extra,
    });
    return actionUrlFor(config.http, config.mattermost.actionSecret, path);
  };

  it('go to ASKPANDA_PUBLIC_URL, not the bind address', () => {
    expect(mattermostActionUrl({ ASKPANDA_HTTP_HOST: '0.0.0.0', ASKPANDA_PUBLIC_URL: 'https://askpanda.example.org/bot/' }, MATTERMOST_ACTIONS_PATH)).toBe(
      'https://askpanda.example.org/bot/mattermost/actions',
    );
  });

  it('are off (no unreachable 0.0.0.0 URL in the post) when the bot binds a wildcard address and has no public URL', () => {
    expect(mattermostActionUrl({ ASKPANDA_HTTP_HOST: '0.0.0.0' }, MATTERMOST_ACTIONS_PATH)).toBeUndefined();
    expect(mattermostActionUrl({ ASKPANDA_HTTP_HOST: '10.0.0.5' }, MATTERMOST_ACTIONS_PATH)).toBe('http://10.0.0.5:8080/mattermost/actions');
  });
});
