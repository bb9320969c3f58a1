/** The pieces behind "Redis down → degrade, never lose": the kept-message table and followed threads that never wait on Redis. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createFollowedThreads, createResilientFollowedThreads } from '../../src/state/followed-threads.js';
import { openHeldMessages } from '../../src/state/held-messages.js';
import { createHeldHandler, HELD_TEXT } from '../../src/app/held-handler.js';
import { redactDeep } from '../../src/logs/index.js';
import { silentLogger } from '../../src/log.js';

const dir = mkdtempSync(join(tmpdir(), 'held-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (eventId: string, text: string): IncomingMessage => ({
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  thread: null,
  messageId: `${eventId}.ts`,
  user: 'U1',
  text,
  isDirect: false,
  mentionsBot: true,
  eventId,
  receivedAt: new Date('2026-12-06T08:00:00Z'),
});

describe('kept messages', () => {
  it('keep each event once, in arrival order, across a restart, until released', () => {
    const first = openHeldMessages(dir);
    expect(first.hold(message('E1', 'what does pilot error 1099 mean?'))).toBe(true);
    expect(first.hold(message('E1', 'what does pilot error 1099 mean?'))).toBe(false);
    expect(first.hold(message('E2', 'and 1150?'))).toBe(true);
    first.close();

    const again = openHeldMessages(dir);
    expect(again.count()).toBe(2);
    const [a, b] = again.pending();
    expect(a?.key).toBe('slack:E1');
    expect(a?.message.receivedAt).toEqual(new Date('2026-12-06T08:00:00Z'));
    expect(b?.message.text).toBe('and 1150?');
    // A claimed row is not claimed twice (two processes on one data directory).
    expect(again.claim('slack:E1')).toBe(true);
    expect(again.claim('slack:E1')).toBe(false);
    again.answered('slack:E1', { blocks: [{ kind: 'markdown', text: 'answer' }] });
    expect(again.pending()[0]?.reply?.blocks).toHaveLength(1);
    again.release('slack:E1');
    expect(again.has('slack:E1')).toBe(false);
    expect(again.count()).toBe(1);
    again.close();
  });
});

describe('followed threads while Redis is away', () => {
  it('answer from the threads this process knows, and write the ones followed meanwhile when it is back', async () => {
    const keyv = new Keyv();
    let up = true;
    const listeners: Array<() => void> = [];
    const threads = createResilientFollowedThreads(createFollowedThreads({ keyv, ttlMs: 60_000 }), {
      available: () => up,
      onAvailable: (listener) => listeners.push(listener),
    });
    await threads.follow('slack', 'C1:1');
    up = false;
    expect(await threads.follows('slack', 'C1:1')).toBe(true);
    expect(await threads.follows('slack', 'C1:2')).toBe(false);
    await threads.follow('slack', 'C1:3');
    expect(await keyv.get('slack:C1:3')).toBeUndefined();
    up = true;
    for (const listener of listeners) listener();
    await expect.poll(() => keyv.get('slack:C1:3')).toBe(1);
  });
});

describe('the held handler', () => {
  it('keeps a message redacted (ids untouched), answers it once when Redis is back and drops redeliveries', async () => {
    const held = openHeldMessages(join(dir, 'handler'));
    let up = false;
    const handled: IncomingMessage[] = [];
    const delivered: string[] = [];
    const handler = createHeldHandler({
      handle: async (m) => {
        handled.push(m);
        return { blocks: [{ kind: 'markdown', text: `answer to ${m.text}` }] };
      },
      held,
      available: () => up,
      redact: redactDeep,
      deliver: async (m, reply) => {
        delivered.push(`${m.channel}/${m.messageId}: ${reply.blocks.map((b) => ('text' in b ? b.text : '')).join(' | ')}`);
      },
      logger: silentLogger(),
    });
    const secret = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const m = message('Ev1', `why does my job fail? I ran export GITHUB_TOKEN=${secret} and then prun`);
    const notice = await handler.handle(m);
    expect(notice?.blocks).toEqual([{ kind: 'notice', level: 'warning', text: HELD_TEXT }]);
    expect(await handler.handle(m)).toBeNull();
    const [row] = held.pending();
    expect(row?.message.text).not.toContain(secret);
    expect(row?.message).toMatchObject({ eventId: 'Ev1', channel: 'C1', messageId: 'Ev1.ts' });

    up = true;
    await handler.drain();
    expect(handled).toHaveLength(1);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatch(/^C1\/Ev1\.ts: Answering your message of 08:00 UTC/);
    expect(held.count()).toBe(0);
    held.close();
  });
});
