import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocsAgent } from '../../agents/docs/index.js';
import { createDiscussionIngester } from '../../agents/ingest/index.js';
import type { DiscussionThread } from '../../src/contracts/discussions.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createDiscussionIndex } from '../../src/index/discussions.js';
import { type IndexedDocumentStore, loadGlossary, openLanceStore } from '../../src/index/index.js';

const dirs: string[] = [];
const stores: IndexedDocumentStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-discussions-'));
  dirs.push(dir);
  const store = await openLanceStore({ dir: join(dir, 'index'), glossary: loadGlossary() });
  stores.push(store);
  const index = createDiscussionIndex({ store, stateFile: join(dir, 'discussions.json') });
  return { store, index, ingester: createDiscussionIngester({ index }) };
}

function thread(
  id: string,
  channel: { id: string; name: string; private: boolean },
  question: string,
  answer: string,
  ack = 'that fixed it, thanks',
): DiscussionThread {
  return {
    platform: 'slack',
    channel: { platform: 'slack', ...channel },
    threadId: id,
    permalink: `https://ws.slack.com/archives/${channel.id}/p${id.replace('.', '')}`,
    messages: [
      { id, user: 'U1', userDisplay: 'Jo Asker', ts: '2026-02-03T10:00:00Z', text: question },
      { id: `${id}1`, user: 'U2', userDisplay: 'Ex Pert', ts: '2026-02-03T10:05:00Z', text: answer },
      { id: `${id}2`, user: 'U1', userDisplay: 'Jo Asker', ts: '2026-02-03T10:09:00Z', text: ack },
    ],
  };
}

const PUBLIC = { id: 'CPUB', name: 'dast-help', private: false };
const PRIVATE = { id: 'CPRIV', name: 'adc-experts-private', private: true };
const OTHER_PRIVATE = { id: 'CPRIV2', name: 'shifters-internal', private: true };

const pub = thread(
  '1700000000.000100',
  PUBLIC,
  'stage-in from TRIUMF fails with pilot error 1099, what now?',
  'The TRIUMF dCache pool node was down; jobs retry automatically once the pool is back, nothing to do.',
);
const priv = thread(
  '1700000000.000200',
  PRIVATE,
  'ANALY_QMUL S3 stage-out fails with unable to locate credentials, known?',
  'The site rotated the S3 keys; ADC ops put the new access key into the Harvester secret at 14:05.',
);

describe('discussions in the document store', () => {
  it('private threads are found only from their own channel; public ones from anywhere', async () => {
    const { store, ingester } = await setup();
    await ingester.ingest([pub, priv]);
    const q = 'S3 stage-out unable to locate credentials at QMUL';
    const fromPublic = await store.search(q, { kinds: ['discussion'], askedInChannel: { platform: 'slack', id: PUBLIC.id } });
    expect(fromPublic.map((p) => p.threadId)).not.toContain(priv.threadId);
    const fromOtherPrivate = await store.search(q, { kinds: ['discussion'], askedInChannel: { platform: 'slack', id: OTHER_PRIVATE.id } });
    expect(fromOtherPrivate.map((p) => p.threadId)).not.toContain(priv.threadId);
    const fromOwn = await store.search(q, { kinds: ['discussion'], askedInChannel: { platform: 'slack', id: PRIVATE.id } });
    expect(fromOwn[0]).toMatchObject({ threadId: priv.threadId, private: true, channel: 'adc-experts-private', kind: 'discussion' });
    const pubHit = await store.search('TRIUMF stage-in 1099', { kinds: ['discussion'], askedInChannel: { platform: 'mattermost', id: 'elsewhere' } });
    expect(pubHit[0]).toMatchObject({ threadId: pub.threadId, url: pub.permalink, date: '2026-02-03' });
    expect(pubHit[0]?.text).not.toContain('Jo Asker');
  });

  it('re-running is idempotent; an edit is rewritten, a deleted or opted-out thread leaves the index', async () => {
    const { store, ingester } = await setup();
    const first = await ingester.ingest([pub, priv], { fullChannels: [{ platform: 'slack', channelId: PUBLIC.id }] });
    expect(first.report).toEqual({ written: 2, unchanged: 0, removed: 0 });
    const again = await ingester.ingest([pub, priv]);
    expect(again.report).toEqual({ written: 0, unchanged: 2, removed: 0 });
    const edited = thread(pub.threadId, PUBLIC, pub.messages[0]?.text ?? '', 'The TRIUMF pool node came back at 16:20 UTC after a disk swap; retries succeed.');
    const afterEdit = await ingester.ingest([edited], { fullChannels: [{ platform: 'slack', channelId: PUBLIC.id }] });
    expect(afterEdit.report.written).toBe(1);
    expect((await store.search('TRIUMF pool disk swap', { kinds: ['discussion'] }))[0]?.text).toContain('disk swap');
    const deleted = await ingester.ingest([], { fullChannels: [{ platform: 'slack', channelId: PUBLIC.id }] });
    expect(deleted.report.removed).toBe(1);
    expect(await store.search('TRIUMF pool disk swap', { kinds: ['discussion'] })).toEqual([]);
    const optedOut = thread(priv.threadId, PRIVATE, `${priv.messages[0]?.text} #noindex`, priv.messages[1]?.text ?? '');
    const run = await ingester.ingest([optedOut]);
    expect(run.decisions[0]?.reason).toContain('#noindex');
    expect(await store.stats()).not.toHaveProperty('discussion');
  });

  it('the docs agent cites a discussion by channel, date and permalink, and never a private thread of another channel', async () => {
    const { store, ingester } = await setup();
    await ingester.ingest([pub, priv]);
    const agent = createDocsAgent({ store, llm: null });
    const ask = async (text: string, channel: string) => {
      const message: IncomingMessage = {
        platform: 'slack',
        workspace: 'T1',
        channel,
        thread: null,
        user: 'U9',
        text,
        isDirect: false,
        mentionsBot: true,
        eventId: text,
        receivedAt: new Date(),
      };
      const route = {
        intent: 'docs' as const,
        entities: { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null },
        reason: 't',
        confidence: 1,
        source: 'rules' as const,
      };
      return agent.answer({ message, text, route, history: [] });
    };
    const reply = await ask('stage-in from TRIUMF fails with pilot error 1099', 'CANY');
    expect(reply.summary).toContain('from a discussion in #dast-help on 2026-02-03');
    expect(reply.summary).toContain(pub.permalink);
    const leak = await ask('S3 stage-out unable to locate credentials at QMUL, known?', PUBLIC.id);
    expect(leak.summary ?? '').not.toMatch(/rotated|14:05|adc-experts-private/);
    const own = await ask('S3 stage-out unable to locate credentials at QMUL, known?', PRIVATE.id);
    expect(own.summary).toContain('from a discussion in #adc-experts-private');
  });
});
