/**
 * The CRIC pandaqueue query answer: one JSON object keyed by queue name, each value the queue's
 * record. Typed fields carry CRIC's units (timefloor minutes, maxrss/minrss/meanrss/maxwdir MB,
 * maxtime seconds, corepower HS06 per core); every other field is kept as it came.
 */
import { z } from 'zod';
import type { QueueRecord } from '../contracts/panda.js';

const num = z.preprocess((v) => {
  if (v === '' || v === null || v === undefined) return null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}, z.number().nullable());

const str = z.preprocess((v) => (v === null || v === undefined ? '' : String(v)), z.string());

export const queueRecordSchema = z.looseObject({
  name: z.string().min(1),
  site: str.default(''),
  cloud: str.default(''),
  status: str.default(''),
  nickname: z.string().optional(),
  /** Minutes. */
  timefloor: num.optional(),
  /** MB per job slot. */
  maxrss: num.optional(),
  minrss: num.optional(),
  meanrss: num.optional(),
  /** Seconds. */
  maxtime: num.optional(),
  /** MB. */
  maxwdir: num.optional(),
  maxinputsize: num.optional(),
  corecount: num.optional(),
  /** HS06 per core. */
  corepower: num.optional(),
  copytools: z.preprocess((v) => (v === null || v === '' ? {} : v), z.record(z.string(), z.unknown())).optional(),
  acopytools: z.preprocess((v) => (v === null || v === '' ? {} : v), z.record(z.string(), z.array(z.string()))).optional(),
  astorages: z.preprocess((v) => (v === null || v === '' ? {} : v), z.record(z.string(), z.array(z.string()))).optional(),
});

export type CricQueue = z.infer<typeof queueRecordSchema> & QueueRecord;

/** Parses a CRIC answer (the keyed object, or a list of records) into records sorted by name. */
export function parseCricQueues(raw: unknown): CricQueue[] {
  let entries: Array<[string, unknown]>;
  if (Array.isArray(raw)) entries = raw.map((r) => [String((r as { name?: unknown })?.name ?? ''), r]);
  else if (raw && typeof raw === 'object') entries = Object.entries(raw as Record<string, unknown>);
  else throw new Error('expected a JSON object keyed by queue name');
  const out: CricQueue[] = [];
  for (const [key, value] of entries) {
    if (!value || typeof value !== 'object') continue;
    const record = value as Record<string, unknown>;
    const parsed = queueRecordSchema.parse({ ...record, name: typeof record.name === 'string' && record.name ? record.name : key });
    out.push(parsed as CricQueue);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Copytool names of a queue (`rucio`, `xrdcp`, `gfalcopy`, `mv`, ...). */
export function queueCopytools(queue: QueueRecord): string[] {
  const tools = queue.copytools;
  return tools && typeof tools === 'object' ? Object.keys(tools as Record<string, unknown>).sort() : [];
}
