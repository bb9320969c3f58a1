/**
 * Deterministic diagnosis: the codes of every component in the job record plus the log evidence →
 * primary root cause (component + code), category, retry advice with its reason, confidence and
 * the evidence lines. No LLM involved; the LLM only explains what this finds.
 */
import type { JobRecord } from '../../src/contracts/panda.js';
import type { EvidenceLine } from '../../src/contracts/reply.js';
import type { Category, Component, JobErrorCode, RetryAdvice, RetryHelps } from '../../src/knowledge/index.js';
import type { FailureWindow, LogExtraction } from '../../src/logs/index.js';
import { lineTemplate } from '../../src/logs/index.js';
import {
  categoryFromText,
  classifyPayload,
  classifyTransfer,
  GENERIC_CODES,
  PAYLOAD_CODES,
  retryForCategory,
  TRANSFER_CODES,
  toRetryHelps,
  transferPhase,
} from './classify.js';

export interface EvidenceGroup {
  source: string;
  lines: EvidenceLine[];
}

export interface Diagnosis {
  pandaid: number;
  attempt: number | null;
  /** Job state when analysed (failed, holding, cancelled, closed). */
  status: string;
  rootCause: { component: Component; code: number; name: string | null; message: string | null; diag: string };
  category: Category;
  retry: RetryAdvice;
  retryHelps: RetryHelps;
  retryReason: string;
  confidence: number;
  /** Plain-language explanation of the root-cause code (knowledge base), or its message. */
  explanation: string;
  /** The lines that show the cause, per log, with line numbers. */
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

/** The windows that explain the root cause: those agreeing with it, else the best ones. */
function keyWindows(extractions: LogExtraction[], root: JobErrorCode | null, payloadFirst: boolean): FailureWindow[] {
  const all = extractions.flatMap((e) => e.windows.map((w) => ({ w, payload: e.source !== 'pilotlog.txt' })));
  const agreeing = all.filter(({ w }) => root && w.agreesWith.includes(root.code) && !w.signatures.includes('summary-error'));
  const pool = agreeing.length ? agreeing : all.filter(({ w }) => w.score > 20);
  pool.sort((a, b) => (payloadFirst ? Number(b.payload) - Number(a.payload) : 0) || b.w.score - a.w.score);
  return pool.slice(0, 4).map(({ w }) => w);
}

export function diagnose(job: JobRecord, codes: JobErrorCode[], extractions: LogExtraction[]): Diagnosis {
  const root = pickRoot(codes);
  const entry = root?.entry ?? null;
  const payloadFailure = root !== null && root.component === 'pilot' && PAYLOAD_CODES.has(root.code);
  const windows = keyWindows(extractions, root, payloadFailure);
  const evidenceText = [root?.diag ?? '', ...codes.filter((c) => c !== root).map((c) => c.diag), ...windows.map(windowText)].join('\n');

  let category: Category = entry?.category ?? 'unknown';
  let refined = false;
  const refine = (next: Category | null): void => {
    if (next && next !== category) {
      category = next;
      refined = true;
    }
  };
  if (root && root.component === 'pilot' && PAYLOAD_CODES.has(root.code)) {
    // Every window of the payload's own output counts here, not only the best ones: the first error is often the cause.
    const payloadWindows = extractions.filter((e) => e.source !== 'pilotlog.txt').flatMap((e) => e.windows);
    const payloadText = [
      root.diag,
      ...codes.filter((c) => c.component !== 'pilot').map((c) => c.diag),
      ...windows.map(windowText),
      ...payloadWindows.map(windowText),
    ].join('\n');
    refine(classifyPayload(payloadText, isUserJob(job)));
  } else if (root && root.component === 'pilot' && TRANSFER_CODES.has(root.code)) {
    refine(classifyTransfer(evidenceText, category, transferPhase(evidenceText)));
  } else if (root && (GENERIC_CODES.has(root.code) || category === 'unknown' || root.component === 'jobdispatcher')) {
    const hinted = windows.find((w) => w.hint)?.hint as Category | undefined;
    refine(categoryFromText(windows.map(windowText).join('\n')) ?? hinted ?? null);
  }

  let retry: RetryAdvice = entry?.retry ?? 'maybe';
  let retryReason = entry?.retryReason ?? 'The error code is not in the knowledge base, so the outlook of a retry is unknown.';
  if (refined || !entry) ({ retry, reason: retryReason } = retryForCategory(category));

  const agreeing = windows.some((w) => root && w.agreesWith.includes(root.code));
  const confidence = Math.min(0.95, 0.35 + (entry ? 0.2 : 0) + (agreeing ? 0.3 : windows.length ? 0.1 : 0) + (entry?.adviceSource === 'curated' ? 0.1 : 0));

  const evidence: EvidenceGroup[] = [];
  for (const w of windows) {
    let group = evidence.find((g) => g.source === w.source);
    if (!group) {
      group = { source: w.source, lines: [] };
      evidence.push(group);
    }
    for (const l of [w.anchor, ...w.lines.filter((x) => x.n > w.anchor.n && x.n <= w.anchor.n + 8)]) {
      if (!group.lines.some((g) => g.n === l.n)) group.lines.push(l);
    }
  }
  for (const g of evidence) g.lines.sort((a, b) => a.n - b.n);

  const rootCause = root
    ? { component: root.component, code: root.code, name: entry?.name ?? null, message: entry?.message ?? null, diag: root.diag }
    : { component: 'pilot' as Component, code: 0, name: null, message: null, diag: '' };
  const top = windows[0];
  return {
    pandaid: job.pandaid,
    attempt: job.attemptnr,
    status: job.jobstatus,
    rootCause,
    category,
    retry,
    retryHelps: toRetryHelps(retry),
    retryReason,
    confidence: Math.round(confidence * 100) / 100,
    explanation:
      entry?.explanation ?? entry?.message ?? (root ? `${root.component} error ${root.code}: ${root.diag}` : 'The job record carries no error code.'),
    evidence,
    codes: codes.map((c) => ({ key: c.errorKey, diag: c.diag, name: c.entry?.name ?? null })),
    signature: `${rootCause.component}:${rootCause.code}|${top ? lineTemplate(top.anchor.text).slice(0, 160) : '-'}`,
  };
}
