import { type Reply, type ReplyBlock, withoutMarks } from '../contracts/reply.js';

function blockText(block: ReplyBlock): string {
  switch (block.kind) {
    case 'markdown':
    case 'heading':
      return block.text;
    case 'notice':
      return block.text;
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`).join('; ');
    case 'table':
      return [block.caption ?? '', block.columns.join(' | '), ...block.rows.slice(0, 10).map((r) => r.join(' | '))].filter(Boolean).join('\n');
    case 'code':
      return block.text.slice(0, 500);
    case 'evidence':
      return block.lines
        .slice(0, 5)
        .map((l) => `${l.n}: ${l.text}`)
        .join('\n');
    case 'citations':
      return block.items.map((c) => `[${c.n}] ${c.title}`).join(' ');
  }
}

/** Plain text of a reply, for memory and logs (the reply's own summary when it has one). */
export function replySummary(reply: Reply, maxChars = 2000): string {
  const text = reply.summary ?? withoutMarks(reply.blocks.map(blockText).filter(Boolean).join('\n'));
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
