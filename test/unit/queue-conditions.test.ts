/**
 * Multi-condition queue questions, each checked against a direct SQL filter of the CRIC snapshot
 * (../shared/data/cric/queuedata.db): every condition of the question must hold in the answer and
 * be said back in the reply; parts the parser cannot read are said, never dropped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createQueueAgent } from '../../agents/data/queue-agent.js';
import type { CricSource } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import { silentLogger } from '../../src/log.js';
import { loadCricSqlite } from '../../src/panda/index.js';
import { agentRequest } from '../doubles/agent-request.js';
import { createFakeLlm, toolCall } from '../doubles/fake-llm.js';

const dbPath = fileURLToPath(new URL('../../../shared/data/cric/queuedata.db', import.meta.url));
const present = existsSync(dbPath);
if (!present) console.warn('queue-conditions tests skipped: ../shared/data/cric/queuedata.db is absent');

const SITE = (s: string) =>
  `(lower(site)=lower('${s}') OR lower(atlas_site)=lower('${s}') OR lower(panda_site)=lower('${s}') OR lower(gocname)=lower('${s}') OR lower(rc_site)=lower('${s}'))`;
const TOOL = (t: string) => `json_extract(raw_json, '$.copytools.${t}') IS NOT NULL`;
const ACT = (activity: string, t: string) => `EXISTS (SELECT 1 FROM json_each(raw_json, '$.acopytools.${activity}') WHERE value = '${t}')`;

interface Case {
  q: string;
  where: string;
  /** Words the reply must contain (the conditions said back). */
  says: string[];
  /** Rows sorted as answered (top N) instead of by name. */
  order?: string;
}

const CASES: Case[] = [
  { q: 'which queues at BNL use rucio copytool?', where: `${SITE('BNL')} AND ${TOOL('rucio')}`, says: ['site BNL', 'using rucio'] },
  { q: 'which UK queues are online?', where: "cloud='UK' AND status='online'", says: ['online', 'cloud UK'] },
  { q: 'list the online mv queues of LRZ-LMU', where: `${SITE('LRZ-LMU')} AND status='online' AND ${TOOL('mv')}`, says: ['online', 'using mv'] },
  {
    q: 'which queues at site INFN-T1 are online and use xrdcp?',
    where: `${SITE('INFN-T1')} AND status='online' AND ${TOOL('xrdcp')}`,
    says: ['online', 'site INFN-T1', 'using xrdcp'],
  },
  {
    q: 'which queues in DE have maxrss above 16 GB and maxtime of at least 48 hours?',
    where: "cloud='DE' AND maxrss > 16000 AND maxtime >= 172800",
    says: ['cloud DE', 'maxrss > 16000 MB', 'maxtime ≥ 172800 s'],
  },
  { q: 'German queues not using rucio', where: `country='Germany' AND NOT ${TOOL('rucio')}`, says: ['germany', 'not using rucio'] },
  { q: 'which queues are in test or brokeroff in FR?', where: "status IN ('test','brokeroff') AND cloud='FR'", says: ['test or brokeroff', 'cloud FR'] },
  { q: 'GPU queues in the US cloud that are online', where: "resource_type='gpu' AND cloud='US' AND status='online'", says: ['online', 'gpu', 'cloud US'] },
  {
    q: 'queues served by harvester CERN_central_A with corecount 1',
    where: "harvester='CERN_central_A' AND corecount = 1",
    says: ['harvester instance CERN_central_A', 'corecount = 1'],
  },
  {
    q: 'which queues use rucio for reading and xrdcp for writing',
    where: `${ACT('pr', 'rucio')} AND ${ACT('pw', 'xrdcp')}`,
    says: ['rucio for stage-in', 'xrdcp for stage-out'],
  },
  { q: 'which queues use xrdcp for stage-in?', where: ACT('pr', 'xrdcp'), says: ['using xrdcp for stage-in'] },
  {
    q: 'online queues in cloud ND with 8 cores and at least 2 GB of memory',
    where: "status='online' AND cloud='ND' AND corecount = 8 AND maxrss >= 2000",
    says: ['online', 'cloud ND', 'corecount = 8', 'maxrss ≥ 2000 MB'],
  },
  {
    q: 'which online queues have corepower above 15 and are in CERN cloud?',
    where: "status='online' AND corepower > 15 AND cloud='CERN'",
    says: ['online', 'corepower > 15', 'cloud CERN'],
  },
  { q: 'queues with maxtime below 24 hours that are online', where: "maxtime < 86400 AND status='online'", says: ['online', 'maxtime < 86400 s'] },
  { q: 'which hpc queues are not online?', where: "resource_type IN ('hpc','hpc_special') AND status != 'online'", says: ['not online', 'hpc or hpc_special'] },
  {
    q: 'analysis queues in the UK cloud using rucio',
    where: `type='analysis' AND cloud='UK' AND ${TOOL('rucio')}`,
    says: ['analysis', 'cloud UK', 'using rucio'],
  },
  {
    q: 'production queues in Switzerland that are online',
    where: "type='production' AND country='Switzerland' AND status='online'",
    says: ['online', 'production', 'switzerland'],
  },
  { q: 'which queues have pilot version older than 3.10?', where: "pilot_version IN ('3','2','3.3.3.1')", says: ['pilot_version < 3.10'] },
  {
    q: 'which queues at BNL or in cloud NL are online',
    where: `status='online' AND (${SITE('BNL')} OR cloud='NL')`,
    says: ['online', 'either at site BNL or in cloud NL'],
  },
  { q: 'queues using rucio or xrdcp in cloud IT', where: `(${TOOL('rucio')} OR ${TOOL('xrdcp')}) AND cloud='IT'`, says: ['rucio or xrdcp', 'cloud IT'] },
  { q: 'T1 queues that are brokeroff', where: "tier='T1' AND status='brokeroff'", says: ['brokeroff', 'T1'] },
  {
    q: 'which queues in cloud CA have maxrss between 24 and 36 GB?',
    where: "cloud='CA' AND maxrss >= 24000 AND maxrss <= 36000",
    says: ['cloud CA', 'maxrss ≥ 24000 MB and maxrss ≤ 36000 MB'],
  },
  { q: 'queues not managed by harvester', where: "pilot_manager != 'Harvester'", says: ['not managed by harvester'] },
  { q: 'online queues at MWT2 and AGLT2 sites', where: `status='online' AND (${SITE('MWT2')} OR ${SITE('AGLT2')})`, says: ['online', 'MWT2 or AGLT2'] },
  {
    q: 'which online queues in cloud US use objectstore?',
    where: `status='online' AND cloud='US' AND ${TOOL('objectstore')}`,
    says: ['online', 'cloud US', 'using objectstore'],
  },
  { q: 'queues in Spain with corecount above 8', where: "country='Spain' AND corecount > 8", says: ['spain', 'corecount > 8'] },
  { q: 'which queues in the DE cloud are offline?', where: "cloud='DE' AND status='offline'", says: ['offline', 'cloud DE'] },
  {
    q: 'queues with apptainer containers that are brokeroff',
    where: "container_type LIKE '%apptainer%' AND status='brokeroff'",
    says: ['brokeroff', 'apptainer'],
  },
  { q: 'which queues use the push workflow in cloud US?', where: "workflow='push' AND cloud='US'", says: ['workflow', 'push', 'cloud US'] },
  {
    q: 'unified queues in cloud FR with maxrss of 32000 or more',
    where: "type='unified' AND cloud='FR' AND maxrss >= 32000",
    says: ['unified', 'cloud FR', 'maxrss ≥ 32000 MB'],
  },
  {
    q: 'queues at site UKI-NORTHGRID-MAN-HEP that are not online',
    where: `${SITE('UKI-NORTHGRID-MAN-HEP')} AND status != 'online'`,
    // The queue UKI-NORTHGRID-MAN-HEP is online, so the site of the same name is described, not named.
    says: ['not online', 'at the site you named'],
  },
  {
    q: 'which T2D queues in cloud DE use rucio for stage-out?',
    where: `tier='T2D' AND cloud='DE' AND ${ACT('pw', 'rucio')}`,
    says: ['T2D', 'cloud DE', 'rucio for stage-out'],
  },
  {
    q: 'online queues with harvester instance CERN_central_A in cloud DE',
    where: "status='online' AND harvester='CERN_central_A' AND cloud='DE'",
    says: ['online', 'CERN_central_A', 'cloud DE'],
  },
  { q: 'top 3 queues by maxrss in FR', where: "cloud='FR'", says: ['cloud FR', 'the 3 with the highest maxrss'], order: 'maxrss DESC, record_id LIMIT 3' },
];

describe.skipIf(!present)('multi-condition queue questions against a direct filter of the CRIC snapshot', () => {
  const db = present ? new Database(dbPath, { readonly: true }) : null;
  const queues = present ? loadCricSqlite(dbPath) : [];
  const cric: CricSource = { description: 'queuedata.db', listQueues: async () => queues, getQueue: async () => null };
  const agent = createQueueAgent({ cric, logger: silentLogger() });
  const ask = (text: string): Promise<Reply> => agent.answer(agentRequest(text, 'queue'));
  const answered = (reply: Reply) => (reply.data as { result: { names: string[]; total: number } }).result;
  const direct = (where: string, order?: string) =>
    ((db?.prepare(`SELECT record_id FROM queuedata WHERE ${where}${order ? ` ORDER BY ${order}` : ''}`).all() ?? []) as Array<{ record_id: string }>).map(
      (r) => r.record_id,
    );

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$q', async ({ q, where, says, order }) => {
    const reply = await ask(q);
    const expected = direct(where, order);
    expect(expected.length, `the case "${q}" should match some queue`).toBeGreaterThan(0);
    const result = answered(reply);
    if (order) expect(result.names).toEqual(expected);
    else {
      expect([...result.names].sort()).toEqual([...expected].sort());
      expect(reply.summary).toContain(`: ${expected.length}.`);
    }
    const text = (reply.summary ?? '').toLowerCase();
    for (const s of says) expect(text).toContain(s.toLowerCase());
    expect((reply.data as { query: { unparsed?: string[] } }).query.unparsed).toBeUndefined();
  });

  it('says what it could not read instead of dropping it', async () => {
    const reply = await ask('online queues in cloud DE with a blue logo');
    expect(answered(reply).names.sort()).toEqual(direct("status='online' AND cloud='DE'").sort());
    expect(reply.summary).toMatch(/^I could not use this part of the question[^"]*"blue logo"/);
  });

  it('two queues, one field: "maxrss of MWT2 and of AGLT2" answers both', async () => {
    const reply = await ask('maxrss of MWT2 and of AGLT2');
    const rows = db?.prepare("SELECT record_id, maxrss FROM queuedata WHERE record_id IN ('MWT2','AGLT2')").all() as Array<{
      record_id: string;
      maxrss: number;
    }>;
    for (const r of rows) expect(reply.summary).toContain(`${r.record_id} (`);
    for (const r of rows) expect(reply.summary).toMatch(new RegExp(`${r.record_id} \\([^)]*\\): maxrss ${r.maxrss} MB`));
  });

  it('one queue, two fields: copytool for stage-out and maxtime of praguelcg2', async () => {
    const reply = await ask("what copytool does praguelcg2 use for stage-out, and what's its maxtime?");
    const row = db?.prepare("SELECT json_extract(raw_json, '$.acopytools.pw') AS pw, maxtime FROM queuedata WHERE record_id='praguelcg2'").get() as {
      pw: string;
      maxtime: number;
    };
    expect(reply.summary).toContain(`acopytools.pw ${(JSON.parse(row.pw) as string[]).join(', ')}`);
    expect(reply.summary).toContain(`maxtime ${row.maxtime} s`);
  });

  it('three queues and two fields in one question', async () => {
    const reply = await ask('corepower and maxrss of BNL, MWT2 and CERN');
    const rows = db?.prepare("SELECT record_id, corepower, maxrss FROM queuedata WHERE record_id IN ('BNL','MWT2','CERN')").all() as Array<{
      record_id: string;
      corepower: number;
      maxrss: number;
    }>;
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(reply.summary).toContain(`${r.record_id} (`);
    for (const r of rows)
      expect(reply.summary).toMatch(new RegExp(`${r.record_id} \\([^)]*\\): corepower ${r.corepower} HS06 per core; maxrss ${r.maxrss} MB`));
  });

  it('"which of X, Y, Z are online" filters the named queues', async () => {
    const reply = await ask('which of BNL, MWT2 and LRZ-LMU_CLOUD are online?');
    expect(answered(reply).names.sort()).toEqual(direct("record_id IN ('BNL','MWT2','LRZ-LMU_CLOUD') AND status='online'").sort());
  });

  it('counts per cloud keep the other conditions', async () => {
    const reply = await ask('how many online queues use rucio per cloud?');
    const rows = db?.prepare(`SELECT cloud, count(*) AS n FROM queuedata WHERE status='online' AND ${TOOL('rucio')} GROUP BY cloud`).all() as Array<{
      cloud: string;
      n: number;
    }>;
    const groups = (reply.data as { result: { groups: Array<{ key: string; value: number }> } }).result.groups;
    expect(Object.fromEntries(groups.map((g) => [g.key, g.value]))).toEqual(Object.fromEntries(rows.map((r) => [r.cloud, r.n])));
    expect((reply.summary ?? '').toLowerCase()).toContain('online queues using rucio per cloud');
  });

  it('the LLM path runs the same typed query (tool call) and says every condition back', async () => {
    const llm = createFakeLlm({
      results: [
        toolCall('queue_query', {
          filters: [
            { field: 'status', op: 'eq', value: 'online' },
            { field: 'copytools', op: 'has-copytool', value: 'mv' },
            { field: 'site', op: 'eq', value: 'LRZ-LMU' },
          ],
          select: [],
        }),
      ],
    });
    const viaLlm = await createQueueAgent({ cric, llm, logger: silentLogger() }).answer(agentRequest('list the online mv queues of LRZ-LMU', 'queue'));
    const offline = await ask('list the online mv queues of LRZ-LMU');
    expect((viaLlm.data as { via: string }).via).toBe('llm');
    expect(answered(viaLlm).names).toEqual(answered(offline).names);
    expect(viaLlm.summary).toContain('Online queues using mv at the site you named (not the queue of that name, which does not match): 1.');
  });

  it('a site sharing its name with a queue left out of the answer is described, not named (nor shown as a column)', async () => {
    const reply = await ask('list the online mv queues of LRZ-LMU');
    expect(answered(reply).names).toEqual(direct(`${SITE('LRZ-LMU')} AND status='online' AND ${TOOL('mv')}`));
    const shown = [reply.summary ?? '', ...reply.blocks.map((b) => JSON.stringify(b))].join('\n');
    expect(shown).not.toMatch(/(?<![\w-])LRZ-LMU(?![\w-])/);
    expect(reply.summary).toContain('Online queues using mv at the site you named (not the queue of that name, which does not match): 1.');
    // When the queue of that name is in the answer, the site is named as usual.
    const withQueue = await ask('which queues at site LRZ-LMU are online and use rucio?');
    expect(answered(withQueue).names).toContain('LRZ-LMU');
    expect(withQueue.summary).toContain('Online queues at site LRZ-LMU using rucio:');
    // An empty answer lists no queue, so the site is named, and the conditions are said once.
    const none = await ask('which queues at site LRZ-LMU are offline and use mv?');
    expect(answered(none).names).toEqual([]);
    expect(none.summary).toContain('at site LRZ-LMU');
    expect(none.summary).toContain('No queue matches all of these conditions.');
    // And a site with no queue of its name is always named.
    const plain = await ask('which queues at site INFN-T1 are online and use xrdcp?');
    expect(plain.summary).toContain('at site INFN-T1');
  });

  it('the LLM query is validated against the CRIC field list (a made-up field falls back to the parser)', async () => {
    const llm = createFakeLlm({
      results: [toolCall('queue_query', { filters: [{ field: 'colour', op: 'eq', value: 'blue' }] })],
    });
    const reply = await createQueueAgent({ cric, llm, logger: silentLogger() }).answer(agentRequest('which UK queues are online?', 'queue'));
    expect((reply.data as { via: string }).via).toBe('rules');
    expect(answered(reply).names.sort()).toEqual(direct("cloud='UK' AND status='online'").sort());
  });
});
