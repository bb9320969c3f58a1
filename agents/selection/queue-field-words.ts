/**
 * Which CRIC queue fields a short follow-up names ("and its max work dir size?", "how long can jobs
 * run there?", "which cloud is it in?"). The field table is the queue agent's (`QUEUE_FIELDS`: names
 * and the synonyms written from the CRIC field descriptions); on top of it, spelling variants are
 * folded (maximum → max, working directory → work dir, wall clock time → walltime) and a few word
 * families stand for the fields people ask about most (memory, time, disk, cores, copytool, status,
 * place), so a new wording of a known field still finds it.
 */
import { FIELD_PHRASES } from '../data/queue-fields.js';
import { escapeRe } from './text.js';

/** Spelling variants folded before the field table is consulted. */
const FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:maximum|maximal|max\.|upper)\b/g, 'max'],
  [/\b(?:minimum|minimal|min\.|lower)\b/g, 'min'],
  [/\b(?:average|avg|typical)\b/g, 'mean'],
  [/\bwork(?:ing)?[\s_-]*dir(?:ectory|ectories|s)?\b|\bwdir\b/g, 'work dir'],
  [/\bwall[\s_-]*(?:clock[\s_-]*)?time\b/g, 'walltime'],
  [/\bcopy[\s_-]*tools?\b/g, 'copytool'],
  [/\bcore[\s_-]*count\b|\bnumber\s+of\s+(?:cpu\s+)?cores\b|\bcpu\s+cores\b|\bhow\s+many\s+(?:cpu\s+)?cores\b/g, 'corecount'],
  [/\bmemory\s+(?:limit|size|cap|allowed|per\s+(?:job|slot))\b|\b(?:rss|ram)\s+(?:limit|cap)\b/g, 'max memory'],
];

/** Word families for the fields asked about most, each to its CRIC field (checked after the field table). */
const FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:min|lowest|smallest)\s+(?:rss|ram|memory|mem)\b/, 'minrss'],
  [/\b(?:mean)\s+(?:rss|ram|memory|mem)\b/, 'meanrss'],
  [/\b(?:rss|ram|memory|mem)\b/, 'maxrss'],
  [/\bhow\s+long\b|\b(?:run|running|job)\s*-?\s*(?:time|duration|length)\b|\bruntime\b|\btime\s+(?:limit|cap)\b|\bduration\b/, 'maxtime'],
  [/\bscratch\b|\b(?:local\s+)?disk\b|\bwork\s+dir\b|\bsandbox\b/, 'maxwdir'],
  [/\b(?:cores?|cpus?|threads|slots?|multi-?core|single-?core)\b/, 'corecount'],
  [
    /\bcopytool\b|\b(?:transfer|stage-?(?:in|out))\s+tools?\b|\bdata\s+movers?\b|\bhow\s+(?:does\s+it|do\s+(?:the\s+)?jobs)\s+(?:copy|transfer|move|stage)\b/,
    'copytools',
  ],
  [/\b(?:status|state|online|offline|brokeroff|broker\s*off|up|down|active|working|available|alive|enabled|disabled)\b/, 'status'],
  [/\bclouds?\b/, 'cloud'],
  [/\bcountry\b|\blocated\b|\bwhere\s+is\s+(?:it|that|this)\b/, 'country'],
  [/\btiers?\b/, 'tier'],
  [/\bsites?\b|\bbelongs?\s+to\b/, 'site'],
  [/\binputs?(?:\s+files?)?(?:\s+(?:size|limit))?\b/, 'maxinputsize'],
];

/** Phrases of the field table too generic to name a field in a follow-up on their own. */
const GENERIC = new Set(['use', 'uses', 'details', 'info', 'settings', 'setup', 'config', 'parameters', 'params', 'modified', 'comment', 'description']);

const PHRASES = FIELD_PHRASES.filter((p) => !GENERIC.has(p.phrase)).map((p) => ({
  field: p.field,
  pattern: new RegExp(`(?<![\\w-])${escapeRe(p.phrase).replace(/ /g, '[\\s_-]*')}(?![\\w-])`, 'g'),
}));

export function foldFieldWords(lower: string): string {
  let text = lower;
  for (const [pattern, to] of FOLDS) text = text.replace(pattern, to);
  return text;
}

/** The CRIC fields a message names, in the order they appear (no duplicates). */
export function fieldsNamed(lower: string): string[] {
  let text = foldFieldWords(lower);
  const hits: Array<{ at: number; field: string }> = [];
  // The field table first (longest phrase first), each match blanked so a family does not count it again.
  for (const { field, pattern } of PHRASES) {
    text = text.replace(pattern, (m, at: number) => {
      hits.push({ at, field });
      return ' '.repeat(m.length);
    });
  }
  for (const [pattern, field] of FAMILIES) {
    const m = pattern.exec(text);
    if (!m) continue;
    hits.push({ at: m.index, field });
    text = text.slice(0, m.index) + ' '.repeat(m[0].length) + text.slice(m.index + m[0].length);
  }
  const out: string[] = [];
  for (const { field } of hits.sort((a, b) => a.at - b.at)) if (!out.includes(field)) out.push(field);
  return out;
}
