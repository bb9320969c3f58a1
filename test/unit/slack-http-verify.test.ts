import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createSlackDriver, SLACK_SECRETS, type SlackDriver } from '../fakes/slack/driver.js';
import { slackSignature } from '../fakes/slack/signing.js';

describe('Slack HTTP mode request verification', () => {
  let driver: SlackDriver;
  /** The texts of the messages that reached the handler. */
  const handled: string[] = [];
  beforeAll(async () => {
    driver = await createSlackDriver('http');
    await driver.start(async (m) => {
      handled.push(m.text);
      return null;
    }, captureLogger().logger);
  });
  afterAll(async () => driver.stop());

  it('answers the url_verification challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'c-3f9a', type: 'url_verification' });
    const result = await driver.fake.sendSigned(driver.requestUrl, body, 'application/json');
    expect(result.status).toBe(200);
    expect(JSON.stringify(result.body)).toContain('c-3f9a');
  });

  it('rejects a request signed with the wrong secret (401) and posts nothing', async () => {
    const before = driver.fake.posts.length;
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: 'EvFORGED',
      team_id: 'T',
      event: { type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', text: 'hi', ts: '1.1' },
    });
    const result = await driver.fake.sendSigned(driver.requestUrl, body, 'application/json', {}, `${SLACK_SECRETS.signingSecret}-wrong`);
    expect(result.status).toBe(401);
    // A correctly signed event sent after it reaches the handler; the forged one never did.
    const after = body.replace('EvFORGED', 'EvAFTER').replace('"text":"hi"', '"text":"signed after the forged one"').replace('"ts":"1.1"', '"ts":"1.3"');
    const deletes = driver.fake.calls.filter((c) => c.method === 'chat.delete').length;
    expect((await driver.fake.sendSigned(driver.requestUrl, after, 'application/json')).status).toBe(200);
    await waitFor(() => handled.includes('signed after the forged one'), 'the correctly signed event');
    expect(handled).not.toContain('hi');
    // The handler answers nothing: once the signed event's placeholder is withdrawn (chat.delete), no post is left.
    await waitFor(() => driver.fake.calls.filter((c) => c.method === 'chat.delete').length > deletes, 'the placeholder of the signed event withdrawn');
    expect(driver.fake.posts.length).toBe(before);
  });

  it('acknowledges a retried delivery (X-Slack-Retry-Num) with 200', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: 'EvRETRY1',
      team_id: 'T',
      event: { type: 'message', subtype: 'message_changed', channel: 'D1', ts: '1.2' },
    });
    const result = await driver.fake.sendSigned(driver.requestUrl, body, 'application/json', {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(result.status).toBe(200);
  });

  /** Sends a request signed with the right secret at a chosen timestamp (seconds), with an optional fixed signature. */
  const sendAt = async (body: string, contentType: string, timestamp: number, signature = slackSignature(SLACK_SECRETS.signingSecret, timestamp, body)) => {
    const response = await fetch(driver.requestUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  const dmEvent = (id: string) =>
    JSON.stringify({
      type: 'event_callback',
      event_id: id,
      team_id: 'T',
      event: { type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', text: 'hi', ts: '1.1' },
    });
  const now = () => Math.floor(Date.now() / 1000);

  it('rejects a correctly signed request stamped 10 minutes in the future (401) and posts nothing', async () => {
    const before = driver.fake.posts.length;
    const result = await sendAt(dmEvent('EvFUTURE1'), 'application/json', now() + 600);
    expect(result.status).toBe(401);
    expect(driver.fake.posts.length).toBe(before);
  });

  it('rejects a correctly signed request stamped 6 minutes ago (401)', async () => {
    const result = await sendAt(dmEvent('EvSTALE1'), 'application/json', now() - 360);
    expect(result.status).toBe(401);
  });

  it('accepts a correctly signed request stamped 4 minutes in the future or past (clock skew inside the window)', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'c-skew', type: 'url_verification' });
    expect((await sendAt(body, 'application/json', now() + 240)).text).toContain('c-skew');
    expect((await sendAt(body, 'application/json', now() - 240)).text).toContain('c-skew');
  });

  it('drops a replayed request (same signature): a signed /panda-job replayed three times creates one root post', async () => {
    const form = new URLSearchParams({
      token: 'verification-token',
      team_id: driver.fake.teamId,
      team_domain: 'fake',
      channel_id: 'C0REPLAY',
      channel_name: 'general',
      user_id: 'UALICE',
      user_name: 'alice',
      command: '/panda-job',
      text: '6837501234',
      api_app_id: 'A0FAKE',
      is_enterprise_install: 'false',
      response_url: driver.fake.responseUrl(),
      trigger_id: `${Date.now()}.replay`,
    }).toString();
    const timestamp = now();
    const signature = slackSignature(SLACK_SECRETS.signingSecret, timestamp, form);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await sendAt(form, 'application/x-www-form-urlencoded', timestamp, signature)).status);
    expect(statuses).toEqual([200, 200, 200]);
    await waitFor(() => driver.fake.posts.some((p) => p.channel === 'C0REPLAY'), 'the root post of /panda-job');
    // A fourth, fresh request proves the adapter still processes; by the time it posts, replays would have too.
    const fresh = form.replace('.replay', '.fresh');
    expect((await sendAt(fresh, 'application/x-www-form-urlencoded', now())).status).toBe(200);
    await waitFor(() => driver.fake.posts.filter((p) => p.channel === 'C0REPLAY').length >= 2, 'the root post of the fresh /panda-job');
    expect(driver.fake.posts.filter((p) => p.channel === 'C0REPLAY' && !p.thread_ts).length).toBe(2);
  });
});
