/**
 * The ingestion pipeline: classify every thread, prepare (summarise, redact, name roles) the
 * resolved ones, and bring the index in line — new and edited threads written, unchanged ones
 * left alone (content hash), skipped or vanished ones removed. Each decision is returned with its
 * reason, and an optional judge (an LLM) may overrule the rules on borderline threads only.
 */
import type { DiscussionThread } from '../../src/contracts/discussions.js';
import type { DiscussionIndex, DiscussionSyncReport, ThreadKey } from '../../src/index/discussions.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';
import { type Classification, classifyThread } from './classify.js';
import { type PreparedDiscussion, prepareDiscussion } from './prepare.js';

export interface IngestDecision extends Classification {
  threadId: string;
  platform: string;
  channelId: string;
  private: boolean;
  prepared?: PreparedDiscussion;
}

/** Decides borderline threads (the rules said "unresolved: the asker replied without confirming"); null keeps the rule's decision. */
export type ThreadJudge = (thread: DiscussionThread, rule: Classification) => Promise<boolean | null>;

export interface DiscussionIngesterOptions {
  index: DiscussionIndex;
  judge?: ThreadJudge | null;
  logger?: Logger;
}

export interface IngestRun {
  decisions: IngestDecision[];
  report: DiscussionSyncReport;
}

const BORDERLINE = /without confirming|never came back/;

export function createDiscussionIngester(options: DiscussionIngesterOptions) {
  const { index, judge } = options;
  const logger = options.logger ?? silentLogger();

  async function decide(thread: DiscussionThread): Promise<IngestDecision> {
    let c = classifyThread(thread);
    if (judge && !c.ingest && c.decision === 'unresolved' && BORDERLINE.test(c.reason)) {
      const verdict = await judge(thread, c).catch((error: unknown) => {
        logger.warn({ err: error, thread: thread.threadId }, 'thread judge failed: keeping the rule decision');
        return null;
      });
      if (verdict === true) {
        const answerIndex = thread.messages.findIndex((m, i) => i > 0 && m.user !== c.askerId);
        const expertId = thread.messages[answerIndex]?.user;
        if (answerIndex > 0)
          c = {
            ...c,
            ingest: true,
            decision: 'resolved',
            reason: 'resolved: judged resolved by the LLM (borderline)',
            answerIndex,
            ...(expertId ? { expertId } : {}),
          };
      }
    }
    const base = { ...c, threadId: thread.threadId, platform: thread.platform, channelId: thread.channel.id, private: thread.channel.private };
    return c.ingest ? { ...base, prepared: prepareDiscussion(thread, c) } : base;
  }

  return {
    decide,
    /**
     * Ingests threads. With `fullChannels`, the given threads are everything those channels hold
     * now, so stored threads of them that are missing were deleted and leave the index.
     */
    async ingest(
      threads: readonly DiscussionThread[],
      opts: { fullChannels?: ReadonlyArray<{ platform: string; channelId: string }>; deleted?: readonly ThreadKey[] } = {},
    ): Promise<IngestRun> {
      const decisions: IngestDecision[] = [];
      for (const t of threads) decisions.push(await decide(t));
      const keep = decisions.flatMap((d) => (d.prepared ? [d.prepared] : []));
      const remove: ThreadKey[] = decisions.filter((d) => !d.prepared).map((d) => ({ platform: d.platform, channelId: d.channelId, threadId: d.threadId }));
      remove.push(...(opts.deleted ?? []));
      const seen = new Set(threads.map((t) => `${t.platform}:${t.channel.id}:${t.threadId}`));
      for (const ch of opts.fullChannels ?? []) {
        for (const threadId of index.storedThreads(ch.platform, ch.channelId)) {
          if (!seen.has(`${ch.platform}:${ch.channelId}:${threadId}`)) remove.push({ ...ch, threadId });
        }
      }
      const report = await index.apply(keep, remove);
      logger.info({ threads: threads.length, ingested: keep.length, ...report }, 'discussions ingested');
      return { decisions, report };
    },
  };
}

export type DiscussionIngester = ReturnType<typeof createDiscussionIngester>;
