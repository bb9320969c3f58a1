/** Support-channel discussions: threads read from a chat platform's history, before ingestion. */

/**
 * A chat platform's name (`slack`, `mattermost`, `discord`, …): one of the platform modules listed in
 * `adapters/platforms.ts`; `PLATFORM_NAMES` (src/cli/platforms.ts) checks names read from settings against it.
 */
export type DiscussionPlatform = string;

export interface DiscussionChannel {
  platform: DiscussionPlatform;
  id: string;
  name: string;
  private: boolean;
}

export interface DiscussionReaction {
  /** Emoji short name without colons (`white_check_mark`), or the emoji itself on Discord. */
  name: string;
  users: string[];
}

export interface DiscussionMessage {
  id: string;
  user: string;
  userDisplay?: string;
  /** ISO 8601 UTC. */
  ts: string;
  text: string;
  reactions?: DiscussionReaction[];
  edited?: boolean;
}

export interface DiscussionThread {
  platform: DiscussionPlatform;
  channel: DiscussionChannel;
  /** Id of the root message. */
  threadId: string;
  permalink: string;
  /** `messages[0]` is the root, then the replies in time order. */
  messages: DiscussionMessage[];
}

export interface HistoryPage {
  threads: DiscussionThread[];
  /** Root ids of threads deleted since the last read (only when the platform or the reader can tell). */
  deleted?: string[];
}

/** Reads a channel's threads from a platform (history APIs with pagination and rate limits). */
export interface DiscussionSource {
  readonly platform: DiscussionPlatform;
  /** Every thread of the channel whose root or a reply is newer than `since` (all of them without it). */
  readThreads(channelId: string, options?: { since?: string; signal?: AbortSignal }): Promise<DiscussionThread[]>;
  /** Channel metadata (name, privacy). */
  channelInfo(channelId: string, signal?: AbortSignal): Promise<DiscussionChannel>;
}
