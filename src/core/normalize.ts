/** Text normalisation before routing: mentions stripped, monitor links turned into ids. */

const MAX_TEXT = 8000;

const MENTION_PATTERNS: RegExp[] = [
  /<@[!&]?[A-Za-z0-9_.-]+(\|[^>]*)?>/g, // Slack <@U123|name>, Discord <@123>, <@!123>, <@&role>
  /<#[A-Za-z0-9]+(\|[^>]*)?>/g, // Slack channel refs
];

/** BigPanDA (or any monitor) URLs → "job N" / "task N", keeping the rest of the sentence. */
const LINK_RULES: Array<{ pattern: RegExp; replace: (id: string) => string }> = [
  { pattern: /https?:\/\/[^\s>|]+\/job\/?\?(?:[^\s>|]*&)?pandaid=(\d+)[^\s>|]*/gi, replace: (id) => `job ${id}` },
  { pattern: /https?:\/\/[^\s>|]+\/job\/(\d+)\/?[^\s>|]*/gi, replace: (id) => `job ${id}` },
  { pattern: /https?:\/\/[^\s>|]+\/jobs\/?\?(?:[^\s>|]*&)?jeditaskid=(\d+)[^\s>|]*/gi, replace: (id) => `task ${id}` },
  { pattern: /https?:\/\/[^\s>|]+\/tasks?\/?\?(?:[^\s>|]*&)?jeditaskid=(\d+)[^\s>|]*/gi, replace: (id) => `task ${id}` },
  { pattern: /https?:\/\/[^\s>|]+\/task\/(\d+)\/?[^\s>|]*/gi, replace: (id) => `task ${id}` },
];

export interface NormalizeOptions {
  /** Names the bot answers to, e.g. ["askpanda", "ask-panda"]; "@name" is stripped. */
  botNames?: string[];
}

export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  let out = text.replace(/\r\n?/g, '\n');
  // Slack wraps links as <url|label> or <url>; unwrap to the url.
  out = out.replace(/<(https?:\/\/[^>|]+)(\|[^>]*)?>/g, '$1');
  for (const pattern of MENTION_PATTERNS) out = out.replace(pattern, ' ');
  for (const name of options.botNames ?? []) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(^|\\s)@${escaped}\\b[:,]?`, 'gi'), ' ');
  }
  for (const rule of LINK_RULES) out = out.replace(rule.pattern, (_m, id: string) => rule.replace(id));
  out = out
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return out.length > MAX_TEXT ? out.slice(0, MAX_TEXT) : out;
}

/** `panda-job 123` args → a pandaid, accepting a monitor link too. */
export function parseIdArgument(args: string): number | null {
  const text = normalizeText(args);
  const match = /\b(\d{4,12})\b/.exec(text);
  return match ? Number(match[1]) : null;
}
