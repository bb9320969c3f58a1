/** Text normalisation before routing: mentions stripped, monitor links turned into ids. */
import { replaceMonitorLinks } from '../contracts/ids.js';

const MAX_TEXT = 8000;

const MENTION_PATTERNS: RegExp[] = [
  /<@[!&]?[A-Za-z0-9_.-]+(\|[^>]*)?>/g, // Slack <@U123|name>, Discord <@123>, <@!123>, <@&role>
  /<#[A-Za-z0-9]+(\|[^>]*)?>/g, // Slack channel refs
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
  // BigPanDA (or any monitor) links → "job N" / "task N", keeping the rest of the sentence.
  out = replaceMonitorLinks(out);
  out = out
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return out.length > MAX_TEXT ? out.slice(0, MAX_TEXT) : out;
}
