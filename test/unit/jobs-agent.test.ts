/**
 * Job searches, retry lineage and job comparison against the fake monitor (the real monitor client
 * pointed at it), and the PanDA user mapping behind "my jobs".
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsAgent, createPandaUserDirectory, toldPandaUser } from '../../agents/jobs/index.js';
import { createRuleRouter } from '../../agents/selection/index.js';
import type { Turn } from '../../src/contracts/conversation.js';
import type { Reply } from '../../src/contracts/reply.js';
import type { Intent } from '../../src/contracts/routing.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { silentLogger } from '../../src/log.js';
import { createCricClient, createMonitorClient, type MonitorClient } from '../../src/panda/index.js';
import { agentRequest } from '../doubles/agent-request.js';
import { type FakeMonitor, generatedPandaid, startFakeMonitor } from '../fakes/monitor/index.js';

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const GENERATED = { jeditaskid: 47100001, jobs: 40 };
let fake: FakeMonitor;
let panda: MonitorClient;
let dir: string;
const kb = createKnowledgeBase();

beforeAll(async () => {
  fake = await startFakeMonitor({ dir: DEMO, generatedTasks: [GENERATED] });
  panda = createMonitorClient({ baseUrl: fake.url, retryBaseMs: 5 });
  dir = mkdtempSync(join(tmpdir(), 'jobs-agent-'));
});
afterAll(async () => {
  await panda.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const agent = (configured: string[] = [], file = join(dir, 'users.json')) =>
  createJobsAgent({ panda, kb, users: createPandaUserDirectory({ configured, file }), logger: silentLogger() });
const ask = (text: string, intent: Intent, extra: Parameters<typeof agentRequest>[2] = {}, a = agent()) => a.answer(agentRequest(text, intent, extra));
const lastUrl = (prefix: string) => new URL([...fake.requests].reverse().find((r) => r.url.startsWith(prefix))?.url ?? '/', fake.url);

describe('retry lineage', () => {
  it('lists every attempt of a job (parentid chain) with site, error and duration, and what changed', async () => {
    const reply = await ask('show me all retries of job 6602000008', 'job_lineage', { entities: { pandaid: 6602000008 } });
    const data = reply.data as {
      attempts: Array<{ pandaid: number; attemptnr: number; site: string; status: string; error: string | null; durationSec: number }>;
    };
    expect(data.attempts.map((a) => [a.pandaid, a.attemptnr, a.site, a.status])).toEqual([
      [6602000006, 1, 'MWT2', 'failed'],
      [6602000007, 2, 'TRIUMF', 'failed'],
      [6602000008, 3, 'BNL', 'finished'],
    ]);
    expect(data.attempts[0]?.error).toBe('pilot:1305');
    expect(data.attempts.every((a) => a.durationSec > 0)).toBe(true);
    expect(reply.summary).toContain('one of 3 attempts');
    expect(reply.summary).toContain('site TRIUMF → BNL; error pilot:1305 → none; status failed → finished');
    const url = lastUrl('/jobs/');
    expect(url.searchParams.get('jeditaskid')).toBe('46200001');
    expect(url.searchParams.get('mode')).toBe('nodrop');
    expect(url.searchParams.get('fields')).toContain('parentid');
  });

  it('follows JEDI job names (<taskName>.$ORIGINPANDAID) and attemptnr', async () => {
    const retry = generatedPandaid(GENERATED, 9);
    const reply = await ask(`was job ${retry} retried?`, 'job_lineage', { entities: { pandaid: retry } });
    const data = reply.data as { attempts: Array<{ pandaid: number; attemptnr: number }> };
    expect(data.attempts.map((a) => [a.pandaid, a.attemptnr])).toEqual([
      [generatedPandaid(GENERATED, 8), 1],
      [retry, 2],
    ]);
  });

  it('says so when a job has no other attempt', async () => {
    const reply = await ask('retry history of job 6601000005', 'job_lineage', { entities: { pandaid: 6601000005 } });
    expect(reply.summary).toMatch(/^Job 6601000005 has no other attempt/);
  });
});

describe('job search', () => {
  it('"failed jobs at <queue> in the last N hours" goes through the job list filters, grouped by error signature with examples and links', async () => {
    const reply = await ask('failed jobs at SWT2_CPB in the last 48 hours', 'job_search', { entities: { queue: 'SWT2_CPB' } });
    const url = lastUrl('/jobs/');
    expect(url.searchParams.get('computingsite')).toBe('SWT2_CPB');
    expect(url.searchParams.get('jobstatus')).toBe('failed');
    expect(url.searchParams.get('hours')).toBe('48');
    expect(url.searchParams.get('limit')).toBeTruthy();
    expect(url.searchParams.get('fields')?.split(',')).toEqual(expect.arrayContaining(['pandaid', 'jobstatus', 'piloterrorcode', 'piloterrordiag']));
    expect(reply.summary).toMatch(/^Failed jobs at SWT2_CPB in the last 48 h: \d+\./);
    const data = reply.data as { signatures: Array<{ error: string; examples: number[]; count: number }> };
    expect(data.signatures[0]?.error).toBe('pilot:1099');
    const table = reply.blocks.find((b) => b.kind === 'table');
    expect(JSON.stringify(table)).toContain(`${fake.url}/job?pandaid=${data.signatures[0]?.examples[0]}`);
  });

  it('"jobs of user X in task T" filters by produsername and jeditaskid', async () => {
    const reply = await ask('jobs of user Jane Doe in task 46150010', 'job_search', { entities: { jeditaskid: 46150010, username: 'Jane Doe' } });
    const url = lastUrl('/jobs/');
    expect(url.searchParams.get('produsername')).toBe('Jane Doe');
    expect(url.searchParams.get('jeditaskid')).toBe('46150010');
    expect(reply.summary).toMatch(/^Jobs of user Jane Doe in task 46150010: 1\./);
  });

  it('"my failed jobs today" asks for the PanDA user name once, remembers it, then answers; never guesses', async () => {
    const a = agent();
    const first = await ask('my failed jobs today', 'job_search', {}, a);
    expect(first.summary).toMatch(/^What is your PanDA user name/);
    expect((first.data as { needsUser: boolean }).needsUser).toBe(true);
    const requestsBefore = fake.requests.length;
    expect(fake.requests.length).toBe(requestsBefore);
    const history: Turn[] = [
      { role: 'user', text: 'my failed jobs today', at: '2025-10-06T16:00:00Z', intent: 'job_search' },
      { role: 'assistant', text: first.summary ?? '', at: '2025-10-06T16:00:01Z', intent: 'job_search' },
    ];
    const second = await ask('my panda user name is Jane Doe', 'job_search', { history }, a);
    expect(second.summary).toMatch(/^Noted: your PanDA user name is Jane Doe/);
    expect(second.summary).toContain('Failed jobs of user Jane Doe in the last 24 h');
    expect(lastUrl('/jobs/').searchParams.get('produsername')).toBe('Jane Doe');
    expect(JSON.parse(readFileSync(join(dir, 'users.json'), 'utf8'))).toEqual({ 'test:u': 'Jane Doe' });
    // A later conversation (a new agent, same data directory) knows it.
    const later = await ask('show me my failed jobs in the last 2 days', 'job_search', {}, agent());
    expect(later.summary).toMatch(/^Failed jobs of user Jane Doe in the last 48 h: \d+/);
  });

  it('uses the configured mapping without asking', async () => {
    const reply = await ask('my jobs today', 'job_search', {}, agent(['test:u=atlas-production'], join(dir, 'other.json')));
    expect(reply.summary).toMatch(/^Jobs of user atlas-production in the last 24 h: \d+/);
  });

  it('reads the ways people tell their PanDA name', () => {
    expect(toldPandaUser('my panda user name is Jane Doe')).toBe('Jane Doe');
    expect(toldPandaUser('My PanDA username is "jdoe".')).toBe('jdoe');
    expect(toldPandaUser('I am jdoe on bigpanda')).toBe('jdoe');
    expect(toldPandaUser('what is my panda user name?')).toBeNull();
  });
});

describe('job search by cloud or country (CRIC maps them to computing sites)', () => {
  const cricFile = join(DEMO, 'cric/pandaqueues.json');
  const records = Object.entries(JSON.parse(readFileSync(cricFile, 'utf8')) as Record<string, { cloud: string; country: string }>);
  const names = (pred: (q: { cloud: string; country: string }) => boolean) =>
    records
      .filter(([, q]) => pred(q))
      .map(([n]) => n)
      .sort();
  const withCric = () =>
    createJobsAgent({
      panda,
      kb,
      users: createPandaUserDirectory({ configured: [], file: join(dir, 'users-cric.json') }),
      cric: createCricClient({ file: cricFile }),
      logger: silentLogger(),
    });

  it('"failed jobs in the UK in the last 6 hours" asks for the UK cloud\'s queues and says so', async () => {
    const reply = await ask('failed jobs in the UK in the last 6 hours', 'job_search', {}, withCric());
    const url = lastUrl('/jobs/');
    const uk = names((q) => q.cloud === 'UK');
    expect(uk.length).toBeGreaterThan(1);
    expect(url.searchParams.get('computingsite')?.split('|').sort()).toEqual(uk);
    expect(url.searchParams.get('jobstatus')).toBe('failed');
    expect(url.searchParams.get('hours')).toBe('6');
    expect(reply.summary).toMatch(new RegExp(`^Failed jobs in cloud UK \\(${uk.length} queues\\) in the last 6 h: \\d+\\.`));
  });

  it('a country by name or adjective, and a cloud by code', async () => {
    const de = await ask('failed jobs in Germany today', 'job_search', {}, withCric());
    expect(lastUrl('/jobs/').searchParams.get('computingsite')?.split('|').sort()).toEqual(names((q) => q.country === 'Germany'));
    expect(de.summary).toMatch(/^Failed jobs in Germany \(\d+ queues\) in the last 24 h: \d+\./);
    const us = await ask('failed jobs in cloud US in the last 3 days', 'job_search', {}, withCric());
    const wanted = names((q) => q.cloud === 'US');
    expect(lastUrl('/jobs/').searchParams.get('computingsite')?.split('|').sort()).toEqual(wanted);
    // Every failed job of those queues in the window, straight from the fake's data.
    const direct = await panda.listJobs({ computingsite: wanted.join('|'), jobstatus: 'failed', hours: 72 });
    expect((us.data as { total: number }).total).toBe(direct.length);
    expect(direct.length).toBeGreaterThan(0);
  });
});

describe('compare two jobs', () => {
  it('lists the differences and the decisive line of the failed one', async () => {
    const reply: Reply = await ask('why did 6602000007 fail and 6602000008 succeed?', 'job_compare', {
      entities: { pandaid: 6602000007, pandaids: [6602000007, 6602000008] },
    });
    const data = reply.data as {
      differing: Array<{ label: string; a: string; b: string }>;
      causes: Array<{ pandaid: number; cause: string; lines: string[] }>;
    };
    expect(data.differing.map((d) => d.label)).toEqual(expect.arrayContaining(['status', 'site', 'error', 'duration']));
    expect(data.differing.find((d) => d.label === 'site')).toMatchObject({ a: 'TRIUMF', b: 'BNL' });
    expect(data.causes.map((c) => c.pandaid)).toEqual([6602000007]);
    expect(data.causes[0]?.lines.length).toBeGreaterThan(0);
    expect(reply.summary).toMatch(/^Job 6602000007 failed and job 6602000008 finished\. They differ in site \(TRIUMF vs BNL\)/);
  });

  it('asks for the second id when only one is given', async () => {
    const reply = await ask('compare job 6602000007', 'job_compare', { entities: { pandaid: 6602000007 } });
    expect(reply.summary).toMatch(/^Which two jobs should I compare/);
  });
});

describe('routing of the new questions', () => {
  const router = createRuleRouter();
  it('routes a bare name that answers the bot\'s "What is your PanDA user name" to the jobs agent', async () => {
    const history: Turn[] = [
      { role: 'user', text: 'my failed jobs today', at: '2025-10-06T16:00:00Z', intent: 'job_search' },
      { role: 'assistant', text: 'What is your PanDA user name (as the monitor shows it…)?', at: '2025-10-06T16:00:01Z', intent: 'job_search' },
    ];
    expect((await router.route('Jane Doe', history)).intent).toBe('job_search');
    expect((await router.route('Jane Doe', [])).intent).not.toBe('job_search');
  });
  it('carries both ids of a comparison and the named user of a search', async () => {
    expect((await router.route('compare job 6602000007 and job 6602000008', [])).entities.pandaids).toEqual([6602000007, 6602000008]);
    expect((await router.route('jobs of user Jane Doe in task 46150010', [])).entities.username).toBe('Jane Doe');
  });
});
