/**
 * Discussions in the document store: one chunk per ingested thread (kind `discussion`), with the
 * channel columns that let a search hide private threads of other channels. A JSON state file
 * keeps the content hash of every stored thread, so re-running ingestion writes only what changed
 * and threads that were deleted, edited into a skip or opted out leave the index.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChunkInput } from './schema.js';
import type { IndexedDocumentStore } from './types.js';

/** A redacted, summarised thread ready for the index (built by agents/ingest). */
export interface DiscussionRecord {
  platform: string;
  channelId: string;
  channel: string;
  private: boolean;
  threadId: string;
  permalink: string;
  date: string;
  questionSummary: string;
  answerSummary: string;
  text: string;
  hash: string;
}

export interface DiscussionSyncReport {
  written: number;
  unchanged: number;
  removed: number;
}

export interface DiscussionIndex {
  /** Writes new or changed records, removes `remove` (thread keys) — in that order. */
  apply(records: readonly DiscussionRecord[], remove?: readonly ThreadKey[]): Promise<DiscussionSyncReport>;
  /** Threads stored for a channel (thread ids). */
  storedThreads(platform: string, channelId: string): string[];
  /** The exact text written to the index for a record (what a search can return). */
  storedText(record: DiscussionRecord): string;
}

export interface ThreadKey {
  platform: string;
  channelId: string;
  threadId: string;
}

export const discussionOrigin = (k: ThreadKey): string => `discussion:${k.platform}:${k.channelId}:${k.threadId}`;

export function discussionChunk(r: DiscussionRecord): ChunkInput {
  const title = r.questionSummary.length > 120 ? `${r.questionSummary.slice(0, 117)}…` : r.questionSummary;
  return {
    kind: 'discussion',
    text: `Question: ${r.questionSummary}\nAnswer: ${r.answerSummary}\n\nThread:\n${r.text}`,
    title,
    source: `#${r.channel}`,
    url: r.permalink,
    channel: r.channel,
    channelId: r.channelId,
    platform: r.platform,
    private: r.private,
    date: r.date,
    threadId: r.threadId,
  };
}

export function createDiscussionIndex(options: { store: IndexedDocumentStore; stateFile: string }): DiscussionIndex {
  const { store, stateFile } = options;
  let state: Record<string, string> = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, string>) : {};

  function save(): void {
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${stateFile}.tmp`, stateFile);
  }

  return {
    async apply(records, remove = []) {
      const changed = records.filter((r) => state[discussionOrigin(r)] !== `${store.generation}:${r.hash}`);
      const removeOrigins = remove.map(discussionOrigin).filter((o) => o in state);
      if (changed.length > 0) await store.replaceSources(changed.map((r) => ({ origin: discussionOrigin(r), chunks: [discussionChunk(r)] })));
      if (removeOrigins.length > 0) await store.removeSources(removeOrigins);
      const next = { ...state };
      for (const r of changed) next[discussionOrigin(r)] = `${store.generation}:${r.hash}`;
      for (const o of removeOrigins) delete next[o];
      state = next;
      if (changed.length > 0 || removeOrigins.length > 0) save();
      return { written: changed.length, unchanged: records.length - changed.length, removed: removeOrigins.length };
    },
    storedThreads(platform, channelId) {
      const prefix = `discussion:${platform}:${channelId}:`;
      return Object.keys(state)
        .filter((o) => o.startsWith(prefix))
        .map((o) => o.slice(prefix.length));
    },
    storedText(record) {
      return discussionChunk(record).text;
    },
  };
}
