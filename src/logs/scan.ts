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

export async function scanLog(stream: AsyncIterable<Uint8Array>, options: ScanOptions): Promise<ScanSummary> {
  const beforeN = options.beforeLines ?? 3;
  const tailN = options.tailLines ?? 20;
  const maxChars = options.maxLineChars ?? 2000;
  const ringN = Math.max(beforeN, tailN);
  let needles = options.needles.map((s) => Buffer.from(s));
  let ends = new Int32Array(1 << 16);
  let marks = new Uint8Array(1 << 16);
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

  const processLines = (buf: Buffer, len: number): void => {
    let count = 0;
    for (let p = 0, q = buf.indexOf(10, 0); q !== -1 && q < len; p = q + 1, q = buf.indexOf(10, p)) {
      if (count === ends.length) {
        const grown = new Int32Array(ends.length * 2);
        grown.set(ends);
        ends = grown;
      }
      ends[count++] = q;
    }
    if (count === 0) return;
    if (pilotFormat === null) {
      let pilot = 0;
      const sample = Math.min(count, 200);
      for (let i = 0; i < sample; i++) if (isPilotLine(buf, i === 0 ? 0 : (ends[i - 1] ?? 0) + 1, ends[i] ?? 0)) pilot++;
      pilotFormat = pilot * 3 >= sample;
      if (!pilotFormat && options.plainNeedles) needles = [...needles, ...options.plainNeedles.map((s) => Buffer.from(s))];
    }
    if (marks.length < count) marks = new Uint8Array(ends.length);
    marks.fill(0, 0, count);
    for (const needle of needles) {
      for (let pos = buf.indexOf(needle, 0); pos !== -1 && pos < len; ) {
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
    const lineAt = (i: number): EvidenceLine => {
      const s = i === 0 ? 0 : (ends[i - 1] ?? 0) + 1;
      return { n: base + i + 1, text: decode(buf, s, ends[i] ?? 0) };
    };
    for (let i = 0; i < count; i++) {
      const s = i === 0 ? 0 : (ends[i - 1] ?? 0) + 1;
      const e = ends[i] ?? 0;
      const pilotLine = pilotFormat && isPilotLine(buf, s, e);
      if (open && pilotFormat && !pilotLine) {
        addCont(open, { n: base + i + 1, text: decode(buf, s, e) });
        continue;
      }
      if (open) finish();
      let level: Level | null = null;
      let candidate = marks[i] === 1;
      if (pilotLine) {
        level = LEVEL_BY_BYTE[buf[s + 26] ?? 0] ?? null;
        if (level === 'WARNING' || level === 'ERROR' || level === 'CRITICAL') candidate = true;
      }
      if (!candidate) continue;
      const before: EvidenceLine[] = [];
      for (let k = Math.max(0, i - beforeN); k < i; k++) before.push(lineAt(k));
      if (i < beforeN) before.unshift(...prev.slice(Math.max(0, prev.length - (beforeN - i))));
      const c: Candidate = { n: base + i + 1, text: decode(buf, s, e), level, before, cont: [], contSkipped: 0 };
      if (pilotFormat) open = c;
      else options.onCandidate(c);
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
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry) buf = Buffer.concat([carry, buf]);
    const last = buf.lastIndexOf(10);
    if (last === -1) {
      carry = buf.length > MAX_CARRY ? Buffer.concat([buf.subarray(0, MAX_CARRY), Buffer.from('\n')]) : buf;
      if (buf.length > MAX_CARRY) {
        processLines(carry, carry.length);
        carry = null;
      }
      continue;
    }
    processLines(buf, last + 1);
    carry = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : null;
  }
  if (carry?.length) {
    const tail = Buffer.concat([carry, Buffer.from('\n')]);
    processLines(tail, tail.length);
  }
  finish();
  return { lines: base, bytes, pilotFormat: pilotFormat ?? false, tail: ring.slice(-tailN) };
}
