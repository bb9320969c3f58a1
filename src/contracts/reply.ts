import type { FollowUpAct, Intent } from './routing.js';

/** A line of evidence taken from a log, with its 1-based line number in that log. */
export interface EvidenceLine {
  n: number;
  text: string;
}

export interface Citation {
  n: number;
  title: string;
  source: string;
  section?: string;
  url?: string;
}

/**
 * Untrusted spans. Text that comes from logs, job and task records, the monitor or users and is
 * quoted inside a block's prose (`markdown`, `heading`, `notice`, `fields`, table cells and captions)
 * is wrapped with `untrusted()`. Every renderer shows such a span as literal text: no mentions, no
 * broadcasts (`@channel`, `<!here>`), no links (`<url|label>`, `[label](url)`, bare URLs), no
 * formatting — each in the way its platform documents (Slack: `&<>` escaped; Markdown platforms:
 * backslash escapes; zero-width joins where no escape exists). Plain-text views drop the marks.
 *
 * The marks are two private-use characters; `untrusted()` drops any the text already holds, so
 * quoted text can never close its own span. An open mark without its close runs to the end of the text.
 */
export const UNTRUSTED_OPEN = '\uE000';
export const UNTRUSTED_CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;

/** Wraps text from logs, records or users for quoting inside prose. */
export function untrusted(text: string): string {
  return `${UNTRUSTED_OPEN}${text.replace(MARKS, '')}${UNTRUSTED_CLOSE}`;
}

/** Renders a block text: `quoted` for each untrusted span, `trusted` for the rest. */
export function mapUntrusted(text: string, quoted: (span: string) => string, trusted: (text: string) => string = (t) => t): string {
  if (!text.includes(UNTRUSTED_OPEN) && !text.includes(UNTRUSTED_CLOSE)) return trusted(text);
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(UNTRUSTED_OPEN, at);
    const plainEnd = open < 0 ? text.length : open;
    out += trusted(text.slice(at, plainEnd).replace(MARKS, ''));
    if (open < 0) break;
    const close = text.indexOf(UNTRUSTED_CLOSE, open + 1);
    const spanEnd = close < 0 ? text.length : close;
    out += quoted(text.slice(open + 1, spanEnd));
    at = spanEnd + 1;
  }
  return out;
}

/** The text without its marks (plain-text views, memory, summaries). */
export function withoutMarks(text: string): string {
  return text.replace(MARKS, '');
}

/** A copy of a JSON-like value with the marks dropped from every string in it (`--json`, MCP structured content). */
export function withoutMarksDeep<T>(value: T): T {
  if (typeof value === 'string') return withoutMarks(value) as T;
  if (Array.isArray(value)) return value.map((v) => withoutMarksDeep(v)) as T;
  if (value instanceof Uint8Array || value instanceof Date) return value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutMarksDeep(v)])) as T;
  }
  return value;
}

/** Platform-neutral content blocks. Adapters render each kind natively. */
export type ReplyBlock =
  | { kind: 'markdown'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'fields'; fields: Array<{ label: string; value: string }> }
  | { kind: 'table'; columns: string[]; rows: string[][]; caption?: string }
  | { kind: 'code'; text: string; language?: string }
  | { kind: 'evidence'; source: string; lines: EvidenceLine[]; title?: string }
  | { kind: 'citations'; items: Citation[] }
  | { kind: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

/** A button. `id` selects the handler, `value` carries its argument (e.g. a pandaid). */
export interface ReplyAction {
  id: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger' | 'default';
}

export interface ReplyAttachment {
  kind: 'image';
  filename: string;
  mimeType: 'image/png';
  data: Uint8Array;
  alt: string;
}

/**
 * What an answer stated, kept in the thread context so follow-ups can refer to it ("would a retry
 * help?", "which site had the most failures?", "give me a job that failed with it").
 */
export interface AnswerFacts {
  pandaid?: number;
  jeditaskid?: number;
  queue?: string;
  site?: string;
  /** Error key of the cause or of the code explained: `pilot:1099`. */
  code?: string;
  category?: string;
  verdict?: 'yes' | 'no' | 'maybe';
  /** The decisive log lines, as quoted. */
  evidence?: string[];
  topSite?: string;
  topError?: string;
  exampleJobs?: number[];
  /** The follow-up act this answer answered. */
  act?: FollowUpAct;
}

/** What an agent answers. The core adds the correlation id; adapters render it. */
export interface Reply {
  blocks: ReplyBlock[];
  actions?: ReplyAction[];
  attachments?: ReplyAttachment[];
  /** Which intent produced it (for metrics, memory and tests). */
  intent?: Intent;
  /** Set on error replies: the id under which the full error was logged. */
  correlationId?: string;
  /** Short plain-text rendering used for memory, MCP text content and notifications. */
  summary?: string;
  /** What the answer stated, for follow-ups (stored with the conversation memory). */
  facts?: AnswerFacts;
  /** Structured data behind the reply (e.g. the job diagnosis), for --json and MCP structured output. */
  data?: Record<string, unknown>;
}
