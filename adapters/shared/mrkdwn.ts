import { mapUntrusted } from '../../src/contracts/reply.js';
import { ZW } from '../../src/wire/reply-text.js';

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

/**
 * An untrusted span as inert Slack mrkdwn: `&`, `<`, `>` escaped as Slack requires, so no
 * `<url|label>` link, `<!here>`/`<!channel>` broadcast or `<@U…>` mention can be formed; bare URLs
 * (`https://`, `www.`) and `@name` are broken by a zero-width joiner so Slack neither links nor
 * (with `link_names`) mentions them; `[label](url)` stays text because spans skip the Markdown
 * conversion; control characters are dropped and line breaks become spaces.
 */
export function inertMrkdwn(span: string): string {
  return escapeMrkdwn(span.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\r?\n/g, ' '))
    .replace(/:\/\//g, `:${ZW}//`)
    .replace(/\b(www)\./gi, `$1${ZW}.`)
    .replace(/@/g, `@${ZW}`);
}

/** Placeholder of an untrusted span while the trusted text around it is converted. */
const SLOT = '\uE002';
const SLOTS = /\uE002(\d+)\uE002/g;

/** Markdown with untrusted spans (see `untrusted()` in the Reply contract) as Slack mrkdwn: the spans inert, the rest converted. */
export function markdownToMrkdwn(markdown: string): string {
  const spans: string[] = [];
  const slotted = mapUntrusted(markdown.replace(/\uE002/g, ''), (span) => `${SLOT}${spans.push(span) - 1}${SLOT}`);
  const converted = convertMarkdown(slotted);
  return spans.length ? converted.replace(SLOTS, (_m, i: string) => inertMrkdwn(spans[Number(i)] ?? '')) : converted;
}

function convertMarkdown(markdown: string): string {
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
