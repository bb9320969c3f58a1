/**
 * Says back every condition of a queue query in words ("online queues at site BNL using rucio for
 * stage-out, with maxrss > 16000 MB"), so the reader sees what was answered, and lists the parts of
 * the question that were not understood.
 */
import { untrusted } from '../../src/contracts/reply.js';
import { fieldInfo } from './queue-fields.js';
import type { QueueFilter, QueueQuery } from './queue-query.js';

const OP_WORDS: Record<string, string> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' };
const ACTIVITY_WORDS: Record<string, string> = { pr: 'stage-in', pw: 'stage-out', pl: 'log stage-out', read_lan: 'LAN reads', write_lan: 'LAN writes' };

const list = (values: unknown[], joiner: 'or' | 'and' = 'or'): string => {
  const v = values.map(String);
  return v.length <= 1 ? (v[0] ?? '') : `${v.slice(0, -1).join(', ')} ${joiner} ${v[v.length - 1]}`;
};
const valuesOf = (f: QueueFilter): unknown[] => (Array.isArray(f.value) ? f.value : [f.value]);

function withUnit(field: string, value: unknown): string {
  const info = fieldInfo(field);
  if (info?.unit === 's' && typeof value === 'number' && value >= 3600) return `${value} s (${Math.round((value / 3600) * 10) / 10} h)`;
  return info?.unit && info.unit !== 'cores' ? `${value} ${info.unit}` : String(value);
}

/**
 * Site names the echo must not print: a site asked for whose name is also the name of a queue that
 * is not in the answer (site LRZ-LMU vs queue LRZ-LMU). "at site LRZ-LMU" above a list without the
 * queue LRZ-LMU reads as if that queue were meant; such a site is described, not named.
 */
export interface EchoOptions {
  /** Lower-cased site names to describe rather than print. */
  unnamedSites?: ReadonlySet<string>;
}

function sitePhrase(f: QueueFilter, values: unknown[], options: EchoOptions): string {
  const negative = f.negate || f.op === 'ne';
  if (negative) return `not at site ${list(values)}`;
  const hidden = values.filter((v) => options.unnamedSites?.has(String(v).toLowerCase()));
  if (hidden.length === 0) return `at site ${list(values)}`;
  const shown = values.filter((v) => !hidden.includes(v));
  const described =
    hidden.length === 1
      ? 'the site you named (not the queue of that name, which does not match)'
      : 'the sites you named (not the queues of those names, which do not match)';
  return shown.length === 0 ? `at ${described}` : `at site ${list(shown)} or ${described}`;
}

/** One condition as words; `adjective` ones go before "queues" (online, GPU). */
export function describeFilter(f: QueueFilter, options: EchoOptions = {}): { adjective?: string; phrase?: string } {
  const not = f.negate ? 'not ' : '';
  const values = valuesOf(f);
  switch (f.field) {
    case 'status':
      if (f.op === 'ne') return { adjective: `not ${list(values)}` };
      return { adjective: `${not}${list(values)}` };
    case 'name':
      return { phrase: `${f.negate || f.op === 'ne' ? 'other than' : 'named'} ${list(values)}` };
    case 'site':
      return { phrase: sitePhrase(f, values, options) };
    case 'cloud':
      return { phrase: `${f.negate || f.op === 'ne' ? 'not in' : 'in'} cloud ${list(values)}` };
    case 'country':
      return { phrase: `${f.negate || f.op === 'ne' ? 'not in' : 'in'} ${list(values)}` };
    case 'copytools': {
      const activity = f.activity ? ` for ${ACTIVITY_WORDS[f.activity] ?? f.activity}` : '';
      return { phrase: `${f.negate ? 'not using' : 'using'} ${list(values)}${activity}` };
    }
    case 'harvester':
      return { phrase: `${f.negate ? 'not ' : ''}served by Harvester instance ${list(values)}` };
    case 'pilot_manager':
      return { phrase: `${f.negate ? 'not ' : ''}managed by ${String(values[0]) === 'local' ? 'a local pilot manager' : 'Harvester'}` };
    case 'resource_type':
      return {
        adjective: `${not}${list(values.map((v) => (['gpu', 'hpc'].includes(String(v)) ? String(v).toUpperCase() : String(v) === 'GRID' ? 'grid' : String(v))))}`,
      };
    case 'type':
      return { adjective: `${not}${list(values)}` };
    case 'tier':
      return { adjective: `${not}${list(values)}` };
    case 'container_type':
      return { phrase: `${f.negate ? 'not ' : ''}running ${list(values)} containers` };
    case 'direct_access_lan':
    case 'direct_access_wan':
      return { phrase: `${f.negate ? 'without' : 'with'} ${f.field.replace(/_/g, ' ')}` };
    default: {
      if (f.op === 'has-copytool' || f.op === 'has-key' || f.op === 'contains')
        return { phrase: `${f.negate ? 'whose' : 'whose'} ${f.field} ${f.negate ? 'does not include' : 'includes'} ${list(values)}` };
      if (f.op === 'in') return { phrase: `${f.negate ? 'with' : 'with'} ${f.field} ${f.negate ? 'not ' : ''}${list(values)}` };
      const op = OP_WORDS[f.op] ?? f.op;
      return { phrase: `with ${f.field} ${f.negate ? 'not ' : ''}${op} ${withUnit(f.field, values[0])}` };
    }
  }
}

/** "online GPU queues in cloud DE using rucio, with maxrss > 16000 MB" (or "all queues"). */
export function describeConditions(query: Pick<QueueQuery, 'filters' | 'anyOf'>, options: EchoOptions = {}): string {
  const adjectives: string[] = [];
  const phrases: string[] = [];
  for (const f of query.filters) {
    const d = describeFilter(f, options);
    if (d.adjective) adjectives.push(d.adjective);
    if (d.phrase) phrases.push(d.phrase);
  }
  if (query.anyOf && query.anyOf.length > 0) {
    const either = query.anyOf.map((f) => {
      const d = describeFilter(f, options);
      return d.phrase ?? `${d.adjective}`;
    });
    phrases.push(`either ${either.join(' or ')}`);
  }
  if (adjectives.length === 0 && phrases.length === 0) return 'all queues';
  // "with maxrss > 16000 MB and maxtime ≥ 48 h" rather than two "with"s.
  const joined: string[] = [];
  for (const p of phrases) {
    const last = joined[joined.length - 1];
    const word = p.split(' ')[0] ?? '';
    if (last && ['with', 'using'].includes(word) && last.startsWith(`${word} `)) joined[joined.length - 1] = `${last} and ${p.slice(word.length + 1)}`;
    else joined.push(p);
  }
  return [adjectives.join(' '), 'queues', joined.join(' ')].filter(Boolean).join(' ');
}

/** Positive site conditions whose value is also the name of a queue missing from `answered` (lower-cased). */
export function sitesNamedLikeOtherQueues(
  query: Pick<QueueQuery, 'filters' | 'anyOf'>,
  queueNames: readonly string[],
  answered: readonly string[],
): Set<string> {
  const queues = new Set(queueNames.map((n) => n.toLowerCase()));
  const shown = new Set(answered.map((n) => n.toLowerCase()));
  const out = new Set<string>();
  for (const f of [...query.filters, ...(query.anyOf ?? [])]) {
    if (f.field !== 'site' || f.negate || f.op === 'ne') continue;
    for (const v of valuesOf(f)) {
      const name = String(v).toLowerCase();
      if (queues.has(name) && !shown.has(name)) out.add(name);
    }
  }
  return out;
}

/** ", top 3 by maxrss" / ", sorted by corepower (highest first)" for the echo, or "". */
export function describeOrder(query: Pick<QueueQuery, 'sort' | 'limit'>): string {
  if (!query.sort) return '';
  const high = query.sort.order === 'desc';
  if (query.limit) return `, ${query.limit === 1 ? 'the one with the' : `the ${query.limit} with the`} ${high ? 'highest' : 'lowest'} ${query.sort.field}`;
  return `, sorted by ${query.sort.field} (${high ? 'highest' : 'lowest'} first)`;
}

/** "Not understood: "…"" sentence for the parts no condition or field used, or null. */
export function unparsedSentence(query: Pick<QueueQuery, 'unparsed'>): string | null {
  const parts = query.unparsed ?? [];
  if (parts.length === 0) return null;
  return `I could not use this part of the question, so the answer does not take it into account: ${parts.map((p) => `"${untrusted(p)}"`).join(', ')}. Please rephrase it if it matters.`;
}
