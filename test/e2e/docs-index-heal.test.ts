/**
 * The docs index deleted or corrupted while the bot runs (issue 17 item 4): the real runtime (core,
 * docs agent, LanceDB in a temp data directory, /healthz) answers a docs question, then the index
 * directory is deleted → the answer says the index is being rebuilt and /healthz says degraded with
 * the reason; the rebuild waits for the index lease (held here by "another process"), runs once it
 * is free, and answers and health come back. The same for corrupt index files.
 */
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { createServices, type Services } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import type { Reply } from '../../src/contracts/reply.js';
import { INDEX_REBUILDING_TEXT } from '../../src/index/index.js';
import { silentLogger } from '../../src/log.js';
import { openSqliteLeases } from '../../src/state/lease.js';
import { directMessage } from '../doubles/message.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-docs-heal-'));
const indexDir = join(dataDir, 'index');
let services: Services;
let runtime: Runtime;
let base = '';

beforeAll(async () => {
  services = createServices({
    loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir, ASKPANDA_HTTP_PORT: '0', ASKPANDA_MAINTENANCE: 'false' }),
    logger: silentLogger(),
  });
  runtime = await createRuntime(services);
  await runtime.start([]);
  if (!runtime.http) throw new Error('no HTTP server');
  base = `http://127.0.0.1:${(runtime.http.server.address() as { port: number }).port}`;
  // The demo primer (the start-up sources when none are configured) is indexed.
  await services.docStore();
});

afterAll(async () => {
  await runtime.close();
  await services.docIndex().close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ask(text: string): Promise<{ reply: Reply; text: string }> {
  const reply = (await runtime.core.handle(directMessage(text, { user: 'alice' }))) as Reply;
  return { reply, text: reply.blocks.map((b) => ('text' in b ? b.text : JSON.stringify(b))).join('\n') };
}

const health = async () => {
  const response = await fetch(`${base}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string; docsIndex?: string; reasons?: string[] } };
};

const QUESTION = 'what is a pilot in PanDA?';
const answered = (r: { reply: Reply }) => r.reply.intent === 'docs' && r.reply.blocks.some((b) => b.kind === 'citations');

async function chunkIds(): Promise<string[]> {
  const db = await lancedb.connect(indexDir);
  const table = await db.openTable('chunks');
  const rows = (await table.query().select(['id']).toArray()) as Array<{ id: string }>;
  table.close();
  db.close();
  return rows.map((r) => r.id);
}

describe('docs index gone while running', () => {
  it('says it is being rebuilt, reports degraded, re-indexes under the lease, then answers again', async () => {
    const before = await ask(QUESTION);
    expect(answered(before)).toBe(true);
    expect((await health()).body).toMatchObject({ status: 'ok', docsIndex: 'ok' });
    const ids = (await chunkIds()).sort();

    let rebuilds = 0;
    services.docIndex().onRebuilt(() => rebuilds++);
    // Another process holds the index lease: the rebuild waits for it.
    const leases = openSqliteLeases(dataDir);
    const other = leases.lease({ name: 'docs-index', ttlMs: 60_000, owner: 'another-process' });
    expect(await other.acquireOrRenew()).toBe(true);

    rmSync(indexDir, { recursive: true, force: true });
    const during = await ask(QUESTION);
    expect(during.reply.blocks).toEqual([{ kind: 'notice', level: 'warning', text: INDEX_REBUILDING_TEXT }]);
    const degraded = await health();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', docsIndex: 'unavailable' });
    expect(degraded.body.reasons).toEqual(['docs index unavailable: the index directory is missing']);
    expect(await runtime.statusText()).toContain('• docs index: unavailable: the index directory is missing');
    // Asked again while it waits: still the same clear answer, no second rebuild.
    expect((await ask('how do I set the lifetime of a rucio rule?')).text).toBe(INDEX_REBUILDING_TEXT);

    await other.release();
    leases.close();
    await services.docIndex().settled();
    const after = await ask(QUESTION);
    expect(answered(after)).toBe(true);
    expect(after.text).toBe(before.text);
    expect((await health()).body).toMatchObject({ status: 'ok', docsIndex: 'ok' });
    expect(await runtime.statusText()).toContain('• docs index: ok');
    expect(rebuilds).toBe(1);
    // Re-indexed once: the same chunk ids as before, each stored once.
    expect((await chunkIds()).sort()).toEqual(ids);
  });

  it('heals corrupt index files the same way', async () => {
    const corrupt = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) corrupt(p);
        else writeFileSync(p, 'not a lance file');
      }
    };
    corrupt(join(indexDir, 'chunks.lance'));
    const during = await ask(QUESTION);
    expect(during.text).toBe(INDEX_REBUILDING_TEXT);
    await services.docIndex().settled();
    expect(answered(await ask(QUESTION))).toBe(true);
    expect((await health()).body).toMatchObject({ status: 'ok', docsIndex: 'ok' });
  });

  it('is rebuilt by the leader only; another replica reports degraded until it can read the index again', async () => {
    const index = services.docIndex();
    index.setLeader(() => false);
    rmSync(indexDir, { recursive: true, force: true });
    expect((await ask(QUESTION)).text).toBe(INDEX_REBUILDING_TEXT);
    await index.settled();
    expect((await health()).body).toMatchObject({ status: 'degraded', docsIndex: 'unavailable' });
    index.setLeader(() => true);
    await index.check();
    await index.settled();
    expect(answered(await ask(QUESTION))).toBe(true);
  });
});
