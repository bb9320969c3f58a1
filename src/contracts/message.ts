/**
 * Where a message came from: `console`, `mcp` (the MCP server), `http` (the OpenAI-compatible endpoint), `test`, or a chat platform registered in
 * `adapters/platforms.ts` (its module's name; a plain string so a new platform needs no edit here).
 */
export type Platform = 'console' | 'mcp' | 'http' | 'test' | (string & {});

/** A slash command such as `/panda-job 6715819744` (name without the slash, args trimmed). */
export interface SlashCommand {
  name: string;
  args: string;
}

/** A click on a button the bot rendered (`Reply.actions`). */
export interface ActionClick {
  /** Action id, e.g. `expert`, `analyse-job`, `feedback-up`, `feedback-down`. */
  id: string;
  value: string;
}

/** A text file attached to a message (a log the user shared), already downloaded by the adapter. */
export interface InboundFile {
  name: string;
  mimeType?: string;
  /** Size on the platform, in bytes. */
  size: number;
  /** The file's text (text files up to the adapter's limit); absent when it was not read. */
  text?: string;
  /** Why the text was not read (binary, too large, download failed). */
  skipped?: string;
}

/** One inbound message, platform-neutral. Adapters build it; the core consumes it. */
export interface IncomingMessage {
  platform: Platform;
  /** Slack team id, Mattermost team id, Discord guild id; `local` for the console. */
  workspace: string;
  channel: string;
  /** Root id of the thread the message belongs to, or null for a top-level message / DM without threads. */
  thread: string | null;
  /** Id of this message on its platform (a thread started by this message has this id as root). */
  messageId?: string;
  user: string;
  userName?: string;
  text: string;
  isDirect: boolean;
  mentionsBot: boolean;
  /** True when the channel is private: answers from private discussions stay there. */
  channelPrivate?: boolean;
  command?: SlashCommand;
  action?: ActionClick;
  /** Files attached to the message (Slack file_share, Mattermost file_ids, Discord attachments). */
  files?: InboundFile[];
  /**
   * Earlier turns the client sent along with this message (the OpenAI-compatible API without a
   * conversation id: the client carries the history, the bot keeps none). Used only when the
   * conversation has no memory of its own.
   */
  history?: Array<{ role: 'user' | 'assistant'; text: string }>;
  /** Platform event id used for de-duplication (Slack event_id, Mattermost post id, Discord message/interaction id). */
  eventId: string;
  receivedAt: Date;
}

/** Identifies one conversation: a thread, or a DM channel when the platform has no threads there. */
export interface ConversationKey {
  platform: Platform;
  workspace: string;
  channel: string;
  thread: string | null;
}
