/**
 * Streams a generated 2 GB pilot log from the fake monitor through the real client's openLog
 * (301 redirect, media download, byte cap) and reports throughput and peak RSS. The log is made
 * on the fly by the fake server and never stored or held; nothing is written to disk but an empty
 * temporary directory, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMonitorClient } from '../src/panda/monitor-client.js';
import { startFakeMonitor } from '../test/fakes/monitor/index.js';

export const figures = ['log-stream-mbps', 'log-stream-rss-mb'];

const SIZE = 2 * 1024 ** 3;
const PANDAID = 6601999999;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-bench-log-'));
  const fake = await startFakeMonitor({ dir, generatedLogs: [{ pandaid: PANDAID, name: 'pilotlog.txt', size: SIZE }] });
  const client = createMonitorClient({ baseUrl: fake.url, timeoutMs: 60_000 });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  try {
    const started = process.hrtime.bigint();
    const log = await client.openLog(PANDAID, 'pilotlog.txt', { maxBytes: SIZE + 1 });
    let total = 0;
    for await (const chunk of log.stream) total += chunk.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (total !== SIZE || log.truncated) throw new Error(`streamed ${total} of ${SIZE} bytes (truncated=${log.truncated})`);
    console.log(`BENCH log-stream-mbps ${(SIZE / 1024 ** 2 / seconds).toFixed(0)} MB/s`);
    console.log(`BENCH log-stream-rss-mb ${(peak / 1024 ** 2).toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await client.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
