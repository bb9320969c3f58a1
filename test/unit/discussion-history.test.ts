import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackHistory } from '../../adapters/slack/history.js';
import { createDiscussionIngester, syncChannels } from '../../agents/ingest/index.js';
import { createDiscussionIndex } from '../../src/index/discussions.js';
import { type IndexedDocumentStore, openLanceStore } from '../../src/index/index.js';
import { createFakeSlackHistory, type FakeSlackHistory, type FakeSlackMessage } from '../fakes/slack/history-routes.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function index() {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-history-'));
  const store: IndexedDocumentStore = await openLanceStore({ dir: join(dir, 'index') });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  const ingester = createDiscussionIngester({ index: createDiscussionIndex({ store, stateFile: join(dir, 'd.json') }) });
  return { store, ingester };
}

/** `threads` support threads of `size` messages: question, answer, confirmation, then chatter. */
function slackChannel(threads: number, size: number): FakeSlackMessage[] {
  const out: FakeSlackMessage[] = [];
  for (let t = 0; t < threads; t++) {
    const root = `${1_760_000_000 + t * 100}.000100`;
    out.push({ ts: root, user: `UASK${t}`, text: `Task ${44_000_000 + t} fails with pilot error ${1000 + t} at SITE_${t}, why?` });
    for (let r = 1; r < size; r++) {
      const ts = `${1_760_000_000 + t * 100 + r}.000100`;
      const text =
        r === 1
          ? `Error ${1000 + t} at SITE_${t} means the queue QUEUE_${t} ran out of scratch space; retry with --site OTHER_${t}.`
          : r === 2
            ? 'thanks, that fixed it'
            : `note ${r} on ${t}`;
      out.push({ ts, user: r === 2 ? `UASK${t}` : 'UEXPERT', text, thread_ts: root });
    }
  }
  return out;
}

async function slackFake(): Promise<FakeSlackHistory> {
  const fake = await createFakeSlackHistory('xoxb-test');
  cleanups.push(() => fake.close());
  return fake;
}

describe('Slack history backfill and sync', () => {
  it('backfills a channel of 1,000 messages within the rate limit (waits Retry-After, never calls early)', async () => {
    const fake = await slackFake();
    fake.channels.set('CHELP', { name: 'dast-help', is_private: false, messages: slackChannel(100, 10) });
    fake.budget = 40;
    const { store, ingester } = await index();
    const slack = createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test', pageSize: 60 });
    const [result] = await syncChannels({ channels: [{ platform: 'slack', channelId: 'CHELP' }], sources: { slack }, ingester });
    expect(result?.error).toBeUndefined();
    expect(result).toMatchObject({ threads: 100, ingested: 100, written: 100 });
    expect(result?.decisions.reduce((n, d) => n + (d.prepared ? 1 : 0), 0)).toBe(100);
    expect(fake.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(fake.earlyCalls).toBe(0);
    expect(fake.calls.filter((c) => c.method === 'conversations.history' && c.status === 200).length).toBe(2);
    const hit = await store.search('pilot error 1042 at SITE_42', { kinds: ['discussion'] });
    expect(hit[0]).toMatchObject({ threadId: '1760004200.000100', url: 'https://fake-ws.slack.com/archives/CHELP/p1760004200000100', channel: 'dast-help' });
  }, 60_000);

  it('an edit and a delete on the platform are reflected after one sync; an unchanged re-run writes nothing', async () => {
    const fake = await slackFake();
    const messages = slackChannel(5, 3);
    fake.channels.set('CHELP', { name: 'dast-help', is_private: false, messages });
    const { store, ingester } = await index();
    const slack = createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test' });
    const channels = [{ platform: 'slack' as const, channelId: 'CHELP' }];
    expect((await syncChannels({ channels, sources: { slack }, ingester }))[0]).toMatchObject({ written: 5, removed: 0 });
    expect((await syncChannels({ channels, sources: { slack }, ingester }))[0]).toMatchObject({ written: 0, unchanged: 5, removed: 0 });
    const answer = messages.find((m) => m.text.startsWith('Error 1002')) as FakeSlackMessage;
    answer.text = 'Error 1002 at SITE_2: the squid proxy FRONTIER_SQUID_77 was misconfigured and has been fixed.';
    answer.edited = { ts: '1760009999.000100', user: 'UEXPERT' };
    const root3 = messages.findIndex((m) => m.text.startsWith('Task 44000003'));
    messages.splice(root3, 1);
    const after = (await syncChannels({ channels, sources: { slack }, ingester }))[0];
    expect(after).toMatchObject({ written: 1, removed: 1 });
    expect((await store.search('FRONTIER_SQUID_77 misconfigured', { kinds: ['discussion'] }))[0]?.text).toContain('FRONTIER_SQUID_77');
    expect((await store.search('pilot error 1003 SITE_3', { kinds: ['discussion'] })).map((p) => p.threadId)).not.toContain('1760000300.000100');
  }, 60_000);
});
