import type { ConversationKey } from './message.js';
import type { IncomingMessage } from './message.js';

/**
 * The conversation a message belongs to: its thread; a top-level channel message starts a thread
 * rooted at itself (the bot answers there); a DM without threads is one conversation.
 */
export function conversationKeyOf(message: IncomingMessage): ConversationKey {
  const thread = message.thread ?? (message.isDirect ? null : (message.messageId ?? null));
  return { platform: message.platform, workspace: message.workspace, channel: message.channel, thread };
}

export function conversationKeyString(key: ConversationKey): string {
  return [key.platform, key.workspace, key.channel, key.thread ?? '-'].map((p) => encodeURIComponent(p)).join(':');
}
