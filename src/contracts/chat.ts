import type { IncomingMessage } from './message.js';
import type { Reply } from './reply.js';

/** What adapters receive: the core's entry point. Null means "nothing to answer" (duplicate, ignored). */
export type MessageHandler = (message: IncomingMessage) => Promise<Reply | null>;

/** Where a message the bot starts on its own goes: a channel (or DM), optionally a thread in it. */
export interface PostTarget {
  channel: string;
  /** Thread to continue (a `PostResult.thread` from an earlier post); absent or null starts at the top. */
  thread?: string | null;
}

export interface PostResult {
  /**
   * The thread the message is in: pass it back as `PostTarget.thread` to continue there. A top-level
   * post starts one (its root); null where the place has no threads (e.g. a Discord DM).
   */
  thread: string | null;
}

/** The lifecycle main.ts knows about an adapter, and proactive posting (alerts, digests). */
export interface ChatAdapter {
  readonly name: string;
  start(handler: MessageHandler): Promise<void>;
  stop(): Promise<void>;
  /** Posts a reply nobody asked for (a watch alert, a digest) into a channel or one of its threads. */
  post(target: PostTarget, reply: Reply): Promise<PostResult>;
}

/**
 * The threads the bot takes part in: a reply there needs no mention. Kept in the shared state
 * (SQLite, or Redis across replicas) with a TTL, so it survives restarts and reaches every replica.
 * `thread` is platform-scoped (e.g. `C123:1700000000.000100` on Slack, a post or channel id elsewhere).
 */
export interface FollowedThreads {
  follows(platform: string, thread: string): Promise<boolean>;
  follow(platform: string, thread: string): Promise<void>;
}
