import { describe, expect, it } from 'vitest';
import { answerTopErrors, queuesOfPlace, topErrors } from '../../agents/data/error-summary.js';
import { createQueueAgent } from '../../agents/data/queue-agent.js';
import { summaryHours } from '../../agents/data/queue-parser.js';
import type { AgentRequest } from '../../src/contracts/agent.js';
import type { ErrorSummary, ErrorSummaryEntry, PandaSource, QueueRecord } from '../../src/contracts/panda.js';
import { silentLogger } from '../../src/log.js';
import { createFakeLlm } from '../doubles/fake-llm.js';
import { agentRequest } from '../doubles/agent-request.js';

const entry = (error: string, count: number, diag: string, example: number): ErrorSummaryEntry => {
  const [component, code] = error.split(':');
  return { error, codename: `${component}errorcode`, codeval: Number(code), diag, count, example_pandaid: example };
};

const queues: QueueRecord[] = [
  { name: 'BNL', site: 'BNL', atlas_site: 'BNL-ATLAS', cloud: 'US', status: 'online' },
  { name: 'BNL_ARM', site: 'BNL', atlas_site: 'BNL-ATLAS', cloud: 'US', status: 'online' },
  { name: 'ANALY_BNL_VP', site: 'BNL', atlas_site: 'BNL-ATLAS', cloud: 'US', status: 'online' },
  { name: 'CERN', site: 'CERN-PROD', cloud: 'CERN', status: 'online' },
];

function summary(hours: number): ErrorSummary {
  return {
    hours,
    fetchedAt: '2025-10-06T12:00:00.000Z',
    errsByCount: [entry('pilot:1099', 40, 'Failed to stage-in file', 1), entry('pilot:1235', 12, 'Payload exceeded maximum allowed memory', 2)],
    errsBySite: [
      { name: 'CERN', toterrors: 30, toterrjobs: 30, errorlist: [entry('pilot:1099', 30, 'Failed to stage-in file', 11)] },
      {
        name: 'BNL',
        toterrors: 9,
        toterrjobs: 8,
        errorlist: [entry('pilot:1099', 6, 'Failed to stage-in file', 21), entry('pilot:1235', 3, 'Payload exceeded maximum allowed memory', 22)],
      },
      {
        name: 'ANALY_BNL_VP',
        toterrors: 5,
        toterrjobs: 5,
        errorlist: [entry('pilot:1235', 4, 'Payload exceeded maximum allowed memory', 31), entry('pilot:1150', 1, 'Looping job killed by pilot', 32)],
      },
    ],
    errsByUser: [],
    errsByTask: [],
  };
}

/** A PandaSource double that only serves error summaries and records the windows asked for. */
function pandaDouble() {
  const asked: number[] = [];
  const fail = () => Promise.reject(new Error('not used in this test'));
  const panda: PandaSource = {
    description: 'fake monitor',
    getErrorSummary: async (hours) => {
      asked.push(hours);
      return summary(hours);
    },
    getJob: fail,
    getTask: fail,
    getTaskJobs: fail,
    listJobs: fail,
    listTasks: fail,
    listLogFiles: fail,
    openLog: fail,
    jobUrl: () => null,
    taskUrl: () => null,
  };
  return { panda, asked };
}

describe('error summaries', () => {
  it('snaps requested hours to the monitor windows', () => {
    expect([1, 2, 3, 5, 6, 7, 12, 13, 24, 48].map(summaryHours)).toEqual([1, 3, 3, 6, 6, 12, 12, 24, 24, 24]);
  });

  it('merges the queues of a site and sorts the errors by count', () => {
    const names = queuesOfPlace('BNL-ATLAS', queues);
    expect([...names].sort()).toEqual(['analy_bnl_vp', 'bnl', 'bnl-atlas', 'bnl_arm']);
    const top = topErrors(summary(6), names);
    expect(top.entries.map((e) => [e.error, e.count])).toEqual([
      ['pilot:1235', 7],
      ['pilot:1099', 6],
      ['pilot:1150', 1],
    ]);
    expect(top.groups).toEqual(['BNL', 'ANALY_BNL_VP']);
    expect(top.jobs).toBe(13);
  });

  it('uses the cache when it holds the window and fetches on demand otherwise', async () => {
    const { panda, asked } = pandaDouble();
    const cached: number[] = [];
    const cache = {
      get: async (h: number) => {
        cached.push(h);
        return h === 6 ? { ...summary(6), fetchedAt: '2025-10-06T11:55:00.000Z' } : null;
      },
    };
    const fromCache = await answerTopErrors({ panda, cache, chart: false }, 'BNL', 6, queues);
    expect(asked).toEqual([]);
    expect(fromCache.blocks[1]).toMatchObject({
      kind: 'markdown',
      text: expect.stringContaining('source: the cached error summary as of 2025-10-06T11:55:00.000Z'),
    });
    const fetched = await answerTopErrors({ panda, cache, chart: false }, 'BNL', 10, queues);
    expect(cached).toEqual([6, 12]);
    expect(asked).toEqual([12]);
    expect(fetched.blocks[0]).toEqual({ kind: 'heading', text: 'Top errors at BNL in the last 12 hours' });
    expect(fetched.blocks[1]).toMatchObject({ text: expect.stringContaining('10 h was rounded up') });
    const rows = fetched.blocks.find((b) => b.kind === 'table');
    expect(rows && rows.kind === 'table' && rows.rows.map((r) => r.slice(0, 3))).toEqual([
      ['pilot:1235', '7', '50%'],
      ['pilot:1099', '6', '43%'],
      ['pilot:1150', '1', '7%'],
    ]);
    expect(fetched.actions?.[0]).toEqual({ id: 'analyse-job', label: 'Analyse job 22 (pilot:1235)', value: '22' });
  });

  it('is reached through the queue agent ("top errors at SITE" is routed as queue), with a chart', async () => {
    const { panda, asked } = pandaDouble();
    const cric = { description: 'fake CRIC', listQueues: async () => queues, getQueue: async () => null };
    const agent = createQueueAgent({ cric, panda, logger: silentLogger() });
    const request = (text: string): AgentRequest => agentRequest(text, 'queue', { entities: { site: 'BNL' } });
    const reply = await agent.answer(request('top errors at BNL in the last 6 hours'));
    expect(asked).toEqual([6]);
    expect(reply.summary).toBe('Top errors at BNL in the last 6 hours: pilot:1235 (7), pilot:1099 (6), pilot:1150 (1).');
    expect(reply.attachments?.[0]?.alt).toMatch(/^Top errors at BNL in the last 6 hours: pilot:1235 .* 7; pilot:1099 .* 6;/);

    const llm = createFakeLlm({ results: [{ toolCalls: [{ id: 'x', name: 'error_summary', arguments: { place: 'CERN', hours: 1 } }] }] });
    const viaLlm = await createQueueAgent({ cric, panda, llm, logger: silentLogger(), chart: false }).answer(request('what is failing at CERN right now?'));
    expect(viaLlm.summary).toBe('Top errors at CERN in the last 1 hour: pilot:1099 (30).');
  });
});
