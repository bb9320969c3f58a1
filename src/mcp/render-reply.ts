/** Renders a platform-neutral Reply as Markdown text (MCP text content, OpenAI-compatible answers). */
import type { Reply, ReplyBlock } from '../contracts/reply.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function renderBlock(block: ReplyBlock): string {
  switch (block.kind) {
    case 'markdown':
      return block.text;
    case 'heading':
      return `### ${block.text}`;
    case 'fields':
      return block.fields.map((f) => `- **${f.label}:** ${f.value}`).join('\n');
    case 'table': {
      const head = `| ${block.columns.map(cell).join(' | ')} |`;
      const rule = `| ${block.columns.map(() => '---').join(' | ')} |`;
      const rows = block.rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
      return [...(block.caption ? [`*${block.caption}*`, ''] : []), head, rule, ...rows].join('\n');
    }
    case 'code':
      return `\`\`\`${block.language ?? ''}\n${block.text}\n\`\`\``;
    case 'evidence': {
      const title = block.title ? `**${block.title}** (${block.source})` : `**Evidence** (${block.source})`;
      const lines = block.lines.map((l) => `${String(l.n).padStart(6)}  ${l.text}`).join('\n');
      return `${title}\n\`\`\`\n${lines}\n\`\`\``;
    }
    case 'citations':
      return [
        '**Sources**',
        ...block.items.map((c) => `[${c.n}] ${c.url ? `[${c.title}](${c.url})` : c.title}${c.section ? ` — ${c.section}` : ''} (${c.source})`),
      ].join('\n');
    case 'notice': {
      const label = block.level === 'error' ? 'Error' : block.level === 'warning' ? 'Warning' : 'Note';
      return `> **${label}:** ${block.text}`;
    }
  }
}

export interface MarkdownOptions {
  /** `alt` (default): describe images by their alt text; `inline`: embed them as data-URI images (chat UIs). */
  images?: 'alt' | 'inline';
}

/** The whole reply as Markdown: blocks, then images, then the buttons as hints. */
export function replyToMarkdown(reply: Reply, options: MarkdownOptions = {}): string {
  const parts = reply.blocks.map(renderBlock);
  for (const a of reply.attachments ?? []) {
    parts.push(
      options.images === 'inline'
        ? `![${a.alt.replace(/[[\]]/g, '')}](data:${a.mimeType};base64,${Buffer.from(a.data).toString('base64')})`
        : `*Chart (${a.filename}):* ${a.alt}`,
    );
  }
  const actions = reply.actions ?? [];
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
