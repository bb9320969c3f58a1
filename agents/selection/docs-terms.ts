/**
 * Documentation terms versus queue names. In a how/what/why question, an unknown all-caps token
 * (`PANDAARCH`, `TRF_EXEC_VALIDATION`), a snake_case option (`max_walltime`) or an acronym is a
 * term to look up in the documentation, not a PanDA queue — unless it resolves against CRIC,
 * exactly (the name index) or closely (one or two typos away from a known queue or site), or the
 * question points at it as a queue/site ("the queue FOO", "maxtime of FOO").
 */
import type { IntentDecision } from './intent.js';
import { withinEdits } from '../../src/panda/index.js';
import { ACRONYMS, fieldAskedOf, type NameIndex, type NameMention, ownerOfQueues, sitePrefix, topicAsked, wordyIdentifier } from './names.js';
import { escapeRe } from './text.js';
import { QUEUE_LIST } from './vocabulary.js';

/** A question asking how/what/why/where, or what something means. */
const EXPLAIN_QUESTION =
  /^(?:\W*)(?:hi|hey|hello|please|so|ok|okay)?[,!\s]*(?:how|what|what's|whats|why|where|which|when|explain|define|does|do|is|are|can|could|should|would|tell me|meaning|difference)\b|\bwhat (?:does|do|is|are)\b|\b(?:mean|means|meaning|stand for|stands for|used for|set|configure|option|parameter|variable|setting|field|table|column|flag|key)\b/;
/** A question asked after the term ("PILOT_MAXNPROC - who sets it?", "FOO vs BAR: when does the pilot use each?"). */
const LATER_QUESTION = /(?:^|[-:;,.!?]\s*|\s)(?:how|what|why|where|which|when|who|does|do|is|are|can|should)\b[^?]*\?/;
/** "what about FOO?", "and FOO?": a follow-up that only names something. */
export const BARE_FOLLOW_UP = /^\W*(?:and\s+)?(?:(?:what|how)\s+about\s+)?(?:the\s+)?[\w-]+\s*\?*\s*$/;
/** Identifier shapes that are documentation vocabulary when CRIC does not know them. */
const TERM_SHAPE =
  /^(?:[A-Z][A-Z0-9]{2,}(?:_[A-Z0-9]+)*|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)+|[A-Z]+[A-Z][a-z]+[A-Za-z0-9]*)$/;
/** "the foo parameter", "option foo": a plain word named as a setting is a documentation term. */
const NAMED_SETTING =
  /\b(?:the\s+)?([a-z][a-z0-9]{3,})\s+(?:parameter|option|setting|flag|variable|attribute|field|key|switch)s?\b|\b(?:parameter|option|setting|flag|variable|attribute|switch|field|key)\s+(?:called\s+|named\s+)?([a-z][a-z0-9]{3,})\b/;
/** Words that name a kind of setting rather than a setting ("the default option", "which memory parameter"). */
const SETTING_WORDS = new Set(
  'this that which what some default same other another config configuration command line right correct wrong best new old some each every given special certain panda pilot queue task job user site grid'.split(
    ' ',
  ),
);
/** Words only asked about queues (a CRIC field or state), unlike "setting", "parameter" or "config". */
const QUEUE_FIELD =
  /\b(?:copy\s*tools?|corepower|core\s*power|corecount|hs06|hepspec\w*|max\s*rss|minrss|maxmemory|max\s*time|mintime|max(?:imum)?\s+walltime|maxwdir|maxinputsize|brokeroff|blacklisted|online|offline|pledged|timefloor|gocname|queuedata|schedconfig|cloud|tier|status of|state of|memory|ram|walltime|wall\s*time|cpu\s*time|cores?|test\s+mode|in\s+test|pilot\s+version|container[\s_](?:type|options)|containers?|singularity|apptainer|acopytools|direct\s+access|resource\s+type|(?:analysis|production|gpu|hpc|grid|unified|test)\s+queue|which\s+site|part\s+of)\b/;
/** A hyphenated compound of known acronyms ("HPC-API", "CE-SE"): vocabulary, not a queue name, unless CRIC knows it. */
const acronymCompound = (token: string): boolean => {
  const segments = token.toUpperCase().split('-');
  return segments.length >= 2 && /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/.test(token) && segments.every((s) => ACRONYMS.has(s));
};
const OPTION_TOKEN = /(?<![\w-])(--?[A-Za-z][A-Za-z0-9_-]*)/g;
const TERM_TOKEN = /(?<![\w.\-/@])[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9](?![\w\-/@])/g;

/** The token is a CRIC queue or site name, or one or two typos away from one. */
export function resolvesAgainstCric(token: string, index: NameIndex): boolean {
  const lower = token.toLowerCase();
  if (index.queues.has(lower) || index.sites.has(lower)) return true;
  if (sitePrefix(lower, index)) return true;
  if (lower.length < 5) return false;
  const max = lower.length >= 10 ? 2 : 1;
  for (const map of [index.queues, index.sites]) for (const name of map.keys()) if (withinEdits(lower, name, max)) return true;
  return false;
}

/**
 * The question asks what the token itself is or does ("what does FOO_BAR do in the copytool
 * settings?", "what is FOO-CE and how …"): a definition, so the queue words around it describe
 * the term's context, not a queue. "what is FOO's maxtime" or "what is FOO status" is not one.
 */
const definedBy = (lower: string, token: string): boolean => {
  const t = escapeRe(token.toLowerCase());
  return new RegExp(
    `\\bwhat\\s+(?:does|do|did)\\s+(?:the\\s+)?${t}\\s+(?:do|does|mean|means|stand\\s+for|control|controls|set|sets|change|changes|affect|affects|check|checks|handle|handles)\\b|\\bwhat(?:'s|\\s+is|\\s+are)\\s+(?:an?\\s+|the\\s+)?${t}\\s*(?:$|[?.!,;:]|\\s+(?:and|exactly|actually|used\\s+for|for|in\\s+(?:panda|the\\s+pilot|harvester|jedi|rucio)))|\\b(?:explain|define)\\s+(?:the\\s+)?${t}\\b|\\bmeaning\\s+of\\s+(?:the\\s+)?${t}\\b`,
  ).test(lower);
};

const pointedAt = (text: string, token: string): boolean => {
  const t = escapeRe(token);
  return new RegExp(`\\b(?:queues?|sites?|pqs?|panda ?queues?|at|on)\\s+(?:the\\s+)?${t}\\b|\\b${t}\\s+(?:queues?|sites?|pqs?)\\b`, 'i').test(text);
};

export interface DocsTermSplit {
  /** Names that stay queue/site mentions. */
  names: NameMention[];
  /** Tokens read as documentation terms (unknown to CRIC). */
  docsTerms: string[];
}

/**
 * Splits the names found in a question into real queue/site mentions and documentation terms.
 * `text` is the folded question (links replaced), `lower` its lower-cased, corrected form.
 */
export function separateDocsTerms(names: readonly NameMention[], text: string, lower: string, index: NameIndex): DocsTermSplit {
  const explain = EXPLAIN_QUESTION.test(lower) || LATER_QUESTION.test(lower);
  // Queue talk around the token, not the token itself ("what does MAXRSS mean?" names a field, asks no queue).
  const queueTalkBesides = (token: string): boolean => {
    const rest = lower.replace(new RegExp(`\\b${escapeRe(token.toLowerCase())}\\b`, 'g'), ' ');
    return QUEUE_FIELD.test(rest) || QUEUE_LIST.test(rest);
  };
  const docsTerms: string[] = [];
  // "the difference between FOO and BAR queues": kinds compared, so "queues" does not point at a name.
  const contrast = /\bdifference\s+between\b/.test(lower);
  // "what about SAMPA?" alone: a follow-up naming a queue, not a question about a term.
  const bareFollowUp = BARE_FOLLOW_UP.test(lower);
  const isTerm = (token: string): boolean =>
    explain &&
    !bareFollowUp &&
    (TERM_SHAPE.test(token) || acronymCompound(token)) &&
    (definedBy(lower, token) || contrast || wordyIdentifier(token) || !queueTalkBesides(token)) &&
    !/^ANALY_/i.test(token) &&
    !resolvesAgainstCric(token, index) &&
    !ownerOfQueues(lower, token) &&
    !fieldAskedOf(lower, token) &&
    (contrast || !pointedAt(text, token));
  const kept = names.filter((n) => {
    if (n.known) return true;
    const token = text.slice(n.index).match(/^[A-Za-z0-9][A-Za-z0-9._-]*/)?.[0] ?? n.name;
    // "FOO_BAR - push or pull?": the name opens the message as its topic and a queue property is asked of it.
    if (topicAsked(text.slice(0, n.index), text.slice(n.index + token.length), lower)) return true;
    if (!isTerm(token)) return true;
    docsTerms.push(token);
    return false;
  });
  // Identifier-shaped tokens the name finder did not take (snake_case options, camelCase keys).
  for (const m of text.matchAll(TERM_TOKEN)) {
    const token = m[0];
    if (docsTerms.includes(token) || names.some((n) => n.index === m.index)) continue;
    if (/[_A-Z]/.test(token.slice(1)) && isTerm(token)) docsTerms.push(token);
  }
  // Command-line options ("--nGBPerJob", "-d") asked about are documentation terms.
  if (explain) for (const m of text.matchAll(OPTION_TOKEN)) if (m[1] && !docsTerms.includes(m[1])) docsTerms.push(m[1]);
  const setting = explain ? NAMED_SETTING.exec(lower) : null;
  const named = setting?.[1] ?? setting?.[2];
  if (named && !SETTING_WORDS.has(named) && !resolvesAgainstCric(named, index) && !docsTerms.includes(named)) docsTerms.push(named);
  return { names: kept, docsTerms };
}

/** A question whose only PanDA-looking word is a documentation term is a documentation question, not small talk or off-topic. */
export function docsTermIntent(decision: IntentDecision, docsTerms: readonly string[]): IntentDecision {
  if (docsTerms.length === 0 || decision.confidence > 0.55 || (decision.intent !== 'out_of_scope' && decision.intent !== 'chitchat')) return decision;
  return { intent: 'docs', reason: `documentation term ${docsTerms[0]}`, confidence: 0.55 };
}
