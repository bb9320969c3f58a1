import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PandaSource } from '../../src/contracts/panda.js';
import { AskPandaError } from '../../src/errors.js';
import { createFileSource, createMonitorClient, type MonitorClient, readLogHeadTail } from '../../src/panda/index.js';
import { type FakeMonitor, startFakeMonitor } from '../fakes/monitor/index.js';
import { needShared, sharedPath } from '../support/shared.js';

const FAILURES_DEV = sharedPath('eval/failures-dev');
const dev = needShared('eval/failures-dev');
const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const CASES = dev.missing ? [] : readdirSync(FAILURES_DEV).filter((name) => /^\d+$/.test(name));

async function bytes(source: PandaSource, pandaid: number, name: string): Promise<string> {
  const log = await source.openLog(pandaid, name);
  const chunks: Buffer[] = [];
  for await (const c of log.stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

describe.skipIf(dev.missing)(`failures-dev through the file source and through the fake monitor${dev.note}`, () => {
  let fake: FakeMonitor;
  let http: MonitorClient;
  const files = createFileSource(FAILURES_DEV);
  beforeAll(async () => {
    fake = await startFakeMonitor({ dir: FAILURES_DEV });
    http = createMonitorClient({ baseUrl: fake.url });
  });
  afterAll(async () => {
    await http.close();
    await fake.close();
  });

  it('has the 15 cases', () => {
    expect(CASES).toHaveLength(15);
  });

  it.each(CASES)('case %s yields identical job records, log listings and log bytes', async (id) => {
    const pandaid = Number(id);
    const [fromFiles, fromHttp] = await Promise.all([files.getJob(pandaid), http.getJob(pandaid)]);
    expect(fromHttp).toEqual(fromFiles);
    expect(fromFiles.job.pandaid).toBe(pandaid);
    expect(typeof fromFiles.job.transexitcode).toBe('string');
    expect(fromFiles.job.endtime).toMatch(/Z$/);
    const [listFiles, listHttp] = await Promise.all([files.listLogFiles(pandaid), http.listLogFiles(pandaid)]);
    expect(listHttp).toEqual(listFiles);
    const names = listFiles.map((f) => f.name);
    expect(names).toContain('pilotlog.txt');
    expect(names).not.toContain('label.json');
    expect(names).not.toContain('job.json');
    for (const name of names) expect(await bytes(http, pandaid, name)).toBe(await bytes(files, pandaid, name));
  });

  it('never opens the ground truth', async () => {
    const error = await files.openLog(Number(CASES[0]), 'label.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AskPandaError);
    expect((error as AskPandaError).code).toBe('input_invalid');
  });

  it('computes the same error summary both ways', async () => {
    const [a, b] = await Promise.all([files.getErrorSummary(24 * 365), http.getErrorSummary(24 * 365)]);
    expect(b.errsByCount).toEqual(a.errsByCount);
    expect(b.errsBySite).toEqual(a.errsBySite);
    expect(a.errsByCount.reduce((n, e) => n + e.count, 0)).toBeGreaterThanOrEqual(15);
  });
});

describe('file source on the demo data', () => {
  const demo = createFileSource(DEMO, { description: 'the demo data' });

  it('says a missing job is missing, naming the job and the data', async () => {
    const error = (await demo.getJob(42).catch((e: unknown) => e)) as AskPandaError;
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('Job 42 was not found in the demo data.');
    const task = (await demo.getTask(7).catch((e: unknown) => e)) as AskPandaError;
    expect(task.message).toBe('Task 7 was not found in the demo data.');
  });

  it('finds jobs that exist only in a task file (no logs)', async () => {
    const all = await demo.getTaskJobs(46200001, { allAttempts: true });
    const job = all.find((j) => j.jobstatus === 'failed');
    expect(job).toBeDefined();
    const details = await demo.getJob(job?.pandaid ?? 0);
    expect(details.job).toEqual(job);
    expect(await demo.listLogFiles(job?.pandaid ?? 0)).toEqual([]);
  });

  it('drops superseded attempts unless all attempts are asked for', async () => {
    const all = await demo.getTaskJobs(46200001, { allAttempts: true });
    const dropped = await demo.getTaskJobs(46200001);
    const parents = new Set(all.map((j) => j.parentid).filter((p) => typeof p === 'number'));
    expect(all.length).toBeGreaterThanOrEqual(190);
    expect(dropped.length).toBe(all.length - parents.size);
    expect(dropped.some((j) => parents.has(j.pandaid))).toBe(false);
  });

  it('filters the task list', async () => {
    expect((await demo.listTasks({})).map((t) => t.jeditaskid)).toEqual([46200002, 46200001]);
    expect((await demo.listTasks({ status: 'running' })).map((t) => t.jeditaskid)).toEqual([46200001]);
    expect((await demo.listTasks({ taskname: 'mc23*' })).map((t) => t.jeditaskid)).toEqual([46200001]);
  });

  it('reads head and tail of a log larger than the cap and says so', async () => {
    const onDisk = readFileSync(join(DEMO, '6601000010', 'pilotlog.txt'));
    const read = await readLogHeadTail(demo, 6601000010, 'pilotlog.txt', { maxBytes: 4000 });
    expect(read.truncated).toBe(true);
    expect(read.head.equals(onDisk.subarray(0, 2000))).toBe(true);
    expect(read.tail?.equals(onDisk.subarray(onDisk.length - 2000))).toBe(true);
    expect(read.notice).toMatch(/^The log pilotlog.txt of job 6601000010 is \d+ kB, larger than the 4 kB cap, so only its head and tail were analysed\.$/);
    const small = await readLogHeadTail(demo, 6601000014, 'payload.stdout', { maxBytes: 1_000_000 });
    expect(small.truncated).toBe(false);
    expect(small.head.toString()).toBe(readFileSync(join(DEMO, '6601000014', 'payload.stdout'), 'utf8'));
  });
});
