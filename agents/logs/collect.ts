/**
 * Which logs to read for a failed job, and reading them: `pilotlog.txt` always, and the payload's
 * stdout/stderr whenever the payload ran and left them — its last lines before the exit count for
 * every failure (a kill, a memory or time limit shows there too); they get the larger share of the
 * budget when the failure is in the payload (pilot 1305 and kin, non-zero exe/trans exit code).
 * Each log is streamed once through the window extraction; a log above the byte cap is read as
 * head + tail and the reply says so.
 */
import type { JobRecord, LogFileInfo, PandaSource } from '../../src/contracts/panda.js';
import { AskPandaError } from '../../src/errors.js';
import type { JobErrorCode } from '../../src/knowledge/index.js';
import { extractWindows, type LogExtraction } from '../../src/logs/index.js';
import { PAYLOAD_CODES } from './classify.js';

export interface CollectOptions {
  /** Characters of context all logs together may use. */
  budget: number;
  /** Largest log read whole; above it, head and tail (half each). Default 512 MB. */
  maxLogBytes?: number;
  signal?: AbortSignal;
}

export interface CollectedLogs {
  extractions: LogExtraction[];
  /** One sentence per problem met (log missing, log cut to head + tail). */
  notices: string[];
}

const PAYLOAD_LOGS = ['payload.stdout', 'payload.stderr'];

export function isPayloadFailure(codes: JobErrorCode[]): boolean {
  const pilot = codes.find((c) => c.component === 'pilot');
  if (pilot && PAYLOAD_CODES.has(pilot.code)) return true;
  return codes.some((c) => c.component === 'exe' || c.component === 'trf') && (!pilot || pilot.code === 0);
}

function pickLogs(files: LogFileInfo[]): LogFileInfo[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const out: LogFileInfo[] = [];
  const pilot = byName.get('pilotlog.txt') ?? files.find((f) => /pilotlog/.test(f.name));
  if (pilot) out.push(pilot);
  for (const name of PAYLOAD_LOGS) if (byName.has(name) && (byName.get(name)?.size ?? 0) > 0) out.push(byName.get(name) as LogFileInfo);
  return out;
}

export async function collectLogs(panda: PandaSource, job: JobRecord, codes: JobErrorCode[], options: CollectOptions): Promise<CollectedLogs> {
  const notices: string[] = [];
  const payload = isPayloadFailure(codes);
  let files: LogFileInfo[];
  try {
    files = await panda.listLogFiles(job.pandaid, options.signal);
  } catch (error) {
    if (error instanceof AskPandaError && error.code !== 'internal') {
      notices.push(`The logs of job ${job.pandaid} could not be listed: ${error.message}`);
      return { extractions: [], notices };
    }
    throw error;
  }
  const logs = pickLogs(files);
  if (!logs.some((l) => /pilotlog/.test(l.name))) notices.push(`Job ${job.pandaid} has no pilot log, so the analysis rests on the job record.`);
  const codeNumbers = codes.map((c) => c.code);
  const cap = options.maxLogBytes ?? 512 * 1024 * 1024;
  const payloadCount = logs.filter((l) => l.name !== 'pilotlog.txt').length;
  const extractions: LogExtraction[] = [];
  for (const log of logs) {
    const payloadShare = payload ? 0.45 : 0.25;
    const share = log.name === 'pilotlog.txt' ? (payloadCount ? 1 - payloadShare : 1) : payloadShare / payloadCount;
    const budget = Math.floor(options.budget * share);
    if (log.size > cap) {
      const half = Math.floor(cap / 2);
      const head = await panda.openLog(job.pandaid, log.name, { maxBytes: half, signal: options.signal });
      const headEx = await extractWindows(log.name, head.stream, { codes: codeNumbers, budget: Math.floor(budget / 2), signal: options.signal });
      const tail = await panda.openLog(job.pandaid, log.name, { tail: half, maxBytes: half, signal: options.signal });
      const tailEx = await extractWindows(`${log.name} (last ${Math.round(half / 1048576)} MB; line numbers count from there)`, tail.stream, {
        codes: codeNumbers,
        budget: Math.floor(budget / 2),
        signal: options.signal,
      });
      extractions.push(headEx, tailEx);
      notices.push(
        `The log ${log.name} is ${Math.round(log.size / 1048576)} MB, larger than the ${Math.round(cap / 1048576)} MB cap, so only its head and tail were analysed.`,
      );
      continue;
    }
    const opened = await panda.openLog(job.pandaid, log.name, { maxBytes: cap, signal: options.signal });
    extractions.push(await extractWindows(log.name, opened.stream, { codes: codeNumbers, budget, signal: options.signal }));
  }
  return { extractions, notices };
}
