import { mapUntrusted, type Reply, type ReplyBlock, withoutMarks } from '../contracts/reply.js';

export interface ReplyTextOptions {
  /** `markdown` for platforms with GFM tables (Mattermost), `code` for those without (Discord). */
  tables: 'markdown' | 'code';
  /** How an untrusted span is made inert on the platform (default: `inertMarkdown`). */
  quoted?: (span: string) => string;
}

/** A zero-width joiner: keeps a sequence from being recognised (mention, autolink) while the text reads the same. */
export const ZW = '\u2060';

/**
 * An untrusted span as inert CommonMark/GFM (Mattermost, Discord, MCP and `/v1` clients): every
 * Markdown punctuation character is backslash-escaped (no `[label](url)`, `<url>`, `<@id>`,
 * `<!here>`, emphasis, code spans, headings, tables); autolinks (`https://`, `www.`) and
 * mentions (`@channel`, `@here`, `@user`) are broken by a zero-width joiner, since neither can be
 * escaped; control characters (terminal escapes) are dropped; line breaks become spaces so a quoted
 * line cannot start a block of its own.
 */
export function inertMarkdown(span: string): string {
  return span
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&')
    .replace(/:\/\//g, `:${ZW}//`)
    .replace(/\b(www)\./gi, `$1${ZW}.`)
    .replace(/@/g, `@${ZW}`);
}

const NOTICE_ICON: Record<'info' | 'warning' | 'error', string> = { info: 'ℹ️', warning: '⚠️', error: '❌' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Prose of a block: trusted Markdown as written, untrusted spans inert. */
function prose(text: string, options: ReplyTextOptions): string {
  return mapUntrusted(text, options.quoted ?? inertMarkdown);
}

/**
 * Quoted text (log lines, job diags, user text) made safe to put between ``` fences: a run of three
 * or more backticks inside it would close the fence and let the rest render as live Markdown
 * (mentions, links), so its backticks are kept apart by zero-width spaces.
 */
export function fenceSafe(text: string): string {
  return text.replace(/`{3,}/g, (run) => run.split('').join('\u200b'));
}

/** Table cells without their marks (a code block shows them literally anyway). */
export function plainRows(rows: string[][]): string[][] {
  return rows.map((r) => r.map(withoutMarks));
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
      return prose(block.text, options);
    case 'heading':
      return `### ${prose(block.text, options)}`;
    case 'fields':
      return block.fields.map((f) => `**${prose(f.label, options)}:** ${prose(f.value, options)}`).join('\n');
    case 'table': {
      const caption = block.caption ? `${prose(block.caption, options)}\n` : '';
      if (options.tables === 'code') return `${caption}\`\`\`\n${fenceSafe(tableAsText(block.columns, plainRows(block.rows)))}\n\`\`\``;
      const quoted = options.quoted ?? inertMarkdown;
      const tableCell = (text: string): string => mapUntrusted(text, quoted, cell);
      const header = `| ${block.columns.map(tableCell).join(' | ')} |`;
      const rule = `|${block.columns.map(() => ' --- ').join('|')}|`;
      const body = block.rows.map((r) => `| ${block.columns.map((_, i) => tableCell(r[i] ?? '')).join(' | ')} |`);
      return `${caption}${[header, rule, ...body].join('\n')}`;
    }
    case 'code':
      return `\`\`\`${block.language ?? ''}\n${fenceSafe(withoutMarks(block.text))}\n\`\`\``;
    case 'evidence':
      return `${block.title ? `**${prose(block.title, options)}**` : `**Evidence**`} (${block.source})\n\`\`\`\n${fenceSafe(withoutMarks(evidenceAsText(block.lines)))}\n\`\`\``;
    case 'citations':
      return `Sources:\n${block.items.map((c) => `[${c.n}] ${c.url ? `[${c.title}](${c.url})` : c.title}${c.section ? ` — ${c.section}` : ''}`).join('\n')}`;
    case 'notice':
      return `${NOTICE_ICON[block.level]} ${prose(block.text, options)}`;
  }
}

/** The whole reply as one Markdown document (blocks separated by blank lines). */
export function replyToMarkdown(reply: Reply, options: ReplyTextOptions): string {
  const text = reply.blocks.map((b) => blockToMarkdown(b, options)).join('\n\n');
  return reply.correlationId ? `${text}\n\n_ref: ${reply.correlationId}_` : text;
}
