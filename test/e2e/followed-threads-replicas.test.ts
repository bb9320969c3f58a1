/**
 * Followed threads live in the shared state (Redis here), not in one process: per platform fake, a
 * replica answers a mention (and so follows the thread), restarts, and the thread reply without a
 * mention is delivered to the other replica, which answers it once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChatAdapter, FollowedThreads, MessageHandler } from '../../src/contracts/chat.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Logger } from '../../src/log.js';
import { createState, type State } from '../../src/state/index.js';
import { captureLogger, type PostedMessage, type Sent, waitFor } from '../contract/chat-adapter.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';
import { createSlackDriver } from '../fakes/slack/driver.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `askpanda-test:${randomUUID()}:`;
const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-followed-'));

interface ReplicaDriver {
  startReplica(handler: MessageHandler, logger: Logger, threads: FollowedThreads): Promise<ChatAdapter>;
  sendMention(text: string): Promise<Sent>;
  sendThreadReply(to: Sent, text: string): Promise<Sent>;
  posts(): PostedMessage[];
  stop(): Promise<void>;
}

/** Where events go once two replicas run: Slack hands each event to one socket (the oldest); Mattermost
 * and Discord send every event to every connection, so only the connection-lease holder connects. */
const drivers: Array<[string, () => Promise<ReplicaDriver>, { bothConnected: boolean }]> = [
  ['slack', () => createSlackDriver('socket'), { bothConnected: true }],
  ['mattermost', () => createMattermostDriver(), { bothConnected: false }],
  ['discord', () => createDiscordDriver(), { bothConnected: false }],
];

const open: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.reverse()) await ('stop' in x ? x.stop() : x.close()).catch(() => undefined);
  open.length = 0;
});
afterAll(async () => {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await client.del(keys);
  await client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function replicaState(name: string): Promise<State> {
  const state = await createState({ redisUrl: REDIS_URL, dataDir, replica: name, logger: captureLogger().logger, redisPrefix: prefix });
  open.push(state);
  return state;
}

/** A handler that answers with its replica's name and counts what it answered. */
function answering(name: string, answered: IncomingMessage[]): MessageHandler {
  return async (message) => {
    answered.push(message);
    return { blocks: [{ kind: 'markdown', text: `answer from ${name}: ${message.text}` }] };
  };
}

describe.each(drivers)('%s: a followed thread survives a restart and reaches the other replica', (_name, make, { bothConnected }) => {
  it('answers a reply without mention once, on the replica that did not start the thread', async () => {
    const driver = await make();
    open.push(driver);
    const { logger } = captureLogger();
    const answeredA: IncomingMessage[] = [];
    const answeredB: IncomingMessage[] = [];
    const answeredA2: IncomingMessage[] = [];

    // Replica A answers a mention: it starts (and follows) the thread.
    const stateA = await replicaState('a');
    const adapterA = await driver.startReplica(answering('a', answeredA), logger, stateA.followedThreads);
    const sent = await driver.sendMention('what is error 1099?');
    await waitFor(() => driver.posts().find((p) => p.text.includes('answer from a: what is error 1099?')), 'replica A answering the mention');

    // A restarts (process memory gone); B takes over the connection; A comes back.
    await adapterA.stop();
    await stateA.close();
    const stateB = await replicaState('b');
    const adapterB = await driver.startReplica(answering('b', answeredB), logger, stateB.followedThreads);
    open.push(adapterB);
    const stateA2 = await replicaState('a');
    if (bothConnected) open.push(await driver.startReplica(answering('a2', answeredA2), logger, stateA2.followedThreads));

    // The reply in the thread, without a mention, reaches B, which has never seen the thread.
    await driver.sendThreadReply(sent, 'and how do I fix it?');
    const reply = await waitFor(() => driver.posts().find((p) => p.text.includes('how do I fix it?')), 'an answer to the thread reply without a mention');
    expect(reply.text).toContain('answer from b: and how do I fix it?');
    expect(reply.inThread).toBe(true);
    expect(answeredB.map((m) => [m.text, m.mentionsBot])).toEqual([['and how do I fix it?', false]]);
    expect(answeredA2).toEqual([]);
    expect(driver.posts().filter((p) => p.text.includes('how do I fix it?'))).toHaveLength(1);
  });
});
