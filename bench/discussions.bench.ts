/**
 * Support-channel ingestion figures: classifying and redacting the discussions-dev export
 * (threads per second, repeated to 6,000 threads), and a Slack backfill of a 1,000-message channel
 * against the fake Slack history server with a 40-requests-per-second budget (seconds, 429s seen).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSlackHistory } from '../adapters/slack/history.js';
import { classifyThread, createDiscussionIngester, prepareDiscussion, readThreadExport, syncChannels, toDiscussionThread } from '../agents/ingest/index.js';
import { PLATFORM_NAMES } from '../src/cli/platforms.js';
import { createDiscussionIndex } from '../src/index/discussions.js';
import { openLanceStore } from '../src/index/index.js';
import { createFakeSlackHistory, type FakeSlackMessage } from '../test/fakes/slack/history-routes.js';

export const figures = ['discussions-classify-redact-threads-per-s', 'discussions-backfill-1000-s', 'discussions-backfill-1000-429s'];

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export async function run(): Promise<void> {
  const threads = readThreadExport(resolve(repoRoot, '../shared/eval/discussions-dev/threads.jsonl'), PLATFORM_NAMES).map(toDiscussionThread);
  let start = performance.now();
  let n = 0;
  for (let round = 0; round < 100; round++) {
    for (const t of threads) {
      const c = classifyThread(t);
      if (c.ingest) prepareDiscussion(t, c);
      n++;
    }
  }
  console.log(`BENCH discussions-classify-redact-threads-per-s ${(n / ((performance.now() - start) / 1000)).toFixed(0)} threads/s`);

  const fake = await createFakeSlackHistory('xoxb-bench');
  const work = mkdtempSync(join(tmpdir(), 'askpanda-disc-bench-'));
  try {
    const messages: FakeSlackMessage[] = [];
    for (let t = 0; t < 100; t++) {
      const root = `${1_760_000_000 + t * 100}.000100`;
      messages.push({ ts: root, user: `UASK${t}`, text: `Task ${44_000_000 + t} fails with pilot error ${1000 + t}, why?` });
      for (let r = 1; r < 10; r++) {
        const text =
          r === 1 ? `Error ${1000 + t} means the scratch disk of QUEUE_${t} is full; retry elsewhere.` : r === 2 ? 'thanks, that fixed it' : `note ${r}`;
        messages.push({ ts: `${1_760_000_000 + t * 100 + r}.000100`, user: r === 2 ? `UASK${t}` : 'UEXP', text, thread_ts: root });
      }
    }
    fake.channels.set('CBENCH', { name: 'bench', is_private: false, messages });
    fake.budget = 40;
    const store = await openLanceStore({ dir: join(work, 'index') });
    const ingester = createDiscussionIngester({ index: createDiscussionIndex({ store, stateFile: join(work, 'd.json') }) });
    start = performance.now();
    await syncChannels({
      channels: [{ platform: 'slack', channelId: 'CBENCH' }],
      sources: { slack: createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-bench' }) },
      ingester,
    });
    console.log(`BENCH discussions-backfill-1000-s ${((performance.now() - start) / 1000).toFixed(2)} s`);
    console.log(`BENCH discussions-backfill-1000-429s ${fake.calls.filter((c) => c.status === 429).length} responses`);
    await store.close();
  } finally {
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  }
}
