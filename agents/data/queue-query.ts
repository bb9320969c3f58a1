/**
 * The typed CRIC query: filter / select / group-aggregate / sort / limit over known queue fields
 * with typed operators, validated with zod and executed by `runQueueQuery` over QueueRecord
 * objects. An LLM may produce one through tool calling; it never writes SQL or code.
 */
import { z } from 'zod';
import type { QueueRecord } from '../../src/contracts/panda.js';
import { InputError } from '../../src/errors.js';
import { didYouMean } from '../../src/panda/index.js';
import { fieldInfo, QUEUE_FIELDS, suggestFields } from './queue-fields.js';

export const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'in', 'has-copytool', 'has-key'] as const;
export const AGGREGATES = ['count', 'min', 'max', 'avg', 'sum'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const queueFilterSchema = z.object({
  field: z.string().describe('a CRIC queue field, e.g. cloud, status, maxrss, copytools'),
  op: z
    .enum(OPERATORS)
    .describe(
      'eq/ne/lt/lte/gt/gte compare; contains = substring or list/dict member; in = one of a list; has-copytool = copytools has that tool (or acopytools[activity] when activity is set); has-key = dict field has the key',
    ),
  value: z.union([scalar, z.array(scalar)]),
  activity: z.string().optional().describe('for has-copytool: pr (stage-in), pw (stage-out), pl (logs), read_lan, write_lan, ...'),
  negate: z.boolean().optional().describe('true: the condition must NOT hold (not online, without rucio)'),
});

export const queueQuerySchema = z.object({
  filters: z.array(queueFilterSchema).default([]).describe('all must hold (AND)'),
  anyOf: z.array(queueFilterSchema).optional().describe('when given, at least one of these must hold as well (OR across different fields)'),
  select: z
    .array(z.string())
    .default([])
    .describe('fields to show; the queue name is always shown; a dict field may be narrowed to one key, e.g. acopytools.pw'),
  groupBy: z.string().optional().describe('group the matching queues by this field'),
  aggregate: z
    .object({ fn: z.enum(AGGREGATES), field: z.string().optional() })
    .optional()
    .describe('count, or min/max/avg/sum of a numeric field, per group or over all matching queues'),
  sort: z.object({ field: z.string(), order: z.enum(['asc', 'desc']).default('asc') }).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  unparsed: z.array(z.string()).optional().describe('parts of the question that no filter or field expresses; they are shown to the user'),
});

export type QueueFilter = z.infer<typeof queueFilterSchema>;
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export type QueueQueryResult =
  | { kind: 'rows'; fields: string[]; rows: QueueRecord[]; total: number }
  | { kind: 'groups'; groupBy: string; fn: string; field: string | null; groups: Array<{ key: string; value: number; count: number }> }
  | { kind: 'value'; fn: string; field: string | null; value: number | null; count: number; queue: QueueRecord | null };

const SITE_KEYS = ['site', 'atlas_site', 'panda_site', 'gocname', 'rc_site'] as const;

function checkField(field: string, role: string): void {
  if (fieldInfo(field)) return;
  const dot = field.indexOf('.');
  if (role === 'selection' && dot > 0 && fieldInfo(field.slice(0, dot))?.type === 'dict') return;
  const hint = didYouMean(suggestFields(field));
  throw new InputError(`The queue query ${role} names an unknown CRIC field "${field}"${hint ? `; ${hint}` : '.'}`);
}

/** Throws InputError naming the first unknown field (with suggestions). */
export function validateQuery(query: QueueQuery): void {
  for (const f of [...query.filters, ...(query.anyOf ?? [])]) checkField(f.field, 'filter');
  for (const f of query.select) checkField(f, 'selection');
  if (query.groupBy) checkField(query.groupBy, 'grouping');
  if (query.aggregate?.field) checkField(query.aggregate.field, 'aggregate');
  if (query.aggregate && query.aggregate.fn !== 'count' && !query.aggregate.field) {
    throw new InputError(`The queue query aggregate ${query.aggregate.fn} needs a numeric field.`);
  }
  if (query.sort) checkField(query.sort.field, 'sort');
}

const lower = (v: unknown) => String(v).toLowerCase();

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function equals(actual: unknown, wanted: unknown): boolean {
  const a = asNumber(actual);
  const w = asNumber(wanted);
  if (a !== null && w !== null) return a === w;
  if (typeof actual === 'boolean') return String(actual) === lower(wanted) || (actual ? wanted === 1 : wanted === 0);
  return lower(actual ?? '') === lower(wanted);
}

function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((x) => equals(x, wanted));
  if (actual && typeof actual === 'object') return Object.keys(actual).some((k) => equals(k, wanted));
  return lower(actual ?? '').includes(lower(wanted));
}

/** Dotted versions compare part by part: 3.10.5.57 > 3.9; eq 3.10 holds for 3.10.5.57. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (Number.isNaN(d)) return a.localeCompare(b);
    if (d !== 0) return d;
  }
  return 0;
}

const VERSION_FIELDS = new Set(['pilot_version', 'python_version']);

function versionMatches(actual: unknown, f: QueueFilter): boolean | null {
  if (!VERSION_FIELDS.has(f.field) || typeof actual !== 'string' || !/^\d+(\.\d+)*$/.test(actual)) return null;
  const values = (Array.isArray(f.value) ? f.value : [f.value]).map(String);
  if (!values.every((v) => /^\d+(\.\d+)*$/.test(v))) return null;
  const prefix = (v: string) => actual === v || actual.startsWith(`${v}.`);
  switch (f.op) {
    case 'eq':
    case 'in':
      return values.some(prefix);
    case 'ne':
      return !values.some(prefix);
    case 'lt':
      return compareVersions(actual, values[0] as string) < 0 && !prefix(values[0] as string);
    case 'lte':
      return compareVersions(actual, values[0] as string) <= 0 || prefix(values[0] as string);
    case 'gt':
      return compareVersions(actual, values[0] as string) > 0 && !prefix(values[0] as string);
    case 'gte':
      return compareVersions(actual, values[0] as string) >= 0 || prefix(values[0] as string);
    default:
      return null;
  }
}

/** Whether the queue satisfies the filter (its `negate` applied). */
export function filterHolds(queue: QueueRecord, f: QueueFilter): boolean {
  const hit = matches(queue, f);
  return f.negate ? !hit : hit;
}

function matches(queue: QueueRecord, f: QueueFilter): boolean {
  const version = versionMatches(queue[f.field], f);
  if (version !== null) return version;
  if (f.field === 'site' && (f.op === 'eq' || f.op === 'ne' || f.op === 'in')) {
    const wanted = Array.isArray(f.value) ? f.value : [f.value];
    const hit = SITE_KEYS.some((k) => wanted.some((v) => equals(queue[k], v)));
    return f.op === 'ne' ? !hit : hit;
  }
  const actual = queue[f.field];
  const values = Array.isArray(f.value) ? f.value : [f.value];
  switch (f.op) {
    case 'eq':
      return values.some((v) => equals(actual, v));
    case 'ne':
      return !values.some((v) => equals(actual, v));
    case 'in':
      return values.some((v) => equals(actual, v));
    case 'contains':
      return values.some((v) => contains(actual, v));
    case 'has-key':
      return actual !== null && typeof actual === 'object' && values.some((v) => Object.keys(actual).some((k) => equals(k, v)));
    case 'has-copytool': {
      if (f.activity) {
        const lists = (queue.acopytools ?? {}) as Record<string, unknown>;
        const list = lists[f.activity];
        return Array.isArray(list) && values.some((v) => list.some((x) => equals(x, v)));
      }
      const tools = (queue.copytools ?? {}) as Record<string, unknown>;
      return values.some((v) => Object.keys(tools).some((k) => equals(k, v)));
    }
    default: {
      const a = asNumber(actual);
      const w = asNumber(values[0]);
      if (a === null || w === null) return false;
      if (f.op === 'lt') return a < w;
      if (f.op === 'lte') return a <= w;
      if (f.op === 'gt') return a > w;
      return a >= w;
    }
  }
}

function compare(a: unknown, b: unknown): number {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x - y;
  if (x === null && y !== null) return 1;
  if (y === null && x !== null) return -1;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function aggregate(fn: string, values: number[], count: number): number | null {
  if (fn === 'count') return count;
  if (values.length === 0) return null;
  if (fn === 'min') return Math.min(...values);
  if (fn === 'max') return Math.max(...values);
  const sum = values.reduce((s, v) => s + v, 0);
  return fn === 'sum' ? sum : Math.round((sum / values.length) * 100) / 100;
}

export function runQueueQuery(queues: QueueRecord[], query: QueueQuery): QueueQueryResult {
  validateQuery(query);
  const anyOf = query.anyOf ?? [];
  const matching = queues.filter((q) => query.filters.every((f) => filterHolds(q, f)) && (anyOf.length === 0 || anyOf.some((f) => filterHolds(q, f))));
  const agg = query.aggregate;
  const numbers = (qs: QueueRecord[]) => (agg?.field ? qs.map((q) => asNumber(q[agg.field as string])).filter((n): n is number => n !== null) : []);

  if (query.groupBy) {
    const by = query.groupBy;
    const fn = agg?.fn ?? 'count';
    const buckets = new Map<string, QueueRecord[]>();
    for (const q of matching) {
      const key = q[by] === null || q[by] === undefined || q[by] === '' ? '(none)' : String(q[by]);
      buckets.set(key, [...(buckets.get(key) ?? []), q]);
    }
    let groups = [...buckets.entries()].map(([key, qs]) => ({ key, value: aggregate(fn, numbers(qs), qs.length) ?? 0, count: qs.length }));
    groups.sort((a, b) => (query.sort?.order === 'asc' ? a.value - b.value : b.value - a.value) || a.key.localeCompare(b.key));
    if (query.limit) groups = groups.slice(0, query.limit);
    return { kind: 'groups', groupBy: by, fn, field: agg?.field ?? null, groups };
  }
  if (agg) {
    const value = aggregate(agg.fn, numbers(matching), matching.length);
    const queue = (agg.fn === 'min' || agg.fn === 'max') && value !== null ? (matching.find((q) => asNumber(q[agg.field as string]) === value) ?? null) : null;
    return { kind: 'value', fn: agg.fn, field: agg.field ?? null, value, count: matching.length, queue };
  }
  let rows = [...matching];
  if (query.sort) {
    const { field, order } = query.sort;
    rows.sort((a, b) => (order === 'desc' ? -1 : 1) * compare(a[field], b[field]) || a.name.localeCompare(b.name));
  } else rows.sort((a, b) => a.name.localeCompare(b.name));
  const total = rows.length;
  if (query.limit) rows = rows.slice(0, query.limit);
  const fields = ['name', ...query.select.filter((f) => f !== 'name')];
  return { kind: 'rows', fields, rows, total };
}

/** JSON Schema of the query for LLM tool calling. */
export function queueQueryJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(queueQuerySchema, { io: 'input' }) as Record<string, unknown>;
}

/** One line per field for the LLM's system prompt. */
export function fieldCatalogue(): string {
  return QUEUE_FIELDS.map((f) => `${f.name} (${f.type}${f.unit ? `, ${f.unit}` : ''}): ${f.description}`).join('\n');
}
