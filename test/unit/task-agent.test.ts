import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTaskAgent } from '../../agents/data/task-agent.js';
import type { AgentRequest } from '../../src/contracts/agent.js';
import { type ReplyBlock, untrusted } from '../../src/contracts/reply.js';
import { LlmError } from '../../src/errors.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { silentLogger } from '../../src/log.js';
import { createFileSource } from '../../src/panda/index.js';
import { createFakeLlm } from '../doubles/fake-llm.js';
import { agentRequest } from '../doubles/agent-request.js';

const demoDir = fileURLToPath(new URL('../../resources/demo', import.meta.url));
type RawJob = Record<string, unknown> & { pandaid: number; jobstatus: string; parentid: number | null; computingsite: string; attemptnr: number };
const rawJobs = (id: number): RawJob[] => JSON.parse(readFileSync(`${demoDir}/tasks/${id}.json`, 'utf8')).jobs.jobs;

const kb = createKnowledgeBase();
const panda = createFileSource(demoDir);

function request(jeditaskid: number | null, text: string): AgentRequest {
  return agentRequest(text, 'task', { entities: { jeditaskid } });
}

const table = (blocks: ReplyBlock[], caption: string) => {
  const t = blocks.find((b) => b.kind === 'table' && b.caption?.startsWith(caption));
  if (t?.kind !== 'table') throw new Error(`no table ${caption}`);
  return t;
};

const tally = (keys: string[]) => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
};

describe('task agent on the demo task 46200001', () => {
  const jobs = rawJobs(46200001);
  const failed = jobs.filter((j) => j.jobstatus === 'failed');

  it('counts jobs by state, by site and by attempt like an independent count of the task file', async () => {
    const agent = createTaskAgent({ panda, kb, logger: silentLogger() });
    const reply = await agent.answer(request(46200001, 'how many jobs of task 46200001 failed, and why?'));
    expect(reply.intent).toBe('task');

    const states = tally(jobs.map((j) => j.jobstatus));
    const superseded = new Set(jobs.map((j) => j.parentid).filter((p): p is number => typeof p === 'number'));
    const latest = tally(jobs.filter((j) => !superseded.has(j.pandaid)).map((j) => j.jobstatus));
    const stateRows = table(reply.blocks, 'Jobs by state').rows;
    expect(stateRows.length).toBe(states.size);
    for (const [state, all, last] of stateRows) {
      expect(Number(all)).toBe(states.get(state as string));
      expect(Number(last)).toBe(latest.get(state as string) ?? 0);
    }
    expect(states.get('failed')).toBe(67);

    const failedBySite = tally(failed.map((j) => j.computingsite));
    const siteRows = table(reply.blocks, 'Failures by site').rows;
    for (const [site, f, finished, total] of siteRows) {
      expect(Number(f)).toBe(failedBySite.get(site as string));
      expect(Number(finished)).toBe(jobs.filter((j) => j.computingsite === site && j.jobstatus === 'finished').length);
      expect(Number(total)).toBe(jobs.filter((j) => j.computingsite === site).length);
    }
    expect(siteRows.length).toBe(Math.min(10, failedBySite.size));

    for (const [attempt, total, f] of table(reply.blocks, 'Jobs by attempt').rows) {
      expect(Number(total)).toBe(jobs.filter((j) => j.attemptnr === Number(attempt)).length);
      expect(Number(f)).toBe(failed.filter((j) => j.attemptnr === Number(attempt)).length);
    }
  });

  it('groups failures into signatures with shares, examples, retries and wasted walltime', async () => {
    const agent = createTaskAgent({ panda, kb, logger: silentLogger() });
    const reply = await agent.answer(request(46200001, 'why did task 46200001 fail?'));
    const data = reply.data as {
      signatures: Array<{ code: string; count: number; share: number; examples: number[]; recovered: number; wallHours: number }>;
      retry: { recovered: number; failed: number };
      wasted: { wallHours: number };
    };

    // independent: the pilot code (or the dispatcher code) of each failed job
    const primary = (j: RawJob) => (Number(j.piloterrorcode) ? `pilot:${j.piloterrorcode}` : `jobdispatcher:${j.jobdispatchererrorcode}`);
    const byPrimary = tally(failed.map(primary));
    expect(data.signatures.map((s) => [s.code.split('/')[0], s.count])).toEqual(
      [...byPrimary.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    );
    expect(data.signatures.reduce((s, x) => s + x.count, 0)).toBe(67);
    const top = data.signatures[0];
    expect(top?.code).toBe('pilot:1235/trf:137');
    expect(top?.share).toBeCloseTo(21 / 67, 5);
    for (const s of data.signatures) {
      for (const id of s.examples) expect(primary(failed.find((j) => j.pandaid === id) as RawJob)).toBe(s.code.split('/')[0]);
    }

    // retries: a failed attempt is recovered when a later attempt of its parentid chain finished
    const children = new Map<number, RawJob[]>();
    for (const j of jobs) if (j.parentid) children.set(j.parentid, [...(children.get(j.parentid) ?? []), j]);
    const finishedLater = (id: number): boolean => (children.get(id) ?? []).some((c) => c.jobstatus === 'finished' || finishedLater(c.pandaid));
    const recovered = failed.filter((j) => finishedLater(j.pandaid));
    expect(data.retry.recovered).toBe(recovered.length);
    expect(data.retry.failed).toBe(67);
    expect(top?.recovered).toBe(recovered.filter((j) => primary(j) === 'pilot:1235').length);

    const wall = failed.reduce((s, j) => s + Number(j.durationsec), 0) / 3600;
    expect(data.wasted.wallHours).toBeCloseTo(wall, 1);

    const sigRows = table(reply.blocks, 'Failure signatures').rows;
    expect(sigRows[0]?.slice(1, 5)).toEqual(['pilot:1235/trf:137', untrusted('Payload exceeded maximum allowed memory'), '21', '31%']);
    const why = reply.blocks.find((b) => b.kind === 'markdown' && b.text.startsWith('**Why did they fail?**'));
    expect(why && why.kind === 'markdown' && why.text).toContain('Retry with more memory');

    expect(reply.actions?.[0]).toEqual({ id: 'analyse-job', label: `Analyse job ${top?.examples[0]} (pilot:1235/trf:137)`, value: String(top?.examples[0]) });
    const image = reply.attachments?.[0];
    expect(image?.mimeType).toBe('image/png');
    expect([...(image?.data.slice(1, 4) ?? [])]).toEqual([0x50, 0x4e, 0x47]);
    expect(image?.alt).toMatch(/^Task 46200001: failed jobs by signature: pilot:1235\/trf:137 .* 21; pilot:1305\/exe:65 .* 20;/);
  });

  it('charts the sites when asked where the jobs fail', async () => {
    const agent = createTaskAgent({ panda, kb, logger: silentLogger() });
    const reply = await agent.answer(request(46200001, 'which sites do the failures of task 46200001 come from?'));
    const top = [...tally(failed.map((j) => j.computingsite)).entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    expect(reply.attachments?.[0]?.filename).toBe('task-46200001-failures-by-site.png');
    expect(reply.attachments?.[0]?.alt).toContain(`by queue: ${top?.[0]} ${top?.[1]};`);
  });

  it('adds a short LLM summary over the same table, and falls back with a notice when the LLM fails', async () => {
    const llm = createFakeLlm({ results: [{ text: 'Memory and transform crashes dominate; retries recover most jobs.' }, new LlmError('llm_error', 'boom')] });
    const agent = createTaskAgent({ panda, kb, llm, logger: silentLogger(), chart: false });
    const ok = await agent.answer(request(46200001, 'why did task 46200001 fail?'));
    expect(ok.blocks.some((b) => b.kind === 'markdown' && b.text.includes('Memory and transform crashes dominate'))).toBe(true);
    const evidence = llm.calls[0]?.evidence?.[0]?.text ?? '';
    expect(evidence).toContain('pilot:1235/trf:137 "Payload exceeded maximum allowed memory" | 21 | 31%');
    const failedLlm = await agent.answer(request(46200001, 'why did task 46200001 fail?'));
    expect(failedLlm.blocks.some((b) => b.kind === 'notice' && b.text.includes(`The LLM summary failed (${untrusted('boom')})`))).toBe(true);
    expect(failedLlm.blocks.some((b) => b.kind === 'markdown' && b.text.startsWith('**Why did they fail?**'))).toBe(true);
  });
});

describe('task agent on the small analysis task and on bad input', () => {
  it('reports the two failed jobs of task 46200002 with their shared user-code error', async () => {
    const jobs = rawJobs(46200002);
    const agent = createTaskAgent({ panda, kb, logger: silentLogger(), chart: false });
    const reply = await agent.answer(request(null, 'status of task 46200002?'));
    const data = reply.data as { failedJobs: number; totalJobs: number; signatures: Array<{ code: string; count: number; examples: number[] }> };
    expect(data.totalJobs).toBe(jobs.length);
    expect(data.failedJobs).toBe(jobs.filter((j) => j.jobstatus === 'failed').length);
    expect(data.signatures).toHaveLength(1);
    expect(data.signatures[0]?.code).toBe('pilot:1305/trf:1');
    expect(data.signatures[0]?.examples.sort()).toEqual(
      jobs
        .filter((j) => j.jobstatus === 'failed')
        .map((j) => j.pandaid)
        .sort(),
    );
  });

  it('asks for a task id when there is none, and says when the task is unknown', async () => {
    const agent = createTaskAgent({ panda, kb, logger: silentLogger() });
    const ask = await agent.answer(request(null, 'how is my task doing?'));
    expect(ask.summary).toMatch(/^Which task do you mean\? .*JEDI task ID \(jeditaskid\)/);
    expect(ask.attachments ?? []).toEqual([]);
    await expect(agent.answer(request(46299999, 'task 46299999'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
