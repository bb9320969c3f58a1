import type { Intent } from './routing.js';

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
  /** Structured data behind the reply (e.g. the job diagnosis), for --json and MCP structured output. */
  data?: Record<string, unknown>;
}
