import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../contract/wait.js';
import { createSlackDriver, SLACK_SECRETS, type SlackDriver } from '../fakes/slack/driver.js';

describe('Slack HTTP mode request verification', () => {
  let driver: SlackDriver;
  beforeAll(async () => {
    driver = await createSlackDriver('http');
    await driver.start(async () => null, captureLogger().logger);
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
    await new Promise((r) => setTimeout(r, 200));
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
});
