import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AskPandaError } from '../../src/errors.js';
import { createMonitorClient, type MonitorClient, type MonitorClientOptions } from '../../src/panda/index.js';
import { type FakeMonitor, type FakeMonitorOptions, startFakeMonitor } from '../fakes/monitor/index.js';

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const FAILED = 6601000014; // transform error, has payload.stdout
const RUNNING = 6601000004;
const TASK = 46200001;

const open: Array<{ close(): Promise<void> }> = [];
async function fake(options: Partial<FakeMonitorOptions> = {}): Promise<FakeMonitor> {
  const f = await startFakeMonitor({ dir: DEMO, ...options });
  open.push(f);
  return f;
}
function client(f: FakeMonitor | string, options: Partial<MonitorClientOptions> = {}): MonitorClient {
  const c = createMonitorClient({ baseUrl: typeof f === 'string' ? f : f.url, retryBaseMs: 5, ...options });
  open.push(c);
  return c;
}
async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}
async function failure(promise: Promise<unknown>): Promise<AskPandaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AskPandaError);
  return error as AskPandaError;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe('monitor client against the fake monitor', () => {
  it('reads /job with auth headers and normalises dates, error codes and transexitcode', async () => {
    const f = await fake({ token: 's3cret' });
    const details = await client(f, { token: 's3cret' }).getJob(FAILED);
    expect(details.job.jobstatus).toBe('failed');
    expect(details.job.computingsite).toBe('RAL');
    expect(details.job.piloterrorcode).toBe(1305);
    expect(details.job.exeerrorcode).toBe(65);
    expect(details.job.transexitcode).toBe('65');
    expect(details.job.endtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(details.job.modificationhost).toMatch(/^atlpilo1@/); // unknown fields kept
    expect(details.files.map((x) => x.type).sort()).toEqual(['input', 'log', 'output']);
    const request = f.requests[0];
    expect(request?.url).toBe(`/job?pandaid=${FAILED}&json`);
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^askpanda\//);
  });

  it('sends `Token` auth and re-reads a token file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askpanda-token-'));
    try {
      writeFileSync(join(dir, 'token'), 'from-file\n');
      const f = await fake({ token: 'from-file' });
      const c = client(f, { authScheme: 'Token', tokenFile: join(dir, 'token') });
      await c.getTask(TASK);
      expect(f.requests[0]?.headers.authorization).toBe('Token from-file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists task jobs with and without superseded attempts, the task, the task list and the error summary', async () => {
    const f = await fake();
    const c = client(f);
    const dropped = await c.getTaskJobs(TASK);
    const all = await c.getTaskJobs(TASK, { allAttempts: true });
    expect(all.length).toBeGreaterThan(dropped.length);
    expect(all.some((j) => (j.attemptnr ?? 0) > 1 && j.jobstatus === 'finished')).toBe(true);
    // One page each (the task is smaller than the default page of 20000).
    expect(f.requests.map((r) => r.url).filter((u) => u.startsWith('/jobs/'))).toEqual([
      `/jobs/?json&jeditaskid=${TASK}&limit=20000`,
      `/jobs/?json&jeditaskid=${TASK}&limit=20000&mode=nodrop`,
    ]);
    const task = await c.getTask(TASK);
    expect(task.task.status).toBe('running');
    expect(task.task.creationdate).toMatch(/Z$/);
    expect(task.datasets.length).toBeGreaterThan(0);
    const mine = await c.listTasks({ username: 'Jane*' });
    expect(mine.map((t) => t.jeditaskid)).toEqual([46200002]);
    expect(f.requests.at(-1)?.url).toBe('/tasks/?json&username=Jane*');
    const summary = await c.getErrorSummary(72);
    expect(f.requests.at(-1)?.url).toBe('/errors/?json&hours=72&fields=errsByCount,errsBySite');
    expect(summary.hours).toBe(72);
    expect(summary.errsByCount.length).toBeGreaterThan(0);
    expect(summary.errsBySite.find((g) => g.name === 'SWT2_CPB')?.errorlist[0]?.error).toBe('pilot:1099');
  });

  it('lists log files and streams one through the 301 redirect to //media/filebrowser', async () => {
    const f = await fake();
    const c = client(f);
    const files = await c.listLogFiles(FAILED);
    expect(files.map((x) => x.name)).toEqual(['payload.stdout', 'pilotlog.txt']);
    const onDisk = readFileSync(join(DEMO, String(FAILED), 'pilotlog.txt'), 'utf8');
    const log = await c.openLog(FAILED, 'pilotlog.txt');
    expect(await text(log.stream)).toBe(onDisk);
    expect(log.size).toBe(Buffer.byteLength(onDisk));
    expect(log.truncated).toBe(false);
    expect(f.requests.map((r) => r.url)).toContain(`/filebrowser/?pandaid=${FAILED}&json&filename=pilotlog.txt`);
    expect(f.requests.at(-1)?.url).toMatch(new RegExp(`^//media/filebrowser/[0-9a-f-]+/mc23_13p6TeV/tarball_PandaJob_${FAILED}_RAL/pilotlog.txt$`));
  });

  it('reads only the tail with a Range request, and cuts at maxBytes', async () => {
    const f = await fake();
    const c = client(f);
    const onDisk = readFileSync(join(DEMO, String(FAILED), 'pilotlog.txt'));
    const tail = await c.openLog(FAILED, 'pilotlog.txt', { tail: 500 });
    expect(await text(tail.stream)).toBe(onDisk.subarray(onDisk.length - 500).toString('utf8'));
    expect(f.requests.at(-1)?.headers.range).toBe('bytes=-500');
    const head = await c.openLog(FAILED, 'pilotlog.txt', { maxBytes: 1000 });
    expect(await text(head.stream)).toBe(onDisk.subarray(0, 1000).toString('utf8'));
    expect(head.truncated).toBe(true);
  });

  it('says which log is missing', async () => {
    const f = await fake();
    const error = await failure(client(f).openLog(FAILED, 'nope.txt'));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(`Log nope.txt of job ${FAILED} was not found on the monitor at ${f.url} (No such log file found in tarball).`);
  });

  it('recognises the HTML page of an unknown job as "not found"', async () => {
    const f = await fake();
    const error = await failure(client(f).getJob(1234567));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(`Job 1234567 was not found on the monitor at ${f.url}.`);
  });

  it('recognises a login page and asks for ASKPANDA_PANDA_TOKEN', async () => {
    const f = await fake({ token: 's3cret' });
    const error = await failure(client(f).getJob(FAILED));
    expect(error.code).toBe('login_required');
    expect(error.message).toBe(`The monitor at ${f.url} asked for a login when fetching job ${FAILED} — set ASKPANDA_PANDA_TOKEN.`);
  });

  it('reports a rejected token (401) without retrying', async () => {
    const f = await fake({ token: 's3cret' });
    const error = await failure(client(f, { token: 'wrong' }).getTask(TASK));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain(`task ${TASK}`);
    expect(f.requests).toHaveLength(1);
  });

  it('reports an unreachable monitor', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const error = await failure(client(`http://127.0.0.1:${port}`, { retries: 1 }).getJob(FAILED));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toBe(`The monitor at http://127.0.0.1:${port} could not be reached when fetching job ${FAILED} (ECONNREFUSED).`);
  });

  it('times out a slow monitor', async () => {
    const f = await fake({ slowMs: 600 });
    const error = await failure(client(f, { timeoutMs: 150, retries: 0 }).getJob(FAILED));
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toBe(`The monitor at ${f.url} did not answer within 0.2 s when fetching job ${FAILED}.`);
  });

  it('retries 5xx answers with backoff', async () => {
    const f = await fake({ failures: [{ match: '/job?', status: 500, times: 2 }] });
    const details = await client(f, { retries: 3 }).getJob(FAILED);
    expect(details.job.pandaid).toBe(FAILED);
    expect(f.requests).toHaveLength(3);
    const g = await fake({ failures: [{ match: '/job?', status: 503, times: 10 }] });
    const error = await failure(client(g, { retries: 2 }).getJob(FAILED));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe(`The monitor at ${g.url} answered HTTP 503 for job ${FAILED}.`);
    expect(g.requests).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    const f = await fake({ failures: [{ match: '/task/', status: 429, retryAfter: 1 }] });
    const started = Date.now();
    await client(f, { retryBaseMs: 1 }).getTask(TASK);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(f.requests).toHaveLength(2);
    const g = await fake({ failures: [{ match: '/task/', status: 429, retryAfter: 3600 }] });
    const error = await failure(client(g, { maxRetryAfterMs: 5000 }).getTask(TASK));
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('try again in 3600 s');
    expect(g.requests).toHaveLength(1);
  });

  it('retries a truncated body and reports it when it persists', async () => {
    const f = await fake({ failures: [{ match: '/job?', truncate: true }] });
    expect((await client(f).getJob(FAILED)).job.pandaid).toBe(FAILED);
    expect(f.requests).toHaveLength(2);
    const g = await fake({ failures: [{ match: '/job?', truncate: true }] });
    const error = await failure(client(g, { retries: 0 }).getJob(FAILED));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toMatch(/sent an unreadable answer for job \d+ \((the answer was cut off|the JSON is incomplete or invalid)\)/);
  });

  it('caps the size of JSON answers', async () => {
    const f = await fake();
    const error = await failure(client(f, { maxResponseBytes: 2000 }).getTaskJobs(TASK));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain(`the jobs of task ${TASK}`);
  });

  it('limits concurrent requests per host', async () => {
    const f = await fake({ slowMs: 120 });
    const c = client(f, { maxConcurrency: 1 });
    const started = Date.now();
    await Promise.all([6601000005, 6601000006, 6601000007, 6601000008].map((id) => c.getJob(id)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 120 - 20);
  });

  it('keeps finished/failed jobs in the cache and refreshes running ones', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'askpanda-cache-'));
    // The cache's clock is moved past the running job's TTL (no sleep; timers stay real for the HTTP calls).
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const f = await fake();
      const first = client(f, { cacheDir, activeTtlMs: 60_000 });
      await first.getJob(FAILED);
      await first.getJob(RUNNING);
      await first.getJob(FAILED);
      await first.getJob(RUNNING);
      expect(f.requests).toHaveLength(2);
      vi.setSystemTime(Date.now() + 61_000);
      const second = client(f, { cacheDir, activeTtlMs: 60_000 }); // a restart: the cache is on disk
      expect((await second.getJob(FAILED)).job.jobstatus).toBe('failed');
      expect((await second.getJob(RUNNING)).job.jobstatus).toBe('running');
      expect(f.requests.map((r) => r.url)).toEqual([`/job?pandaid=${FAILED}&json`, `/job?pandaid=${RUNNING}&json`, `/job?pandaid=${RUNNING}&json`]);
    } finally {
      vi.useRealTimers();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('builds monitor links from the configured base URL', () => {
    const c = client('https://panda-doma.cern.ch/');
    expect(c.jobUrl(5)).toBe('https://panda-doma.cern.ch/job?pandaid=5');
    expect(c.taskUrl(7)).toBe('https://panda-doma.cern.ch/task/7/');
    expect(c.description).toBe('PanDA monitor at https://panda-doma.cern.ch');
  });
});
