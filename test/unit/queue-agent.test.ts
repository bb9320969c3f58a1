import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createQueueAgent } from '../../agents/data/queue-agent.js';
import type { AgentRequest } from '../../src/contracts/agent.js';
import type { CricSource, QueueRecord } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import type { Entities } from '../../src/contracts/routing.js';
import { silentLogger } from '../../src/log.js';
import { loadCricSqlite, parseCricQueues } from '../../src/panda/index.js';
import { createFakeLlm, toolCall } from '../doubles/fake-llm.js';
import { agentRequest } from '../doubles/agent-request.js';
import { needShared, sharedPath } from '../support/shared.js';

const dbPath = sharedPath('data/cric/queuedata.db');
const snapshot = needShared('data/cric/queuedata.db');
const demoPath = fileURLToPath(new URL('../../resources/demo/cric/pandaqueues.json', import.meta.url));

type Raw = Record<string, unknown> & { name?: string; site: string; cloud: string; status: string };
const demoRaw = JSON.parse(readFileSync(demoPath, 'utf8')) as Record<string, Raw>;
const db = snapshot.missing ? null : new Database(dbPath, { readonly: true });
const sql = (query: string, ...params: unknown[]) => (db?.prepare(query).all(...params) ?? []) as Array<Record<string, unknown>>;
const sqlNames = (where: string, ...params: unknown[]) =>
  sql(`SELECT record_id FROM queuedata WHERE ${where}`, ...params)
    .map((r) => String(r.record_id))
    .sort();
const SITE_SQL =
  '(lower(site)=lower(@s) OR lower(atlas_site)=lower(@s) OR lower(panda_site)=lower(@s) OR lower(gocname)=lower(@s) OR lower(rc_site)=lower(@s))';
const demoNames = (pred: (q: Raw) => boolean) =>
  Object.entries(demoRaw)
    .filter(([, q]) => pred(q))
    .map(([n]) => n)
    .sort();
const demoAtSite = (site: string) => (q: Raw) =>
  ['site', 'atlas_site', 'panda_site', 'gocname', 'rc_site'].some((k) => String(q[k] ?? '').toLowerCase() === site.toLowerCase());

function source(description: string, queues: QueueRecord[]): CricSource {
  return { description, listQueues: async () => queues, getQueue: async (n) => queues.find((q) => q.name.toLowerCase() === n.toLowerCase()) ?? null };
}
const sources = {
  db: source('queuedata.db', snapshot.missing ? [] : loadCricSqlite(dbPath)),
  demo: source('demo CRIC', parseCricQueues(demoRaw)),
};

const _none: Entities = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };
function request(text: string, entities: Partial<Entities> = {}): AgentRequest {
  return agentRequest(text, 'queue', { entities });
}
const names = (reply: Reply) => [...(reply.data as { result: { names: string[] } }).result.names].sort();
const ask = (which: keyof typeof sources, text: string, entities?: Partial<Entities>) =>
  createQueueAgent({ cric: sources[which], logger: silentLogger() }).answer(request(text, entities));

describe.skipIf(snapshot.missing)(`queue agent examples on the queuedata.db snapshot${snapshot.note}`, () => {
  it('run below', () => expect(snapshot.missing).toBe(false));
});

describe.each(snapshot.missing ? (['demo'] as const) : (['db', 'demo'] as const))('queue agent examples on the %s snapshot', (which) => {
  const expected = {
    rucio: which === 'db' ? sqlNames("json_extract(copytools, '$.rucio') IS NOT NULL") : demoNames((q) => 'rucio' in ((q.copytools as object) ?? {})),
    desy: which === 'db' ? sqlNames(SITE_SQL, { s: 'DESY-HH' }) : demoNames(demoAtSite('DESY-HH')),
    offlineDe: which === 'db' ? sqlNames("status='offline' AND cloud='DE'") : demoNames((q) => q.status === 'offline' && q.cloud === 'DE'),
    maxrss4000: which === 'db' ? sqlNames('maxrss > 4000') : demoNames((q) => Number(q.maxrss) > 4000),
    perCloud:
      which === 'db'
        ? sql('SELECT cloud, count(*) AS n FROM queuedata GROUP BY cloud').map((r) => [String(r.cloud), Number(r.n)])
        : [...new Set(Object.values(demoRaw).map((q) => q.cloud))].map((c) => [c, Object.values(demoRaw).filter((q) => q.cloud === c).length]),
    one: (queue: string, field: string) =>
      which === 'db' ? sql(`SELECT json_extract(raw_json, '$.${field}') AS v FROM queuedata WHERE record_id = ?`, queue)[0]?.v : demoRaw[queue]?.[field],
  };

  it('which queues use rucio as copytool', async () => {
    const reply = await ask(which, 'which queues use rucio as copytool');
    expect(names(reply)).toEqual(expected.rucio);
    expect(reply.blocks[0]).toMatchObject({ kind: 'markdown', text: `Queues using rucio: ${expected.rucio.length}.` });
    expect(reply.blocks[1]).toMatchObject({ kind: 'table', columns: ['name', 'site', 'copytools'] });
  });

  it('corepower of BNL_PROD: unknown queue with suggestions; of BNL_PROD_INTEL: the value', async () => {
    const unknown = await ask(which, 'corepower of BNL_PROD');
    expect(unknown.summary).toMatch(/^I found no CRIC queue or site named BNL_PROD; did you mean .*BNL_PROD_INTEL/);
    const known = await ask(which, 'corepower of BNL_PROD_INTEL');
    expect(known.summary).toContain(`corepower ${expected.one('BNL_PROD_INTEL', 'corepower')} HS06 per core`);
  });

  it('queues at site DESY-HH, also phrased as "belong to the DESY-HH site"', async () => {
    expect(names(await ask(which, 'queues at site DESY-HH'))).toEqual(expected.desy);
    expect(names(await ask(which, 'which panda queues belong to the DESY-HH site?', { site: 'DESY-HH' }))).toEqual(expected.desy);
  });

  it('how many queues per cloud', async () => {
    const reply = await ask(which, 'how many queues per cloud');
    const groups = (reply.data as { result: { groups: Array<{ key: string; value: number }> } }).result.groups;
    expect(new Map(groups.map((g) => [g.key, g.value]))).toEqual(new Map(expected.perCloud as Array<[string, number]>));
    expect(groups.map((g) => g.value)).toEqual([...groups.map((g) => g.value)].sort((a, b) => b - a));
  });

  it('max memory at a site and at a queue', async () => {
    const site = which === 'db' ? 'BNL' : 'BNL-ATLAS';
    const max =
      which === 'db'
        ? Number(sql(`SELECT max(maxrss) AS m FROM queuedata WHERE ${SITE_SQL}`, { s: site })[0]?.m)
        : Math.max(
            ...Object.values(demoRaw)
              .filter(demoAtSite(site))
              .map((q) => Number(q.maxrss)),
          );
    const reply = await ask(which, `max memory at ${site}`);
    expect(reply.summary).toMatch(new RegExp(`^Highest maxrss at ${site}: ${max} MB`));
    const queue = await ask(which, 'what is the max memory of AGLT2?');
    expect(queue.summary).toContain(`maxrss ${expected.one('AGLT2', 'maxrss')} MB`);
  });

  it('maxtime of NIKHEF', async () => {
    const reply = await ask(which, "what's the maxtime of NIKHEF", { queue: 'NIKHEF' });
    const seconds = Number(expected.one('NIKHEF', 'maxtime'));
    expect(reply.summary).toContain(`maxtime ${seconds} s (${Math.round((seconds / 3600) * 10) / 10} h)`);
  });

  it('which queues are offline in DE', async () => {
    expect(names(await ask(which, 'which queues are offline in DE'))).toEqual(expected.offlineDe);
  });

  it('container settings of CERN', async () => {
    const reply = await ask(which, 'container settings of CERN');
    expect(reply.blocks[1]).toMatchObject({ kind: 'fields' });
    expect(reply.summary).toContain(`container_type ${expected.one('CERN', 'container_type')}`);
  });

  it('which queues have maxrss above 4000, largest first', async () => {
    const reply = await ask(which, 'which queues have maxrss above 4000?');
    expect(names(reply)).toEqual(expected.maxrss4000);
  });

  it('what copytool does SWT2_CPB use / HS06 per core of RAL', async () => {
    const tools = Object.keys(
      (which === 'db' ? JSON.parse(String(expected.one('SWT2_CPB', 'copytools') ?? '{}')) : expected.one('SWT2_CPB', 'copytools')) as object,
    );
    const copy = await ask(which, 'what copytool does SWT2_CPB use?', { queue: 'SWT2_CPB' });
    expect(copy.summary).toContain(`copytools ${tools.join(', ')}`);
    const hs06 = await ask(which, 'how many HS06 per core does RAL give us?', { queue: 'RAL' });
    expect(hs06.summary).toContain(`corepower ${expected.one('RAL', 'corepower')} HS06 per core`);
  });

  it('is lrz-lmu_muc online?', async () => {
    const reply = await ask(which, 'is lrz-lmu_muc online?', { queue: 'LRZ-LMU_MUC' });
    if (which === 'db') expect(reply.summary).toContain(`LRZ-LMU_MUC (LRZ-LMU_MUC, DE): status ${expected.one('LRZ-LMU_MUC', 'status')};`);
    else expect(reply.summary).toBe('I found no CRIC queue or site named LRZ-LMU_MUC; did you mean LRZ-LMU?');
  });

  it('unknown fields get suggestions', async () => {
    const reply = await ask(which, "what's the corepowr of CERN");
    expect(reply.summary).toBe('"corepowr" is not a CRIC queue field I know; did you mean corepower?');
  });
});

describe.skipIf(snapshot.missing)(`queue agent with an LLM (tool calling, never SQL)${snapshot.note}`, () => {
  const q = 'which DE queues have corepower above 15?';
  const sqlAnswer = sqlNames("cloud='DE' AND corepower > 15");

  it('runs the typed query the LLM produced through the tool', async () => {
    const llm = createFakeLlm({
      results: [
        toolCall('queue_query', {
          filters: [
            { field: 'cloud', op: 'eq', value: 'DE' },
            { field: 'corepower', op: 'gt', value: 15 },
          ],
          select: ['corepower'],
        }),
      ],
    });
    const reply = await createQueueAgent({ cric: sources.db, llm, logger: silentLogger() }).answer(request(q));
    expect(names(reply)).toEqual(sqlAnswer);
    expect((reply.data as { via: string }).via).toBe('llm');
    const sent = llm.calls[0];
    expect(sent?.tools?.map((t) => t.name)).toEqual(['queue_query', 'error_summary']);
    expect(JSON.stringify(sent?.tools?.[0]?.parameters)).toContain('has-copytool');
  });

  it('falls back to the offline parser when the LLM sends something that is not a known field, or no tool call', async () => {
    const llm = createFakeLlm({
      results: [toolCall('queue_query', { filters: [{ field: '1=1; DROP TABLE queuedata --', op: 'eq', value: 1 }] }), { text: 'SELECT * FROM queuedata' }],
    });
    const agent = createQueueAgent({ cric: sources.db, llm, logger: silentLogger() });
    for (let i = 0; i < 2; i += 1) {
      const reply = await agent.answer(request('which queues are offline in DE'));
      expect(names(reply)).toEqual(sqlNames("status='offline' AND cloud='DE'"));
      expect((reply.data as { via: string }).via).toBe('rules');
      expect(reply.blocks.at(-1)).toMatchObject({ kind: 'notice', text: 'The LLM gave no usable query, so the question was read by the offline parser.' });
    }
  });

  it('answers with suggestions when the LLM names a queue CRIC does not know', async () => {
    const llm = createFakeLlm({
      results: [toolCall('queue_query', { filters: [{ field: 'name', op: 'eq', value: 'BNL_PROD' }], select: ['corepower'] })],
    });
    const reply = await createQueueAgent({ cric: sources.db, llm, logger: silentLogger() }).answer(request('corepower of BNL_PROD'));
    expect(reply.summary).toMatch(/did you mean .*BNL_PROD_INTEL/);
  });
});
