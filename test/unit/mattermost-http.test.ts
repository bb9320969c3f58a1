import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATTERMOST_ACTIONS_PATH, MATTERMOST_COMMAND_PATH } from '../../adapters/mattermost/http.js';
import { createScriptedCore } from '../contract/scripted-core.js';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createMattermostDriver, type MattermostDriver, MM_SECRETS } from '../fakes/mattermost/driver.js';

describe('Mattermost endpoints and websocket', () => {
  let driver: MattermostDriver;
  const core = createScriptedCore();
  const captured = captureLogger();
  beforeAll(async () => {
    driver = await createMattermostDriver();
    await driver.start(core.handle, captured.logger);
  });
  afterAll(async () => driver.stop());

  it('rejects a slash command with a wrong token', async () => {
    const response = await fetch(`${driver.baseUrl}${MATTERMOST_COMMAND_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Token not-the-token' },
      body: new URLSearchParams({ channel_id: 'c', command: '/panda-job', text: '1', user_id: 'u', team_id: 't' }),
    });
    expect(response.status).toBe(401);
    expect(core.calls).toHaveLength(0);
  });

  it('rejects a button click whose context signature does not match', async () => {
    const response = await fetch(`${driver.baseUrl}${MATTERMOST_ACTIONS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: 'u',
        channel_id: 'c',
        post_id: 'p',
        context: { action: 'expert', value: '1', channel: 'c', root: 'r', sig: 'ab'.repeat(32) },
      }),
    });
    expect(response.status).toBe(401);
    expect(core.calls).toHaveLength(0);
    expect(MM_SECRETS.actionSecret).toBeTruthy();
  });

  it('reconnects with backoff after the websocket drops and keeps answering', async () => {
    driver.fake.dropConnections();
    // The adapter logs its reconnect attempt once it saw the drop; only then does a socket count as a new one.
    await waitFor(() => captured.lines.some((l) => String(l.msg).includes('reconnecting')), 'the reconnect attempt');
    await waitFor(() => driver.fake.socketCount > 0, 'the reconnection');
    const sent = await driver.sendDm('are you back?');
    await waitFor(() => driver.posts().some((p) => p.conversation === sent.conversation && p.text.includes('are you back?')), 'an answer after reconnecting');
  });
});

describe('Mattermost endpoints are mounted only with their secret', () => {
  it('has no /mattermost/actions without MATTERMOST_ACTION_SECRET and no /mattermost/command without the command token', async () => {
    const { createMattermostAdapter } = await import('../../adapters/mattermost/adapter.js');
    const { silentLogger } = await import('../../src/log.js');
    const { localFollowedThreads } = await import('../support/followed-threads.js');
    const paths = (options: { commandToken?: string; actionSecret?: string }) =>
      createMattermostAdapter({
        url: 'http://127.0.0.1:9',
        token: MM_SECRETS.token,
        logger: silentLogger(),
        threads: localFollowedThreads(),
        ...options,
      }).routes.map((r) => r.path);
    expect(paths({})).toEqual([]);
    expect(paths({ commandToken: MM_SECRETS.commandToken })).toEqual([MATTERMOST_COMMAND_PATH]);
    expect(paths({ commandToken: MM_SECRETS.commandToken, actionSecret: MM_SECRETS.actionSecret })).toEqual([MATTERMOST_COMMAND_PATH, MATTERMOST_ACTIONS_PATH]);
  });
});
