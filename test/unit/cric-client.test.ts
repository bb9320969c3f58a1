import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AskPandaError } from '../../src/errors.js';
import { createCricClient, didYouMean, loadCricSqlite, queueCopytools, resolveQueue, suggestNames } from '../../src/panda/index.js';
import { type FakeMonitor, startFakeMonitor } from '../fakes/monitor/index.js';
import { needShared, sharedPath } from '../support/shared.js';

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const QUEUEDATA = sharedPath('data/cric/queuedata.db');
const snapshot = needShared('data/cric/queuedata.db');

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});
async function fake(): Promise<FakeMonitor> {
  const f = await startFakeMonitor({ dir: DEMO });
  cleanup.push(() => f.close());
  return f;
}
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-cric-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('CRIC client', () => {
  it('reads the pandaqueue query from the fake CRIC endpoint with typed fields', async () => {
    const f = await fake();
    const cric = createCricClient({ url: f.cricUrl, retryBaseMs: 5 });
    cleanup.push(() => cric.close());
    const queues = await cric.listQueues();
    expect(queues).toHaveLength(32);
    const aglt2 = await cric.getQueue('aglt2');
    expect(aglt2?.name).toBe('AGLT2');
    expect(aglt2?.maxrss).toBe(48000);
    expect(aglt2?.timefloor).toBe(200);
    expect(aglt2?.maxtime).toBe(258000);
    expect(aglt2?.corepower).toBe(13.51);
    expect(queueCopytools(aglt2 ?? { name: '', site: '', cloud: '', status: '' })).toEqual(['rucio']);
    expect(new Set(queues.flatMap((q) => queueCopytools(q)))).toEqual(new Set(['rucio', 'xrdcp', 'gfalcopy', 'mv']));
    expect(new Set(queues.map((q) => q.status))).toEqual(new Set(['online', 'test', 'brokeroff', 'offline']));
    expect(await cric.getQueue('NO_SUCH_QUEUE')).toBeNull();
  });

  it('refreshes only after the TTL, and writes an offline snapshot', async () => {
    const f = await fake();
    const dir = tempDir();
    let now = Date.now();
    const snapshotFile = join(dir, 'cric', 'pandaqueues.json');
    const cric = createCricClient({ url: f.cricUrl, snapshotFile, ttlSeconds: 60, now: () => now });
    cleanup.push(() => cric.close());
    await cric.listQueues();
    await cric.listQueues();
    expect(f.requests).toHaveLength(1);
    expect(existsSync(snapshotFile)).toBe(true);
    now += 61_000;
    await cric.listQueues();
    expect(f.requests).toHaveLength(2);
  });

  it('falls back to the snapshot when CRIC is unreachable, and fails clearly without one', async () => {
    const f = await fake();
    const dir = tempDir();
    const snapshotFile = join(dir, 'snapshot.json');
    const first = createCricClient({ url: f.cricUrl, snapshotFile });
    cleanup.push(() => first.close());
    await first.listQueues();
    await f.close();
    const offline = createCricClient({ url: f.cricUrl, snapshotFile, ttlSeconds: 60, retries: 0, now: () => Date.now() + 3600_000 });
    cleanup.push(() => offline.close());
    expect((await offline.getQueue('BNL'))?.cloud).toBe('US');
    const none = createCricClient({ url: f.cricUrl, retries: 0 });
    cleanup.push(() => none.close());
    const error = (await none.listQueues().catch((e: unknown) => e)) as AskPandaError;
    expect(error).toBeInstanceOf(AskPandaError);
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('CRIC at http://127.0.0.1:');
    expect(error.message).toContain('the PanDA queue list');
  });

  it.skipIf(snapshot.missing)(`reads a CRIC JSON file and a queuedata.db SQLite snapshot${snapshot.note}`, async () => {
    const file = createCricClient({ file: join(DEMO, 'cric', 'pandaqueues.json') });
    expect((await file.getQueue('nersc_perlmutter_mcore'))?.resource_type).toBe('hpc');
    const queues = loadCricSqlite(QUEUEDATA);
    expect(queues).toHaveLength(227);
    expect(queues.find((q) => q.name === 'AGLT2')?.maxrss).toBe(48000);
  });
});

describe.skipIf(snapshot.missing)(`queue and site resolution${snapshot.note}`, () => {
  const queues = snapshot.missing ? [] : loadCricSqlite(QUEUEDATA);

  it('matches queues case-insensitively and sites to their queues', () => {
    expect(resolveQueue(queues, 'swt2_cpb').queue?.name).toBe('SWT2_CPB');
    const site = resolveQueue(queues, 'greatlakest2');
    expect(site.queue).toBeNull();
    expect(site.siteQueues.map((q) => q.name)).toContain('AGLT2');
  });

  it('suggests the nearest names', () => {
    const bnl = resolveQueue(queues, 'BNL_PROD');
    expect(bnl.queue).toBeNull();
    expect(bnl.suggestions).toContain('BNL_PROD_INTEL');
    expect(suggestNames(['BNL_PROD', 'MWT2', 'AGLT2'], 'bnl-prod')).toEqual(['BNL_PROD']);
    expect(
      suggestNames(
        queues.map((q) => q.name),
        'MWT3',
      )[0],
    ).toBe('MWT2');
    expect(
      suggestNames(
        queues.map((q) => q.name),
        'zzzzzzzz',
      ),
    ).toEqual([]);
    expect(didYouMean(['BNL_PROD'])).toBe('did you mean BNL_PROD?');
    expect(didYouMean(['AGLT2', 'AGLT2_MERGE', 'AGLT2_TEST'])).toBe('did you mean AGLT2, AGLT2_MERGE or AGLT2_TEST?');
  });
});
