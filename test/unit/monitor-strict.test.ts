/**
 * The BigPanDA monitor as it behaves (issue 20, point 6), against the strict fake: the first
 * file-browser listing downloads the log tarball inside the request; task job lists are heavy
 * unless `fields=` names the columns; `/errors/` computes five groups unless `fields=` picks; the
 * per-IP hourly request limit answers 429 without Retry-After.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { createMonitorClient, type MonitorClient, type MonitorClientOptions } from '../../src/panda/index.js';
import { BASE_JOB_FIELDS, TASK_SUMMARY_FIELDS } from '../../src/panda/job-filter.js';
import { JsonArrayScanner } from '../../src/panda/json-array-stream.js';
import { type FakeMonitor, type FakeMonitorOptions, startFakeMonitor } from '../fakes/monitor/index.js';

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const JOB = 6601000001;
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});
async function fake(options: Partial<FakeMonitorOptions> = {}): Promise<FakeMonitor> {
  const f = await startFakeMonitor({ dir: DEMO, ...options });
  open.push(f);
  return f;
}
function client(f: FakeMonitor, options: Partial<MonitorClientOptions> = {}): MonitorClient {
  const c = createMonitorClient({ baseUrl: f.url, retryBaseMs: 5, ...options });
  open.push(c);
  return c;
}
async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('file browser: the first listing downloads the log tarball', () => {
  it('gets its own, longer timeout than ordinary calls', async () => {
    const f = await fake({ logDownloadMs: 400 });
    const c = client(f, { timeoutMs: 150, fileBrowserTimeoutMs: 2000 });
    const files = await c.listLogFiles(JOB);
    expect(files.map((x) => x.name)).toContain('pilotlog.txt');
    expect(f.requests.filter((r) => r.url.startsWith('/filebrowser/'))).toHaveLength(1);
  });

  it('retries a timed-out listing: the monitor kept downloading, the retry finds the logs', async () => {
    // The retry starts after 1.5 s and finds the download done at 2 s: it has 1 s of slack on a loaded machine.
    const f = await fake({ logDownloadMs: 2000 });
    const c = client(f, { timeoutMs: 150, fileBrowserTimeoutMs: 1500, retries: 2 });
    const files = await c.listLogFiles(JOB);
    expect(files.map((x) => x.name)).toContain('pilotlog.txt');
    expect(f.requests.filter((r) => r.url === `/filebrowser/?pandaid=${JOB}&json`).length).toBe(2);
  });

  it('ordinary calls keep the short timeout and fail with a clear message', async () => {
    const f = await fake({ slowMs: 400 });
    const error = await failure(client(f, { timeoutMs: 150, retries: 0 }).getJob(JOB));
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toMatch(/did not answer within 0\.2 s when fetching job 6601000001/);
  });
});

describe('task job lists ask only for the fields they use', () => {
  const TASK = 47000001;
  it('a 3000-job task under a 3 MB answer cap: all ~150 columns do not fit, fields= does', async () => {
    const f = await fake({ generatedTasks: [{ jeditaskid: TASK, jobs: 3000 }] });
    const c = client(f, { maxResponseBytes: 3 * 1024 * 1024, retries: 0 });
    const heavy = await failure(c.getTaskJobs(TASK, { allAttempts: true }));
    expect(heavy.code).toBe('too_large');
    const jobs = await c.getTaskJobs(TASK, { allAttempts: true, fields: TASK_SUMMARY_FIELDS });
    expect(jobs).toHaveLength(3000);
    const url = f.requests.at(-1)?.url ?? '';
    expect(url).toContain('mode=nodrop');
    const fields = new URL(url, f.url).searchParams.get('fields')?.split(',') ?? [];
    expect(fields).toEqual(expect.arrayContaining([...BASE_JOB_FIELDS, ...TASK_SUMMARY_FIELDS]));
    expect(Object.keys(jobs[0] ?? {})).not.toContain('pilotid');
    expect(jobs.filter((j) => j.jobstatus === 'failed').length).toBeGreaterThan(0);
  });

  it('searches go through the job list filters with fields= and limit', async () => {
    const f = await fake();
    const c = client(f);
    const jobs = await c.listJobs({ computingsite: 'SWT2_CPB', jobstatus: 'failed', hours: 48, limit: 50 }, { fields: ['maxrss'] });
    const url = new URL(f.requests.at(-1)?.url ?? '/', f.url);
    expect(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'fields'))).toEqual({
      json: '',
      computingsite: 'SWT2_CPB',
      jobstatus: 'failed',
      hours: '48',
      limit: '50',
    });
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.computingsite === 'SWT2_CPB' && j.jobstatus === 'failed')).toBe(true);
  });

  it('the fake rejects what the monitor rejects', async () => {
    const f = await fake();
    const error = await failure(client(f).listJobs({ jobname: 'mc23%' }));
    expect(error.message).toContain('Use * symbol for pattern search instead of % for jobname');
  });
});

describe('/errors/ asks only for the groups it uses', () => {
  it('fields=errsByCount,errsBySite', async () => {
    const f = await fake();
    const summary = await client(f).getErrorSummary(72);
    expect(new URL(f.requests.at(-1)?.url ?? '/', f.url).searchParams.get('fields')).toBe('errsByCount,errsBySite');
    expect(summary.errsBySite.length).toBeGreaterThan(0);
    expect(summary.errsByUser).toEqual([]);
  });
});

describe('429 without Retry-After (the per-IP hourly limit)', () => {
  it('fails at once with a message that says why, instead of retrying in seconds', async () => {
    const f = await fake({ maxRequestsPerHour: 1 });
    const c = client(f, { retries: 3, retryBaseMs: 200 });
    await c.getJob(JOB);
    const error = await failure(c.getTask(46200001));
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/HTTP 429, no Retry-After.*per hour.*try again later/);
    // Failed at once: the task was asked for once (no retry after a backoff), whatever the machine's speed.
    expect(f.requests).toHaveLength(2);
  });

  it('still honours a Retry-After when one is sent', async () => {
    const f = await fake({ failures: [{ match: '/task/', status: 429, retryAfter: 0 }] });
    const task = await client(f).getTask(46200001);
    expect(task.task.jeditaskid).toBe(46200001);
    expect(f.requests).toHaveLength(2);
  });
});

describe('stream-parsing the jobs array', () => {
  const doc = JSON.stringify({
    selectionsummary: [{ field: 'x', list: [] }],
    jobs: [{ a: 1, s: 'q"}],{', t: 'back\\\\slash\\"' }, { b: [1, { c: 2 }] }, 3, 'x'],
    errsByCount: [],
  });
  it('yields every element whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 7, 64, doc.length]) {
      const got: unknown[] = [];
      const scanner = new JsonArrayScanner('jobs', (v) => got.push(v));
      const bytes = Buffer.from(doc);
      for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
      expect(scanner.end().found).toBe(true);
      expect(got).toEqual([{ a: 1, s: 'q"}],{', t: 'back\\\\slash\\"' }, { b: [1, { c: 2 }] }, 3, 'x']);
    }
  });

  it('a cut-off answer is an error, not a short list', () => {
    const scanner = new JsonArrayScanner('jobs', () => undefined);
    scanner.push(Buffer.from(doc.slice(0, 60)));
    expect(() => scanner.end()).toThrow(/ended inside the "jobs" list/);
  });
});
