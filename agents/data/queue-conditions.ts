/**
 * Reads the conditions of a queue question one by one, each with the words it came from: names
 * (queues, sites, clouds, countries, Harvester instances), states, copytools per activity, numeric
 * comparisons, pilot versions, resource and queue types, tiers, containers. Every piece of text a
 * condition or an asked field used is marked, so what is left over can be told to the user.
 */
import type { QueueRecord } from '../../src/contracts/panda.js';
import { FIELD_PHRASES, fieldInfo } from './queue-fields.js';
import type { QueueFilter } from './queue-query.js';

export interface KnownCric {
  queues: string[];
  sites: string[];
  clouds: string[];
  /** Distinct `country` values. */
  countries?: string[];
  /** Distinct Harvester instance names. */
  harvesters?: string[];
  /** Queue name → its ATLAS site, for "queues at <queue name>" (the queue's site is meant). */
  queueSites?: Record<string, string>;
}

/** What the question names: a queue, a site, or both (77 CRIC names are a queue and a site). */
export interface NameMention {
  name: string;
  queue: string | null;
  site: string | null;
  start: number;
  end: number;
  negated: boolean;
}

export interface FoundCondition {
  filter: QueueFilter;
  start: number;
  end: number;
}

export interface FoundField {
  field: string;
  start: number;
  end: number;
}

/** Marks which characters of the question a reading used. */
export class TextMarks {
  private readonly used: Uint8Array;
  constructor(readonly text: string) {
    this.used = new Uint8Array(text.length);
  }
  mark(start: number, end: number): void {
    this.used.fill(1, Math.max(0, start), Math.min(this.text.length, end));
  }
  free(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.used[i]) return false;
    return true;
  }
  /** Unused stretches of text, in order. */
  leftovers(): Array<{ text: string; start: number }> {
    const out: Array<{ text: string; start: number }> = [];
    let start = -1;
    for (let i = 0; i <= this.text.length; i++) {
      const free = i < this.text.length && !this.used[i];
      if (free && start < 0) start = i;
      if (!free && start >= 0) {
        out.push({ text: this.text.slice(start, i), start });
        start = -1;
      }
    }
    return out;
  }
}

const NEGATION_BEFORE =
  /(?:\bnot\s+(?:at|in|using|use|on|with|from)?|\bwithout|\bexcept(?:\s+for)?|\bexcluding|\bother\s+than|\bbut\s+not|\bno|\bnon-?|\bisn'?t|\baren'?t|\bdon'?t\s+use|\bdoesn'?t\s+use|\bnot)\s*(?:the\s+|a\s+)?$/;

function negatedBefore(lower: string, start: number, reach = 28): { negated: boolean; from: number } {
  const before = lower.slice(Math.max(0, start - reach), start);
  const m = NEGATION_BEFORE.exec(before);
  return m ? { negated: true, from: start - (before.length - m.index) } : { negated: false, from: start };
}

/** Takes a match the text still has free as a condition; a negation just before it joins it. */
function claimCondition(marks: TextMarks, lower: string, m: RegExpMatchArray, reach: number, filter: QueueFilter, out: FoundCondition[]): void {
  const start = m.index ?? 0;
  const end = start + m[0].length;
  if (!marks.free(start, end)) return;
  const neg = negatedBefore(lower, start, reach);
  out.push({ filter: neg.negated ? { ...filter, negate: true } : filter, start: neg.from, end });
  marks.mark(neg.from, end);
}

const fold = (s: string) => s.toLowerCase();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Queue/site names the question names, longest tokens first; marks them. */
export function findNames(marks: TextMarks, known: KnownCric): NameMention[] {
  const queues = new Map(known.queues.map((n) => [fold(n), n]));
  const sites = new Map(known.sites.map((n) => [fold(n), n]));
  const out: NameMention[] = [];
  const lower = marks.text.toLowerCase();
  for (const m of marks.text.matchAll(/[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]/g)) {
    const token = m[0];
    const key = fold(token);
    const queue = queues.get(key) ?? null;
    const site = sites.get(key) ?? null;
    if (!queue && !site) continue;
    const start = m.index ?? 0;
    const end = start + token.length;
    const isCloud = known.clouds.some((c) => fold(c) === key);
    if (isCloud && (/^\s+cloud\b/.test(lower.slice(end)) || /\bcloud\s+$/.test(lower.slice(Math.max(0, start - 8), start)))) continue;
    // Everyday words that are also CRIC names count only typed like a name (CERN, not "cern").
    if (/^[a-z]+$/.test(token) && token.length <= 5 && !/^(?:at|site|queue|of|for)\s*$/.test(lower.slice(Math.max(0, start - 6), start).trim())) {
      if (!queue || queue !== token) continue;
    }
    const neg = negatedBefore(lower, start, 16);
    out.push({ name: queue ?? site ?? token, queue, site, start: neg.from, end, negated: neg.negated });
    marks.mark(neg.from, end);
  }
  return out;
}

const UNIT = `(?:tb|gb|mb|g|m|gib|mib|hours?|hrs?|h|days?|d|minutes?|mins?|seconds?|secs?|s|cores?)`;
const COMPARATOR_WORDS: Array<[string, QueueFilter['op']]> = [
  [String.raw`>=|=>|≥|at\s+least|not\s+less\s+than|no\s+less\s+than|greater\s+than\s+or\s+equal\s+to|more\s+than\s+or\s+equal\s+to|or\s+more`, 'gte'],
  [String.raw`<=|=<|≤|at\s+most|not\s+more\s+than|no\s+more\s+than|up\s+to|less\s+than\s+or\s+equal\s+to|or\s+less`, 'lte'],
  [String.raw`>|above|over|more\s+than|greater\s+than|higher\s+than|bigger\s+than|larger\s+than|exceeding|exceeds|newer\s+than|after`, 'gt'],
  [String.raw`<|below|under|less\s+than|lower\s+than|smaller\s+than|fewer\s+than|older\s+than|before`, 'lt'],
  [String.raw`==|=|equal\s+to|equals|exactly|of\s+exactly|is|of|set\s+to`, 'eq'],
];
const COMPARATOR = COMPARATOR_WORDS.map(([re]) => re).join('|');

function opOf(word: string): QueueFilter['op'] {
  const w = word.trim().replace(/\s+/g, ' ');
  for (const [re, op] of COMPARATOR_WORDS) if (new RegExp(`^(?:${re})$`).test(w)) return op;
  return 'eq';
}

/** A number in the field's unit (MB, s, min) from a number and the unit the person wrote. */
export function scaled(field: string, value: number, unit: string | undefined): number {
  const u = (unit ?? '').toLowerCase();
  const info = fieldInfo(field);
  if (info?.unit === 'MB') return /^(g|gb|gib)$/.test(u) ? value * 1000 : /^(t|tb)$/.test(u) ? value * 1_000_000 : value;
  if (info?.unit === 's') {
    if (/^(h|hrs?|hours?)$/.test(u)) return value * 3600;
    if (/^(d|days?)$/.test(u)) return value * 86400;
    if (/^(m|mins?|minutes?)$/.test(u)) return value * 60;
    return value;
  }
  if (info?.unit === 'min') return /^(h|hrs?|hours?)$/.test(u) ? value * 60 : value;
  return value;
}

/** Field phrases (field names and synonyms) in the free text, longest first; not yet marked. */
export function findFieldPhrases(marks: TextMarks): FoundField[] {
  const lower = marks.text.toLowerCase();
  const out: FoundField[] = [];
  for (const { phrase, field } of FIELD_PHRASES) {
    const re = new RegExp(String.raw`(?<![\w-])${escapeRe(phrase).replace(/ /g, String.raw`[\s_-]+`)}s?(?![\w-])`, 'g');
    for (const m of lower.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (!marks.free(start, end)) continue;
      out.push({ field, start, end });
      marks.mark(start, end);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** "maxrss above 16 GB", "at least 8 cores", "maxtime between 24 and 48 hours", "corecount 8". */
export function numericConditions(marks: TextMarks, phrases: FoundField[]): { conditions: FoundCondition[]; used: Set<FoundField> } {
  const lower = marks.text.toLowerCase();
  const conditions: FoundCondition[] = [];
  const used = new Set<FoundField>();
  const num = String.raw`(\d+(?:[.,]\d+)?)`;
  const value = (s: string) => Number(s.replace(',', '.'));
  for (const p of phrases) {
    if (fieldInfo(p.field)?.type !== 'number') continue;
    const after = lower.slice(p.end);
    const between = new RegExp(String.raw`^\s*(?:is\s+|are\s+|of\s+)?between\s+${num}\s*(${UNIT})?\s+and\s+${num}\s*(${UNIT})?\b`).exec(after);
    if (between) {
      const unitB = between[4] ?? between[2];
      const end = p.end + between[0].length;
      conditions.push({ filter: { field: p.field, op: 'gte', value: scaled(p.field, value(between[1] as string), between[2] ?? unitB) }, start: p.start, end });
      conditions.push({ filter: { field: p.field, op: 'lte', value: scaled(p.field, value(between[3] as string), unitB) }, start: p.start, end });
      marks.mark(p.start, end);
      used.add(p);
      continue;
    }
    const right = new RegExp(
      String.raw`^\s*(?:(?:is|are|of|with|value)\s+)?(?:(${COMPARATOR})\s*)?(?:than\s+)?${num}(?!\.\d)(?:\s*(${UNIT})\b)?(?:\s+(or\s+more|or\s+less|or\s+above|or\s+below))?`,
    ).exec(after);
    if (right) {
      let op = right[1] ? opOf(right[1]) : 'eq';
      if (right[4]) op = /more|above/.test(right[4]) ? 'gte' : 'lte';
      const end = p.end + right[0].length;
      conditions.push({ filter: { field: p.field, op, value: scaled(p.field, value(right[2] as string), right[3]) }, start: p.start, end });
      marks.mark(p.start, end);
      used.add(p);
      continue;
    }
    const before = lower.slice(0, p.start);
    const left = new RegExp(String.raw`(?:(${COMPARATOR})\s*)?${num}\s*(${UNIT})?\s*(?:-\s*)?(?:of\s+)?(?:the\s+)?(?:(or\s+more|or\s+less)\s+)?$`).exec(before);
    if (left?.[2] && (left[1] || /cores?$/.test(p.field === 'corecount' ? lower.slice(p.start, p.end) : '') || left[3] || left[4])) {
      let op = left[1] ? opOf(left[1]) : 'eq';
      if (left[4]) op = /more/.test(left[4]) ? 'gte' : 'lte';
      const start = left.index ?? p.start;
      if (!marks.free(start, p.start)) continue;
      conditions.push({ filter: { field: p.field, op, value: scaled(p.field, value(left[2]), left[3]) }, start, end: p.end });
      marks.mark(start, p.end);
      used.add(p);
    }
  }
  return { conditions, used };
}

const STATUS_VALUES: Record<string, string> = { online: 'online', offline: 'offline', brokeroff: 'brokeroff', 'broker off': 'brokeroff', test: 'test' };

/** online / offline / brokeroff / test, "not online", "online or test". */
export function statusConditions(marks: TextMarks): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const positive: FoundCondition[] = [];
  const negative: FoundCondition[] = [];
  for (const m of lower.matchAll(/\b(?:(?:in\s+)?status\s+(?:is\s+)?)?(online|offline|brokeroff|broker\s*off|test)\b(?:\s+(?:mode|status|state))?/g)) {
    const word = (m[1] ?? '').replace(/\s+/g, ' ');
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (!marks.free(start, end)) continue;
    if (word === 'test') {
      const before = lower.slice(Math.max(0, start - 12), start);
      const after = lower.slice(end, end + 12);
      const anchored =
        /status/.test(m[0]) ||
        /\b(?:in|are|is|on|or|and|not|non-?)\s*$|,\s*$/.test(before) ||
        /^\s*(?:queues?|pqs?|mode|status|state|or|and|,)/.test(after) ||
        /\b(mode|status|state)\b/.test(m[0]);
      if (!anchored) continue;
    }
    const neg = negatedBefore(lower, start, 14);
    const value = STATUS_VALUES[word] ?? word;
    (neg.negated ? negative : positive).push({ filter: { field: 'status', op: 'eq', value, ...(neg.negated ? { negate: true } : {}) }, start: neg.from, end });
    marks.mark(neg.from, end);
  }
  const out: FoundCondition[] = [...negative];
  if (positive.length === 1) out.push(positive[0] as FoundCondition);
  else if (positive.length > 1) {
    const values = [...new Set(positive.map((c) => String(c.filter.value)))];
    out.push({
      filter: { field: 'status', op: values.length === 1 ? 'eq' : 'in', value: values.length === 1 ? (values[0] as string) : values },
      start: Math.min(...positive.map((c) => c.start)),
      end: Math.max(...positive.map((c) => c.end)),
    });
  }
  return out;
}

export const COPYTOOLS = ['rucio', 'mv', 'xrdcp', 'gfalcopy', 'gfal', 'objectstore', 'lsm', 'dccp', 'storm'] as const;
const READ = /\b(?:stage[- ]?in|read(?:s|ing)?|input|download(?:s|ing)?)\b/;
const WRITE = /\b(?:stage[- ]?out|writ(?:e|es|ing)|output|upload(?:s|ing)?)\b/;
const LOGS = /\blogs?\b/;

/** The copytool activity a stretch of text names: pr (stage-in), pw (stage-out), pl (logs). */
export function activityIn(text: string): 'pr' | 'pw' | 'pl' | undefined {
  if (/\bread_lan\b/.test(text)) return undefined;
  const read = READ.test(text);
  const write = WRITE.test(text);
  if (read && !write) return 'pr';
  if (write && !read) return 'pw';
  if (LOGS.test(text) && !read && !write) return 'pl';
  return undefined;
}

const ACTIVITY_PHRASE =
  /^\s*(?:(?:as|for|to|when|in|on|during|at)\s+(?:the\s+)?)?(?:copy\s*tools?\s+)?(?:(?:for|to|when|in|on|during)\s+(?:the\s+)?)?(?:stage[- ]?in|stage[- ]?out|read(?:s|ing)?|writ(?:e|es|ing)|input|output|upload(?:s|ing)?|download(?:s|ing)?|logs?)(?:\s+(?:files?|data|copytool|activity))?\b/;
const ACTIVITY_BEFORE =
  /(?:stage[- ]?in|stage[- ]?out|read(?:s|ing)?|writ(?:e|es|ing)|input|output|upload|download|logs?)\s+(?:copy\s*tools?\s+)?(?:is\s+|are\s+|with\s+|using\s+|via\s+|of\s+)?$/;

/** "using rucio", "without xrdcp", "rucio or xrdcp", "rucio for stage-out". */
export function copytoolConditions(marks: TextMarks): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const found: Array<FoundCondition & { tool: string; joinedByOr: boolean }> = [];
  const re = new RegExp(String.raw`\b(${COPYTOOLS.join('|')})\b`, 'g');
  for (const m of lower.matchAll(re)) {
    const tool = m[1] === 'gfal' ? 'gfalcopy' : (m[1] as string);
    let start = m.index ?? 0;
    let end = start + m[0].length;
    if (!marks.free(start, end)) continue;
    const neg = negatedBefore(lower, start, 24);
    start = neg.from;
    const afterMatch = ACTIVITY_PHRASE.exec(lower.slice(end));
    const beforeMatch = ACTIVITY_BEFORE.exec(lower.slice(Math.max(0, start - 30), start));
    let activity: string | undefined;
    if (afterMatch) {
      activity = activityIn(afterMatch[0]);
      if (activity) end += afterMatch[0].length;
    }
    if (!activity && beforeMatch) {
      activity = activityIn(beforeMatch[0]);
      if (activity) start -= beforeMatch[0].length;
    }
    const between = found.length > 0 ? lower.slice((found[found.length - 1] as FoundCondition).end, start) : '';
    const filter: QueueFilter = {
      field: 'copytools',
      op: 'has-copytool',
      value: tool,
      ...(activity ? { activity } : {}),
      ...(neg.negated ? { negate: true } : {}),
    };
    found.push({ filter, start, end, tool, joinedByOr: /^\s*(?:,\s*)?(?:or|either)\s*$|^\s*\/\s*$/.test(between) });
    marks.mark(start, end);
  }
  // "rucio or xrdcp" → one condition that either satisfies; the activity of the last applies to all.
  const out: FoundCondition[] = [];
  for (const c of found) {
    const previous = out[out.length - 1];
    if (c.joinedByOr && previous && !previous.filter.negate && !c.filter.negate) {
      const values = [...(Array.isArray(previous.filter.value) ? previous.filter.value : [previous.filter.value]), c.tool];
      const activity = c.filter.activity ?? previous.filter.activity;
      previous.filter = { field: 'copytools', op: 'has-copytool', value: values.map(String), ...(activity ? { activity } : {}) };
      previous.end = c.end;
      continue;
    }
    out.push({ filter: c.filter, start: c.start, end: c.end });
  }
  return out;
}

/** Cloud codes typed as codes (DE, UK) or next to the word cloud ("the de cloud"). */
export function cloudConditions(marks: TextMarks, known: KnownCric): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const clouds = new Map(known.clouds.map((c) => [fold(c), c]));
  const out: FoundCondition[] = [];
  for (const m of marks.text.matchAll(/\b[A-Za-z]{2,4}\b/g)) {
    const token = m[0];
    const cloud = clouds.get(fold(token));
    if (!cloud) continue;
    let start = m.index ?? 0;
    let end = start + token.length;
    if (!marks.free(start, end)) continue;
    const before = /(?:\b(?:in|from|of|at|on)\s+)?(?:the\s+)?(?:cloud\s+)?$/.exec(lower.slice(Math.max(0, start - 20), start));
    const after = /^(?:\s+cloud)?/.exec(lower.slice(end));
    const anchored = /cloud/.test(before?.[0] ?? '') || /cloud/.test(after?.[0] ?? '');
    if (token !== token.toUpperCase() && !anchored) continue;
    if (
      token === token.toUpperCase() &&
      token.length === 2 &&
      !anchored &&
      /^(?:IT|ES)$/.test(token) &&
      !/\b(?:in|from|of|at)\s+(?:the\s+)?$/.test(lower.slice(Math.max(0, start - 10), start))
    ) {
      if (!/^\s*(?:queues?|pqs?|sites?)\b/.test(lower.slice(end))) continue;
    }
    const neg = negatedBefore(lower, start - (before?.[0].length ?? 0), 16);
    start = neg.negated ? neg.from : start - (before?.[0].length ?? 0);
    end += after?.[0].length ?? 0;
    out.push({ filter: { field: 'cloud', op: 'eq', value: cloud, ...(neg.negated ? { negate: true } : {}) }, start, end });
    marks.mark(start, end);
  }
  return mergeSameField(out, lower);
}

const COUNTRY_WORDS: Record<string, string[]> = {
  Germany: ['german'],
  'United Kingdom': ['british', 'england', 'britain', 'great britain'],
  'United States': ['american', 'usa', 'united states of america'],
  Switzerland: ['swiss'],
  Slovenia: ['slovenian'],
  Spain: ['spanish'],
  Italy: ['italian'],
  Canada: ['canadian'],
  France: ['french'],
  Czechia: ['czech', 'czech republic'],
  Sweden: ['swedish'],
  Netherlands: ['dutch', 'the netherlands', 'holland'],
  Israel: ['israeli'],
  Romania: ['romanian'],
  Norway: ['norwegian'],
  Denmark: ['danish'],
  Japan: ['japanese'],
  China: ['chinese'],
  Russia: ['russian'],
  Portugal: ['portuguese'],
  Poland: ['polish'],
  Austria: ['austrian'],
  Australia: ['australian'],
  Taiwan: ['taiwanese'],
  Greece: ['greek'],
  Turkey: ['turkish'],
  Slovakia: ['slovak', 'slovakian'],
  Finland: ['finnish'],
  Belgium: ['belgian'],
  Armenia: ['armenian'],
  Chile: ['chilean'],
  Brazil: ['brazilian'],
  Morocco: ['moroccan'],
  'South Africa': ['south african'],
};

/** Countries by name or adjective ("in Germany", "Swiss queues"). */
export function countryConditions(marks: TextMarks, known: KnownCric): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const out: FoundCondition[] = [];
  const phrases: Array<{ phrase: string; country: string }> = [];
  for (const country of known.countries ?? []) {
    phrases.push({ phrase: country.toLowerCase(), country });
    for (const w of COUNTRY_WORDS[country] ?? []) phrases.push({ phrase: w, country });
  }
  phrases.sort((a, b) => b.phrase.length - a.phrase.length);
  for (const { phrase, country } of phrases) {
    const re = new RegExp(String.raw`(?:\b(?:in|from|located\s+in)\s+(?:the\s+)?)?\b${escapeRe(phrase)}\b`, 'g');
    for (const m of lower.matchAll(re)) claimCondition(marks, lower, m, 16, { field: 'country', op: 'eq', value: country }, out);
  }
  return mergeSameField(out, lower);
}

/** Positive conditions on one field joined by and/or/commas become one `in` (a queue has one value). */
export function mergeSameField(conditions: FoundCondition[], _lower: string): FoundCondition[] {
  const negatives = conditions.filter((c) => c.filter.negate);
  const positives = conditions.filter((c) => !c.filter.negate);
  if (positives.length <= 1) return conditions;
  const values = [...new Set(positives.flatMap((c) => (Array.isArray(c.filter.value) ? c.filter.value : [c.filter.value])).map(String))];
  const first = positives[0] as FoundCondition;
  return [
    ...negatives,
    {
      filter: { field: first.filter.field, op: values.length === 1 ? 'eq' : 'in', value: values.length === 1 ? (values[0] as string) : values },
      start: Math.min(...positives.map((c) => c.start)),
      end: Math.max(...positives.map((c) => c.end)),
    },
  ];
}

/** Harvester instances by name, "managed by Harvester", "local pilot manager". */
export function harvesterConditions(marks: TextMarks, known: KnownCric): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const out: FoundCondition[] = [];
  for (const h of [...(known.harvesters ?? [])].sort((a, b) => b.length - a.length)) {
    const re = new RegExp(
      String.raw`(?:\b(?:served|managed|run|handled|fed)\s+(?:by|via|through)\s+(?:the\s+)?)?(?:\bharvester\s+(?:instance\s+)?(?:is\s+)?)?(?<![\w-])${escapeRe(h.toLowerCase())}(?![\w-])(?:\s+harvester(?:\s+instance)?)?`,
      'g',
    );
    for (const m of lower.matchAll(re)) claimCondition(marks, lower, m, 16, { field: 'harvester', op: 'eq', value: h }, out);
  }
  const managed =
    /\b(?:(not|n't)\s+)?(?:managed|run|served|submitted|operated|fed)\s+(?:by|via|through|with)\s+(?:a\s+|the\s+)?harvester\b|\b(?:(without|no|non-?)\s*)harvester\b|\bharvester[- ](?:managed|queues?|pqs?)\b|\blocal\s+pilot\s+manager\b|\bpilot\s+manager\s+(?:is\s+)?(harvester|local)\b/g;
  for (const m of lower.matchAll(managed)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (!marks.free(start, end)) continue;
    const local = /local/.test(m[0]);
    const negated = Boolean(m[1] || m[2]);
    out.push({ filter: { field: 'pilot_manager', op: 'eq', value: local ? 'local' : 'Harvester', ...(negated ? { negate: true } : {}) }, start, end });
    marks.mark(start, end);
  }
  return out;
}

/** "pilot version 3.10.5.57", "pilot older than 3.10", "pilot 3". */
export function pilotVersionConditions(marks: TextMarks): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const out: FoundCondition[] = [];
  const re = new RegExp(String.raw`\bpilot(?:\s+versions?)?\s+(?:is\s+|of\s+|=\s*)?(?:(${COMPARATOR})\s+)?(?:version\s+)?v?(\d+(?:\.\d+)*)\b`, 'g');
  for (const m of lower.matchAll(re)) claimCondition(marks, lower, m, 14, { field: 'pilot_version', op: m[1] ? opOf(m[1]) : 'eq', value: m[2] as string }, out);
  return out;
}

interface KindWord {
  re: RegExp;
  filter: (m: RegExpExecArray) => QueueFilter;
}

const KIND_WORDS: KindWord[] = [
  {
    re: /\b(?:resource[\s_]+type\s+(?:is\s+)?)?(gpu|hpc_special|cloud_special|hpc|grid)(?:\s+resource(?:\s+type)?)?(?=\s*(?:queues?|pqs?|resources?|sites?|resource\s+type|or|and|,|\?|$))/g,
    filter: (m) => {
      const v = (m[1] ?? '').toLowerCase();
      if (v === 'hpc' && !/resource/.test(m[0])) return { field: 'resource_type', op: 'in', value: ['hpc', 'hpc_special'] };
      return { field: 'resource_type', op: 'eq', value: v === 'grid' ? 'GRID' : v };
    },
  },
  {
    re: /\bresource[\s_]+type\s+(?:is\s+)?(cloud)\b/g,
    filter: () => ({ field: 'resource_type', op: 'eq', value: 'cloud' }),
  },
  {
    re: /\b(?:(?:queue\s+)?type\s+(?:is\s+)?)?(analysis|production|unified|special)(?:\s+type)?(?=\s*(?:queues?|pqs?|type|or|and|,|\?|$))/g,
    filter: (m) => ({ field: 'type', op: 'eq', value: (m[1] ?? '').toLowerCase() }),
  },
  {
    re: /\b(?:tier\s*[- ]?\s*(\d)\b|(t[0-3]d?)\b)/g,
    filter: (m) =>
      m[1] !== undefined
        ? { field: 'tier', op: 'in', value: m[1] === '0' || m[1] === '1' ? [`T${m[1]}`] : [`T${m[1]}`, `T${m[1]}D`] }
        : { field: 'tier', op: 'eq', value: (m[2] ?? '').toUpperCase() },
  },
  { re: /\b(ucore|mcore|score)\b(?:\s+capability)?/g, filter: (m) => ({ field: 'capability', op: 'eq', value: (m[1] ?? '').toLowerCase() }) },
  { re: /\b(singularity|apptainer)\b/g, filter: (m) => ({ field: 'container_type', op: 'contains', value: (m[1] ?? '').toLowerCase() }) },
  {
    re: /\b(?:workflow\s+(?:is\s+)?(pull_ups|push_noheartbeat|pull|push)\b|(pull_ups|push_noheartbeat|pull|push)\s+workflow\b)/g,
    filter: (m) => ({ field: 'workflow', op: 'eq', value: (m[1] ?? m[2] ?? '').toLowerCase() }),
  },
  { re: /\bdirect[\s_]+access(?:\s+(?:on\s+the\s+)?lan)?\b/g, filter: () => ({ field: 'direct_access_lan', op: 'eq', value: true }) },
  { re: /\bdirect[\s_]+access\s+(?:on\s+the\s+|over\s+the\s+)?wan\b/g, filter: () => ({ field: 'direct_access_wan', op: 'eq', value: true }) },
];

/** Resource type, queue type, tier, capability, container runtime, workflow. */
export function kindConditions(marks: TextMarks): FoundCondition[] {
  const lower = marks.text.toLowerCase();
  const out: FoundCondition[] = [];
  for (const kind of KIND_WORDS) {
    for (const m of lower.matchAll(kind.re)) {
      if (m[0].trim() === '') continue;
      const start = m.index ?? 0;
      if (!marks.free(start, start + m[0].length)) continue;
      claimCondition(marks, lower, m, 14, kind.filter(m as unknown as RegExpExecArray), out);
    }
  }
  const byField = new Map<string, FoundCondition[]>();
  for (const c of out) byField.set(c.filter.field, [...(byField.get(c.filter.field) ?? []), c]);
  return [...byField.values()].flatMap((list) => (list.length > 1 && list[0]?.filter.op !== 'contains' ? mergeSameField(list, lower) : list));
}

/** Known values of a field across the queues (for the LLM prompt and the parser). */
export function distinctValues(queues: QueueRecord[], field: string): string[] {
  return [...new Set(queues.map((q) => q[field]).filter((v): v is string => typeof v === 'string' && v.length > 0))].sort();
}
