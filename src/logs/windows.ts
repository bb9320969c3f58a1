/**
 * Failure windows: one streaming pass per log, every candidate region scored, the best ones kept
 * with line numbers and collapsed repeats, within a character budget.
 *
 * Scoring: agreement with the job's error codes counts most; then how specific the message is
 * (signature weight) and its level; later beats earlier; a failed transfer that was retried and then
 * succeeded, and known benign noise, score low.
 */
import type { EvidenceLine } from '../contracts/reply.js';
import { redact, redactDeep } from './redact.js';
import { type Candidate, type Level, scanLog } from './scan.js';
import { isNoise, needlesFor, SIGNATURES, type Signature, TRANSFER_SUCCESS } from './signatures.js';
import { lineTemplate } from './template.js';

export interface WindowOptions {
  /** Error codes of the job (all components); they steer scoring and the needles. */
  codes?: readonly number[];
  /** Characters of rendered context this log may use. */
  budget?: number;
  /** Most distinct message groups tracked at once (memory bound). */
  maxGroups?: number;
  signal?: AbortSignal;
}

export interface FailureWindow {
  source: string;
  anchor: EvidenceLine;
  level: Level | null;
  lines: EvidenceLine[];
  /** The last occurrence of the same message (anchor and continuation), when it repeats. */
  last: EvidenceLine[];
  /** Lines of the same template after the first (collapsed). */
  repeats: number;
  lastRepeat?: number;
  score: number;
  signatures: string[];
  /** Codes of the job that the matched signatures explain. */
  agreesWith: number[];
  hint?: string;
  template: string;
  /**
   * A step of a transfer (stage-in or stage-out) that failed and then recovered: the same phase
   * finished, or the line announced a retry and a file of that phase went through afterwards. Not
   * evidence of the job's failure.
   */
  recovered?: boolean;
}

export interface LogExtraction {
  source: string;
  lines: number;
  bytes: number;
  pilotFormat: boolean;
  /** Selected windows, best first. */
  windows: FailureWindow[];
  /** The last lines of the log (every line when `whole`). */
  tail: EvidenceLine[];
  /** The log was small enough to be kept and shown whole (below WHOLE_LOG_BYTES). */
  whole: boolean;
  /** The payload's memory limit as the pilot's memory monitor last reported it (kB), when it did. */
  memoryLimitKb?: number;
  /**
   * The memory monitor's last check (`max memory (maxPSS) used by the payload is within the allowed
   * limit: … kB <= … kB`, or the exceeded one): for a payload killed from outside it is the line that
   * rules memory out. Always in the context.
   */
  memoryCheck?: EvidenceLine;
  /** Rendered, redacted context (what goes to the LLM), within the budget. */
  context: string;
}

const PLAIN_NEEDLES = [
  'ERROR',
  'FATAL',
  'CRITICAL',
  'Traceback',
  'Exception',
  'rror:',
  'Failed',
  'failed',
  'exited with',
  'Segmentation',
  'Killed',
  'bad_alloc',
  'ABORT',
  // bash job control and the kernel: a payload killed or crashed says so only in these lines
  'Terminated',
  'Aborted',
  'Out of memory',
  'oom',
  'exit code',
  'exit status',
];
const TAIL_LINES = 120;
/** Logs up to this size are read and shown whole: every line of a short payload output matters. */
export const WHOLE_LOG_BYTES = 4 * 1024;
/** Last lines of a payload log (not pilot format) that always go into the context: what it printed before it exited. */
const PAYLOAD_TAIL_LINES = 8;
const PILOT_TAIL_LINES = 2;
const SUMMARY = /\| (?:error \d+\/\d+: \d+: |pilot error (?:code|diag): )/;
const SUCCESS_NEEDLES = [
  'stage-in finished',
  'stage-out finished correctly',
  'successfully',
  'ready to transfer (stage-',
  'stage-in failed',
  'stage-out failed',
];
/** pilot/user/atlas/memory.py: "... within the allowed limit: 1855563 kB <= 4096000 kB" / "exceeded the memory limit 34119680 kB > 32768000 kB". */
const MEMORY_LIMIT = /(?:within the allowed limit: \d+ kB <=|exceeded the memory limit \d+ kB >) (\d+) kB/;
const MEMORY_NEEDLES = ['allowed limit'];
/** Pilot line fields: module and function, to tell which transfer phase wrote a line. */
const PILOT_MODULE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \|[^|]*\| *(\S+) *\| *(\S+) *\|/;
/** A line that announces another try of the same step. */
export const WILL_RETRY = /\bwill (?:re-?try|try again)\b|\bretrying\b|\btry(?:ing)? again\b|\b(?:try|attempt) \d+ ?(?:\/|of) ?\d+\b|\bnext replica\b/i;
/** pilot/util/tracereport.py announces where it sends the trace; the next line is the request itself. */
const TRACE_SEND = /tracing server:|sending trace|trace report/i;
const TRACE_REQUEST_FAILED = /failed to send request|request2? failed/i;
/** "try 2/2", "attempt 3 of 3": the last try, after which nothing more is tried. */
const FINAL_TRY = /\b(?:try|attempt) (\d+) ?(?:\/|of) ?(\d+)\b/i;
const RETRY_PROMISE = /\bwill (?:re-?try|try again)\b|\bretrying\b|\btry(?:ing)? again\b|\bnext replica\b/i;

/** The line announces another try of its step ("will retry", "try 1/3"); a failed last try ("Try 3/3") does not. */
export function announcesRetry(text: string): boolean {
  if (!WILL_RETRY.test(text)) return false;
  const m = FINAL_TRY.exec(text);
  return !(m && m[1] === m[2] && !RETRY_PROMISE.test(text));
}
/** pilot "stage-in finished" / "stage-out finished correctly": the whole phase went through. */
const PHASE_DONE = /stage-in finished|stage-out finished correctly/;

/** pilot/api/data.py opens each transfer with "ready to transfer (stage-in) files: [...]". */
const PHASE_START = /ready to transfer \(stage-(in|out)\)/;
const PHASE_END = /stage-(?:in|out) (?:finished|failed)/;
/** Lines of the pilot's transfer code (api/data.py, control/data.py, the copytools). */
const TRANSFER_MODULE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \|[^|]*\| *pilot\.(?:copytool\.\w+|api\.data|control\.data) /;

/** The transfer phase a line belongs to, from the pilot function that wrote it or its words. */
export function transferPhaseOf(text: string): 'stagein' | 'stageout' | null {
  const m = PILOT_MODULE.exec(text);
  if (m) {
    const [, module = '', func = ''] = m;
    if (/copytool|api\.data|control\.data/.test(module)) {
      if (/stage_?in|copy_?in|download/i.test(func)) return 'stagein';
      if (/stage_?out|copy_?out|upload/i.test(func)) return 'stageout';
    }
  }
  const message = m ? text.slice(m[0].length) : text;
  if (/stage-?in\b|\bdownload/i.test(message)) return 'stagein';
  if (/stage-?out\b|\bupload/i.test(message)) return 'stageout';
  return null;
}

const LEVEL_SCORE: Record<string, number> = { CRITICAL: 20, ERROR: 14, WARNING: 8, INFO: 0, DEBUG: 0 };
const PLAIN_LEVEL = /\b(?:FATAL|CRITICAL)\b|\bERROR\b|Traceback|[A-Za-z]+(?:Error|Exception)\b|exited with [1-9]/;

interface Group {
  first: Candidate;
  last: Candidate | null;
  count: number;
  lastN: number;
  sigs: Signature[];
  agrees: number[];
  template: string;
  noise: boolean;
  base: number;
  /** Transfer phase of the first occurrence, when it belongs to one. */
  phase: 'stagein' | 'stageout' | null;
  /** Transfer phase of the last occurrence (the same message may come back in a later transfer). */
  lastPhase: 'stagein' | 'stageout' | null;
}

function matchSignatures(c: Candidate): Signature[] {
  const text = c.cont.length ? `${c.text}\n${c.cont.map((l) => l.text).join('\n')}` : c.text;
  return SIGNATURES.filter((s) => s.pattern.test(text));
}

/** The error code a pilot summary line reports (`error 1/1: 1305: …`, `pilot error code: 1305`), if any. */
export function summaryCodes(text: string): number[] {
  const m = /error \d+\/\d+: (\d+):|pilot error code: (\d+)/.exec(text);
  const code = m ? Number(m[1] ?? m[2]) : Number.NaN;
  return Number.isFinite(code) ? [code] : [];
}

/** Extracts the failure windows of one log. `source` is the log's file name. */
export async function extractWindows(source: string, stream: AsyncIterable<Uint8Array>, options: WindowOptions = {}): Promise<LogExtraction> {
  const codes = options.codes ?? [];
  const codeSet = new Set(codes);
  const maxGroups = options.maxGroups ?? 400;
  const groups = new Map<string, Group>();
  let lastStageInOk = 0;
  let lastStageOutOk = 0;
  let lastStageInDone = 0;
  let lastStageOutDone = 0;
  /** The transfer phase in progress (between "ready to transfer (stage-in)" and its end). */
  let openPhase: 'stagein' | 'stageout' | null = null;

  let memoryLimitKb: number | undefined;
  let memoryCheck: EvidenceLine | undefined;
  const onCandidate = (c: Candidate): void => {
    // The HTTP request of a trace report (right after "tracing server: …") failing is the trace's failure, not the job's.
    if (TRACE_REQUEST_FAILED.test(c.text) && TRACE_SEND.test(c.before[c.before.length - 1]?.text ?? '')) return;
    const limit = MEMORY_LIMIT.exec(c.text);
    if (limit) {
      memoryLimitKb = Number(limit[1]);
      memoryCheck = { n: c.n, text: c.text };
    }
    if (TRANSFER_SUCCESS.test(c.text)) {
      const done = PHASE_DONE.test(c.text);
      if (/stage-in|download/i.test(c.text)) {
        lastStageInOk = c.n;
        if (done) lastStageInDone = c.n;
      } else {
        lastStageOutOk = c.n;
        if (done) lastStageOutDone = c.n;
      }
    }
    const phase = transferPhaseOf(c.text) ?? (TRANSFER_MODULE.test(c.text) ? openPhase : null);
    const start = PHASE_START.exec(c.text);
    if (start) openPhase = start[1] === 'in' ? 'stagein' : 'stageout';
    else if (PHASE_END.test(c.text)) openPhase = null;
    const sigs = matchSignatures(c);
    const plainHit = c.level === null && PLAIN_LEVEL.test(c.text);
    const leveled = c.level === 'WARNING' || c.level === 'ERROR' || c.level === 'CRITICAL';
    if (!sigs.length && !leveled && !plainHit) return;
    const template = lineTemplate(c.text);
    const existing = groups.get(template);
    if (existing) {
      existing.count += 1;
      existing.lastN = c.n;
      existing.last = c;
      existing.lastPhase = phase;
      return;
    }
    const agrees = new Set<number>();
    for (const s of sigs) {
      const explained = s.id === 'summary-error' ? summaryCodes(c.text) : s.codes;
      for (const code of explained) if (codeSet.has(code)) agrees.add(code);
    }
    const noise = isNoise(c.text);
    const levelScore = c.level ? (LEVEL_SCORE[c.level] ?? 0) : plainHit ? (/FATAL|CRITICAL/.test(c.text) ? 20 : 14) : 0;
    const base = levelScore + Math.max(0, ...sigs.map((s) => s.weight)) + (agrees.size ? 60 : 0) - (noise ? 45 : 0);
    groups.set(template, { first: c, last: null, count: 1, lastN: c.n, sigs, agrees: [...agrees], template, noise, base, phase, lastPhase: phase });
    if (groups.size > maxGroups) {
      // Memory bound: forget the weakest group (never one that agrees with the job's codes).
      let weakest: string | null = null;
      let min = Number.POSITIVE_INFINITY;
      for (const [k, g] of groups) {
        if (g.base < min) {
          min = g.base;
          weakest = k;
        }
      }
      if (weakest !== null) groups.delete(weakest);
    }
  };

  const summary = await scanLog(stream, {
    needles: [...needlesFor(codes), ...SUCCESS_NEEDLES, ...MEMORY_NEEDLES],
    plainNeedles: PLAIN_NEEDLES,
    tailLines: TAIL_LINES,
    onCandidate,
    signal: options.signal,
  });
  // The pilot's final job summary report sits near the end of the log: read from the tail.
  for (const [i, l] of summary.tail.entries()) {
    if (!SUMMARY.test(l.text) || [...groups.values()].some((g) => g.first.n === l.n)) continue;
    onCandidate({ n: l.n, text: l.text, level: 'INFO', before: summary.tail.slice(Math.max(0, i - 2), i), cont: [], contSkipped: 0 });
  }
  const whole = summary.bytes <= WHOLE_LOG_BYTES && summary.lines <= TAIL_LINES;
  const fullTail = summary.tail;
  summary.tail = whole ? fullTail : fullTail.slice(-20);

  const total = Math.max(1, summary.lines);
  const windows: FailureWindow[] = [];
  for (const g of groups.values()) {
    let score = g.base + 10 * (g.lastN / total);
    const transfer = g.sigs.some(
      (s) => s.phase === 'stagein' || s.phase === 'stageout' || s.id === 'transfer-failed' || s.id === 'rucio-error' || s.id === 'transfer-error',
    );
    const retriedOk =
      transfer &&
      ((g.sigs.some((s) => s.phase !== 'stageout') && lastStageInOk > g.lastN) || (g.sigs.some((s) => s.phase === 'stageout') && lastStageOutOk > g.lastN));
    // Any line of a transfer phase that finished after it, or that announced a retry that then went through.
    // A message that comes back in a later transfer counts as recovered only if both its first and last occurrence did.
    const wentThrough = (phase: 'stagein' | 'stageout' | null, n: number, text: string): boolean => {
      const retryWords = announcesRetry(text);
      if (phase === 'stagein') return lastStageInDone > n || (retryWords && lastStageInOk > n);
      if (phase === 'stageout') return lastStageOutDone > n || (retryWords && lastStageOutOk > n);
      return false;
    };
    const recovered = retriedOk || (wentThrough(g.phase, g.first.n, g.first.text) && (!g.last || wentThrough(g.lastPhase, g.lastN, g.last.text)));
    if (recovered) score -= 40;
    const c = g.first;
    const lines: EvidenceLine[] = [...c.before, { n: c.n, text: c.text }, ...c.cont];
    const last = g.last ? [{ n: g.last.n, text: g.last.text }, ...g.last.cont] : [];
    windows.push({
      source,
      anchor: { n: c.n, text: c.text },
      level: c.level,
      lines,
      last,
      repeats: g.count - 1,
      lastRepeat: g.count > 1 ? g.lastN : undefined,
      score,
      signatures: g.sigs.map((s) => s.id),
      agreesWith: g.agrees,
      hint: [...g.sigs].sort((a, b) => b.weight - a.weight).find((s) => s.hint)?.hint,
      template: g.template,
      ...(recovered ? { recovered: true } : {}),
    });
  }
  windows.sort((a, b) => b.score - a.score || b.anchor.n - a.anchor.n);
  const budget = options.budget ?? 9000;
  // A short log is shown whole; of a payload log, the last lines before the exit always count.
  // Of a pilot log, its last lines: where a pilot that lost its heartbeat stopped writing.
  let always = whole ? fullTail : fullTail.slice(summary.pilotFormat ? -PILOT_TAIL_LINES : -PAYLOAD_TAIL_LINES);
  // The memory monitor's last word: whether memory was at its limit when the payload ended.
  // (Last in the list: the lines that always go in are taken from the end, so it is kept first.)
  if (memoryCheck && !always.some((l) => l.n === memoryCheck?.n)) always = [...always, memoryCheck];
  const { selected, context } = renderWindows(source, windows, budget, always);
  return {
    source,
    lines: summary.lines,
    bytes: summary.bytes,
    pilotFormat: summary.pilotFormat,
    windows: selected,
    tail: summary.tail,
    whole,
    ...(memoryLimitKb ? { memoryLimitKb } : {}),
    ...(memoryCheck ? { memoryCheck } : {}),
    context,
  };
}

const MAX_RENDERED_LINE = 1200;
const GAP = '         …';

/** The redacted text of every line of the windows, consecutive lines redacted together (a PEM block over several lines goes whole). */
function redactedTexts(windows: readonly FailureWindow[], always: readonly EvidenceLine[]): Map<number, string> {
  const byNumber = new Map<number, EvidenceLine>();
  for (const l of always) byNumber.set(l.n, l);
  for (const w of windows) for (const l of [...w.lines, ...w.last, w.anchor]) byNumber.set(l.n, l);
  const lines = [...byNumber.values()].sort((a, b) => a.n - b.n);
  return new Map(redactDeep(lines).map((l) => [l.n, l.text]));
}

function renderLine(line: EvidenceLine, safe: Map<number, string>): string {
  const text = safe.get(line.n) ?? redact(line.text);
  return `${String(line.n).padStart(6)} | ${text.length > MAX_RENDERED_LINE ? `${text.slice(0, MAX_RENDERED_LINE)} …[cut]` : text}`;
}

/**
 * Picks windows in score order while the rendered text fits the budget. The best windows get their
 * lines before the anchor; the others only the anchor and its continuation. Lines are merged by
 * number, gaps marked, repeats collapsed ("… 240 similar lines …").
 */
export function renderWindows(
  source: string,
  windows: FailureWindow[],
  budget: number,
  always: EvidenceLine[] = [],
): { selected: FailureWindow[]; context: string } {
  const safe = redactedTexts(windows, always);
  const chosen = new Map<number, string>();
  const notes = new Map<number, string>();
  const selected: FailureWindow[] = [];
  let used = source.length + 20;
  // Lines that always go in (a short log whole, the end of a payload log), while they fit in half the budget.
  const alwaysBudget = always.length > PAYLOAD_TAIL_LINES ? budget * 0.85 : budget / 4;
  // From the end backwards: when a short log does not fit whole, what it printed last (the error, the exit) is kept.
  for (const l of [...always].reverse()) {
    const r = renderLine(l, safe);
    if (used + r.length + 1 + GAP.length > alwaysBudget) break;
    chosen.set(l.n, r);
    used += r.length + 1;
  }
  if (always.length) used += 2 * GAP.length;
  for (const [rank, w] of windows.entries()) {
    if (w.score <= 0 && selected.length >= 3) break;
    const want = [...(rank < 3 ? w.lines : w.lines.filter((l) => l.n >= w.anchor.n)), ...w.last];
    const fresh = want.filter((l) => !chosen.has(l.n));
    const rendered = fresh.map((l) => renderLine(l, safe));
    const note = w.repeats > 1 ? `         … ${w.repeats - 1} similar line${w.repeats > 2 ? 's' : ''} …` : '';
    // Each window may open up to two gap markers ("…" lines): counted up front so the budget holds.
    const cost = rendered.reduce((a, r) => a + r.length + 1, 0) + (note ? note.length + 1 : 0) + 2 * GAP.length + 2;
    if (used + cost > budget) {
      // Too big with its context: try the anchor alone before giving up on this window.
      if (chosen.has(w.anchor.n)) continue;
      const anchorOnly = renderLine(w.anchor, safe);
      if (used + anchorOnly.length + 2 * GAP.length + 3 > budget) continue;
      chosen.set(w.anchor.n, anchorOnly);
      used += anchorOnly.length + 2 * GAP.length + 3;
      selected.push(w);
      continue;
    }
    for (const [i, l] of fresh.entries()) chosen.set(l.n, rendered[i] ?? '');
    if (note) notes.set(w.anchor.n, note);
    used += cost;
    selected.push(w);
  }
  const numbers = [...chosen.keys()].sort((a, b) => a - b);
  const out: string[] = [`=== ${source} ===`];
  let prev = 0;
  for (const n of numbers) {
    if (prev && n > prev + 1) out.push(GAP);
    out.push(chosen.get(n) ?? '');
    const note = notes.get(n);
    if (note) out.push(note);
    prev = n;
  }
  return { selected, context: out.join('\n') };
}
