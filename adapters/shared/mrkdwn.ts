/**
 * Converts the CommonMark subset agents write (bold, italic, strike, links, headings, bullets, code)
 * into Slack mrkdwn. Code spans and fenced blocks are left untouched apart from `&<>` escaping,
 * which Slack requires everywhere.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BOLD = '\u0001';

function convertInline(segment: string): string {
  let out = escapeMrkdwn(segment);
  out = out.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => `<${url}|${label.replace(/\|/g, '¦')}>`);
  out = out.replace(/\*\*([^*\n]+)\*\*/g, `${BOLD}$1${BOLD}`).replace(/__([^_\n]+)__/g, `${BOLD}$1${BOLD}`);
  out = out.replace(/(^|[^*\w])\*([^*\n]+)\*(?=[^*\w]|$)/g, '$1_$2_');
  out = out.replace(/~~([^~\n]+)~~/g, '~$1~');
  out = out.replace(new RegExp(BOLD, 'g'), '*');
  return out;
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
  if (heading?.[1]) return `*${convertSpans(heading[1]).replace(/\*/g, '')}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ''}• ${convertSpans(bullet[2] ?? '')}`;
  return convertSpans(line);
}

/** Converts a line outside code blocks, keeping `inline code` spans verbatim (escaped only). */
function convertSpans(line: string): string {
  const parts = line.split(/(`[^`\n]+`)/g);
  return parts.map((part, i) => (i % 2 === 1 ? escapeMrkdwn(part) : convertInline(part))).join('');
}

export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.trimStart().startsWith('```')) {
      // Slack ignores the language tag and would print it: keep only the fence.
      out.push('```');
      inFence = !inFence;
      continue;
    }
    out.push(inFence ? escapeMrkdwn(line) : convertLine(line));
  }
  return out.join('\n');
}
