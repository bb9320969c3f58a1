/**
 * PanDA job IDs (pandaid) and JEDI task IDs: their real ranges and the one place that reads them from
 * text (chat messages, slash-command and CLI arguments, button values, monitor links).
 *
 * Ranges, from the monitor's records (2026): pandaids run from 5.5 to 6.7 billion, so current ones have
 * 10 digits; the archive reaches back to 9-digit ones and the sequence will not reach 12 digits for
 * decades (9–11 digits). JEDI task IDs run from 41 to 46 million (8 digits); JEDI started near four
 * million, so every task the monitor knows has 7 or 8 digits. The ranges do not overlap, so a number's
 * length says which kind it can be. A bare number (no "job"/"task" word before it) counts only at the
 * current length (10 → job, 8 → task): other numbers in chat are sizes, counts and error codes.
 */

export type IdKind = 'job' | 'task';

export interface IdRange {
  /** Smallest and largest plausible ID. */
  min: number;
  max: number;
  /** The length of the IDs issued today: a bare number of this length is taken for an ID. */
  currentDigits: number;
}

export const ID_RANGES: Readonly<Record<IdKind, IdRange>> = {
  job: { min: 100_000_000, max: 99_999_999_999, currentDigits: 10 },
  task: { min: 1_000_000, max: 99_999_999, currentDigits: 8 },
};

/** True when `id` lies in the real range of that kind of ID. */
export function isPlausibleId(kind: IdKind, id: number): boolean {
  const r = ID_RANGES[kind];
  return Number.isSafeInteger(id) && id >= r.min && id <= r.max;
}

/** The kind a number of this many digits can be, or null (too short, too long). */
export function kindOfDigits(digits: string): IdKind | null {
  if (!/^\d+$/.test(digits) || digits.startsWith('0')) return null;
  const id = Number(digits);
  if (isPlausibleId('job', id)) return 'job';
  if (isPlausibleId('task', id)) return 'task';
  return null;
}

/** Up to twelve digits: the longest number read as an ID (anything longer is not one). */
const NUMBER = String.raw`\d{1,12}`;

export interface MonitorLinkId {
  kind: IdKind;
  id: number;
}

/**
 * The job or task a monitor link points at (`/job?pandaid=N`, `/job/N/`, `/jobs/?jeditaskid=N`,
 * `/task/N/`, `/tasks/?jeditaskid=N`), on any host; null for other links.
 */
export function monitorLinkId(url: string): MonitorLinkId | null {
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return null;
  }
  const path = parsed.pathname.toLowerCase();
  const params = parsed.searchParams;
  const asId = (value: string | null | undefined): number | null => (value && new RegExp(`^${NUMBER}$`).test(value) ? Number(value) : null);
  const job = asId(params.get('pandaid') ?? new RegExp(String.raw`\/jobs?\/(${NUMBER})\/?$`).exec(path)?.[1]);
  if (job !== null) return { kind: 'job', id: job };
  const task = asId(params.get('jeditaskid') ?? params.get('taskid') ?? new RegExp(String.raw`\/tasks?\/(${NUMBER})\/?$`).exec(path)?.[1]);
  if (task !== null) return { kind: 'task', id: task };
  return null;
}

const LINK = /<?((?:https?:\/\/|\b(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/))[^\s<>|]+)(?:\|[^>]*)?>?/gi;
const HTTP_LINK = /https?:\/\/[^\s>|]+/gi;
const trimUrl = (url: string): string => url.replace(/[).,;:!?]+$/, '');

/** Replaces links: monitor links become "job N"/"task N", others a space (host names are not queues). */
export function replaceLinks(text: string): string {
  return text.replace(LINK, (_m, url: string) => {
    const found = monitorLinkId(trimUrl(url));
    return found ? ` ${found.kind} ${found.id} ` : ' ';
  });
}

/** Replaces monitor links by "job N"/"task N" and keeps every other link as it is. */
export function replaceMonitorLinks(text: string): string {
  return text.replace(HTTP_LINK, (url) => {
    const trimmed = trimUrl(url);
    const found = monitorLinkId(trimmed);
    return found ? `${found.kind} ${found.id}${url.slice(trimmed.length)}` : url;
  });
}

/**
 * The ID in a command argument (`/panda-job 6601000006`, `askpanda job <id>`, a button's value, an MCP
 * argument): the first number of up to twelve digits, or a monitor link's ID. Its range is not checked
 * here: the agent says when a number looks too short, so the user sees why.
 */
export function idArgument(args: string): number | null {
  const linked = replaceMonitorLinks(args);
  const match = new RegExp(String.raw`(?<![\w.])(${NUMBER})(?!\w|\.\d)`).exec(linked);
  return match?.[1] ? Number(match[1]) : null;
}

export interface IdMention {
  kind: IdKind;
  id: number;
  /** Character offset in the text the IDs were read from. */
  index: number;
  /** Word that introduced the ID ("job", "task", "bare"), lower case. */
  via: string;
  /** The two words before the mention, lower case (used for "in task N", "e.g. job N"). */
  before: string;
}

export interface IdScan {
  /** The text the IDs were read from. */
  text: string;
  mentions: IdMention[];
  /** [start, end) spans of every number consumed as an ID. */
  spans: Array<[number, number]>;
}

const JOB_WORDS = String.raw`panda\s*id|pandaid|panda\s+job(?:\s+id)?|job\s*id|jobid|job\s+(?:number|no\.?|#)|job`;
const TASK_WORDS = String.raw`jedi\s*task\s*id|jeditaskid|jedi\s+task|task\s*id|taskid|task\s+(?:number|no\.?|#)|task`;
/** A job or task word, then a number of six digits or more. */
const ANCHORED = new RegExp(String.raw`\b(${JOB_WORDS}|${TASK_WORDS})\s*(?:[:=#]\s*)?(\d{6,12})\b`, 'gi');
/** A number of the current length of either kind, standing alone (not part of a name, version, path or range). */
const BARE = new RegExp(String.raw`(?<![\w.\-/])(\d{${ID_RANGES.task.currentDigits}}|\d{${ID_RANGES.job.currentDigits}})(?![\w.%]|-\d)`, 'g');
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

/** The kind of an anchored number: a current length decides (people say "job" for a task), else the word before it. */
function anchoredKind(digits: string, word: string): IdKind {
  if (digits.length === ID_RANGES.job.currentDigits) return 'job';
  if (digits.length === ID_RANGES.task.currentDigits) return 'task';
  return /task/i.test(word) ? 'task' : 'job';
}

/**
 * Finds every job/task ID: keyword-anchored numbers ("job 123…", "jeditaskid=…"), short numbers after a
 * job word ("job 12345", too short but still a job question), and bare numbers of the current lengths.
 * `text` should already have gone through `replaceLinks` (or `replaceMonitorLinks`).
 */
export function scanIds(text: string): IdScan {
  const mentions: IdMention[] = [];
  const spans: Array<[number, number]> = [];
  const taken = (start: number): boolean => spans.some(([s, e]) => start >= s && start < e);
  for (const match of text.matchAll(ANCHORED)) {
    const word = match[1] ?? '';
    const digits = match[2] ?? '';
    const start = (match.index ?? 0) + match[0].length - digits.length;
    mentions.push({
      kind: anchoredKind(digits, word),
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
    const kind = kindOfDigits(digits);
    if (!kind) continue;
    mentions.push({ kind, id: Number(digits), index: start, via: 'bare', before: lastWords(text, start, 3) });
    spans.push([start, start + digits.length]);
  }
  mentions.sort((a, b) => a.index - b.index);
  return { text, mentions, spans };
}

/** Every distinct ID of one kind in `text` (monitor links included), in order of appearance. */
export function idsOfKind(text: string, kind: IdKind): number[] {
  const ids = scanIds(replaceMonitorLinks(text))
    .mentions.filter((m) => m.kind === kind)
    .map((m) => m.id);
  return [...new Set(ids)];
}
