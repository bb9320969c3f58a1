/**
 * Offline parser: turns the common CRIC questions into a typed QueueQuery (no LLM). Forms:
 * "which queues use rucio as copytool", "corepower of BNL_PROD", "queues at site X", "how many
 * queues per cloud", "max memory at X", "maxtime of X", "which queues are offline in DE",
 * "container settings of X", "which queues have maxrss above 4000", "is X online?", and
 * "top errors at X in the last 6 hours" (handed to the error-summary answer).
 */
import type { Entities } from '../../src/contracts/routing.js';
import { CONTAINER_FIELDS, COPYTOOL_FIELDS, FIELD_PHRASES, fieldFromWord, fieldInfo, LIST_FIELDS, suggestFields } from './queue-fields.js';
import type { QueueFilter, QueueQuery } from './queue-query.js';

export interface KnownCric {
  queues: string[];
  sites: string[];
  clouds: string[];
}

export type ParsedQueueQuestion =
  | { kind: 'query'; query: QueueQuery; title: string; queue?: string; site?: string }
  | { kind: 'errors'; site: string | null; hours: number }
  | { kind: 'unknown-name'; name: string }
  | { kind: 'unknown-field'; word: string; suggestions: string[] }
  | { kind: 'unparsed' };

export const SUMMARY_HOURS = [1, 3, 6, 12, 24] as const;
const COPYTOOLS = ['rucio', 'mv', 'xrdcp', 'gfalcopy', 'gfal', 'objectstore', 'lsm', 'dccp', 'storm'];
const STATUSES = ['online', 'offline', 'test', 'brokeroff'];
const GROUP_WORDS: Record<string, string> = {
  cloud: 'cloud',
  clouds: 'cloud',
  status: 'status',
  tier: 'tier',
  tiers: 'tier',
  type: 'type',
  types: 'type',
  country: 'country',
  countries: 'country',
  site: 'site',
  sites: 'site',
  resource: 'resource_type',
  'resource type': 'resource_type',
  capability: 'capability',
  copytool: 'copytools',
};
/** Words that look like names but are not (upper-case acronyms in questions). */
const NOT_NAMES = new Set([
  'CRIC',
  'PANDA',
  'HS06',
  'RSS',
  'MB',
  'GB',
  'CPU',
  'GPU',
  'HPC',
  'WAN',
  'LAN',
  'ID',
  'OK',
  'PQ',
  'CE',
  'SE',
  'I',
  'A',
  'MAXRSS',
  'MAXTIME',
]);

/** Snaps a number of hours to the monitor's summary windows (1/3/6/12/24), rounding up. */
export function summaryHours(hours: number): number {
  return SUMMARY_HOURS.find((h) => h >= hours) ?? 24;
}

function hoursOf(text: string): number {
  const m = /\b(?:last|past)\s+(\d+)\s*(h|hrs?|hours?|d|days?)\b/i.exec(text) ?? /\b(\d+)\s*(h|hrs?|hours?)\b/i.exec(text);
  if (m) return summaryHours(Number(m[1]) * (/^d/i.test(m[2] ?? '') ? 24 : 1));
  if (/\b(last|past)\s+hour\b/i.test(text)) return 1;
  if (/\b(last|past)\s+day\b|\btoday\b/i.test(text)) return 24;
  return 6;
}

const fold = (s: string) => s.toLowerCase();

function findName(text: string, names: string[]): string | null {
  const set = new Map(names.map((n) => [fold(n), n]));
  let best: string | null = null;
  for (const m of text.matchAll(/[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9]/g)) {
    const hit = set.get(fold(m[0]));
    if (hit && (!best || hit.length > best.length)) best = hit;
  }
  return best;
}

/** A token shaped like a queue/site name (BNL_PROD, UKI-FOO, RAL) that CRIC does not know. */
function unknownNameToken(text: string, known: KnownCric): string | null {
  const all = new Set([...known.queues, ...known.sites, ...known.clouds].map(fold));
  for (const m of text.matchAll(/\b[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)+\b|\b[A-Z][A-Z0-9]{2,}\b/g)) {
    const token = m[0];
    if (all.has(fold(token)) || NOT_NAMES.has(token.toUpperCase())) continue;
    if (fieldFromWord(token.replace(/_/g, ' '))) continue;
    return token;
  }
  return null;
}

function mentionedField(text: string): string | null {
  const t = ` ${text
    .toLowerCase()
    .replace(/[?!.,;:()"']/g, ' ')
    .replace(/\s+/g, ' ')} `;
  for (const p of FIELD_PHRASES) if (t.includes(` ${p.phrase} `) || t.includes(` ${p.phrase}s `)) return p.field;
  return null;
}

const COMPARATORS: Array<{ re: string; op: QueueFilter['op'] }> = [
  { re: '>=|at least|not less than', op: 'gte' },
  { re: '<=|at most|not more than', op: 'lte' },
  { re: '>|above|over|more than|greater than|higher than|bigger than|larger than|exceeding', op: 'gt' },
  { re: '<|below|under|less than|lower than|smaller than', op: 'lt' },
  { re: '=|==|equal to|equals|of exactly|exactly', op: 'eq' },
];

function scaled(field: string, value: number, unit: string | undefined): number {
  const u = (unit ?? '').toLowerCase();
  const info = fieldInfo(field);
  if (info?.unit === 'MB') return /^(g|gb)$/.test(u) ? value * 1000 : /^(t|tb)$/.test(u) ? value * 1_000_000 : value;
  if (info?.unit === 's')
    return /^(h|hrs?|hours?)$/.test(u) ? value * 3600 : /^(d|days?)$/.test(u) ? value * 86400 : /^(m|mins?|minutes?)$/.test(u) ? value * 60 : value;
  if (info?.unit === 'min') return /^(h|hrs?|hours?)$/.test(u) ? value * 60 : value;
  return value;
}

function comparison(text: string, field: string): QueueFilter | null {
  for (const { re, op } of COMPARATORS) {
    const m = new RegExp(`(?:${re})\\s*(\\d+(?:\\.\\d+)?)\\s*([a-z]+)?`, 'i').exec(text);
    if (m) return { field, op, value: scaled(field, Number(m[1]), m[2]) };
  }
  return null;
}

function commonFilters(text: string, known: KnownCric, skipCloud: boolean): QueueFilter[] {
  const filters: QueueFilter[] = [];
  const lowerText = text.toLowerCase();
  const status = STATUSES.find((s) => new RegExp(`\\b${s}\\b`).test(lowerText));
  if (status && !/\bis\s+\S+\s+(online|offline|test|brokeroff)\b/i.test(text)) filters.push({ field: 'status', op: 'eq', value: status });
  if (!skipCloud) {
    const cloudMatch = /\b(?:in|cloud)\s+(?:the\s+)?([A-Za-z]{2,4})\b(?:\s+cloud)?/i.exec(text);
    const cloud = cloudMatch ? known.clouds.find((c) => fold(c) === fold(cloudMatch[1] ?? '')) : undefined;
    if (cloud) filters.push({ field: 'cloud', op: 'eq', value: cloud });
  }
  return filters;
}

export function parseQueueQuestion(text: string, entities: Partial<Entities>, known: KnownCric): ParsedQueueQuestion {
  const lowerText = text.toLowerCase();
  const queue = (entities.queue && known.queues.find((q) => fold(q) === fold(entities.queue as string))) ?? findName(text, known.queues);
  const site = (entities.site && known.sites.find((s) => fold(s) === fold(entities.site as string))) ?? findName(text, known.sites);
  const place = site ?? queue;

  if (/\b(errors?|failures?|failing)\b/.test(lowerText) && !/\bcopytool|corepower|maxrss|memory\b/.test(lowerText)) {
    return { kind: 'errors', site: place ?? entities.site ?? entities.queue ?? null, hours: hoursOf(text) };
  }

  const field = mentionedField(text);
  const atSite = /\b(?:at|belong(?:s|ing)? to|of|in)\s+(?:the\s+)?(?:site\s+)?\S+\s+site\b|\bsite\s+\S+|\bat\s+\S+/i.test(text);

  // how many queues per cloud / by status ...
  const per = /\b(?:per|by|in each|for each|each)\s+(resource type|[a-z]+)\b/i.exec(text);
  if (/\bhow many\b|\bnumber of\b|\bcount\b/i.test(text) && per && GROUP_WORDS[(per[1] ?? '').toLowerCase()]) {
    const groupBy = GROUP_WORDS[(per[1] ?? '').toLowerCase()] as string;
    const filters = commonFilters(text, known, groupBy === 'cloud');
    return { kind: 'query', title: `Queues per ${groupBy}`, query: { filters, select: [], groupBy, aggregate: { fn: 'count' } } };
  }

  // copytools: "which queues use rucio as copytool", "what copytool does X use"
  const tool = COPYTOOLS.find((c) => new RegExp(`\\b${c}\\b`, 'i').test(text));
  if (tool && /\b(use|uses|using|with|copytools?|copy tools?)\b/i.test(text) && !(queue && !/\bwhich|what queues|list\b/i.test(text))) {
    const activity = /\bstage[- ]?in\b|\bread\b/i.test(text) ? 'pr' : /\bstage[- ]?out\b|\bwrite\b|\bupload\b/i.test(text) ? 'pw' : undefined;
    const filters: QueueFilter[] = [
      { field: 'copytools', op: 'has-copytool', value: tool, ...(activity ? { activity } : {}) },
      ...commonFilters(text, known, false),
    ];
    const scope = filters
      .slice(1)
      .map((f) => (f.field === 'cloud' ? `in ${f.value}` : `${f.value}`))
      .join(', ');
    const title = `Queues using ${tool}${activity ? ` for ${activity === 'pr' ? 'stage-in' : 'stage-out'}` : ''}${scope ? ` (${scope})` : ''}`;
    return { kind: 'query', title, query: { filters, select: ['site', 'cloud', 'status', 'copytools'] } };
  }

  // comparisons: "which queues have maxrss above 4000"
  if (field && !queue && !site) {
    const cmp = fieldInfo(field)?.type === 'number' ? comparison(text, field) : null;
    if (cmp) {
      const filters = [cmp, ...commonFilters(text, known, false)];
      return {
        kind: 'query',
        title: `Queues with ${field} ${cmp.op} ${cmp.value}`,
        query: { filters, select: [field, 'site', 'cloud', 'status'], sort: { field, order: 'desc' } },
      };
    }
    const extreme = /\b(highest|largest|biggest|most|max(?:imum)?|lowest|smallest|least|min(?:imum)?)\b/i.exec(text);
    if (extreme && fieldInfo(field)?.type === 'number') {
      const fn = /^(lowest|smallest|least|min)/i.test(extreme[1] ?? '') ? 'min' : 'max';
      return { kind: 'query', title: `${fn} ${field}`, query: { filters: commonFilters(text, known, false), select: [], aggregate: { fn, field } } };
    }
  }

  // queues at site X / belonging to X / at X (a site)
  if (site && (atSite || /\bqueues\b/i.test(text)) && (!queue || fold(queue) !== fold(site) || /\bqueues\b|\bsite\b|\bat\b/i.test(text))) {
    const selected = field
      ? [field === 'container_options' ? 'container_type' : field, ...(field === 'container_options' ? ['container_options'] : [])]
      : [...LIST_FIELDS.slice(1)];
    const numeric = field && fieldInfo(field)?.type === 'number';
    const filters: QueueFilter[] = [{ field: 'site', op: 'eq', value: site }, ...commonFilters(text, known, true)];
    return {
      kind: 'query',
      site,
      title: field ? `${field} of the queues at ${site}` : `Queues at ${site}`,
      query: { filters, select: selected, ...(numeric ? { sort: { field: field as string, order: 'desc' as const } } : {}) },
    };
  }

  // "what's the foobar of X": a field word we do not know
  const ask = /\b(?:what(?:'s| is| are)?|show(?: me)?|give me)\s+(?:the\s+)?([a-z][\w -]*?)\s+(?:of|for|at)\b/i.exec(text);
  if (ask && !field && !/\bcontainer|copy ?tool|queues?\b/i.test(ask[1] ?? '')) {
    const word = (ask[1] ?? '').trim();
    return { kind: 'unknown-field', word, suggestions: suggestFields(word) };
  }

  // one queue: "corepower of X", "is X online?", "container settings of X", "what copytool does X use"
  if (queue) {
    let select: string[];
    if (/\bcontainer/i.test(text)) select = [...CONTAINER_FIELDS];
    else if (field === 'copytools' || field === 'acopytools' || /\bcopy ?tool/i.test(text)) select = [...COPYTOOL_FIELDS];
    else if (field) select = [field];
    else if (/\b(online|offline|status|up|down|broker(ed)?off)\b/i.test(text)) select = ['status', 'state_comment', 'comment'];
    else select = ['site', 'cloud', 'status', 'type', 'resource_type', 'corecount', 'corepower', 'maxrss', 'maxtime', 'copytools'];
    return { kind: 'query', queue, title: `${queue}: ${select.join(', ')}`, query: { filters: [{ field: 'name', op: 'eq', value: queue }], select } };
  }

  const unknown = (entities.queue && !site ? entities.queue : null) ?? unknownNameToken(text, known);
  if (unknown) return { kind: 'unknown-name', name: unknown };

  // plain lists: "which queues are offline in DE", "list the test queues"
  const filters = commonFilters(text, known, false);
  if (filters.length > 0 && /\bqueues?\b/i.test(text)) {
    const title = `Queues with ${filters.map((f) => `${f.field} ${f.value}`).join(', ')}`;
    return { kind: 'query', title, query: { filters, select: [...LIST_FIELDS.slice(1)] } };
  }
  return { kind: 'unparsed' };
}
