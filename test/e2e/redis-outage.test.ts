/**
 * Redis down → degrade, never lose (issue 17 item 4). Two in-process bots (the real runtime: core,
 * state, HTTP server with /healthz, Slack adapter in HTTP mode against the fake Slack) share the real
 * Redis on 127.0.0.1:6379 through a TCP proxy the test takes down and brings back. A message sent
 * while Redis is down is acknowledged at once (no 5xx), the user is told it is kept, /healthz says
 * degraded with the reason, and the answer arrives in the thread once Redis is back — exactly once,
 * although the event is delivered again to both replicas, during and after the outage.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, SLACK_EVENTS_PATH } from '../../adapters/slack/adapter.js';
import { HELD_TEXT, TRY_AGAIN_TEXT } from '../../src/app/held-handler.js';
import { registerHttpApi } from '../../src/cli/http-api.js';
import { createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { createState, type State } from '../../src/state/index.js';
import { SLACK_SECRETS } from '../fakes/slack/driver.js';
import { createFakeSlack, type FakeSlack, type SlackPost } from '../fakes/slack/fake-slack.js';
import { waitFor } from '../contract/wait.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const REDIS = { host: '127.0.0.1', port: 6379 };
const DB = 12;
const PREFIX = `askpanda-outage-${randomUUID().slice(0, 8)}:`;
const CHANNEL = 'C0GENERAL';

interface Bot {
  name: string;
  runtime: Runtime;
  state: State;
  base: string;
  dataDir: string;
  /** The docs index opening and start-up indexing (in the background from the start). */
  docsIndexed: () => Promise<unknown>;
}

let proxy: TcpProxy;
let fake: FakeSlack;
const bots: Bot[] = [];

async function startBot(name: string): Promise<Bot> {
  const dataDir = mkdtempSync(join(tmpdir(), `askpanda-outage-${name}-`));
  const redisUrl = `redis://127.0.0.1:${proxy.port}/${DB}`;
  const logger = process.env.DEBUG_OUTAGE ? createLogger({ level: 'debug' }) : silentLogger();
  const loaded = loadConfig({ ASKPANDA_DATA_DIR: dataDir, ASKPANDA_REDIS_URL: redisUrl, ASKPANDA_HTTP_PORT: '0', ASKPANDA_MAINTENANCE: 'false' });
  const services = createServices({ loaded, logger });
  // The same state the bot would open, under this test's own key prefix.
  const state = await createState({ redisUrl, dataDir, replica: name, logger, redisPrefix: PREFIX });
  services.state = async () => state;
  const runtime = await createRuntime(services);
  if (!runtime.http) throw new Error('no HTTP server');
  registerHttpApi(runtime.http, services, runtime.core);
  const adapter = createSlackAdapter({
    ...SLACK_SECRETS,
    mode: 'http',
    apiUrl: fake.apiUrl,
    logger,
    retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 },
    threads: state.followedThreads,
  });
  await runtime.start([adapter]);
  const { port } = runtime.http.server.address() as { port: number };
  const bot = { name, runtime, state, base: `http://127.0.0.1:${port}`, dataDir, docsIndexed: () => services.docIndex().current() };
  bots.push(bot);
  return bot;
}

const health = async (bot: Bot) => {
  const response = await fetch(`${bot.base}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string; redis: string; heldMessages: number; reasons?: string[] } };
};

/** A signed Events API delivery of one channel mention (same event id and body on every redelivery). */
function mention(text: string, ts: string) {
  const eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  const event = { type: 'app_mention', user: 'UALICE', text: `<@${fake.botUserId}> ${text}`, ts, event_ts: ts, channel: CHANNEL, channel_type: 'channel' };
  const body = JSON.stringify({
    token: 'verification-token',
    team_id: fake.teamId,
    api_app_id: 'A0FAKE',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: fake.teamId, user_id: fake.botUserId, is_bot: true }],
  });
  return (bot: Bot, retry = 0) =>
    fake.sendSigned(
      `${bot.base}${SLACK_EVENTS_PATH}`,
      body,
      'application/json',
      retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {},
    );
}

const postText = (p: SlackPost) => [p.text, JSON.stringify(p.blocks)].join('\n');
const inThread = (ts: string) => fake.posts.filter((p) => p.thread_ts === ts && !p.ephemeralFor);
/** Bot posts in the thread that answer the question (the error-code answer names the code). */
const answersTo = (ts: string, code: string) => inThread(ts).filter((p) => postText(p).includes(code) && !postText(p).includes('Working on it'));

async function cleanRedis(): Promise<void> {
  const client = createClient({ url: `redis://${REDIS.host}:${REDIS.port}/${DB}` });
  await client.connect();
  const keys = await client.keys(`${PREFIX}*`);
  if (keys.length) await client.del(keys);
  await client.close();
}

beforeAll(async () => {
  proxy = await startTcpProxy(REDIS);
  fake = await createFakeSlack(SLACK_SECRETS);
  await startBot('a');
  await startBot('b');
});

afterAll(async () => {
  if (!proxy.up) await proxy.restore();
  for (const bot of bots) {
    // Start-up indexing goes on in the background (after Redis came back for a bot started without it): let it
    // finish before its data directory is removed, or the removal races its writes.
    await bot.docsIndexed().catch(() => undefined);
    await bot.runtime.close();
    await bot.state.close();
    rmSync(bot.dataDir, { recursive: true, force: true });
  }
  await proxy.close();
  await fake.close();
  await cleanRedis();
});

describe('Redis down while messages arrive', () => {
  it('keeps the message, says so, reports degraded, and answers it exactly once when Redis is back', async () => {
    const [a, b] = bots as [Bot, Bot];
    expect((await health(a)).body).toMatchObject({ status: 'ok', redis: 'ok', heldMessages: 0 });

    await proxy.down();
    await waitFor(() => !a.state.available() && !b.state.available(), 'both bots to see Redis go away');
    const degraded = await health(a);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', redis: 'unreachable' });
    expect(degraded.body.reasons?.[0]).toMatch(/^redis unreachable/);

    // The Slack event is acknowledged at once, and the user is told the message is kept.
    const ts = fake.nextTs();
    const deliver = mention('what does pilot error 1099 mean?', ts);
    const first = await deliver(a);
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(3000);
    await waitFor(() => inThread(ts).find((p) => postText(p).includes(HELD_TEXT.slice(0, 40))), 'the "kept" notice in the thread');
    expect((await health(a)).body).toMatchObject({ status: 'degraded', heldMessages: 1 });
    expect(await a.runtime.statusText()).toContain('• kept messages: 1');

    // Slack redelivers while Redis is still down, to the same bot and to the other one: all acknowledged.
    expect((await deliver(a, 1)).status).toBe(200);
    expect((await deliver(b, 1)).status).toBe(200);
    await waitFor(async () => (await health(b)).body.heldMessages === 1, 'the other bot to keep the redelivery');
    expect(answersTo(ts, '1099')).toHaveLength(0);

    // The synchronous API cannot answer later: a clear "try again", not an error.
    const v1 = await fetch(`${a.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'askpanda', messages: [{ role: 'user', content: 'what does pilot error 1099 mean?' }] }),
    });
    expect(v1.status).toBe(200);
    expect(JSON.stringify(await v1.json())).toContain(TRY_AGAIN_TEXT.slice(0, 40));

    // Redis comes back: the kept message is answered in its thread, once, and both bots are healthy again.
    await proxy.restore();
    await waitFor(() => answersTo(ts, '1099').length > 0, 'the answer after Redis is back');
    for (const bot of bots) {
      await waitFor(
        async () => (await health(bot)).body.status === 'ok',
        `${bot.name} healthy again`,
        undefined,
        async () => (await health(bot)).body,
      );
    }
    // Both bots have answered or dropped what they kept (nothing is kept any more): no second answer can come.
    expect(answersTo(ts, '1099')).toHaveLength(1);
    expect(postText(answersTo(ts, '1099')[0] as SlackPost)).toContain('kept while my shared state was unreachable');

    // A later redelivery is a duplicate too; a new question in the thread is answered after it.
    expect((await deliver(b, 2)).status).toBe(200);
    const next = mention('what does pilot error 1150 mean?', fake.nextTs());
    await next(b);
    await waitFor(() => fake.posts.find((p) => postText(p).includes('1150') && !postText(p).includes('Working on it')), 'the next answer');
    expect(answersTo(ts, '1099')).toHaveLength(1);
  });

  it('starts degraded when Redis is down at start-up, keeps a message, and answers it once Redis is there', async () => {
    await proxy.down();
    // Redis stays away until after the bot is up: a start that waited for it would never finish (the hook's timeout).
    const c = await startBot('c');
    expect(proxy.up).toBe(false);
    expect((await health(c)).body).toMatchObject({ status: 'degraded', redis: 'unreachable' });
    const ts = fake.nextTs();
    expect((await mention('what does pilot error 1008 mean?', ts)(c)).status).toBe(200);
    await waitFor(() => inThread(ts).find((p) => postText(p).includes(HELD_TEXT.slice(0, 40))), 'the "kept" notice');
    await proxy.restore();
    await waitFor(() => answersTo(ts, '1008').length > 0, 'the answer after Redis is there');
    await waitFor(async () => (await health(c)).body.status === 'ok', 'c healthy');
    expect(answersTo(ts, '1008')).toHaveLength(1);
  });
});
