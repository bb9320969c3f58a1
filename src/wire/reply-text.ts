import type { Reply, ReplyBlock } from '../contracts/reply.js';

export interface ReplyTextOptions {
  /** `markdown` for platforms with GFM tables (Mattermost), `code` for those without (Discord). */
  tables: 'markdown' | 'code';
}

const NOTICE_ICON: Record<'info' | 'warning' | 'error', string> = { info: 'ℹ️', warning: '⚠️', error: '❌' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Quoted text (log lines, job diags, user text) made safe to put between ``` fences: a run of three
 * or more backticks inside it would close the fence and let the rest render as live Markdown
 * (mentions, links), so its backticks are kept apart by zero-width spaces.
 */
export function fenceSafe(text: string): string {
  return text.replace(/`{3,}/g, (run) => run.split('').join('\u200b'));
}

/** A table as fixed-width text, for code blocks. */
export function tableAsText(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((_, i) => r[i] ?? '')))].join('\n');
}

/** Evidence lines as `n | text`, the log line numbers right-aligned. */
export function evidenceAsText(lines: Array<{ n: number; text: string }>): string {
  const width = Math.max(1, ...lines.map((l) => String(l.n).length));
  return lines.map((l) => `${String(l.n).padStart(width)} | ${l.text}`).join('\n');
}

/** Renders one block as Markdown. */
export function blockToMarkdown(block: ReplyBlock, options: ReplyTextOptions): string {
  switch (block.kind) {
    case 'markdown':
      return block.text;
    case 'heading':
      return `### ${block.text}`;
    case 'fields':
      return block.fields.map((f) => `**${f.label}:** ${f.value}`).join('\n');
    case 'table': {
      const caption = block.caption ? `${block.caption}\n` : '';
      if (options.tables === 'code') return `${caption}\`\`\`\n${fenceSafe(tableAsText(block.columns, block.rows))}\n\`\`\``;
      const header = `| ${block.columns.map(cell).join(' | ')} |`;
      const rule = `|${block.columns.map(() => ' --- ').join('|')}|`;
      const body = block.rows.map((r) => `| ${block.columns.map((_, i) => cell(r[i] ?? '')).join(' | ')} |`);
      return `${caption}${[header, rule, ...body].join('\n')}`;
    }
    case 'code':
      return `\`\`\`${block.language ?? ''}\n${fenceSafe(block.text)}\n\`\`\``;
    case 'evidence':
      return `${block.title ? `**${block.title}**` : `**Evidence**`} (${block.source})\n\`\`\`\n${fenceSafe(evidenceAsText(block.lines))}\n\`\`\``;
    case 'citations':
      return `Sources:\n${block.items.map((c) => `[${c.n}] ${c.url ? `[${c.title}](${c.url})` : c.title}${c.section ? ` — ${c.section}` : ''}`).join('\n')}`;
    case 'notice':
      return `${NOTICE_ICON[block.level]} ${block.text}`;
  }
}

/** The whole reply as one Markdown document (blocks separated by blank lines). */
export function replyToMarkdown(reply: Reply, options: ReplyTextOptions): string {
  const text = reply.blocks.map((b) => blockToMarkdown(b, options)).join('\n\n');
  return reply.correlationId ? `${text}\n\n_ref: ${reply.correlationId}_` : text;
}
