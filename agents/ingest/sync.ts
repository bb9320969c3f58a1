/**
 * Backfill and live sync of configured channels: each run reads a channel's threads through its
 * platform's DiscussionSource and ingests them as the channel's complete content, so new replies
 * and edits are rewritten (content hash), unchanged threads cost nothing, and deleted threads
 * leave the index within one sync.
 */
import type { DiscussionPlatform, DiscussionSource } from '../../src/contracts/discussions.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';
import type { DiscussionIngester, IngestDecision } from './pipeline.js';

export interface ChannelRef {
  platform: DiscussionPlatform;
  channelId: string;
}

/**
 * Parses `platform:channelId` entries (config or admin list); platforms not in `platforms` (the
 * registered chat platforms, `PLATFORM_NAMES` of src/cli/platforms.ts) are rejected.
 */
export function parseChannelRef(entry: string, platforms: readonly string[]): ChannelRef | null {
  const m = /^([a-z][a-z0-9-]*):(\S+)$/.exec(entry.trim());
  return m && platforms.includes(m[1] as string) ? { platform: m[1] as DiscussionPlatform, channelId: m[2] as string } : null;
}

export interface ChannelSyncResult extends ChannelRef {
  threads: number;
  ingested: number;
  written: number;
  unchanged: number;
  removed: number;
  decisions: IngestDecision[];
  error?: string;
}

export async function syncChannels(options: {
  channels: readonly ChannelRef[];
  sources: Partial<Record<DiscussionPlatform, DiscussionSource>>;
  ingester: DiscussionIngester;
  logger?: Logger;
  signal?: AbortSignal;
}): Promise<ChannelSyncResult[]> {
  const logger = options.logger ?? silentLogger();
  const results: ChannelSyncResult[] = [];
  for (const ref of options.channels) {
    const source = options.sources[ref.platform];
    const empty = { ...ref, threads: 0, ingested: 0, written: 0, unchanged: 0, removed: 0, decisions: [] };
    if (!source) {
      results.push({ ...empty, error: `no ${ref.platform} connection is configured` });
      continue;
    }
    try {
      const threads = await source.readThreads(ref.channelId, { signal: options.signal });
      const run = await options.ingester.ingest(threads, { fullChannels: [ref] });
      results.push({ ...ref, threads: threads.length, ingested: run.decisions.filter((d) => d.prepared).length, ...run.report, decisions: run.decisions });
    } catch (error) {
      // One unreachable channel must not stop the others; the index keeps its last good content.
      logger.warn({ err: error, ...ref }, 'discussion sync failed for a channel');
      results.push({ ...empty, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}
