/**
 * One streaming pass over a log (bytes in, candidate lines out) with bounded memory.
 *
 * Works on raw bytes: line ends are found with `Buffer.indexOf` and only candidate lines (and their
 * context) are decoded. A line is a candidate when it is a pilot-format line at WARNING, ERROR or
 * CRITICAL level, or when it contains one of the `needles` (searched natively in the bytes). In a
 * pilot log, lines without the `time | level | module | function |` prefix continue the message
 * above them (tracebacks, command output); they are attached to the open candidate, first and last
 * few kept, the middle counted.
 */
import type { EvidenceLine } from '../contracts/reply.js';
import { findNewlines } from './newlines.js';

export type Level = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface Candidate {
  n: number;
  text: string;
  /** Pilot-format level, or null for a plain-format line. */
  level: Level | null;
  before: EvidenceLine[];
  /** Continuation lines: the first few and the last few. */
  cont: EvidenceLine[];
  /** Continuation lines left out between the first and the last few. */
  contSkipped: number;
}

export interface ScanOptions {
  /** Literals searched in every line. */
  needles: readonly string[];
  /** Extra needles used only when the log is not in pilot format (payload output). */
  plainNeedles?: readonly string[];
  beforeLines?: number;
  tailLines?: number;
  /** Longest text kept for a line (characters). */
  maxLineChars?: number;
  onCandidate: (candidate: Candidate) => void;
  signal?: AbortSignal;
}

export interface ScanSummary {
  lines: number;
  bytes: number;
  pilotFormat: boolean;
  /** The last lines of the log (where a hung pilot stopped writing). */
  tail: EvidenceLine[];
}

const CONT_HEAD = 4;
const CONT_TAIL = 3;
/** A single line longer than this is cut (never buffered whole). */
const MAX_CARRY = 1 << 20;

const LEVEL_BY_BYTE: Record<number, Level> = { 68: 'DEBUG', 73: 'INFO', 87: 'WARNING', 69: 'ERROR', 67: 'CRITICAL' };

/** `2025-03-12 08:22:21,455 | WARNING  | ...`: checks the fixed punctuation of the pilot prefix. */
function isPilotLine(buf: Buffer, s: number, e: number): boolean {
  return e - s > 28 && buf[s + 4] === 45 && buf[s + 7] === 45 && buf[s + 13] === 58 && buf[s + 19] === 44 && buf[s + 24] === 124;
}

const CONT = 1;
const CAND_PLAIN = 2;
/** Candidate at a pilot level: CAND_LEVEL + the level's first byte. */
const CAND_LEVEL = 1000;

/** Marks the lines holding `needle` (one mark per line). Kept apart from the line loop so each stays optimised. */
function markNeedle(buf: Buffer, start: number, len: number, needle: Buffer, ends: Int32Array, count: number, marks: Uint8Array): void {
  for (let pos = buf.indexOf(needle, start); pos !== -1 && pos < len; ) {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ends[mid] ?? 0) < pos) lo = mid + 1;
      else hi = mid;
    }
    marks[lo] = 1;
    pos = buf.indexOf(needle, (ends[lo] ?? len) + 1);
  }
}

/**
 * The hot loop: one pass over the line ends, numbers only. Writes (line index, kind) pairs for the
 * candidate lines and, in a pilot log, for the continuation lines that follow a candidate.
 */
function pickLines(
  buf: Buffer,
  start: number,
  ends: Int32Array,
  count: number,
  marks: Uint8Array,
  pilotFormat: boolean,
  openAtStart: boolean,
  out: Int32Array,
): number {
  let n = 0;
  let open = openAtStart;
  let s = start;
  for (let i = 0; i < count; i++) {
    const e = ends[i] as number;
    const pilot = pilotFormat && e - s > 28 && buf[s + 4] === 45 && buf[s + 7] === 45 && buf[s + 13] === 58 && buf[s + 19] === 44 && buf[s + 24] === 124;
    if (open && pilotFormat && !pilot) {
      out[n++] = i;
      out[n++] = CONT;
    } else {
      open = false;
      const level = pilot ? (buf[s + 26] as number) : 0;
      if (level === 87 || level === 69 || level === 67) {
        out[n++] = i;
        out[n++] = CAND_LEVEL + level;
        open = true;
      } else if (marks[i] === 1) {
        out[n++] = i;
        out[n++] = pilot ? CAND_LEVEL + level : CAND_PLAIN;
        open = pilotFormat;
      }
    }
    s = e + 1;
  }
  return n / 2;
}

export async function scanLog(stream: AsyncIterable<Uint8Array>, options: ScanOptions): Promise<ScanSummary> {
  const beforeN = options.beforeLines ?? 3;
  const tailN = options.tailLines ?? 20;
  const maxChars = options.maxLineChars ?? 2000;
  const ringN = Math.max(beforeN, tailN);
  let needles = options.needles.map((s) => Buffer.from(s));
  let ends = new Int32Array(1 << 16);
  let marks = new Uint8Array(1 << 16);
  let picks = new Int32Array(1 << 17);
  let carry: Buffer | null = null;
  let base = 0;
  let bytes = 0;
  let pilotFormat: boolean | null = null;
  let prev: EvidenceLine[] = [];
  let open: Candidate | null = null;
  let ring: EvidenceLine[] = [];

  const decode = (buf: Buffer, s: number, e: number): string => {
    let end = e;
    if (end > s && buf[end - 1] === 13) end -= 1;
    return buf.toString('utf8', s, Math.min(end, s + maxChars * 4)).slice(0, maxChars);
  };
  const finish = (): void => {
    if (open) options.onCandidate(open);
    open = null;
  };
  const addCont = (c: Candidate, line: EvidenceLine): void => {
    if (c.cont.length < CONT_HEAD + CONT_TAIL) {
      c.cont.push(line);
      return;
    }
    // Keep the first CONT_HEAD lines and a sliding window of the last CONT_TAIL.
    c.cont.splice(CONT_HEAD, 1);
    c.cont.push(line);
    c.contSkipped += 1;
  };

  /** Processes the complete lines in `buf[start, len)` (`len` is just past a newline). */
  const processLines = (buf: Buffer, len: number, start = 0): void => {
    if (ends.length < len - start + 1) ends = new Int32Array(Math.max(len - start + 1, ends.length * 2));
    const count = findNewlines(buf, start, len, ends, 0);
    if (count === 0) return;
    const startOf = (i: number): number => (i === 0 ? start : (ends[i - 1] ?? 0) + 1);
    if (pilotFormat === null) {
      let pilot = 0;
      const sample = Math.min(count, 200);
      for (let i = 0; i < sample; i++) if (isPilotLine(buf, startOf(i), ends[i] ?? 0)) pilot++;
      pilotFormat = pilot * 3 >= sample;
      if (!pilotFormat && options.plainNeedles) needles = [...needles, ...options.plainNeedles.map((s) => Buffer.from(s))];
    }
    if (marks.length < count) marks = new Uint8Array(ends.length);
    marks.fill(0, 0, count);
    for (const needle of needles) markNeedle(buf, start, len, needle, ends, count, marks);
    if (picks.length < count * 2) picks = new Int32Array(ends.length * 2);
    const picked = pickLines(buf, start, ends, count, marks, pilotFormat, open !== null, picks);
    const lineAt = (i: number): EvidenceLine => ({ n: base + i + 1, text: decode(buf, startOf(i), ends[i] ?? 0) });
    for (let k = 0; k < picked; k++) {
      const i = picks[2 * k] ?? 0;
      const kind = picks[2 * k + 1] ?? 0;
      if (kind === CONT) {
        if (open) addCont(open, lineAt(i));
        continue;
      }
      finish();
      const before: EvidenceLine[] = [];
      for (let b = Math.max(0, i - beforeN); b < i; b++) before.push(lineAt(b));
      if (i < beforeN) before.unshift(...prev.slice(Math.max(0, prev.length - (beforeN - i))));
      const line = lineAt(i);
      const c: Candidate = {
        n: line.n,
        text: line.text,
        level: kind === CAND_PLAIN ? null : (LEVEL_BY_BYTE[kind - CAND_LEVEL] ?? null),
        before,
        cont: [],
        contSkipped: 0,
      };
      if (pilotFormat) open = c;
      else options.onCandidate(c);
    }
    // A pilot line after the last pick closes the open candidate.
    if (open && pilotFormat && picked > 0 && (picks[2 * (picked - 1)] ?? 0) < count - 1) {
      const last = picks[2 * (picked - 1)] ?? 0;
      for (let i = last + 1; i < count; i++)
        if (isPilotLine(buf, startOf(i), ends[i] ?? 0)) {
          finish();
          break;
        }
    } else if (open && pilotFormat && picked === 0 && isPilotLine(buf, startOf(0), ends[0] ?? 0)) {
      finish();
    }
    const keep: EvidenceLine[] = [];
    for (let k = Math.max(0, count - ringN); k < count; k++) keep.push(lineAt(k));
    prev = count >= ringN ? keep : [...prev, ...keep].slice(-ringN);
    ring = prev;
    base += count;
  };

  for await (const chunk of stream) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    bytes += chunk.byteLength;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const first = buf.indexOf(10);
    if (first === -1) {
      carry = carry ? Buffer.concat([carry, buf]) : Buffer.from(buf);
      if (carry.length > MAX_CARRY) {
        const cut = Buffer.concat([carry.subarray(0, MAX_CARRY), Buffer.from('\n')]);
        processLines(cut, cut.length);
        carry = null;
      }
      continue;
    }
    // The line cut by the previous chunk, completed (a small copy); the rest is processed in place.
    if (carry) {
      const joined = Buffer.concat([carry.subarray(0, MAX_CARRY), buf.subarray(0, first + 1)]);
      processLines(joined, joined.length);
      carry = null;
      const last = buf.lastIndexOf(10);
      if (last > first) processLines(buf, last + 1, first + 1);
      if (last + 1 < buf.length) carry = Buffer.from(buf.subarray(last + 1));
      continue;
    }
    const last = buf.lastIndexOf(10);
    processLines(buf, last + 1);
    if (last + 1 < buf.length) carry = Buffer.from(buf.subarray(last + 1));
  }
  if (carry?.length) {
    const tail = Buffer.concat([carry, Buffer.from('\n')]);
    processLines(tail, tail.length);
  }
  finish();
  return { lines: base, bytes, pilotFormat: pilotFormat ?? false, tail: ring.slice(-tailN) };
}
