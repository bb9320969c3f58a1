/**
 * PanDA job and JEDI task IDs: monitor links, keyword-anchored numbers ("job 123…", "jeditaskid=…")
 * and bare numbers by length (10 digits → pandaid, 8 digits → jeditaskid).
 */

export interface IdMention {
  kind: 'job' | 'task';
  id: number;
  /** Character offset in the text the IDs were read from. */
  index: number;
  /** Word that introduced the ID ("job", "task", "url", "bare"), lower case. */
  via: string;
  /** The two words before the mention, lower case (used for "in task N", "e.g. job N"). */
  before: string;
}

export interface IdScan {
  /** Text with monitor links replaced by "job N" / "task N" and other links removed. */
  text: string;
  mentions: IdMention[];
  /** [start, end) spans of every number consumed as an ID. */
  spans: Array<[number, number]>;
}

const LINK = /<?((?:https?:\/\/|\b(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/))[^\s<>|]+)(?:\|[^>]*)?>?/gi;

function idFromUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return ' ';
  }
  const path = parsed.pathname.toLowerCase();
  const params = parsed.searchParams;
  const pandaid = params.get('pandaid') ?? /\/jobs?\/(\d{5,12})\/?$/.exec(path)?.[1];
  if (pandaid && /^\d+$/.test(pandaid)) return ` job ${pandaid} `;
  const taskid = params.get('jeditaskid') ?? params.get('taskid') ?? /\/tasks?\/(\d{5,12})\/?$/.exec(path)?.[1];
  if (taskid && /^\d+$/.test(taskid)) return ` task ${taskid} `;
  return ' ';
}

/** Replaces links: monitor links become "job N"/"task N", others a space (host names are not queues). */
export function replaceLinks(text: string): string {
  return text.replace(LINK, (_m, url: string) => idFromUrl(url.replace(/[).,;:!?]+$/, '')));
}

const JOB_WORDS = String.raw`panda\s*id|pandaid|panda\s+job(?:\s+id)?|job\s*id|jobid|job\s+(?:number|no\.?|#)|job`;
const TASK_WORDS = String.raw`jedi\s*task\s*id|jeditaskid|jedi\s+task|task\s*id|taskid|task\s+(?:number|no\.?|#)|task`;
const ANCHORED = new RegExp(String.raw`\b(${JOB_WORDS}|${TASK_WORDS})\s*(?:[:=#]\s*)?(\d{6,12})\b`, 'gi');
const BARE = /(?<![\w.\-/])(\d{8}|\d{10})(?![\w.%]|-\d)/g;
/** "job 12345": a job ID that looks too short is still a job ID (the job agent says it looks wrong), never an error code. */
const SHORT_JOB = /\b(panda\s*id|pandaid|job\s*id|jobid|job)\s*(?:[:=#]\s*)?(\d{3,5})\b(?!\s*(?:%|errors?\b|codes?\b))/gi;

function lastWords(text: string, end: number, count: number): string {
  return text
    .slice(Math.max(0, end - 40), end)
    .toLowerCase()
    .split(/[^a-z.]+/)
    .filter(Boolean)
    .slice(-count)
    .join(' ');
}

function kindFor(digits: string, word: string): 'job' | 'task' {
  if (digits.length === 10) return 'job';
  if (digits.length === 8) return 'task';
  return /task/i.test(word) ? 'task' : 'job';
}

/** Finds every job/task ID. `text` should already have gone through `replaceLinks`. */
export function scanIds(text: string): IdScan {
  const mentions: IdMention[] = [];
  const spans: Array<[number, number]> = [];
  const taken = (start: number): boolean => spans.some(([s, e]) => start >= s && start < e);
  for (const match of text.matchAll(ANCHORED)) {
    const word = match[1] ?? '';
    const digits = match[2] ?? '';
    const start = (match.index ?? 0) + match[0].length - digits.length;
    mentions.push({
      kind: kindFor(digits, word),
      id: Number(digits),
      index: match.index ?? 0,
      via: /task/i.test(word) ? 'task' : 'job',
      before: lastWords(text, match.index ?? 0, 3),
    });
    spans.push([start, start + digits.length]);
  }
  for (const match of text.matchAll(SHORT_JOB)) {
    const digits = match[2] ?? '';
    const start = (match.index ?? 0) + match[0].length - digits.length;
    mentions.push({ kind: 'job', id: Number(digits), index: match.index ?? 0, via: 'job', before: lastWords(text, match.index ?? 0, 3) });
    spans.push([start, start + digits.length]);
  }
  for (const match of text.matchAll(BARE)) {
    const start = match.index ?? 0;
    if (taken(start)) continue;
    const digits = match[1] ?? '';
    mentions.push({ kind: kindFor(digits, ''), id: Number(digits), index: start, via: 'bare', before: lastWords(text, start, 3) });
    spans.push([start, start + digits.length]);
  }
  mentions.sort((a, b) => a.index - b.index);
  return { text, mentions, spans };
}
