/**
 * Paging through the monitor's job list (no offset parameter exists): a task or search bigger than
 * one page is split by site, day and state, and summarised completely; the fake monitor validates
 * and caps `/jobs/` the way the reference describes.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskAgent } from '../../agents/data/index.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { silentLogger } from '../../src/log.js';
import { createMonitorClient, type MonitorClient } from '../../src/panda/index.js';
import { agentRequest } from '../doubles/agent-request.js';
import { type FakeMonitor, generatedJob, startFakeMonitor } from '../fakes/monitor/index.js';
import { jobListCap } from '../fakes/monitor/fake-monitor.js';

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const TASK = 48000077;
const JOBS = 20_000;
const generated = { jeditaskid: TASK, jobs: JOBS };
const all = Array.from({ length: JOBS }, (_, i) => generatedJob(generated, i));
/** A smaller task whose jobs all end within about a day. */
const SMALL = { jeditaskid: 48000078, jobs: 3500 };
const small = Array.from({ length: SMALL.jobs }, (_, i) => generatedJob(SMALL, i));

const open: Array<{ close(): Promise<void> }> = [];
async function setup(pageSize: number): Promise<{ fake: FakeMonitor; panda: MonitorClient }> {
  const fake = await startFakeMonitor({ dir: DEMO, generatedTasks: [generated, SMALL] });
  const panda = createMonitorClient({ baseUrl: fake.url, retryBaseMs: 5, jobPageSize: pageSize });
  open.push(fake, panda);
  return { fake, panda };
}
const jobUrls = (fake: FakeMonitor) => fake.requests.map((r) => r.url).filter((u) => u.startsWith('/jobs/'));

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe('paging through /jobs/', () => {
  const day = (j: Record<string, unknown>) => String(j.modificationtime).slice(0, 10);
  const most = (keys: string[]) => {
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    return Math.max(...counts.values());
  };
  const busiestDay = most(all.map(day));

  it('a task several pages long is read completely in day windows', async () => {
    const { fake, panda } = await setup(busiestDay + 1);
    expect(busiestDay * 2).toBeLessThan(JOBS);
    const jobs = await panda.getTaskJobs(TASK, { allAttempts: true, fields: ['durationsec'] });
    expect(new Set(jobs.map((j) => j.pandaid)).size).toBe(JOBS);
    expect(jobs.filter((j) => j.jobstatus === 'failed')).toHaveLength(all.filter((j) => j.jobstatus === 'failed').length);
    const urls = jobUrls(fake);
    expect(urls.every((u) => u.includes(`limit=${busiestDay + 1}`) && u.includes('fields='))).toBe(true);
    // The task's input file count (20000) says it is larger than a page: day windows from the start.
    expect(urls.every((u) => /date_from=2025-10-\d\d&date_to=2025-10-\d\d/.test(u))).toBe(true);
    expect(urls.some((u) => u.includes('jobstatus='))).toBe(false);
  });

  it('a day fuller than a page is split again by job state', async () => {
    const busiest = most(small.map(day));
    const busiestState = most(small.map((j) => `${day(j)} ${String(j.jobstatus)}`));
    expect(busiestState).toBeLessThan(busiest);
    const { fake, panda } = await setup(busiestState + 1);
    const jobs = await panda.getTaskJobs(SMALL.jeditaskid, { allAttempts: true, fields: ['durationsec'] });
    expect(new Set(jobs.map((j) => j.pandaid)).size).toBe(SMALL.jobs);
    expect(jobs.filter((j) => j.jobstatus === 'failed')).toHaveLength(small.filter((j) => j.jobstatus === 'failed').length);
    expect(jobUrls(fake).some((u) => /jobstatus=finished&date_from=/.test(u))).toBe(true);
  });

  it('the task summary counts every job and failure of a task bigger than a page', async () => {
    const { panda } = await setup(8000);
    const agent = createTaskAgent({ panda, kb: createKnowledgeBase(), logger: silentLogger(), chart: false });
    const reply = await agent.answer(agentRequest(`summarise task ${TASK}`, 'task', { entities: { jeditaskid: TASK } }));
    const data = reply.data as { totalJobs: number; failedJobs: number };
    expect(data.totalJobs).toBe(JOBS);
    expect(data.failedJobs).toBe(all.filter((j) => j.jobstatus === 'failed').length);
    expect(reply.summary).toMatch(/20[ ,]?000/);
  });

  it('a task summary says when the job list stayed incomplete (a page full after every split)', async () => {
    const { panda } = await setup(50);
    const agent = createTaskAgent({ panda, kb: createKnowledgeBase(), logger: silentLogger(), chart: false });
    const reply = await agent.answer(agentRequest(`summarise task ${SMALL.jeditaskid}`, 'task', { entities: { jeditaskid: SMALL.jeditaskid } }));
    const notice = reply.blocks.find((b) => b.kind === 'notice');
    expect(notice && 'text' in notice ? notice.text : '').toMatch(/could not be read completely/);
    expect(reply.summary).toMatch(/Counted from an incomplete job list: \d+ jobs\./);
    expect((reply.data as { totalJobs: number }).totalJobs).toBeLessThan(SMALL.jobs);
  });

  it('a search over several sites is split by site and reports when a page could not be split further', async () => {
    const sites = 'BNL|MWT2|AGLT2|CERN';
    const perSiteDay = most(all.filter((j) => j.jobstatus === 'failed' && sites.includes(String(j.computingsite))).map((j) => `${j.computingsite} ${day(j)}`));
    const page = perSiteDay + 1;
    const { fake, panda } = await setup(page);
    let info: { complete: boolean; requests: number } | undefined;
    const failed = await panda.listJobs({ jeditaskid: TASK, computingsite: sites, jobstatus: 'failed', allAttempts: true }, { onPaged: (i) => (info = i) });
    const expected = all.filter((j) => j.jobstatus === 'failed' && sites.split('|').includes(String(j.computingsite)));
    expect(expected.length).toBeGreaterThan(2 * page);
    expect(failed.map((j) => j.pandaid).sort()).toEqual(expected.map((j) => Number(j.pandaid)).sort());
    expect(info?.complete).toBe(true);
    expect(jobUrls(fake).some((u) => u.includes('computingsite=BNL|MWT2&'))).toBe(true);
    // Newest first, as the contract says.
    const times = failed.map((j) => Date.parse(j.modificationtime ?? ''));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // One site, one day, one state and still a full page: kept, and said to be incomplete.
    let narrow: { complete: boolean; requests: number } | undefined;
    const capped = await setup(5);
    const some = await capped.panda.listJobs(
      { jeditaskid: TASK, computingsite: 'BNL', jobstatus: 'finished', dateFrom: '2025-10-01', dateTo: '2025-10-01', allAttempts: true },
      { onPaged: (i) => (narrow = i) },
    );
    expect(some).toHaveLength(5);
    expect(narrow).toEqual({ complete: false, requests: 1 });
  });

  it('a caller limit below the page size is one request with that limit', async () => {
    const { fake, panda } = await setup(1000);
    const jobs = await panda.listJobs({ jeditaskid: TASK, limit: 50, allAttempts: true });
    expect(jobs).toHaveLength(50);
    expect(jobUrls(fake)).toEqual([`/jobs/?json&jeditaskid=${TASK}&limit=50&mode=nodrop`]);
  });
});

describe('the fake monitor checks /jobs/ as the reference describes', () => {
  it('caps answers: limit when given, 200000 with a task id, 20000 without', () => {
    expect(jobListCap(new URLSearchParams('json&limit=7'))).toBe(7);
    expect(jobListCap(new URLSearchParams(`json&jeditaskid=${TASK}`))).toBe(200_000);
    expect(jobListCap(new URLSearchParams('json&computingsite=BNL'))).toBe(20_000);
  });

  it('honours limit, and refuses empty values and malformed dates with the monitor messages', async () => {
    const { fake } = await setup(1000);
    const get = async (q: string) => {
      const res = await fetch(`${fake.url}/jobs/?${q}`);
      return { status: res.status, body: (await res.json()) as { jobs?: unknown[]; error?: string } };
    };
    expect((await get(`json&jeditaskid=${TASK}&limit=7`)).body.jobs).toHaveLength(7);
    expect(await get(`json&jeditaskid=${TASK}&computingsite=`)).toEqual({ status: 400, body: { error: "Empty value '' for computingsite" } });
    expect(await get(`json&jeditaskid=${TASK}&date_from=01/10/2025`)).toEqual({
      status: 400,
      body: { error: "Illegal value '01/10/2025' for date_from, expected YYYY-MM-DD" },
    });
    const day = await get(`json&jeditaskid=${TASK}&mode=nodrop&date_from=2025-10-02&date_to=2025-10-02&fields=pandaid,modificationtime`);
    const expected = all.filter((j) => String(j.modificationtime).startsWith('2025-10-02'));
    expect(day.body.jobs).toHaveLength(expected.length);
  });
});
