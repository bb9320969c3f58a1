/** Renders a platform-neutral Reply as Markdown text (MCP text content, OpenAI-compatible answers). */
import { blockToMarkdown } from './reply-text.js';
import type { Reply } from '../contracts/reply.js';

export interface MarkdownOptions {
  /** `alt` (default): describe images by their alt text; `inline`: embed them as data-URI images (chat UIs). */
  images?: 'alt' | 'inline';
}

/** The whole reply as Markdown: blocks, then images, then the buttons as hints. */
export function replyToMarkdown(reply: Reply, options: MarkdownOptions = {}): string {
  // The same Markdown the Mattermost adapter posts (GFM tables), so every front end reads alike.
  const parts = reply.blocks.map((b) => blockToMarkdown(b, { tables: 'markdown' }));
  for (const a of reply.attachments ?? []) {
    parts.push(
      options.images === 'inline'
        ? `![${a.alt.replace(/[[\]]/g, '')}](data:${a.mimeType};base64,${Buffer.from(a.data).toString('base64')})`
        : `*Chart (${a.filename}):* ${a.alt}`,
    );
  }
  // 👍/👎 are buttons for chat platforms; text clients cannot press them.
  const actions = (reply.actions ?? []).filter((a) => a.id !== 'feedback-up' && a.id !== 'feedback-down');
  if (actions.length > 0) parts.push(`*Follow-ups:* ${actions.map((a) => `${a.label} (${a.id} ${a.value})`).join('; ')}`);
  if (reply.correlationId) parts.push(`*ref ${reply.correlationId}*`);
  return parts.filter((p) => p.trim() !== '').join('\n\n');
}

export interface Budgeted {
  text: string;
  truncated: boolean;
  /** Length of the text before truncation. */
  fullLength: number;
}

/** Cuts text to `maxChars` at a line boundary when possible and says so at the end. */
export function withinBudget(text: string, maxChars: number): Budgeted {
  if (text.length <= maxChars) return { text, truncated: false, fullLength: text.length };
  const note = `\n\n[truncated: showing about ${maxChars} of ${text.length} characters; ask a narrower question for the rest]`;
  let cut = text.slice(0, Math.max(0, maxChars - note.length));
  const newline = cut.lastIndexOf('\n');
  if (newline > cut.length * 0.6) cut = cut.slice(0, newline);
  // Close an open code fence so the rest of the text renders.
  if ((cut.match(/^```/gm) ?? []).length % 2 === 1) cut += '\n```';
  return { text: cut + note, truncated: true, fullLength: text.length };
}
