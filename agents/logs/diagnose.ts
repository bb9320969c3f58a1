/**
 * Deterministic diagnosis: the codes of every component in the job record plus the log evidence →
 * primary root cause (component + code), category, retry advice with its reason, confidence and
 * the evidence lines. No LLM involved; the LLM only explains what this finds.
 */
import type { JobRecord } from '../../src/contracts/panda.js';
import type { EvidenceLine } from '../../src/contracts/reply.js';
import {
  type Category,
  type Component,
  type JobErrorCode,
  type RetryAdvice,
  type RetryHelps,
  type RetryHistory,
  type RetryVerdict,
  retryVerdict,
  withoutContradictions,
} from '../../src/knowledge/index.js';
import type { FailureWindow, LogExtraction } from '../../src/logs/index.js';
import { announcesRetry, isNoise, lineTemplate, pilotMessage, SIGNATURES } from '../../src/logs/index.js';
import { byAuthor, CATEGORY_TEXT, CAUSE_IDS, type FoundCause, findCause, findTransferCause, type LineRef } from './cause.js';
import { classifyTransfer, GENERIC_CODES, PAYLOAD_CODES, retryForCategory, TRANSFER_CODES, transferPhase } from './classify.js';

export interface EvidenceGroup {
  source: string;
  lines: EvidenceLine[];
}

/** One of the lines that prove the cause: its log, line number (0 = the job record) and full text. */
export interface DecisiveLine {
  source: string;
  n: number;
  text: string;
}

export interface Diagnosis {
  pandaid: number;
  attempt: number | null;
  /** Job state when analysed (failed, holding, cancelled, closed). */
  status: string;
  rootCause: { component: Component; code: number; name: string | null; message: string | null; diag: string };
  /**
   * The cause found in the evidence (`from: 'evidence'`), or the error code's own meaning when the
   * logs say nothing more (`from: 'code'`). Category, explanation, todo and retry derive from it.
   */
  cause: { id: string; title: string; from: 'evidence' | 'code' };
  category: Category;
  /** Final retry advice (= verdict.advice), kept flat for older consumers. */
  retry: RetryAdvice;
  retryHelps: RetryHelps;
  retryReason: string;
  /** Retry verdict with what PanDA does and what the history says. */
  verdict: RetryVerdict;
  confidence: number;
  /** Plain-language explanation of the cause. */
  explanation: string;
  /** What to do, consistent with the verdict. */
  todo: string[];
  /** The lines that prove the cause (what the user view quotes): 1–3, up to 5 when they are short. */
  decisive: DecisiveLine[];
  /** The lines that show the cause, per log, with line numbers (the expert view's windows). */
  evidence: EvidenceGroup[];
  /** Every code of the record, pilot first: `pilot:1305`, `trf:65`. */
  codes: Array<{ key: string; diag: string; name: string | null }>;
  /** Code + normalised evidence template: the key under which explanations are reused. */
  signature: string;
}

/** Components in the order that decides the root cause when the pilot reported nothing. */
const ROOT_ORDER: Component[] = ['pilot', 'jobdispatcher', 'taskbuffer', 'supervisor', 'ddm', 'brokerage', 'exe', 'trf', 'wnscript'];

export function isUserJob(job: JobRecord): boolean {
  const label = String(job.prodsourcelabel ?? '');
  const trf = String(job.transformation ?? '');
  return label === 'user' || label === 'panda' || /^https?:\/\//.test(trf) || /run(?:Gen|Athena)/.test(trf);
}

function pickRoot(codes: JobErrorCode[]): JobErrorCode | null {
  for (const component of ROOT_ORDER) {
    const found = codes.find((c) => c.component === component);
    if (found) return found;
  }
  return codes[0] ?? null;
}

function windowText(w: FailureWindow): string {
  return [w.anchor.text, ...w.lines.filter((l) => l.n > w.anchor.n).map((l) => l.text)].join('\n');
}

/** The windows that explain the root cause: those agreeing with it, else the best ones (never a transfer step that recovered). */
function keyWindows(extractions: LogExtraction[], root: JobErrorCode | null, payloadFirst: boolean): FailureWindow[] {
  const all = extractions.flatMap((e) => e.windows.filter((w) => !w.recovered).map((w) => ({ w, payload: e.source !== 'pilotlog.txt' })));
  const agreeing = all.filter(({ w }) => root && w.agreesWith.includes(root.code) && !w.signatures.includes('summary-error'));
  const pool = agreeing.length ? agreeing : all.filter(({ w }) => w.score > 20);
  pool.sort((a, b) => (payloadFirst ? Number(b.payload) - Number(a.payload) : 0) || b.w.score - a.w.score);
  return pool.slice(0, 4).map(({ w }) => w);
}

/** Pilot codes for kill signals whose sender the logs may name (an OOM kill is memory, not an outside kill). */
const SIGNAL_CODES = new Set([1200, 1201, 1202, 1205, 1206, 1207, 1208]);
/** Payload exit codes that mean "ended by a signal" (128 + signal number). */
const SIGNAL_EXITS: Record<number, string> = {
  137: 'killed by signal 9 (SIGKILL)',
  143: 'killed by signal 15 (SIGTERM)',
  139: 'segmentation fault (signal 11)',
  134: 'aborted (signal 6, SIGABRT)',
};
const FRAME = /^\s*File ".*", line \d+|^\s+at \S+\(|^#\d+\s+0x/;
const DETAIL = /(?:[A-Z]\w*(?:Error|Exception)\b|Details:|ORA-\d+|timed out|refused|not available|mismatch)/;

/**
 * The lines of one extraction that may show a cause, by number: the windows (anchor, continuation,
 * last occurrence) and, for a payload log, its tail (all of a short log). Known benign noise never counts.
 */
function linesOf(e: LogExtraction, windows: FailureWindow[] = e.windows): LineRef[] {
  const byN = new Map<number, string>();
  for (const w of windows) for (const l of [w.anchor, ...w.lines, ...w.last]) byN.set(l.n, l.text);
  if (!e.pilotFormat) for (const l of e.tail) byN.set(l.n, l.text);
  return [...byN.entries()]
    .filter(([, text]) => !isNoise(text))
    .sort((a, b) => a[0] - b[0])
    .map(([n, text]) => ({ source: e.source, n, text }));
}

function recordLines(codes: JobErrorCode[]): LineRef[] {
  const out: LineRef[] = codes.filter((c) => c.diag).map((c) => ({ source: 'job record', n: 0, text: `${c.errorKey}: ${c.diag}` }));
  for (const c of codes) {
    const meaning = (c.component === 'trf' || c.component === 'exe') && SIGNAL_EXITS[c.code];
    if (meaning && !out.some((l) => l.text.includes(`exit code ${c.code}`)))
      out.push({ source: 'job record', n: 0, text: `payload exit code ${c.code}: ${meaning}` });
  }
  return out;
}

const BARE_TRACEBACK = /^\s*Traceback \(most recent call last\):?\s*$/;
/** Signatures of periodic checks: their last occurrence (just before the kill) is the decisive one. */
const PERIODIC = new Set(SIGNATURES.filter((sig) => sig.phase === 'monitor').map((sig) => sig.id));
/** Lines that are always quoted when they exist: the 1–3 that prove the cause. */
const PROOF_LINES = 3;
/** Further supporting lines fit while the quoted messages stay this short in total (characters). */
const DECISIVE_CHARS = 640;
const MAX_DECISIVE = 5;
/** A transform line that only gives a step's return code ("… raised TransformExecutionException: Non-zero return code from RAWtoALL (137)"). */
const RETURN_CODE_ONLY =
  /^(?:\S+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?:ERROR|CRITICAL) )?(?:Validation of return code failed: |Transform executor raised \w+: )?Non-zero return code from \S+ \(-?\d+\)\s*$/;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
/** A transform line's message without its logger and time stamp ("PyJobTransforms.x 2025-… ERROR File … did not pass …"). */
const stepMessage = (text: string) => text.replace(/^\S+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ /, '');
/** The pilot's report of the payload's exit code. */
const PAYLOAD_EXIT = /main payload execution returned non-zero exit code: (-?\d+)/;
/** A pilot line at WARNING level or above. */
const PROBLEM_LEVEL = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \| (?:WARNING|ERROR|CRITICAL) /;
/** Windows whose anchor only sums up a failed transfer step. */
const summarises = (w: FailureWindow): boolean =>
  w.signatures.includes('transfer-failed') || CONSEQUENCE.test(pilotMessage(w.anchor.text).trim()) || /^\[PilotException\(/.test(pilotMessage(w.anchor.text));
/** Signatures that only report an exit code. */
const EXIT_REPORTS = new Set(['user-script-failed', 'payload-exit', 'trf-validation']);
/** Lines a payload wrapper writes around the payload (start/end markers, the exit code): they say nothing of the cause. */
const WRAPPER =
  /^\s*(?:={2,}|-{2,}).*(?:={2,}|-{2,})\s*$|exited with -?\d+|^\s*Transform exit code|^\s*exit(?: code| status)?:? ?-?\d+\s*$|^\s*(?:Using|Setting up) /i;
/** A line whose message ends in an exit code and says nothing else of the failure. */
const EXIT_TEXT = /^(?:.{0,60}\b)?(?:exit code|exited with|exit status|returned non-zero exit code):? ?-?\d+\W*$/i;
/**
 * Lines that only say a step failed after the line that says why ("failed to stage-in files for job
 * N", "stage-out failed", what the pilot read back from the job report): they fill slots last.
 */
const CONSEQUENCE =
  /^(?:failed to stage-?(?:in|out)(?: files)?(?: for job \d+)?|stage-?(?:in|out) failed(?: for job \d+)?|extracted exit (?:code|message) from job report\b)/i;
/** A transform line that repeats a step's log-file error after its own words. */
const RESTATED_STEP_ERROR = /Transform executor raised .*?(Logfile error in log\.\w+: .*)$/;
/** Causes whose proof includes what the payload printed last: where it stopped when killed, its last words otherwise. */
const LAST_WORDS_CAUSES = new Set(['external-kill', 'memory-kill', 'memory-oom', 'crash']);

/**
 * The last lines a payload log holds before its wrapper's exit report: what the payload printed
 * last. At most `max`, in log order, never wrapper markers or known noise.
 */
export function lastWords(e: LogExtraction, max = 2): LineRef[] {
  if (e.pilotFormat) return [];
  const tail = e.tail.filter((l) => l.text.trim());
  let end = tail.length;
  // Step back over the wrapper's closing lines (exit report, end marker).
  while (end > 0 && WRAPPER.test(tail[end - 1]?.text ?? '')) end -= 1;
  const out: LineRef[] = [];
  for (let i = end - 1; i >= 0 && out.length < max; i--) {
    const l = tail[i];
    if (!l || WRAPPER.test(l.text)) break;
    if (isNoise(l.text)) continue;
    out.unshift({ source: e.source, n: l.n, text: l.text });
  }
  return out;
}

/**
 * The lines that prove the cause, most direct first: the lines that matched a cause found in the
 * text (an exception with its last frame); when no rule named the cause, what the payload printed
 * last; then the best windows' messages (the last occurrence of a periodic check, else the first)
 * with the detail line of a generic one; then where a killed or crashed payload stopped. Up to three
 * always, two more while the quoted messages stay short. Never a transfer step that failed and then
 * went through; a step that only announced another try comes last. No two with the same message
 * template, none that only repeats another.
 */
function pickDecisive(
  found: FoundCause | null,
  windows: FailureWindow[],
  all: LineRef[],
  codeMessage: string | null,
  others: FailureWindow[] = [],
  last: LineRef[] = [],
  extra: { memoryCheck?: LineRef; trailing?: LineRef[] } = {},
): DecisiveLine[] {
  const out: DecisiveLine[] = [];
  const seen: string[] = [];
  let chars = 0;
  const add = (line: DecisiveLine): boolean => {
    if (out.length >= MAX_DECISIVE || BARE_TRACEBACK.test(pilotMessage(line.text)) || line.text.trim().length < 4 || isNoise(line.text)) return false;
    const message = pilotMessage(line.text)
      .replace(/^details:\s*/i, '')
      .trim();
    // Past the first three, a line comes in only while the quote stays short (messages, not pilot prefixes, count).
    if (out.length >= PROOF_LINES && chars + message.length > DECISIVE_CHARS) return false;
    const template = lineTemplate(message);
    // A pilot line that quotes a payload.stderr line whole ("found apptainer error in stderr: FATAL: …")
    // says the same and who saw it: it takes the stderr line's place.
    const quoted = seen.findIndex((t, i) => t !== template && template.includes(t) && out[i]?.source === 'payload.stderr' && line.source === 'pilotlog.txt');
    if (quoted >= 0) {
      seen[quoted] = template;
      out[quoted] = line;
      return true;
    }
    // A line that says no more than one already quoted is left out; one that quotes it and adds a fair
    // amount (the file and the destination around a transfer error) comes in.
    if (seen.some((t) => t === template || t.includes(template) || (template.includes(t) && template.length - t.length < 40))) return false;
    // Lines that only give an exit code say the same thing: one of them is enough.
    if (EXIT_TEXT.test(message) && out.some((l) => EXIT_TEXT.test(pilotMessage(l.text)))) return false;
    seen.push(template);
    chars += message.length;
    out.push(line);
    return true;
  };
  if (found) {
    // In log order: the first error is usually the cause, later ones its consequences; of several
    // attempts that failed the same way (proxy after proxy, then the server directly) the last is
    // where it gave up. So the first two hits and the last one that does not only restate another.
    const inLog = found.lines.filter((l) => l.n > 0);
    const sameLog = inLog.filter((l) => l.source === inLog[0]?.source);
    const restates = (l: LineRef) =>
      RESTATED_STEP_ERROR.test(l.text) ||
      RETURN_CODE_ONLY.test(l.text) ||
      sameLog.some((h) => h !== l && h.n < l.n && squash(l.text).includes(squash(stepMessage(h.text))));
    const lastOwn = [...sameLog].reverse().find((l) => !restates(l));
    const hits = sameLog.length > 2 ? [...new Set([sameLog[0], sameLog[1], lastOwn])].filter((l): l is LineRef => Boolean(l)) : inLog;
    for (const hit of hits.length ? hits : found.lines) {
      if (out.length >= PROOF_LINES || (out.length >= 2 && hit !== lastOwn)) break;
      if (found.cause.id === 'exception' || found.cause.id === 'crash') {
        // The last frame before the exception names the place in the code.
        const frame = all.filter((l) => l.source === hit.source && l.n < hit.n && l.n >= hit.n - 6 && FRAME.test(l.text)).pop();
        if (frame && out.length === 0) {
          add(frame);
          // A Python frame is two lines: the File line and the source line it ran, just before the exception.
          const code = all.find((l) => l.source === hit.source && l.n === frame.n + 1 && l.n < hit.n && /^\s{2,}\S/.test(l.text) && !FRAME.test(l.text));
          if (code) add(code);
        }
      }
      add(hit);
    }
    // A payload killed from outside: the memory monitor's last check, which rules the memory limit out.
    if (found.cause.id === 'external-kill' && extra.memoryCheck) add(extra.memoryCheck);
  }
  // What the payload printed last before it exited: where a killed payload stopped, and, when no
  // rule named the cause, the payload's own last words (a short log's message often has no ERROR in it).
  if (!found) for (const l of last) add(l);
  // Once an exception or crash is quoted, the wrapper's "exited with N" adds nothing.
  const exitOnly = (w: FailureWindow) =>
    (w.signatures.length > 0 && w.signatures.every((id) => EXIT_REPORTS.has(id))) || RETURN_CODE_ONLY.test(pilotMessage(w.anchor.text));
  // A line that only restates the error code's default message ("... error code: 1151, message: File
  // transfer timed out") names the code, not the cause: it comes after the lines that say more.
  const restates = (w: FailureWindow) => Boolean(codeMessage && codeMessage.length > 12 && w.anchor.text.includes(codeMessage));
  // Free slots go to the strongest other windows of the logs (never the final summary, never noise).
  // A step that announced another try is not the failure itself: it only fills a slot nothing else wants.
  const retrying = (w: FailureWindow) => announcesRetry(pilotMessage(w.anchor.text));
  const consequence = (w: FailureWindow) => CONSEQUENCE.test(pilotMessage(w.anchor.text).trim());
  const pool = [...windows.filter((w) => !restates(w)), ...windows.filter(restates), ...others].filter((w) => !w.recovered);
  const ordered = pool.filter((w) => !retrying(w) && !consequence(w));
  const retryingWindows = [...pool.filter((w) => retrying(w) && !consequence(w)), ...pool.filter(consequence)];
  let exitReports = 0;
  for (const w of found && (found.cause.id === 'exception' || found.cause.id === 'crash') ? ordered.filter((x) => !exitOnly(x)) : ordered) {
    if (out.length >= MAX_DECISIVE) break;
    // A bare exit report proves nothing the heading does not say: one at most, never a supporting line.
    if (exitOnly(w) && (out.length >= PROOF_LINES || exitReports > 0)) continue;
    if (exitOnly(w)) exitReports += 1;
    const periodic = w.signatures.some((id) => PERIODIC.has(id));
    const chosen = periodic && w.repeats > 0 && w.last[0] ? w.last[0] : w.anchor;
    // The transform's "executor raised …; Logfile error in log.STEP: …" restates the step's own report: quote that.
    const restated = RESTATED_STEP_ERROR.exec(chosen.text)?.[1]?.slice(0, 80);
    const line =
      (restated && all.find((l) => l.source === w.source && l.n < chosen.n && l.text.includes(restated) && !RESTATED_STEP_ERROR.test(l.text))) || chosen;
    const cont = (line === w.anchor ? w.lines.filter((l) => l.n > w.anchor.n) : w.last.slice(1)).filter(
      (l) => DETAIL.test(l.text) && !BARE_TRACEBACK.test(l.text) && l.text.trim().length > 8,
    );
    // A transfer's summary ("failed to transfer files using copytools", "stage-in failed") says that it
    // failed; the warning or error just before it, in the same transfer, says why.
    if (line === w.anchor && summarises(w)) {
      const why = w.lines.filter((l) => l.n < w.anchor.n && PROBLEM_LEVEL.test(l.text) && !announcesRetry(pilotMessage(l.text)) && !isNoise(l.text)).pop();
      if (why) add({ source: w.source, n: why.n, text: why.text });
    }
    add({ source: w.source, n: line.n, text: line.text });
    const detail = cont[cont.length - 1];
    if (detail && !DETAIL.test(pilotMessage(line.text))) add({ source: w.source, n: detail.n, text: detail.text });
  }
  // Where a killed or crashed payload stopped: its last output, when room is left.
  if (found && LAST_WORDS_CAUSES.has(found.cause.id)) for (const l of last) add(l);
  // A payload that exited with an error of its own under a pilot code that names the step (a sandbox
  // that could not be fetched): what it printed last, after the pilot's lines.
  for (const l of extra.trailing ?? []) add(l);
  for (const w of retryingWindows) {
    if (out.length >= MAX_DECISIVE) break;
    add({ source: w.source, n: w.anchor.n, text: w.anchor.text });
  }
  return out;
}

/** Decisive lines as shown: per log, in log order. */
function inLogOrder(lines: DecisiveLine[]): DecisiveLine[] {
  const order = [...new Set(lines.map((l) => l.source))];
  return [...lines].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source) || a.n - b.n);
}

/** Default retry advice of a category equals the cause's: the category's todo fits. */
function todoFor(advice: RetryAdvice, category: Category, causeTodo: string[], causeAdvice: RetryAdvice): string[] {
  if (advice === causeAdvice) return causeTodo;
  if (advice === 'retry') return ['Nothing to change: retry the job (PanDA retries it automatically while attempts remain).'];
  if (advice === 'avoid_site') return ['Retry it at another site; if it fails the same way there too, report it to ADC with the lines below.'];
  if (advice === 'retry_more_memory') return ['Retry with a higher memory request (or fewer events per job), and check the payload for a memory leak.'];
  if (advice === 'no_retry')
    return [
      ...CATEGORY_TEXT[category].todo.filter((t) => !/\bretry\b/i.test(t)),
      'Do not retry as is: deal with the cause shown in the lines below first.',
    ].slice(0, 2);
  return ['Retry once; if it fails the same way, ask ADC support with the lines below.'];
}

export function diagnose(job: JobRecord, codes: JobErrorCode[], extractions: LogExtraction[], history: RetryHistory = {}): Diagnosis {
  const root = pickRoot(codes);
  const entry = root?.entry ?? null;
  const userJob = isUserJob(job);
  const payloadFailure = root !== null && root.component === 'pilot' && PAYLOAD_CODES.has(root.code);
  const windows = keyWindows(extractions, root, payloadFailure);
  const evidenceText = [root?.diag ?? '', ...codes.filter((c) => c !== root).map((c) => c.diag), ...windows.map(windowText)].join('\n');
  const pilotKey = extractions
    .filter((e) => e.source === 'pilotlog.txt')
    .flatMap((e) =>
      linesOf(
        e,
        windows.filter((w) => w.source === e.source),
      ),
    );
  const payloadLines = extractions.filter((e) => e.source !== 'pilotlog.txt').flatMap((e) => linesOf(e));
  const record = recordLines(codes);
  const memoryLimitKb = extractions.map((e) => e.memoryLimitKb).find((v) => v !== undefined);

  let category: Category = entry?.category ?? 'unknown';
  let refined = false;
  let found: FoundCause | null = null;
  const refine = (next: Category | null): void => {
    if (next && next !== category) {
      category = next;
      refined = true;
    }
  };
  const NOT_PAYLOAD = new Set(CAUSE_IDS.filter((id) => id !== 'exception' && id !== 'crash'));
  if (payloadFailure) {
    // The payload's own output first (all of it that was read), then the pilot's key windows and the record.
    found = findCause([...payloadLines, ...pilotKey, ...record], job, userJob, { memoryLimitKb });
    // A code that says the pilot could not tell why (1220 "unknown reason") stays unknown when the
    // logs do not tell either; a plain non-zero exit (1305) is the payload's own failure.
    refine(found ? found.cause.category : GENERIC_CODES.has(root.code) && category === 'unknown' ? null : byAuthor(userJob));
  } else if (root && root.component === 'pilot' && TRANSFER_CODES.has(root.code)) {
    const phase = transferPhase(evidenceText);
    refine(classifyTransfer(evidenceText, category, phase));
    // A destination without space: the cause decides the verdict, not the code's "usually transient".
    if (category === 'storage-stageout') found = findTransferCause([...record, ...pilotKey], phase);
  } else if (root && root.component === 'pilot' && SIGNAL_CODES.has(root.code)) {
    // A kill signal: the kernel's OOM killer or memory at the limit makes it a memory failure.
    found = findCause([...payloadLines, ...pilotKey, ...record], job, userJob, { allowed: new Set(['memory-oom']), memoryLimitKb });
    if (found) refine(found.cause.category);
  } else if (root && (GENERIC_CODES.has(root.code) || category === 'unknown' || root.component === 'jobdispatcher' || root.component !== 'pilot')) {
    const lines = [...pilotKey.filter((l) => windows.some((w) => w.score > 20 && w.source === l.source)), ...payloadLines, ...record];
    found = findCause(lines, job, userJob, {
      allowed: root.component === 'pilot' || root.component === 'jobdispatcher' ? NOT_PAYLOAD : undefined,
      memoryLimitKb,
    });
    const hinted = windows.find((w) => w.hint)?.hint as Category | undefined;
    if (found && (GENERIC_CODES.has(root.code) || category === 'unknown' || root.component === 'jobdispatcher')) refine(found.cause.category);
    else if (found && found.cause.category !== category) found = null;
    else if (!found) refine(hinted ?? null);
  }
  // Who wrote the code decides between the two payload categories (a user's missing output is the user's, a transform's the software's).
  if (!found && !payloadFailure && (category === 'payload-software' || category === 'payload-user-error')) refine(byAuthor(userJob));
  if (found && found.cause.category !== category) found = null;

  // One source of truth: the cause found in the evidence, else the category's text (evidence changed it), else the code's own.
  const base = retryForCategory(category);
  const cause: { id: string; title: string; from: 'evidence' | 'code'; explanation: string; todo: string[]; retry: RetryAdvice; reason: string } = found
    ? { ...found.cause, from: 'evidence', reason: found.cause.retryReason }
    : refined || !entry
      ? {
          id: `category:${category}`,
          title: CATEGORY_TEXT[category].title,
          from: 'code',
          explanation: `${CATEGORY_TEXT[category].explanation}${root ? ` The ${root.component} reported error ${root.code}${entry?.name ? ` (${entry.name})` : ''}${root.diag ? `: "${root.diag.slice(0, 160)}"` : ''}.` : ''}`,
          todo: CATEGORY_TEXT[category].todo,
          retry: base.retry,
          reason: base.reason,
        }
      : {
          id: `code:${entry.component}:${entry.code}`,
          title: entry.message ?? CATEGORY_TEXT[category].title,
          from: 'code',
          explanation: entry.explanation ?? entry.message ?? CATEGORY_TEXT[category].explanation,
          todo: todoFor(entry.retry, category, CATEGORY_TEXT[category].todo, base.retry),
          retry: entry.retry,
          reason: entry.retryReason,
        };
  // A production payload that stopped making progress may have waited on something outside it (a
  // stalled remote read, a service): whether the next attempt hangs too is open. A user's code that
  // loops loops again.
  if (category === 'looping' && !userJob && cause.retry === 'no_retry') {
    cause.retry = 'maybe';
    cause.reason =
      'Production software that stops making progress is often waiting on something outside it (a stalled read, a service); the logs cannot tell whether the next attempt hangs too.';
    cause.explanation = `${cause.explanation} For production software the hang is often outside the job (a stalled read of the input or of a service), so a second attempt may get through; if it hangs at the same point again, report it to the software team.`;
    cause.todo = [
      'Look at the last lines of the payload log to see where it stopped; a retry may get through if it waited on a stalled read or service.',
      'If the next attempt hangs at the same point, report it to the production or software team.',
    ];
  }
  const verdict = retryVerdict(
    { advice: cause.retry, reason: cause.reason, category },
    { attempt: job.attemptnr, maxAttempt: numberOrNull(job.maxattempt), site: job.computingsite, ...history },
  );

  const agreeing = windows.some((w) => root && w.agreesWith.includes(root.code));
  const confidence = Math.min(
    0.95,
    0.35 +
      (entry ? 0.2 : 0) +
      (found ? 0.3 : agreeing ? 0.3 : windows.length ? 0.1 : 0) +
      (entry?.adviceSource === 'curated' ? 0.1 : 0) -
      (payloadFailure && !found ? 0.25 : 0),
  );

  const evidence: EvidenceGroup[] = [];
  for (const w of windows) {
    let group = evidence.find((g) => g.source === w.source);
    if (!group) {
      group = { source: w.source, lines: [] };
      evidence.push(group);
    }
    for (const l of [w.anchor, ...w.lines.filter((x) => x.n > w.anchor.n && x.n <= w.anchor.n + 8), ...w.last.slice(0, 3)]) {
      if (!group.lines.some((g) => g.n === l.n)) group.lines.push(l);
    }
  }
  // Lines of a found cause that no window holds (a short payload log read whole, its last lines).
  for (const l of found?.lines ?? []) {
    if (l.n === 0) continue;
    let group = evidence.find((g) => g.source === l.source);
    if (!group) {
      group = { source: l.source, lines: [] };
      evidence.unshift(group);
    }
    if (!group.lines.some((g) => g.n === l.n)) group.lines.push({ n: l.n, text: l.text });
  }
  for (const g of evidence) g.lines.sort((a, b) => a.n - b.n);

  const others = extractions
    .flatMap((e) => e.windows)
    .filter((w) => !windows.includes(w) && !w.recovered && w.score > 20 && !w.signatures.includes('summary-error') && !isNoise(w.anchor.text))
    .sort((a, b) => b.score - a.score);
  // A lost heartbeat: the pilot stopped reporting, and the last line its log holds shows where it stopped (one slot kept for it).
  const pilotTail = extractions.find((e) => e.source === 'pilotlog.txt')?.tail ?? [];
  const last = payloadFailure ? extractions.flatMap((e) => lastWords(e)) : [];
  // The payload exited with an error of its own (a positive exit code) although the pilot's code names another step.
  const exitedWithError = !payloadFailure && extractions.some((e) => e.windows.some((w) => Number(PAYLOAD_EXIT.exec(w.anchor.text)?.[1] ?? 0) > 0));
  const memoryCheck = extractions.find((e) => e.memoryCheck)?.memoryCheck;
  const decisive = inLogOrder(
    pickDecisive(found, windows, [...payloadLines, ...pilotKey], entry?.message ?? null, others, last, {
      memoryCheck: memoryCheck ? { source: 'pilotlog.txt', n: memoryCheck.n, text: memoryCheck.text } : undefined,
      trailing: exitedWithError ? extractions.flatMap((e) => lastWords(e)) : [],
    }),
  );
  if (root?.component === 'jobdispatcher' && root.code === 100 && pilotTail.length > 0) {
    // A lost heartbeat: the last line the pilot wrote shows where it stopped (the one before it too when nothing else was found).
    const last = pilotTail.slice(decisive.length ? -1 : -2).filter((l) => l.text.trim() && !decisive.some((d) => d.n === l.n));
    while (decisive.length && decisive.length + last.length > MAX_DECISIVE) decisive.pop();
    decisive.push(...last.map((l) => ({ source: 'pilotlog.txt', n: l.n, text: l.text })));
  }
  if (!decisive.length && root?.diag) decisive.push({ source: 'job record', n: 0, text: root.diag });

  const rootCause = root
    ? { component: root.component, code: root.code, name: entry?.name ?? null, message: entry?.message ?? null, diag: root.diag }
    : { component: 'pilot' as Component, code: 0, name: null, message: null, diag: '' };
  const top = decisive[0] ?? (windows[0] ? { text: windows[0].anchor.text } : null);
  return {
    pandaid: job.pandaid,
    attempt: job.attemptnr,
    status: job.jobstatus,
    rootCause,
    cause: { id: cause.id, title: cause.title, from: cause.from },
    category,
    retry: verdict.advice,
    retryHelps: verdict.helps,
    retryReason: verdict.reason,
    verdict,
    // A cause nobody could name is not known with confidence, however well the code matches the logs.
    confidence: Math.round(Math.max(0.2, category === 'unknown' ? Math.min(0.5, confidence) : confidence) * 100) / 100,
    explanation:
      root || found ? withoutContradictions(cause.explanation, verdict.advice) || CATEGORY_TEXT[category].explanation : 'The job record carries no error code.',
    todo: todoFor(verdict.advice, category, cause.todo, cause.retry),
    decisive,
    evidence,
    codes: codes.map((c) => ({ key: c.errorKey, diag: c.diag, name: c.entry?.name ?? null })),
    signature: `${rootCause.component}:${rootCause.code}|${cause.id}|${top ? lineTemplate(top.text).slice(0, 160) : '-'}`,
  };
}

function numberOrNull(value: unknown): number | null {
  const n = Number(value);
  return value === null || value === undefined || value === '' || !Number.isFinite(n) ? null : n;
}
