/**
 * A chart reaches each platform from the real bot process (`node bin/askpanda.js start`, demo data,
 * Slack in Socket Mode, Mattermost and Discord at once) against the three strict fakes. In this
 * process the PanDA HTTP transport loads undici 7 before discord.js, as in production (issue 20,
 * mismatch 1: Discord uploads failed with "action is not a function").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeDiscord, type FakeDiscord, snowflake } from '../fakes/discord/fake-discord.js';
import { createFakeMattermost, type FakeMattermost } from '../fakes/mattermost/fake-mattermost.js';
import { createFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { waitFor } from '../contract/wait.js';
import { SPAWNED_CLI_TIMEOUT_MS } from '../support/cli.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SLACK = { botToken: 'xoxb-e2e-bot', appToken: 'xapp-e2e-app', signingSecret: 'e2e-signing-secret-0123456789' };
const MM_TOKEN = 'mm-e2e-token';
const DISCORD_TOKEN = 'discord.e2e.token';
const QUESTION = 'summarise task 46200002';
const TEAM = 'team0000000000000000000000';
const MM_CHANNEL = 'chan0000000000000000general';
const MM_ALICE = 'alice0000000000000000000aa';

let slack: FakeSlack;
let mattermost: FakeMattermost;
let discord: FakeDiscord;
let discordChannel: string;
let child: ChildProcess;
let dataDir: string;
const stderr: string[] = [];

/** Waits for what the bot process does (its start included), naming its stderr tail on a timeout. */
const until = <T>(what: string, probe: () => T | undefined | false): Promise<T> =>
  waitFor(probe, what, SPAWNED_CLI_TIMEOUT_MS, () => `bot stderr tail: ${stderr.join('').slice(-1500)}`);

function documentedDiscordPermissions(): bigint {
  const page = readFileSync(join(ROOT, 'manifests/discord/application.md'), 'utf8');
  return BigInt(/permissions\*\* \(integer `(\d+)`\)/.exec(page)?.[1] ?? '0');
}

beforeAll(async () => {
  slack = await createFakeSlack(SLACK);
  mattermost = await createFakeMattermost(MM_TOKEN);
  mattermost.addChannel({ id: MM_CHANNEL, type: 'O', name: 'panda-help', team_id: TEAM });
  discord = await createFakeDiscord(DISCORD_TOKEN);
  discord.permissions = documentedDiscordPermissions();
  discordChannel = snowflake();
  discord.addChannel({ id: discordChannel, type: 0, name: 'panda-help', guild_id: discord.guildId });
  dataDir = mkdtempSync(join(tmpdir(), 'askpanda-charts-'));
  child = spawn(process.execPath, ['bin/askpanda.js', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ASKPANDA_DATA_DIR: dataDir,
      ASKPANDA_LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: SLACK.botToken,
      SLACK_APP_TOKEN: SLACK.appToken,
      SLACK_MODE: 'socket',
      SLACK_API_URL: slack.apiUrl,
      MATTERMOST_URL: mattermost.url,
      MATTERMOST_TOKEN: MM_TOKEN,
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr.push(chunk);
  });
  // Ready when all three are connected: a Socket Mode socket, a Mattermost socket, a gateway session.
  await until('the three platform connections', () => slack.socketCount > 0 && mattermost.socketCount > 0 && discord.sessions.length > 0);
}, SPAWNED_CLI_TIMEOUT_MS + 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await slack?.close();
  await mattermost?.close();
  await discord?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a task summary with its chart, from the real bot process', () => {
  it('Slack: the PNG is uploaded into the thread of the mention (files.uploadV2)', async () => {
    const ts = slack.nextTs();
    await slack.sendEnvelope('events_api', {
      token: 'verification-token',
      team_id: slack.teamId,
      api_app_id: 'A0FAKE',
      event: {
        type: 'app_mention',
        user: 'UALICE',
        text: `<@${slack.botUserId}> ${QUESTION}`,
        ts,
        channel: 'C0GENERAL',
        channel_type: 'channel',
        event_ts: ts,
      },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
    });
    const upload = await until('the Slack chart', () => slack.files.completed.find((u) => u.filename.endsWith('.png') && u.thread_ts === ts));
    expect(upload.bytes?.slice(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
  }, 120_000);

  it('Mattermost: the PNG is uploaded to the channel and attached to a post in the thread', async () => {
    const question = mattermost.userPost({ user_id: MM_ALICE, channel_id: MM_CHANNEL, message: `@askpanda ${QUESTION}` });
    const file = await until('the Mattermost chart', () => mattermost.files.find((f) => f.name.endsWith('.png') && f.post_id));
    const post = mattermost.posts.find((p) => p.id === file.post_id);
    expect(post?.root_id).toBe(question.id);
    expect(Buffer.from(file.bytes.slice(1, 4)).toString()).toBe('PNG');
  }, 120_000);

  it('Discord: the PNG is uploaded in the thread opened on the question (one undici per request path)', async () => {
    const question = discord.createMessage({
      channel_id: discordChannel,
      author: { id: snowflake(), username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null },
      content: `<@${discord.bot.id}> ${QUESTION}`,
      mentions: [discord.bot],
    });
    const chart = await until('the Discord chart', () => discord.messages.find((m) => m.attachments?.some((a) => a.filename.endsWith('.png'))));
    expect(chart.channel_id).toBe(question.id);
    expect(stderr.join('')).not.toContain('action is not a function');
  }, 120_000);
});
