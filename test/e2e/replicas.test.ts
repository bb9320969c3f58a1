/**
 * Two real bot processes (`node bin/askpanda.js start`) against one fake Mattermost (every socket
 * sees every event) and the real Redis on 127.0.0.1:6379 (logical database 9, cleaned up after).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor as waitUntil } from '../contract/wait.js';
import { createFakeMattermost, type FakeMattermost, type FakePost } from '../fakes/mattermost/fake-mattermost.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const REDIS_URL = 'redis://127.0.0.1:6379/9';
const TOKEN = 'replica-test-token';
const TEAM = 'team0000000000000000000000';
const CHANNEL = 'chan0000000000000000general';
const ALICE = 'alice0000000000000000000aa';
const CODES = [1099, 1150, 1008, 1137, 1201, 1212, 1213, 1305, 1324, 1098];

interface Replica {
  name: string;
  child: ChildProcess;
  port: number;
  lines: Array<Record<string, unknown>>;
  exited: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Waits for `check` and returns how long that took. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitUntil(check, what, timeoutMs);
  return Date.now() - started;
}

let fake: FakeMattermost;
const replicas: Replica[] = [];
const dirs: string[] = [];
let configFile = '';

async function startReplica(name: string): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), `askpanda-${name}-`));
  dirs.push(dataDir);
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/askpanda.js', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ASKPANDA_CONFIG: configFile,
      ASKPANDA_DATA_DIR: dataDir,
      ASKPANDA_REDIS_URL: REDIS_URL,
      ASKPANDA_HTTP_PORT: String(port),
      ASKPANDA_LOG_LEVEL: 'info',
      MATTERMOST_URL: fake.url,
      MATTERMOST_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const replica = { name, child, port, lines, exited };
  replicas.push(replica);
  await waitFor(
    `${name} /healthz`,
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    60_000,
  );
  return replica;
}

const botPosts = () => fake.posts.filter((p) => p.user_id === fake.bot.id);

async function health(r: Replica): Promise<{ adapters: Array<{ role: string }>; redis: string }> {
  return (await (await fetch(`http://127.0.0.1:${r.port}/healthz`)).json()) as { adapters: Array<{ role: string }>; redis: string };
}

async function cleanRedis(): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  const keys = await client.keys('askpanda*');
  if (keys.length) await client.del(keys);
  await client.close();
}

beforeAll(async () => {
  await cleanRedis();
  fake = await createFakeMattermost(TOKEN);
  fake.addChannel({ id: CHANNEL, type: 'O', name: 'town-square', team_id: TEAM });
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-replicas-'));
  dirs.push(dir);
  configFile = join(dir, 'askpanda.yaml');
  // A per-second CRIC refresh (cheap on the demo snapshot); the other jobs far away.
  writeFileSync(
    configFile,
    [
      'maintenance:',
      "  errorSummaryCron: '0 0 1 1 *'",
      "  cricCron: '* * * * * *'",
      "  docsCron: '0 0 1 1 *'",
      "  discussionsCron: '0 0 1 1 *'",
      "  pruneCron: '0 0 1 1 *'",
    ].join('\n'),
  );
  await Promise.all([startReplica('r1'), startReplica('r2')]);
}, 120_000);

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGTERM');
  await Promise.race([Promise.all(replicas.map((r) => r.exited)), sleep(5000)]);
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await fake?.close();
  await cleanRedis();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('two replicas on one fake Mattermost and Redis', () => {
  it('one replica holds the connection, the other stands by', async () => {
    await waitFor('one socket', () => fake.socketCount === 1, 60_000);
    const roles = (await Promise.all(replicas.map(health))).map((h) => h.adapters[0]?.role).sort();
    expect(roles).toEqual(['holder', 'standby']);
    const h = await health(replicas[0] as Replica);
    expect(h.redis).toBe('ok');
  });

  it('200 messages in 20 threads get exactly 200 replies, each thread in order', async () => {
    const roots: FakePost[] = [];
    for (let t = 0; t < 20; t++)
      roots.push(fake.userPost({ user_id: ALICE, channel_id: CHANNEL, message: `@askpanda what does pilot error ${CODES[0]} mean? (thread ${t} message 0)` }));
    for (let i = 1; i < CODES.length; i++) {
      for (let t = 0; t < 20; t++) {
        const root = roots[t] as FakePost;
        fake.userPost({
          user_id: ALICE,
          channel_id: CHANNEL,
          root_id: root.id,
          message: `@askpanda what does pilot error ${CODES[i]} mean? (thread ${t} message ${i})`,
        });
      }
    }
    const answered = () => botPosts().filter((p) => !p.message.includes('Working on it') && p.edits > 0);
    await waitFor('200 answers', () => answered().length >= 200, 90_000).catch((error: Error) => {
      const problems = replicas.flatMap((r) => r.lines.filter((l) => Number(l.level) >= 40).map((l) => `${r.name}: ${JSON.stringify(l).slice(0, 300)}`));
      throw new Error(`${error.message}: ${answered().length} answered of ${botPosts().length} bot posts; ${problems.slice(0, 5).join('\n')}`);
    });
    // Anything extra (a double answer) would come before the answer to a later message on the same socket.
    const sentinel = fake.userPost({ user_id: ALICE, channel_id: CHANNEL, message: '@askpanda thanks!' });
    await waitFor('the answer to a later message', () => botPosts().some((p) => p.root_id === sentinel.id && !p.message.includes('Working on it')), 60_000);
    const replies = botPosts().filter((p) => p.root_id !== sentinel.id);
    expect(replies).toHaveLength(200);
    for (const [t, root] of roots.entries()) {
      const inThread = replies.filter((p) => p.root_id === root.id);
      expect(inThread, `thread ${t}`).toHaveLength(10);
      // Each reply answers its own question, in the order asked.
      expect(inThread.map((p) => CODES.find((c) => p.message.includes(String(c))))).toEqual(CODES);
    }
    // Every question is in its own thread's memory and nowhere else. (The adapter posts its "working"
    // placeholder before calling the core, so a burst can reach the core out of order; see report.)
    const keyv = new Keyv({ store: new KeyvRedis(REDIS_URL), namespace: 'askpanda:memory' });
    try {
      for (const [t, root] of roots.entries()) {
        const key = ['mattermost', TEAM, CHANNEL, root.id].map((p) => encodeURIComponent(p)).join(':');
        const stored = (await keyv.get(key)) as { turns: Array<{ role: string; text: string }> } | undefined;
        const asked = (stored?.turns ?? []).filter((x) => x.role === 'user').map((x) => Number(/error (\d+)/.exec(x.text)?.[1]));
        expect([...asked].sort(), `memory of thread ${t}`).toEqual([...CODES].sort());
        expect(JSON.stringify(stored), `memory of thread ${t}`).not.toContain(`(thread ${(t + 1) % 20} `);
      }
    } finally {
      await keyv.disconnect();
    }
  }, 120_000);

  it('a scheduled job runs once per tick across the replicas', async () => {
    const cricRuns = () =>
      replicas.flatMap((r) =>
        r.lines.filter((l) => l.msg === 'maintenance job finished' && l.job === 'cric').map((l) => ({ tick: String(l.tick), replica: r.name })),
      );
    // Four ticks have run somewhere (waited on the replicas' logs, not a 4 s sleep).
    await waitFor('four cric ticks', () => cricRuns().length >= 4, 60_000);
    const runs = cricRuns();
    const ticks = runs.map((r) => r.tick);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticks).size).toBe(ticks.length);
    const metrics = await Promise.all(replicas.map(async (r) => (await fetch(`http://127.0.0.1:${r.port}/metrics`)).text()));
    const total = metrics
      .flatMap((m) => [...m.matchAll(/^askpanda_maintenance_runs_total\{job="cric",outcome="\w+"\} (\d+)$/gm)].map((x) => Number(x[1])))
      .reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(ticks.length);
    expect(metrics.join('\n')).toMatch(/askpanda_messages_total\{intent="error_code",outcome="ok",platform="mattermost"\} 200/);
  });

  it('killing the connection holder makes the other replica take over (within one lease period plus slack)', async () => {
    const roles = await Promise.all(replicas.map(async (r) => ({ r, role: (await health(r)).adapters[0]?.role })));
    const holder = roles.find((x) => x.role === 'holder')?.r as Replica;
    const standby = roles.find((x) => x.role === 'standby')?.r as Replica;
    expect(holder && standby).toBeTruthy();
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await holder.exited;
    const takeoverMs = await waitFor(
      'the standby to connect',
      async () => fake.socketCount === 1 && (await health(standby)).adapters[0]?.role === 'holder',
      // The connection lease's TTL decides the takeover; the rest is slack for a loaded 2-core runner.
      20_000,
    );
    const before = botPosts().length;
    const post = fake.userPost({ user_id: ALICE, channel_id: CHANNEL, message: '@askpanda what does pilot error 1150 mean? (after takeover)' });
    await waitFor('an answer from the new holder', () => botPosts().some((p) => p.root_id === post.id && p.edits > 0 && p.message.includes('1150')), 60_000);
    expect(takeoverMs).toBeLessThan(20_000);
    expect(botPosts().length - before).toBe(1);
    console.log(`takeover: connected ${takeoverMs} ms and answered ${Date.now() - killedAt} ms after the holder was killed`);
  });
});
