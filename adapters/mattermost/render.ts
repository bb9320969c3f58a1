import type { Reply } from '../../src/contracts/reply.js';
import { replyToMarkdown } from '../../src/wire/reply-text.js';
import { neutraliseMentions } from '../shared/chat-safe.js';
import { splitText } from '../shared/split-text.js';

/** Default MaxPostSize of a Mattermost server (runes). */
export const MATTERMOST_POST_LIMIT = 16_383;

export interface MattermostButton {
  id: string;
  name: string;
  style?: string;
  integration: { url: string; context: Record<string, unknown> };
}

export interface MattermostPostBody {
  message: string;
  props?: { attachments: Array<{ text?: string; actions: MattermostButton[] }> };
}

/**
 * Renders a reply as Mattermost posts: Markdown (GFM tables) split at the post limit without breaking
 * code blocks, the buttons as interactive message actions on the last post. Quoted mentions never ping.
 */
export function renderMattermostPosts(reply: Reply, buttons: (reply: Reply) => MattermostButton[], limit = MATTERMOST_POST_LIMIT): MattermostPostBody[] {
  const chunks = splitText(neutraliseMentions(replyToMarkdown(reply, { tables: 'markdown' })), limit);
  const actions = buttons(reply);
  return chunks.map((message, i) => (i === chunks.length - 1 && actions.length > 0 ? { message, props: { attachments: [{ actions }] } } : { message }));
}
