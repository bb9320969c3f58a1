/**
 * Offline parser: turns a queue question into a typed QueueQuery (no LLM) that keeps every
 * condition it read — names (several queues or sites), cloud, country, status, copytools per
 * activity, numeric comparisons, Harvester, pilot version, resource/queue type, tier — combined with
 * AND (OR where the question says "or"), and a projection of every field asked. Words it could not
 * read are returned as `unparsed`, so the answer can say so instead of dropping them. "Top errors at
 * X in the last 6 hours" is handed to the error-summary answer.
 */
import type { Entities } from '../../src/contracts/routing.js';
import {
  cloudConditions,
  copytoolConditions,
  countryConditions,
  type FoundCondition,
  type FoundField,
  findFieldPhrases,
  findNames,
  harvesterConditions,
  type KnownCric,
  kindConditions,
  numericConditions,
  pilotVersionConditions,
  statusConditions,
  TextMarks,
  activityIn,
} from './queue-conditions.js';
import { CONTAINER_FIELDS, fieldFromWord, fieldInfo, LIST_FIELDS, suggestFields } from './queue-fields.js';
import type { QueueFilter, QueueQuery } from './queue-query.js';

export type { KnownCric } from './queue-conditions.js';

export type ParsedQueueQuestion =
  | { kind: 'query'; query: QueueQuery; title: string; queue?: string; queues?: string[]; site?: string }
  | { kind: 'errors'; site: string | null; hours: number }
  | { kind: 'unknown-name'; name: string }
  | { kind: 'unknown-field'; word: string; suggestions: string[] }
  | { kind: 'unparsed' };

export const SUMMARY_HOURS = [1, 3, 6, 12, 24] as const;

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
  harvester: 'harvester',
  'harvester instance': 'harvester',
  'pilot version': 'pilot_version',
  workflow: 'workflow',
  corecount: 'corecount',
};

/** Words that look like names but are not (upper-case acronyms in questions). */
const NOT_NAMES = new Set(
  'CRIC PANDA HS06 RSS MB GB TB CPU GPU HPC WAN LAN ID OK PQ PQS CE SE I A MAXRSS MAXTIME ATLAS UTC GRID SCORE MCORE UCORE JSON T0 T1 T2 T3 T2D T3D AND OR NOT'.split(
    ' ',
  ),
);

/** Words that carry no condition: what is left after these is told to the user as not understood. */
const FILLER = new Set(
  `a an the of at in on for to from by with and or but not no is are was were be been does do did has have had can could would should will shall may might must
  which what whats what's who whose where when how many much number count list show give tell me us please all any some every each only just also both either
  queue queues pq pqs panda site sites cloud clouds resource resources use uses used using run runs running that those these this it its it's their there
  with value values set configured configuration settings setting properties property info information details about currently now today right
  i we you my our your want need know find get see display print let like than then as such other others one ones same
  have has having support supports supporting allowed enabled atlas cric copytool copytools copy tool tools activity activities
  under located based per each between against vs versus same different difference compare comparison`
    .split(/\s+/)
    .filter(Boolean),
);

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

/** A token shaped like a queue/site name (BNL_PROD, UKI-FOO) that CRIC does not know. */
function unknownNameToken(marks: TextMarks, known: KnownCric): string | null {
  const all = new Set([...known.queues, ...known.sites, ...known.clouds, ...(known.harvesters ?? [])].map(fold));
  for (const m of marks.text.matchAll(/\b[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)+\b|\b[A-Z][A-Z0-9]{2,}\b/g)) {
    const token = m[0];
    const start = m.index ?? 0;
    if (!marks.free(start, start + token.length)) continue;
    if (all.has(fold(token)) || NOT_NAMES.has(token.toUpperCase())) continue;
    if (fieldFromWord(token.replace(/_/g, ' '))) continue;
    if (/^(?:stage-(?:in|out)|read_lan|write_lan|pull_ups|push_noheartbeat|hpc_special|cloud_special|e\.g|i\.e)$/i.test(token)) continue;
    if (/^\d/.test(token.replace(/^[vV]/, ''))) continue;
    return token;
  }
  return null;
}

/** "what's the corepowr of X": the word asked for when it names no field we know. */
function unknownFieldAsked(text: string): string | null {
  const ask = /\b(?:what(?:'s| is| are)?|show(?: me)?|give me)\s+(?:the\s+)?([a-z][\w -]*?)\s+(?:of|for|at)\b/i.exec(text);
  if (!ask || /\bcontainer|copy ?tool|queues?|settings?|config\w*|details|info\w*|properties|status|state\b/i.test(ask[1] ?? '')) return null;
  const word = (ask[1] ?? '').trim();
  return word && !fieldFromWord(word) ? word : null;
}

/** The stage-in/stage-out words a copytool projection used. */
function markActivityWords(marks: TextMarks): void {
  const lower = marks.text.toLowerCase();
  for (const m of lower.matchAll(/\b(?:for\s+|on\s+|during\s+)?(?:the\s+)?(?:stage[- ]?in|stage[- ]?out|reading|writing|uploads?|downloads?)\b/g)) {
    const start = m.index ?? 0;
    if (marks.free(start, start + m[0].length)) marks.mark(start, start + m[0].length);
  }
}

/** Leftover words that no condition or field used, as phrases of the question. */
function leftoverPhrases(marks: TextMarks): string[] {
  const out: string[] = [];
  for (const piece of marks.leftovers()) {
    let phrase: string[] = [];
    const flush = () => {
      if (phrase.length > 0) out.push(phrase.join(' '));
      phrase = [];
    };
    for (const word of piece.text.split(/[\s,;:!?()"“”]+/)) {
      const w = word.replace(/^['.]+|['.]+$/g, '');
      if (!w) continue;
      const lw = w.toLowerCase().replace(/'s$/, '');
      if (FILLER.has(lw) || lw.length < 2 || /^[-–—=<>/]+$/.test(lw)) {
        flush();
        continue;
      }
      phrase.push(w);
    }
    flush();
  }
  return out;
}

interface Aggregation {
  groupBy?: string;
  aggregate?: QueueQuery['aggregate'];
  sort?: QueueQuery['sort'];
  limit?: number;
}

/** how many / per cloud / highest / lowest / top N by / average / sorted by. */
function aggregation(marks: TextMarks, fields: FoundField[], listQuestion: boolean): Aggregation {
  const lower = marks.text.toLowerCase();
  const out: Aggregation = {};
  const take = (re: RegExp): RegExpExecArray | null => {
    for (const m of lower.matchAll(new RegExp(re.source, 'g'))) {
      const start = m.index ?? 0;
      if (marks.free(start, start + m[0].length)) {
        marks.mark(start, start + m[0].length);
        return m as unknown as RegExpExecArray;
      }
    }
    return null;
  };
  const count = take(/\bhow\s+many\b|\bnumber\s+of\b|\bcount(?:\s+of)?\b/);
  const per = /\b(?:per|by|in\s+each|for\s+each|each|grouped\s+by|broken\s+down\s+by)\s+(resource\s+type|harvester\s+instance|pilot\s+version|[a-z]+)\b/.exec(
    lower,
  );
  if (per && GROUP_WORDS[(per[1] ?? '').replace(/\s+/g, ' ')] && (count || /\bgroup|broken|breakdown|distribution\b/.test(lower) || /\bper\b/.test(per[0]))) {
    out.groupBy = GROUP_WORDS[(per[1] ?? '').replace(/\s+/g, ' ')];
    marks.mark(per.index, per.index + per[0].length);
    for (const f of fields) if (f.start >= per.index && f.end <= per.index + per[0].length + 1) fields.splice(fields.indexOf(f), 1);
  }
  const numeric = fields.filter((f) => fieldInfo(f.field)?.type === 'number');
  const avg = take(/\b(?:average|mean|avg)\b/);
  const sum = take(/\b(?:total|sum\s+of|sum)\b/);
  const top = take(/\btop\s+(\d+)\b|\b(\d+)\s+(?:queues?|pqs?)\s+with\s+the\s+(?:highest|largest|most|lowest|smallest|least)\b/);
  const extreme = take(/\b(highest|largest|biggest|most|maximum|max|lowest|smallest|least|minimum|min|fewest)\b/);
  const sorted = take(/\b(?:sorted|ordered|sort|order|ranked)\s+by\b/);
  const target = numeric[0]?.field;
  if (avg && target) out.aggregate = { fn: 'avg', field: target };
  else if (sum && target && !listQuestion) out.aggregate = { fn: 'sum', field: target };
  else if ((top || extreme || sorted) && target) {
    const low = extreme && /^(lowest|smallest|least|minimum|min|fewest)$/.test(extreme[1] ?? '');
    const n = top ? Number(top[1] ?? top[2]) : undefined;
    if (!listQuestion && extreme && !top && !sorted && !out.groupBy) out.aggregate = { fn: low ? 'min' : 'max', field: target };
    else {
      out.sort = { field: target, order: low ? 'asc' : 'desc' };
      if (n) out.limit = n;
      else if (extreme && !sorted && /\bwhich\s+(?:queue|pq|site)\b|\bthe\s+(?:queue|pq)\b/.test(lower)) out.limit = 1;
      else if (extreme && !sorted) out.limit = 10;
    }
    if (out.groupBy && out.aggregate === undefined) out.aggregate = { fn: low ? 'min' : 'max', field: target };
  } else if (out.groupBy && target && !count) out.aggregate = { fn: 'max', field: target };
  if (count && !out.aggregate) out.aggregate = { fn: 'count' };
  return out;
}

/** Rewrites same-field conditions and "A or B" across fields into the query's filters / anyOf. */
function combine(conditions: FoundCondition[], lower: string): { filters: QueueFilter[]; anyOf?: QueueFilter[] } {
  const sorted = [...conditions].sort((a, b) => a.start - b.start);
  const groups: FoundCondition[][] = [];
  for (const c of sorted) {
    const previous = groups[groups.length - 1];
    const last = previous?.[previous.length - 1];
    const between = last ? lower.slice(last.end, c.start) : '';
    if (previous && last && /^\s*(?:,\s*)?(?:or|either)\s+(?:(?:at|in|on|with|using|a|the|from)\s+)*$/.test(between) && last.filter.field !== c.filter.field) {
      previous.push(c);
    } else groups.push([c]);
  }
  const filters: QueueFilter[] = [];
  let anyOf: QueueFilter[] | undefined;
  for (const g of groups) {
    if (g.length > 1 && !anyOf) anyOf = g.map((c) => c.filter);
    else filters.push(...g.map((c) => c.filter));
  }
  return anyOf ? { filters, anyOf } : { filters };
}

function errorsQuestion(lower: string): boolean {
  return /\b(errors?|failures?|failing|failed\s+jobs)\b/.test(lower) && !/\bcopytool|corepower|maxrss|memory|maxtime\b/.test(lower);
}

/** Fields to show for the conditions of a list (so the reader sees each condition hold). */
function conditionColumns(filters: QueueFilter[]): string[] {
  const out: string[] = [];
  for (const f of filters) {
    if (f.field === 'name') continue;
    if (f.field === 'copytools' && f.activity) out.push(`acopytools.${f.activity}`);
    // The ATLAS site shows why a queue whose own CRIC site differs (LRZ-LMU_MUC) belongs to the site asked.
    else if (f.field === 'site') out.push('atlas_site');
    else out.push(f.field);
  }
  return out;
}

export function parseQueueQuestion(text: string, entities: Partial<Entities>, known: KnownCric): ParsedQueueQuestion {
  const lower = text.toLowerCase();
  const marks = new TextMarks(text);
  const names = findNames(marks, known);
  const firstPlace = names[0]?.site ?? names[0]?.queue ?? null;

  if (errorsQuestion(lower)) {
    return { kind: 'errors', site: firstPlace ?? entities.site ?? entities.queue ?? null, hours: hoursOf(text) };
  }

  const unknown = unknownNameToken(marks, known);
  if (unknown) return { kind: 'unknown-name', name: entities.queue && fold(entities.queue) === fold(unknown) ? entities.queue : unknown };

  // Conditions with values first, so their words ("cloud DE", "pilot version 3") are not taken as asked fields.
  const conditions: FoundCondition[] = [
    ...pilotVersionConditions(marks),
    ...harvesterConditions(marks, known),
    ...copytoolConditions(marks),
    ...statusConditions(marks),
    ...cloudConditions(marks, known),
    ...countryConditions(marks, known),
    ...kindConditions(marks),
  ];
  const phrases = findFieldPhrases(marks);
  const numeric = numericConditions(marks, phrases);
  conditions.push(...numeric.conditions);
  let asked = phrases.filter((p) => !numeric.used.has(p));

  // A field word next to a condition on the same field is the condition's anchor, not a question.
  asked = asked.filter((p) => {
    if (p.field === 'copytools' && conditions.some((c) => c.filter.field === 'copytools' && Math.abs(c.start - p.end) < 24)) return false;
    if (p.field === 'status' && conditions.some((c) => c.filter.field === 'status')) return false;
    if (p.field === 'cloud' && conditions.some((c) => c.filter.field === 'cloud')) return false;
    if (p.field === 'country' && conditions.some((c) => c.filter.field === 'country')) return false;
    return true;
  });

  const plural = /\b(?:queues|pqs|resources)\b/.test(lower);
  const listWords = /\b(?:which|list|show\s+(?:me\s+)?(?:all|the)|how\s+many|number\s+of|count|find|any|all)\b/.test(lower);
  const siteWord = (n: { start: number; end: number }) =>
    /\b(?:site|at|in)\s+(?:the\s+)?(?:site\s+)?$/.test(lower.slice(Math.max(0, n.start - 14), n.start)) || /^\s+site\b/.test(lower.slice(n.end));
  // "queues at BNL" where BNL is only a queue name: the queue's ATLAS site is meant.
  for (const n of names) {
    const site = n.queue && !n.site ? known.queueSites?.[n.queue] : undefined;
    if (site && plural && siteWord(n)) n.site = site;
  }
  const asSite = (n: (typeof names)[number]) => n.site !== null && (n.queue === null || plural || siteWord(n));
  const siteMentions = names.filter(asSite);
  const queueMentions = names.filter((n) => !asSite(n) && n.queue);
  const listQuestion = plural || (listWords && queueMentions.length !== 1) || siteMentions.length > 0;
  const agg = aggregation(marks, asked, listQuestion);
  asked = asked.filter((p) => agg.groupBy !== p.field);

  const activity = activityIn(lower);
  if (activity) markActivityWords(marks);
  const select: string[] = [];
  for (const p of asked) {
    if (p.field === 'copytools' || p.field === 'acopytools') select.push(activity ? `acopytools.${activity}` : 'copytools');
    else if (p.field === 'container_options' || p.field === 'container_type') select.push(...CONTAINER_FIELDS);
    else select.push(p.field);
  }
  if (
    /\bcopy\s*tools?\b/.test(lower) &&
    !select.some((f) => f.startsWith('copytools') || f.startsWith('acopytools')) &&
    !conditions.some((c) => c.filter.field === 'copytools')
  ) {
    select.push(activity ? `acopytools.${activity}` : 'copytools');
  }
  const uniqueSelect = [...new Set(select)];

  // Several queues named: their fields ("maxrss of MWT2 and of AGLT2"); conditions filter only when asked "which of …".
  if (queueMentions.length > 0 && siteMentions.length === 0) {
    const queueNames = [...new Set(queueMentions.filter((n) => !n.negated).map((n) => n.queue as string))];
    const filterAsked = listWords && queueNames.length > 1;
    const nameFilter: QueueFilter =
      queueNames.length === 1 ? { field: 'name', op: 'eq', value: queueNames[0] as string } : { field: 'name', op: 'in', value: queueNames };
    const extra = filterAsked ? conditions.map((c) => c.filter) : [];
    const projected = filterAsked ? [] : conditionColumns(conditions.map((c) => c.filter));
    let fields = [...new Set([...uniqueSelect, ...projected, ...conditionColumns(extra)])];
    const askedWord = unknownFieldAsked(text);
    if (fields.length === 0 && askedWord) return { kind: 'unknown-field', word: askedWord, suggestions: suggestFields(askedWord) };
    if (fields.length === 0) fields = ['site', 'cloud', 'status', 'type', 'resource_type', 'corecount', 'corepower', 'maxrss', 'maxtime', 'copytools'];
    if (/\b(?:is|are)\b[^?]*\b(?:up|down|working|available)\b/.test(lower) && !fields.includes('status')) fields.unshift('status');
    if (/\bstatus|online|offline|brokeroff\b/.test(lower) && fields.length <= 2 && !fields.includes('state_comment')) fields.push('state_comment');
    const query: QueueQuery = {
      filters: [nameFilter, ...extra],
      select: fields,
      ...(agg.sort ? { sort: agg.sort } : {}),
      ...(agg.limit ? { limit: agg.limit } : {}),
    };
    const unparsed = leftoverPhrases(marks);
    if (unparsed.length > 0) query.unparsed = unparsed;
    return {
      kind: 'query',
      query,
      title: `${fields.join(', ')} of ${queueNames.join(', ')}`,
      ...(queueNames.length === 1 ? { queue: queueNames[0] as string } : {}),
      queues: queueNames,
    };
  }

  const siteConditions: FoundCondition[] = siteMentions.map((n) => ({
    filter: { field: 'site', op: 'eq', value: n.site as string, ...(n.negated ? { negate: true } : {}) },
    start: n.start,
    end: n.end,
  }));
  const positiveSites = siteConditions.filter((c) => !c.filter.negate);
  if (positiveSites.length > 1) {
    // A queue belongs to one site: "at BNL and MWT2" means either.
    const merged: FoundCondition = {
      filter: { field: 'site', op: 'in', value: positiveSites.map((c) => String(c.filter.value)) },
      start: Math.min(...positiveSites.map((c) => c.start)),
      end: Math.max(...positiveSites.map((c) => c.end)),
    };
    siteConditions.splice(0, siteConditions.length, ...siteConditions.filter((c) => c.filter.negate), merged);
  }
  const all = [...siteConditions, ...conditions];
  const { filters, anyOf } = combine(all, lower);

  if (all.length === 0 && uniqueSelect.length === 0 && !agg.aggregate && !agg.groupBy) {
    const word = unknownFieldAsked(text);
    return word ? { kind: 'unknown-field', word, suggestions: suggestFields(word) } : { kind: 'unparsed' };
  }
  if (all.length === 0 && uniqueSelect.length > 0 && !agg.aggregate && !agg.sort && !agg.groupBy && !plural) {
    // A field asked of a name CRIC does not know ("maxtime of praguelcg3"): say so, with suggestions.
    const named = /\b(?:of|does|for|at|is|on)\s+([A-Za-z][\w.-]*\d[\w.-]*|[A-Za-z][\w.-]{3,})\b/.exec(text);
    const word = named?.[1];
    if (
      word &&
      !FILLER.has(word.toLowerCase()) &&
      !fieldFromWord(word) &&
      marks.free(named.index + named[0].length - word.length, named.index + named[0].length)
    )
      return { kind: 'unknown-name', name: word };
    // A field asked with no queue and no condition: say which is missing rather than list 227 queues.
    return { kind: 'unparsed' };
  }

  const columns = [
    ...new Set([...(siteMentions.length > 0 || filters.length === 0 ? [] : []), ...uniqueSelect, ...conditionColumns([...filters, ...(anyOf ?? [])])]),
  ];
  const base = columns.length > 0 ? columns : [...LIST_FIELDS.slice(1)];
  const withSite = base.includes('site') || base.includes('atlas_site') ? base : ['site', ...base];
  const sortField =
    agg.sort?.field ??
    (uniqueSelect.length === 1 && fieldInfo(uniqueSelect[0] as string)?.type === 'number' && siteMentions.length > 0 ? uniqueSelect[0] : undefined);
  const query: QueueQuery = {
    filters,
    ...(anyOf ? { anyOf } : {}),
    select: agg.aggregate && !agg.sort ? [] : withSite.slice(0, 8),
    ...(agg.groupBy ? { groupBy: agg.groupBy } : {}),
    ...(agg.aggregate ? { aggregate: agg.aggregate } : {}),
    ...(sortField ? { sort: agg.sort ?? { field: sortField, order: 'desc' as const } } : {}),
    ...(agg.limit ? { limit: agg.limit } : {}),
  };
  const unparsed = leftoverPhrases(marks);
  if (unparsed.length > 0) query.unparsed = unparsed;
  const site = siteMentions.length === 1 && !siteMentions[0]?.negated ? (siteMentions[0]?.site ?? undefined) : undefined;
  return { kind: 'query', query, title: 'Queues', ...(site ? { site } : {}) };
}
