/**
 * Watches over simulated time: the fake monitor serves a world that changes between checks, the
 * runners get a fake clock, and posts are recorded. Alert once, nothing without a change, recovery
 * notices, quiet hours and the rate limit, restarts and a replica taking over without duplicates.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDigestRunner,
  createWatchCommand,
  createWatchRunner,
  digestDue,
  type Place,
  parseWatchCommand,
  type Poster,
  type Watch,
  type WatchStore,
} from '../../agents/watch/index.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { type Reply, withoutMarks } from '../../src/contracts/reply.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { silentLogger } from '../../src/log.js';
import { createMonitorClient } from '../../src/panda/index.js';
import { createState, createWatchStore, type State } from '../../src/state/index.js';
import { type FakeMonitor, startFakeMonitor } from '../fakes/monitor/index.js';
import { createWorld, type World } from '../support/watch-world.js';

const kb = createKnowledgeBase();
const logger = silentLogger();
const CHANNEL: Place = { platform: 'slack', workspace: 'T1', channel: 'C0OPS', isDirect: false };
const TASK = 91000001;
const BACKGROUND = 91000099;

interface Posted {
  place: Place;
  thread: string | null;
  reply: Reply;
  text: string;
}

function recorder(): { posts: Posted[]; post: Poster } {
  const posts: Posted[] = [];
  let n = 0;
  return {
    posts,
    post: async (place, thread, reply) => {
      // What a plain-text view shows (quoted spans without their marks).
      const text = withoutMarks(
        reply.blocks.map((b) => ('text' in b ? b.text : b.kind === 'table' ? [b.caption, ...b.rows.map((r) => r.join(' | '))].join('\n') : '')).join('\n'),
      );
      posts.push({ place, thread, reply, text });
      n += 1;
      return { thread: thread ?? `thread-${n}` };
    },
  };
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'askpanda-watch-'));
  dirs.push(d);
  return d;
};
/** The bot's state in a data directory (SQLite), as a restarted process opens it again. */
const sqliteStore = async (dir: string, replica = 'r1'): Promise<{ store: WatchStore; state: State }> => {
  const state = await createState({ dataDir: dir, replica, logger });
  return { store: createWatchStore({ keyv: state.keyv('watch'), claim: state.claimOnce, release: state.releaseClaim }), state };
};

async function addWatch(store: WatchStore, kind: Watch['kind'], target: string, place = CHANNEL): Promise<Watch> {
  const watch: Watch = {
    id: `${place.platform}:${place.workspace}:${place.channel}|${kind}:${target}`,
    kind,
    target,
    place,
    by: 'slack:UADMIN',
    createdAt: '2026-03-02T06:00:00.000Z',
  };
  await store.addWatch(watch);
  return watch;
}

let world: World;
let fake: FakeMonitor;
const panda = () => createMonitorClient({ baseUrl: fake.url, retryBaseMs: 5 });

beforeAll(async () => {
  world = createWorld();
  // A heartbeat so the monitor's windows end "now".
  world.add(BACKGROUND, 1, { jobstatus: 'finished', computingsite: 'BNL' });
  fake = await startFakeMonitor({ dir: world.dir });
});
afterAll(async () => {
  await fake.close();
  world.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('watch commands', () => {
  it('parses the chat grammar and leaves other sentences alone', () => {
    expect(parseWatchCommand('watch task 45500125')).toEqual({ ok: true, command: { verb: 'watch', kind: 'task', target: '45500125' } });
    expect(parseWatchCommand('watch error exe:65')).toEqual({ ok: true, command: { verb: 'watch', kind: 'error', target: 'executor:65' } });
    expect(parseWatchCommand('watch site CERN-PROD')).toMatchObject({ ok: true, command: { kind: 'site', target: 'CERN-PROD' } });
    expect(parseWatchCommand('digest daily 7:05')).toEqual({ ok: true, command: { verb: 'digest', time: '07:05' } });
    expect(parseWatchCommand('digest daily 25:00')).toMatchObject({ ok: false });
    expect(parseWatchCommand('watch error foo:1')).toMatchObject({ ok: false });
    expect(parseWatchCommand('watch out, job 6715819744 failed again')).toBeNull();
    expect(parseWatchCommand('digest of the pilot docs please')).toBeNull();
  });

  it('lets anyone watch in a DM, only admins in a channel, and records who set it', async () => {
    const store = createWatchStore({ keyv: new Keyv() });
    world.add(TASK, 1, { jobstatus: 'running', computingsite: 'BNL' });
    const command = createWatchCommand({ store, admins: ['slack:UADMIN'], panda: panda() });
    const msg = (text: string, user: string, isDirect: boolean): IncomingMessage => ({
      platform: 'slack',
      workspace: 'T1',
      channel: isDirect ? 'D0BOB' : 'C0OPS',
      thread: null,
      user,
      text,
      isDirect,
      mentionsBot: true,
      eventId: randomUUID(),
      receivedAt: new Date(),
    });
    const refused = await command(msg(`watch task ${TASK}`, 'UBOB', false));
    expect(refused?.summary).toMatch(/Only admins/);
    expect(await store.listWatches()).toHaveLength(0);
    const ok = await command(msg(`watch task ${TASK}`, 'UADMIN', false));
    expect(ok?.summary).toMatch(/Watching task 91000001 here \(set by slack:UADMIN\)/);
    const dm = await command(msg('watch site BNL', 'UBOB', true));
    expect(dm?.summary).toMatch(/Watching site bnl/i);
    const watches = await store.listWatches();
    expect(watches.map((w: Watch) => [w.kind, w.target, w.by, w.place.channel])).toEqual([
      ['task', String(TASK), 'slack:UADMIN', 'C0OPS'],
      ['site', 'BNL', 'slack:UBOB', 'D0BOB'],
    ]);
    expect((await command(msg(`watch task ${TASK}`, 'UADMIN', false)))?.summary).toMatch(/already watched/);
    expect((await command(msg('watch task 99999999', 'UADMIN', false)))?.summary).toMatch(/was not found/);
    expect((await command(msg('watches', 'UBOB', false)))?.summary).toMatch(/Task 91000001: set by slack:UADMIN/);
    expect((await command(msg('digest daily 07:30', 'UBOB', false)))?.summary).toMatch(/Only admins/);
    expect((await command(msg('digest daily 07:30', 'UADMIN', false)))?.summary).toMatch(/Daily digest here at 07:30 UTC/);
    expect((await command(msg(`unwatch task ${TASK}`, 'UADMIN', false)))?.summary).toMatch(/Stopped watching task 91000001/);
    expect(await command(msg('watch out for this', 'UADMIN', false))).toBeNull();
  });
});

describe('watch checks over simulated time', () => {
  it('task: alerts once when the failure rate crosses the threshold, not again without a change, on a new signature, a recovery, and when it ends', async () => {
    const { store } = await sqliteStore(tempDir());
    const rec = recorder();
    const runner = createWatchRunner({ store, panda: panda(), kb, post: rec.post, logger, now: world.now });
    const id = 91000002;
    world.add(id, 20, { jobstatus: 'finished', computingsite: 'BNL' });
    world.add(id, 2, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
    const watch = await addWatch(store, 'task', String(id));
    await runner.checkAll();
    expect(rec.posts).toHaveLength(0); // 2 of 22 failed: under 20 %, and the existing signature is the baseline

    world.advance(5);
    const failedIds = world.add(id, 8, { jobstatus: 'failed', computingsite: 'CERN-PROD', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
    await runner.checkAll();
    expect(rec.posts).toHaveLength(1);
    const alert = rec.posts[0] as Posted;
    expect(alert.thread).toBeNull(); // the first alert starts the watch's thread
    expect(alert.text).toContain('Task 91000002: failure rate 33% is over the 20% threshold');
    expect(alert.text).toContain('10 failed and 20 finished attempts');
    expect(alert.text).toMatch(/Top signature:\*\* `pilot:1099`/);
    expect(alert.text).toContain(`${fake.url}/job?pandaid=${failedIds.at(-1)}`);
    expect(alert.text).toContain(`${fake.url}/task/${id}/`);
    expect(alert.reply.attachments?.[0]?.mimeType).toBe('image/png');
    expect(alert.text).toContain(`unwatch task ${id}`);

    world.advance(5);
    await runner.checkAll();
    world.advance(5);
    await runner.checkAll();
    expect(rec.posts).toHaveLength(1); // nothing changed: nothing posted

    world.advance(5);
    world.add(id, 6, { jobstatus: 'failed', computingsite: 'BNL', exeerrorcode: 65, exeerrordiag: 'Non-zero return code from Sim_tf (65)' });
    await runner.checkAll();
    expect(rec.posts).toHaveLength(2);
    expect(rec.posts[1]?.text).toContain('new error signature');
    expect(rec.posts[1]?.text).toContain('exe:65');
    expect(rec.posts[1]?.thread).toBe('thread-1'); // in the watch's thread

    world.advance(5);
    world.add(id, 90, { jobstatus: 'finished', computingsite: 'BNL' });
    await runner.checkAll();
    expect(rec.posts).toHaveLength(3);
    expect(rec.posts[2]?.text).toMatch(/Task 91000002 recovered: the failure rate is back to 13%/);

    world.advance(5);
    world.setTaskStatus(id, 'done');
    await runner.checkAll();
    await runner.checkAll();
    expect(rec.posts).toHaveLength(4);
    expect(rec.posts[3]?.text).toContain('Task 91000002: finished (done)');
    expect((await store.getWatch(watch.id))?.ended).toBe('task done');
  });

  it('site: learns its usual level, alerts on a jump of failed jobs and of one error’s share, once, then a recovery', async () => {
    const { store } = await sqliteStore(tempDir());
    const rec = recorder();
    const runner = createWatchRunner({ store, panda: panda(), kb, post: rec.post, logger, now: world.now });
    const site = 'SITE-JUMP';
    await addWatch(store, 'site', site);
    const usual = () => {
      world.add(BACKGROUND, 2, { jobstatus: 'failed', computingsite: site, piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
      world.add(BACKGROUND, 1, { jobstatus: 'finished', computingsite: 'BNL' });
    };
    for (let i = 0; i < 4; i += 1) {
      world.advance(61);
      usual();
      await runner.checkAll();
    }
    expect(rec.posts).toHaveLength(0);

    world.advance(61);
    const bad = world.add(BACKGROUND, 14, {
      jobstatus: 'failed',
      computingsite: site,
      piloterrorcode: 1305,
      piloterrordiag: 'Payload execution error: segfault',
    });
    usual();
    await runner.checkAll();
    expect(rec.posts.map((p) => p.reply.summary)).toEqual([
      'Site SITE-JUMP: 16 failed jobs in 1 h, 8.0× its usual 2',
      "Site SITE-JUMP: pilot:1305 is now 88% of the site's errors (usually 0%)",
    ]);
    const first = rec.posts[0] as Posted;
    expect(first.text).toContain('its usual level is 2 (median of the last 4 checks), the alert level 10');
    expect(first.text).toMatch(/Top signature:\*\* `pilot:1305` "Payload execution error: segfault" — 14 of 16 errors/);
    expect(first.text).toContain(`${fake.url}/job?pandaid=${bad[0]}`);
    expect(first.reply.attachments?.[0]?.alt).toMatch(/SITE-JUMP: failed jobs by error, last 1 h: pilot:1305 Payload execution error: segfault 14/);

    world.advance(30); // still inside the same bad hour
    usual();
    await runner.checkAll();
    expect(rec.posts).toHaveLength(2);

    world.advance(90);
    usual();
    await runner.checkAll();
    expect(rec.posts.slice(2).map((p) => p.reply.summary)).toEqual([
      '✅ Site SITE-JUMP recovered: failed jobs are back to 2 in the last 1 h (usual level 2).',
      "✅ Site SITE-JUMP recovered: pilot:1305 is back to 0% of the site's errors (usually 0%).",
    ]);
    expect(rec.posts.every((p, i) => (i === 0 ? p.thread === null : p.thread === 'thread-1'))).toBe(true);
  });

  it('error: alerts when it appears at a new site, not for the sites it was at, with a recovery', async () => {
    const { store } = await sqliteStore(tempDir());
    const rec = recorder();
    const runner = createWatchRunner({ store, panda: panda(), kb, post: rec.post, logger, now: world.now });
    world.advance(120);
    world.add(BACKGROUND, 3, { jobstatus: 'failed', computingsite: 'OLD-SITE', piloterrorcode: 1324, piloterrordiag: 'Service not available' });
    await addWatch(store, 'error', 'pilot:1324');
    await runner.checkAll();
    world.advance(10);
    world.add(BACKGROUND, 1, { jobstatus: 'failed', computingsite: 'OLD-SITE', piloterrorcode: 1324, piloterrordiag: 'Service not available' });
    await runner.checkAll();
    expect(rec.posts).toHaveLength(0);
    world.advance(10);
    const ids = world.add(BACKGROUND, 4, { jobstatus: 'failed', computingsite: 'NEW-SITE', piloterrorcode: 1324, piloterrordiag: 'Service not available' });
    await runner.checkAll();
    await runner.checkAll();
    expect(rec.posts).toHaveLength(1);
    expect(rec.posts[0]?.text).toContain('Error pilot:1324: pilot:1324 appeared at NEW-SITE');
    expect(rec.posts[0]?.text).toContain('4 jobs at NEW-SITE in the last 1 h; before, it was seen at OLD-SITE');
    expect(rec.posts[0]?.text).toContain(`${fake.url}/job?pandaid=${ids[0]}`);
    world.advance(90);
    world.add(BACKGROUND, 1, { jobstatus: 'finished', computingsite: 'BNL' });
    await runner.checkAll();
    expect(rec.posts[1]?.reply.summary).toBe('✅ Error pilot:1324 recovered: pilot:1324 is no longer seen at NEW-SITE in the last 1 h.');
  });

  it('holds alerts in quiet hours and beyond the per-channel hourly limit, and sends them later', async () => {
    const { store } = await sqliteStore(tempDir());
    const rec = recorder();
    const quietHour = world.now().getUTCHours();
    const runner = createWatchRunner({
      store,
      panda: panda(),
      kb,
      post: rec.post,
      logger,
      now: world.now,
      quietHours: { from: quietHour * 60, to: ((quietHour + 1) % 24) * 60 },
      maxPostsPerHour: 1,
    });
    const a = 91000011;
    const b = 91000012;
    for (const id of [a, b]) {
      world.add(id, 5, { jobstatus: 'finished', computingsite: 'BNL' });
      world.add(id, 10, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
      await addWatch(store, 'task', String(id));
    }
    const report = await runner.checkAll();
    expect(report).toMatchObject({ alerts: 0, held: 2 });
    world.advance(60 - world.now().getUTCMinutes()); // quiet hours are over
    expect((await runner.checkAll()).alerts).toBe(1);
    expect((await runner.checkAll()).alerts).toBe(0); // the channel had its one post this hour
    world.advance(61);
    expect((await runner.checkAll()).alerts).toBe(1);
    expect((await runner.checkAll()).alerts).toBe(0);
    expect(rec.posts.map((p) => p.reply.summary)).toEqual([
      `Task ${a}: failure rate 67% is over the 20% threshold`,
      `Task ${b}: failure rate 67% is over the 20% threshold`,
    ]);
  });

  it('a restart and a replica taking over (same SQLite state) do not repeat alerts', async () => {
    const dir = tempDir();
    const first = await sqliteStore(dir, 'r1');
    const rec = recorder();
    const id = 91000021;
    world.add(id, 5, { jobstatus: 'finished', computingsite: 'BNL' });
    world.add(id, 10, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
    await addWatch(first.store, 'task', String(id));
    const report = await createWatchRunner({ store: first.store, panda: panda(), kb, post: rec.post, logger, now: world.now }).checkAll();
    // The whole report, so that a failure says whether the alert was held, failed or never found.
    expect(report).toMatchObject({ watches: 1, alerts: 1, held: 0, failed: 0 });
    expect(rec.posts).toHaveLength(1);
    await first.state.close();

    // A new process: new store objects over the same file, a new runner.
    const second = await sqliteStore(dir, 'r2');
    const runner = createWatchRunner({ store: second.store, panda: panda(), kb, post: rec.post, logger, now: world.now });
    world.advance(5);
    await runner.checkAll();
    expect(rec.posts).toHaveLength(1);
    world.advance(5);
    world.add(id, 3, { jobstatus: 'failed', computingsite: 'BNL', exeerrorcode: 65, exeerrordiag: 'Non-zero return code (65)' });
    await runner.checkAll();
    await runner.checkAll();
    expect(rec.posts.map((p) => p.thread)).toEqual([null, 'thread-1']); // continues the first replica's thread
    await second.state.close();
  });
});

describe('daily digest', () => {
  it('is due from its minute for two hours, once a day', () => {
    expect(digestDue('07:30', new Date('2026-03-03T07:29:00Z'))).toBeNull();
    expect(digestDue('07:30', new Date('2026-03-03T07:30:00Z'))).toBe('2026-03-03');
    expect(digestDue('07:30', new Date('2026-03-03T09:29:00Z'))).toBe('2026-03-03');
    expect(digestDue('07:30', new Date('2026-03-03T09:31:00Z'))).toBeNull();
  });

  it('posts the last 24 h against the day before once at its time: top errors, worst sites, rising tasks, changes, chart', async () => {
    const w = createWorld('2026-03-04T05:00:00Z');
    const monitor = await startFakeMonitor({ dir: w.dir });
    try {
      const client = createMonitorClient({ baseUrl: monitor.url, retryBaseMs: 5 });
      const rising = 92000001;
      // The day before: a few failures.
      w.add(rising, 20, { jobstatus: 'finished', computingsite: 'BNL' });
      w.add(rising, 2, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
      w.advance(24 * 60);
      // The last 24 h: many more, and a new error.
      w.add(rising, 10, { jobstatus: 'finished', computingsite: 'BNL' });
      w.add(rising, 12, { jobstatus: 'failed', computingsite: 'CERN-PROD', piloterrorcode: 1305, piloterrordiag: 'Payload execution error' });
      w.add(rising, 3, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
      w.advance(150); // 07:30
      w.add(rising, 1, { jobstatus: 'finished', computingsite: 'BNL' });
      const store = createWatchStore({ keyv: new Keyv() });
      const rec = recorder();
      await store.setDigest({ place: CHANNEL, time: '07:30', by: 'slack:UADMIN', createdAt: '2026-03-01T00:00:00Z' });
      const digests = createDigestRunner({ store, panda: client, post: rec.post, logger, now: w.now });
      expect(await digests.runDue()).toMatchObject({ subscriptions: 1, sent: 1 });
      w.advance(1);
      expect(await digests.runDue()).toMatchObject({ sent: 0 });
      expect(rec.posts).toHaveLength(1);
      const text = rec.posts[0]?.text ?? '';
      expect(text).toContain('PanDA daily digest: the last 24 h (to 2026-03-05 07:30 UTC)');
      expect(text).toContain('15 failed jobs in the last 24 h, 2 the day before (+650%)');
      expect(text).toMatch(/pilot:1305 \| Payload execution error \| 12 \| 0 \| new/);
      expect(text).toMatch(/pilot:1099 \| Failed to stage-in file \| 3 \| 2 \| \+50%/);
      expect(text).toMatch(/CERN-PROD \| 12 \| 0 \| new \| pilot:1305/);
      expect(text).toContain(`• ${rising}: 58% of 26 ended jobs failed (day before 9% of 22)`);
      expect(text).toContain('What changed since yesterday:** new errors: pilot:1305; sites at least twice as bad: CERN-PROD (0 → 12)');
      expect(rec.posts[0]?.reply.attachments?.[0]?.alt).toMatch(/^Top errors, last 24 h: pilot:1305 Payload execution error 12/);
      w.advance(24 * 60);
      expect(await digests.runDue()).toMatchObject({ sent: 1 }); // the next morning
    } finally {
      await monitor.close();
      w.close();
    }
  });
});

describe('two replicas on Redis', () => {
  const prefix = `askpanda-test:${randomUUID()}:`;
  const states: State[] = [];
  afterAll(async () => {
    const { connectRedis } = await import('../../src/state/redis-client.js');
    const redis = await connectRedis('redis://127.0.0.1:6379');
    const keys = await (redis.commands as unknown as { keys(p: string): Promise<string[]> }).keys(`${prefix}*`);
    if (keys.length) await redis.commands.del(keys);
    await redis.close();
    for (const s of states) await s.close();
  });

  it('checking at the same time, they post one alert per condition; the survivor takes over without repeating them', async () => {
    const replica = async (name: string) => {
      const state = await createState({ redisUrl: 'redis://127.0.0.1:6379', dataDir: tempDir(), replica: name, logger, redisPrefix: prefix });
      states.push(state);
      return createWatchStore({ keyv: state.keyv('watch'), claim: state.claimOnce, release: state.releaseClaim });
    };
    const [storeA, storeB] = [await replica('a'), await replica('b')];
    const rec = recorder();
    const runners = [storeA, storeB].map((store) => createWatchRunner({ store, panda: panda(), kb, post: rec.post, logger, now: world.now }));
    const both = () => Promise.all(runners.map((r) => r.checkAll()));
    const id = 91000031;
    world.add(id, 10, { jobstatus: 'finished', computingsite: 'BNL' });
    world.add(id, 1, { jobstatus: 'failed', computingsite: 'BNL', piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file' });
    await addWatch(storeA, 'task', String(id));
    expect(await storeB.listWatches()).toHaveLength(1); // one store, seen by both

    await both();
    world.advance(5);
    world.add(id, 6, { jobstatus: 'failed', computingsite: 'BNL', exeerrorcode: 65, exeerrordiag: 'Non-zero return code (65)' });
    for (let i = 0; i < 3; i += 1) await both();
    expect(rec.posts.map((p) => p.reply.summary).sort()).toEqual([
      `Task ${id}: failure rate 41% is over the 20% threshold`,
      `Task ${id}: new error signature exe:65`,
    ]);

    // Replica a is gone; b goes on alone from the shared state.
    world.advance(5);
    world.add(id, 40, { jobstatus: 'finished', computingsite: 'BNL' });
    await runners[1]?.checkAll();
    await runners[1]?.checkAll();
    expect(rec.posts.map((p) => p.reply.summary)).toHaveLength(3);
    expect(rec.posts[2]?.reply.summary).toMatch(/recovered: the failure rate is back to 12%/);
    expect(rec.posts.map((p) => p.thread)).toEqual([null, 'thread-1', 'thread-1']); // one thread for the watch
  });
});
