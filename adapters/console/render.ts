import { mapUntrusted, type Reply, type ReplyAction, type ReplyBlock, withoutMarks } from '../../src/contracts/reply.js';

/** Quoted text on a terminal: its own control characters (ANSI/OSC escapes, which could recolour or hyperlink) dropped. */
function plain(text: string): string {
  return mapUntrusted(text, (span) => span.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ''));
}

export interface RenderStyle {
  color: boolean;
  width: number;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', green: '\x1b[32m', reset: '\x1b[0m' };

function paint(style: RenderStyle, code: keyof typeof ANSI, text: string): string {
  return style.color ? `${ANSI[code]}${text}${ANSI.reset}` : text;
}

/** Markdown marks become terminal styles (colours on a TTY, nothing otherwise): no raw `**` or backticks. */
function markdownToTerminal(text: string, style: RenderStyle): string {
  return text
    .replace(/^```[a-z]*$/gm, '')
    .replace(/\*\*([^*\n]+)\*\*/g, (_m, t: string) => paint(style, 'bold', t))
    .replace(/`([^`\n]+)`/g, (_m, t: string) => paint(style, 'cyan', t))
    .replace(/^#{1,6} /gm, '')
    .replace(/\n{3,}/g, '\n\n');
}

function renderTable(columns: string[], rows: string[][], style: RenderStyle): string[] {
  const widths = columns.map((c, i) => Math.min(48, Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length))));
  const cell = (value: string, i: number) => {
    const w = widths[i] ?? 10;
    return value.length > w ? `${value.slice(0, w - 1)}…` : value.padEnd(w);
  };
  const header = columns.map(cell).join('  ');
  return [
    paint(style, 'bold', header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => columns.map((_c, i) => cell(r[i] ?? '', i)).join('  ')),
  ];
}

function renderBlock(block: ReplyBlock, style: RenderStyle): string[] {
  switch (block.kind) {
    case 'heading':
    case 'markdown':
    case 'notice':
      return renderTrusted({ ...block, text: plain(block.text) }, style);
    case 'fields':
      return renderTrusted({ ...block, fields: block.fields.map((f) => ({ label: plain(f.label), value: plain(f.value) })) }, style);
    case 'table':
      return renderTrusted(
        { ...block, columns: block.columns.map(plain), rows: block.rows.map((r) => r.map(plain)), ...(block.caption ? { caption: plain(block.caption) } : {}) },
        style,
      );
    case 'code':
      return renderTrusted({ ...block, text: withoutMarks(block.text) }, style);
    case 'evidence':
      return renderTrusted(
        { ...block, ...(block.title ? { title: plain(block.title) } : {}), lines: block.lines.map((l) => ({ ...l, text: withoutMarks(l.text) })) },
        style,
      );
    case 'citations':
      return renderTrusted(block, style);
  }
}

/** A block whose quoted spans are already plain text. */
function renderTrusted(block: ReplyBlock, style: RenderStyle): string[] {
  switch (block.kind) {
    case 'heading':
      return [paint(style, 'bold', block.text)];
    case 'markdown':
      return markdownToTerminal(block.text, style).split('\n');
    case 'notice': {
      const color = block.level === 'error' ? 'red' : block.level === 'warning' ? 'yellow' : 'cyan';
      const mark = block.level === 'error' ? '✖' : block.level === 'warning' ? '!' : 'ℹ';
      return [paint(style, color, `${mark} ${block.text}`)];
    }
    case 'fields': {
      const w = Math.max(...block.fields.map((f) => f.label.length));
      return block.fields.map((f) => `${paint(style, 'dim', `${f.label.padEnd(w)} :`)} ${f.value}`);
    }
    case 'table':
      return [...(block.caption ? [paint(style, 'bold', block.caption)] : []), ...renderTable(block.columns, block.rows, style)];
    case 'code':
      return block.text.split('\n').map((l) => `    ${l}`);
    case 'evidence': {
      const width = String(Math.max(0, ...block.lines.map((l) => l.n))).length;
      const title = block.title ?? `Evidence from ${block.source}`;
      return [paint(style, 'bold', title), ...block.lines.map((l) => `${paint(style, 'dim', `${String(l.n).padStart(width)} │`)} ${l.text}`)];
    }
    case 'citations':
      return [
        paint(style, 'bold', 'Sources'),
        ...block.items.map((c) => `[${c.n}] ${c.title}${c.section ? ` — ${c.section}` : ''}${c.url ? ` <${c.url}>` : ` (${c.source})`}`),
      ];
  }
}

/** Console commands that trigger a reply's buttons. */
export function actionCommand(action: ReplyAction): string {
  switch (action.id) {
    case 'expert':
      return '/expert';
    case 'feedback-up':
      return '/up';
    case 'feedback-down':
      return '/down';
    case 'analyse-job':
      return `/panda-job ${action.value}`;
    default:
      return `/act ${action.id}`;
  }
}

/** A reply as terminal text: ANSI colours on a TTY, plain text otherwise. */
export function renderReply(reply: Reply, style: RenderStyle, savedAttachments: string[] = []): string {
  const lines: string[] = [];
  for (const block of reply.blocks) {
    if (lines.length > 0) lines.push('');
    lines.push(...renderBlock(block, style));
  }
  for (const [i, attachment] of (reply.attachments ?? []).entries()) {
    const where = savedAttachments[i] ? ` saved to ${savedAttachments[i]}` : '';
    lines.push('', paint(style, 'dim', `📎 ${attachment.filename} (${attachment.alt})${where}`));
  }
  if (reply.actions?.length) {
    lines.push('', paint(style, 'dim', `Actions: ${reply.actions.map((a) => `${a.label} → ${actionCommand(a)}`).join('   ')}`));
  }
  return `${lines.join('\n')}\n`;
}
