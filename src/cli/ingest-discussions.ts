/**
 * `askpanda ingest-discussions`: backfills / syncs the configured support channels into the
 * document index (resolved threads only, redacted, with channel privacy); `--from <export.jsonl>`
 * ingests a thread export instead; `--list`, `--add` and `--remove` (admins only, `--as
 * platform:user`) manage the channel list kept in the data directory.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  type ChannelSyncResult,
  createChannelList,
  createDiscussionIngester,
  createLlmThreadJudge,
  readThreadExport,
  syncChannels,
  toDiscussionThread,
} from '../../agents/ingest/index.js';
import type { Reply } from '../contracts/reply.js';
import type { CoreCommand } from '../core/pipeline.js';
import { InputError } from '../errors.js';
import { createDiscussionIndex } from '../index/discussions.js';
import { PLATFORM_NAMES } from './platforms.js';
import type { Services } from './services.js';

export function channelListOf(s: Services) {
  return createChannelList({
    file: join(resolve(s.config.dataDir), 'ingest-channels.json'),
    configured: s.config.ingest.channels,
    admins: s.config.admins,
    platforms: PLATFORM_NAMES,
  });
}

/** The ingester over the discussion part of the document index (borderline threads judged by the router LLM when configured). */
async function discussionIngester(s: Services) {
  const store = await s.docStore();
  const index = createDiscussionIndex({ store, stateFile: join(resolve(s.config.dataDir), 'discussions.json') });
  const judge = s.config.llm.router === 'offline' ? null : createLlmThreadJudge(s.llm('router'));
  return { index, ingester: createDiscussionIngester({ index, judge, logger: s.logger }) };
}

/** Syncs every configured channel (backfill, new replies, edits, deletions); null when none is configured. */
export async function syncConfiguredChannels(s: Services, signal?: AbortSignal): Promise<ChannelSyncResult[] | null> {
  const list = channelListOf(s).channels();
  if (list.length === 0) return null;
  const { ingester } = await discussionIngester(s);
  return syncChannels({ channels: list, sources: s.discussionSources(), ingester, logger: s.logger, signal });
}

/**
 * `/panda-ingest list|add|remove platform:channelId` in chat: admins (ASKPANDA_ADMINS, as
 * `platform:user`) manage the support channels; removing one drops its threads from the index.
 */
export function createIngestChannelsCommand(s: Services): CoreCommand {
  return async (message) => {
    const [verb = 'list', entry = ''] = (message.command?.args ?? '').trim().split(/\s+/);
    const channels = channelListOf(s);
    const say = (text: string): Reply => ({ blocks: [{ kind: 'markdown', text }], summary: text });
    try {
      if (verb === 'list') {
        const list = channels.channels().map((c) => `• ${c.platform}:${c.channelId}`);
        return say(list.length ? `Support channels whose resolved threads I learn from:\n${list.join('\n')}` : 'No support channels are configured.');
      }
      const by = `${message.platform}:${message.user}`;
      if (verb === 'add') {
        const ref = channels.add(entry, by);
        return say(`Added ${ref.platform}:${ref.channelId}; its resolved threads are ingested at the next sync.`);
      }
      if (verb === 'remove') {
        const ref = channels.remove(entry, by);
        const { index } = await discussionIngester(s);
        const gone = index.storedThreads(ref.platform, ref.channelId).map((threadId) => ({ ...ref, threadId }));
        const report = await index.apply([], gone);
        return say(`Removed ${ref.platform}:${ref.channelId} and its ${report.removed} threads from my knowledge.`);
      }
      return say('Usage: `/panda-ingest list`, `/panda-ingest add platform:channelId`, `/panda-ingest remove platform:channelId` (admins only).');
    } catch (error) {
      if (error instanceof InputError) return { blocks: [{ kind: 'notice', level: 'warning', text: error.message }], summary: error.message };
      throw error;
    }
  };
}

export function register(program: Command, services: () => Services): void {
  program
    .command('ingest-discussions')
    .description('ingest resolved support-channel threads (configured channels, or --from an export) into the document index')
    .option('--from <threads.jsonl>', 'ingest a thread export (discussions-dev format) instead of reading the platforms')
    .option('--list', 'print the channels that are ingested')
    .option('--add <platform:channelId>', 'add a channel (admins only, with --as)')
    .option('--remove <platform:channelId>', 'remove a channel (admins only, with --as); its threads leave the index')
    .option('--as <platform:user>', 'the admin making the change')
    .option('--verbose', 'print the decision and reason for every thread')
    .action(async (opts: { from?: string; list?: boolean; add?: string; remove?: string; as?: string; verbose?: boolean }) => {
      const s = services();
      const print = (line: string) => process.stdout.write(`${line}\n`);
      const channels = channelListOf(s);
      if (opts.add) print(`added ${JSON.stringify(channels.add(opts.add, opts.as ?? ''))}`);
      if (opts.list) for (const c of channels.channels()) print(`${c.platform}:${c.channelId}`);
      if ((opts.add || opts.list) && !opts.from) return;
      const { index, ingester } = await discussionIngester(s);
      if (opts.from) {
        const run = await ingester.ingest(readThreadExport(opts.from, PLATFORM_NAMES).map(toDiscussionThread));
        if (opts.verbose) for (const d of run.decisions) print(`${d.threadId}: ${d.reason}`);
        print(
          `threads: ${run.decisions.length}, ingested: ${run.decisions.filter((d) => d.prepared).length}, written: ${run.report.written}, unchanged: ${run.report.unchanged}, removed: ${run.report.removed}`,
        );
        return;
      }
      if (opts.remove) {
        const ref = channels.remove(opts.remove, opts.as ?? '');
        const gone = index.storedThreads(ref.platform, ref.channelId).map((threadId) => ({ ...ref, threadId }));
        const report = await index.apply([], gone);
        print(`removed ${report.removed} threads of ${ref.platform}:${ref.channelId} from the index`);
        return;
      }
      const results = await syncConfiguredChannels(s);
      if (!results) {
        print('No channels are configured: set ASKPANDA_INGEST_CHANNELS or add one with --add platform:channelId --as platform:admin.');
        return;
      }
      for (const r of results) {
        if (opts.verbose) for (const d of r.decisions) print(`  ${d.threadId}: ${d.reason}`);
        print(
          r.error
            ? `${r.platform}:${r.channelId}: failed (${r.error})`
            : `${r.platform}:${r.channelId}: threads ${r.threads}, ingested ${r.ingested}, written ${r.written}, unchanged ${r.unchanged}, removed ${r.removed}`,
        );
      }
    });
}
