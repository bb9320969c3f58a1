/**
 * The offline selection agent: entity extraction plus intent rules, no LLM. Queue and site names
 * come back in CRIC spelling when the injected `names()` knows them.
 */
import type { Router } from '../../src/contracts/agent.js';
import type { Turn } from '../../src/contracts/conversation.js';
import type { Entities, Intent, Route } from '../../src/contracts/routing.js';
import type { Logger } from '../../src/log.js';
import { docsTermIntent, separateDocsTerms } from './docs-terms.js';
import { codeCandidate, type ErrorCodeMention, findErrorCode } from './error-codes.js';
import { type IdMention, ID_RANGES, replaceLinks, scanIds } from '../../src/contracts/ids.js';
import { threadContext } from './follow-up-context.js';
import { resolveFollowUp } from './follow-up-rules.js';
import { type IntentArbiter, learnedArbiter } from './intent-classifier.js';
import type { IntentSignals } from './intent-features.js';
import { decideIntent, type IntentDecision } from './intent.js';
import { type LinkName, namesInLinks, replaceNameLinks } from './link-names.js';
import { decideJobQuestion, type JobQuestionDecision, mentionsTimeWindow } from './job-questions.js';
import { findNames, indexNames, type KnownNames, type NameIndex, type NameMention } from './names.js';
import { foldText, lowerAndCorrect } from './text.js';
import { CRIC_FIELDS, HOW_TO, PANDA_STRONG, QUEUE_LIST } from './vocabulary.js';

export interface RuleRouterOptions {
  /** Known CRIC queue and site names (from the CricSource); shape heuristics only when absent or failing. */
  names?: () => Promise<KnownNames>;
  logger?: Logger;
  /**
   * Decides the intent where the rules fell back to a default (the learned classifier by default);
   * null routes by the rules alone. Never consulted for follow-ups, job questions or IDs answering the bot.
   */
  arbiter?: IntentArbiter | null;
}

export interface RuleRouter extends Router {
  /** Same as `route`, synchronous over an already-known name list (used by the eval and the LLM router). */
  routeWith(text: string, history: Turn[], names: KnownNames | null): Route;
}

const EMPTY: KnownNames = { queues: [], sites: [] };
/** The assistant asked for an ID in its last turn ("Which job? Please give the PanDA ID."). */
const ASKED_JOB = /\b(?:which|what(?:'s| is)? the)\s+(?:panda\s*)?job\b|\bpanda\s*id\b|\bjob\s*id\b|\bpandaid\b/i;
const ASKED_TASK = /\b(?:which|what(?:'s| is)? the)\s+(?:jedi\s*)?task\b|\btask\s*id\b|\bjeditaskid\b/i;
const BACK_REFERENCE = /\b(?:it|its|it's|that|this|same|them|those|these|the\s+job|the\s+task)\b/;
const FOLLOW_UP_TALK = /\b(?:why|log|logs|status|fail\w*|error\w*|retry|again|still|now|details|more|stuck|finished|running)\b/;

export function emptyEntities(): Entities {
  return { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };
}

function lastAssistant(history: Turn[]): Turn | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]?.role === 'assistant') return history[i];
  return undefined;
}

/** A bare number that answers the bot's own "which job?"/"which task?" question. */
function answeredId(text: string, history: Turn[]): IdMention | null {
  const number = /^\D{0,20}?(\d{5,12})\D{0,20}$/.exec(text);
  const asked = lastAssistant(history)?.text ?? '';
  if (!number?.[1] || !asked) return null;
  const digits = number[1];
  const kind =
    digits.length === ID_RANGES.job.currentDigits
      ? 'job'
      : digits.length === ID_RANGES.task.currentDigits
        ? 'task'
        : ASKED_TASK.test(asked) && !ASKED_JOB.test(asked)
          ? 'task'
          : ASKED_JOB.test(asked)
            ? 'job'
            : null;
  if (!kind || !(ASKED_JOB.test(asked) || ASKED_TASK.test(asked))) return null;
  return { kind, id: Number(digits), index: number.index + number[0].indexOf(digits), via: 'answer', before: '' };
}

function maskIds(text: string, spans: Array<[number, number]>): string {
  let out = text;
  for (const [start, end] of [...spans].sort((a, b) => b[0] - a[0])) out = `${out.slice(0, start)} idref ${out.slice(end)}`;
  return out;
}

/** Weak names count in very short messages; "at/on NAME" counts where a job or task is named (where it ran). */
function usableNames(names: NameMention[], lower: string, namesWork: boolean): NameMention[] {
  const words = lower
    .replace(/[^a-z0-9_.-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean).length;
  return names.filter((n) => (n.where ? namesWork : !n.weak || words <= 3));
}

/** Carries the last job/task over to a follow-up such as "why did it fail?". */
function fromMemory(lower: string, history: Turn[]): Route | null {
  if (!BACK_REFERENCE.test(lower) || !FOLLOW_UP_TALK.test(lower) || lower.split(/\s+/).length > 14) return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const entities = history[i]?.entities;
    if (!entities) continue;
    const intent: Intent | null = entities.pandaid ? 'job' : entities.jeditaskid ? 'task' : null;
    if (!intent) continue;
    return {
      intent,
      entities: { ...emptyEntities(), pandaid: entities.pandaid ?? null, jeditaskid: entities.jeditaskid ?? null },
      reason: `follow-up about the ${intent} of an earlier turn`,
      confidence: 0.6,
      source: 'memory',
    };
  }
  return null;
}

/** Short follow-ups that only make sense as a continuation of the previous exchange. */
const CONTINUATION =
  /^(and |but |so |ok,? |okay,? )?((would|will|does|could|can) (a )?retry(ing)?( it)? help|should i (re-?try|resubmit)( it)?|is (it|a retry) worth (it|retrying)|(please |can you |could you )?(explain|say|describe|put) (it|that|this)( again)?( (better|more simply|simpler|in more detail|differently|again|for a beginner))?|(tell me |give me )?more( details?| info(rmation)?)?|elaborate|go on|why( is that| so)?|how so|what do(es)? (you|that|it) mean|i (don'?t|do not) (get|understand)( it| that)?|(an? )?examples?|in simpler (words|terms)|(and )?(in|for|with|about) [a-z0-9_ -]{2,30}|what about [a-z0-9_ -]{2,30}|and (in|for) [a-z0-9_ -]{2,30})[?.!]*$/;

/** Continues the previous exchange's intent (and its entities) for a short follow-up such as "explain it better". */
function continuation(lower: string, history: Turn[]): Route | null {
  if (lower.split(/\s+/).length > 8 || !CONTINUATION.test(lower.trim())) return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role !== 'user' || !turn.intent) continue;
    if (turn.intent === 'chitchat' || turn.intent === 'out_of_scope') return null;
    return {
      intent: turn.intent,
      entities: { ...emptyEntities(), ...turn.entities },
      reason: `follow-up continuing the previous ${turn.intent} question`,
      confidence: 0.6,
      source: 'memory',
    };
  }
  return null;
}

/** Words that introduce an ID as an example ("e.g. 6712345678", "for example job N", "such as task M"). */
const EXAMPLE_BEFORE = /\b(?:e\.g\.?|eg|such\s+as|for\s+example|for\s+instance|example|say|like)$/;

/** The asker wants the general rule or the documentation, whatever job they mention. */
const GENERAL_ASK = /\b(?:in\s+general|generally|in\s+principle|documentation|documented|docs?\s+(?:on|about|for))\b/;
/** How to do something to a job with a tool ("which pbook command kills job N?", "how do I query job N with the panda client API?"). */
const toolHowTo = (lower: string): boolean =>
  /\b(?:how\s+(?:do|can|could|should|would)\s+(?:i|we|one)|(?:which|what)\s+(?:\w+\s+)?(?:command|commands|curl|api\s+call|syntax|function|method|option))\b/.test(
    lower,
  ) && /\b(?:commands?|cli|api|curl|pbook|panda[-\s]?client|pandaclient|python|script|rucio|syntax)\b/.test(lower);
/** "is N a pandaid or a task id?", "is N a valid job id?". */
const ID_FORMAT = /\bis\s+idref\s+(?:an?\s+)?(?:valid\s+)?(?:pandaid|panda\s*id|job\s*id|task\s*id|jeditaskid|jedi\s+task\s+id)\b/;
/** A question for what a term means ("what does the 'closed' status mean?", "difference between X and Y"). */
const DEFINITION = /\bwhat\s+(?:does|do|is|are)\b[^?]{0,60}\b(?:mean|means|meaning|stand\s+for)\b|\bdifference\s+between\b/;
/** A word pointing back at something named earlier ("what does that mean?", "how do I fix it?"). */
const POINTS_BACK = /\b(?:it|its|this|that|these|those|them|they|idref)\b|\b(?:my|our|the)\s+(?:\w+\s+)?(?:job|task)\b(?!s)/;

/**
 * "What does the 'closed' status mean? I saw it on 6812345678": the IDs sit only in sentences that ask
 * nothing, and the question asks what a term means without pointing back at them.
 */
function idOnlyAsContext(lower: string): boolean {
  const sentences = lower.split(/(?<=[?.!])\s+/).filter((x) => x.trim());
  if (sentences.length < 2) return false;
  const asking = sentences.filter((x) => x.includes('?'));
  if (asking.length === 0) return false;
  return asking.every((x) => DEFINITION.test(x) && !POINTS_BACK.test(x)) && sentences.filter((x) => x.includes('idref')).every((x) => !x.includes('?'));
}

/** "top errors at CERN in the last 6 hours": an error summary for a site, answered by the queue agent. */
const TOP_ERRORS = /\b(?:top|most (?:common|frequent)|main|biggest|worst)\s+(?:\d+\s+)?(?:errors?|failures?|error codes?)\b|\berror summary\b/;
const AT_NAME = /\b(?:at|for|on)\s+([A-Z][A-Z0-9_-]{1,40})\b/;

function topErrorsRoute(linked: string, lower: string): Route | null {
  if (!TOP_ERRORS.test(lower)) return null;
  const site = AT_NAME.exec(linked)?.[1];
  if (!site) return null;
  return { intent: 'queue', entities: { ...emptyEntities(), site }, reason: `error summary at ${site}`, confidence: 0.7, source: 'rules' };
}

/**
 * The queues and sites named by the message's CRIC/monitor links are names of the message whatever
 * their shape (the link says what they are), in CRIC spelling when CRIC knows them.
 */
function withLinkNames(names: NameMention[], links: LinkName[], linked: string, index: NameIndex): NameMention[] {
  const out = [...names];
  for (const link of links) {
    const lower = link.name.toLowerCase();
    if (out.some((n) => n.name.toLowerCase() === lower)) continue;
    const queue = index.queues.get(lower);
    const site = index.sites.get(lower);
    const kind = link.kind === 'site' ? (site ? 'site' : queue ? 'queue' : 'site') : queue ? 'queue' : site ? 'site' : 'queue';
    const name = (kind === 'queue' ? queue : site) ?? link.name;
    const at = linked.indexOf(`${link.kind} ${link.name}`);
    out.push({ kind, name, index: at < 0 ? 0 : at + link.kind.length + 1, known: Boolean(queue ?? site), weak: false });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The route of a job search, lineage or comparison: ids, the named queue/site and user. */
function jobQuestionRoute(asked: JobQuestionDecision, mentions: IdMention[], names: NameMention[], code: ErrorCodeMention | null): Route {
  const entities = emptyEntities();
  entities.pandaid = mentions.find((m) => m.kind === 'job')?.id ?? null;
  entities.jeditaskid = mentions.find((m) => m.kind === 'task')?.id ?? null;
  entities.error_code = code?.code ?? null;
  entities.error_component = code?.component ?? null;
  entities.queue = names.find((n) => n.kind === 'queue')?.name ?? null;
  entities.site = names.find((n) => n.kind === 'site')?.name ?? null;
  if (asked.pandaids) entities.pandaids = asked.pandaids;
  if (asked.username) entities.username = asked.username;
  return { intent: asked.intent, entities, reason: asked.reason, confidence: asked.confidence, source: 'rules' };
}

function routeText(text: string, history: Turn[], index: NameIndex, arbiter: IntentArbiter | null): Route {
  const folded = foldText(text);
  // A CRIC/monitor link names a queue or site; it counts when the message asks a queue property of it.
  const withoutLinks = replaceLinks(folded);
  const linkNames = CRIC_FIELDS.test(lowerAndCorrect(withoutLinks)) ? namesInLinks(folded) : [];
  const linked = linkNames.length > 0 ? replaceLinks(replaceNameLinks(folded)) : withoutLinks;
  const scan = scanIds(linked);
  const mentions = [...scan.mentions];
  if (mentions.length === 0) {
    const answer = answeredId(linked, history);
    if (answer) {
      mentions.push(answer);
      scan.spans.push([answer.index, answer.index + String(answer.id).length]);
    }
  }
  const lower = lowerAndCorrect(maskIds(linked, scan.spans));
  const code = findErrorCode(lower, mentions.length === 0);
  // In a thread about a queue, a short message ("same for beijing") is queue talk too.
  const queueThread = lower.split(/\s+/).length <= 8 && threadContext(history).subject === 'queue';
  const queueTalk = CRIC_FIELDS.test(lower) || QUEUE_LIST.test(lower) || queueThread;
  const { names: typed, docsTerms } = separateDocsTerms(
    usableNames(findNames(linked, index, queueTalk, queueThread), lower, mentions.length > 0),
    linked,
    lower,
    index,
  );
  const names = withLinkNames(typed, linkNames, linked, index);
  // "what do the job states mean, e.g. 6712345678 was holding?": a general question with an ID only as its example.
  const examplesOnly =
    mentions.length > 0 &&
    mentions.every((m) => m.via !== 'answer') &&
    ((HOW_TO.test(lower) && (mentions.every((m) => EXAMPLE_BEFORE.test(m.before)) || GENERAL_ASK.test(lower) || idOnlyAsContext(lower))) || toolHowTo(lower));
  // "is 6812345678 a pandaid or a task id?": a question about the number's format.
  const aboutIdFormat = mentions.length === 1 && ID_FORMAT.test(lower);
  const asked = examplesOnly || aboutIdFormat ? null : decideJobQuestion(lower, linked, mentions, names, history);
  // The attempts of a job, two jobs compared, or the asker's PanDA name: explicit, not a follow-up act.
  if (asked && (asked.intent !== 'job_search' || asked.tellsUser)) return jobQuestionRoute(asked, mentions, names, code);
  const followUp = examplesOnly || aboutIdFormat ? null : resolveFollowUp({ lower, ids: mentions, names, code, history });
  // The code this message names is an entity of the follow-up too ("job N, pilot error 1324, retry?").
  if (followUp)
    return code && followUp.entities.error_code === null
      ? { ...followUp, entities: { ...followUp.entities, error_code: code.code, error_component: code.component } }
      : followUp;
  const ruled: IntentDecision = aboutIdFormat
    ? { intent: 'docs' as const, reason: 'a question about the format of an ID', confidence: 0.6 }
    : docsTermIntent(decideIntent({ lower, ids: examplesOnly ? [] : mentions, code, names }), docsTerms);
  // The one number the message could be asking about as a code when the rules named none (see codeCandidate).
  const candidate = code ? null : codeCandidate(lower);
  const signals: IntentSignals = {
    text: folded,
    intent: ruled.intent,
    reason: ruled.reason,
    confidence: ruled.confidence,
    ids: (examplesOnly ? [] : mentions).map((m) => m.kind),
    code: code ? { component: code.component, how: code.how } : null,
    names: names.map((n) => ({ kind: n.kind, name: n.name, known: n.known })),
    codeCandidate: candidate !== null,
    pandaWord: PANDA_STRONG.test(lower),
  };
  const overruled = arbiter?.(signals) ?? null;
  const decision: IntentDecision = overruled
    ? {
        intent: overruled.intent,
        reason: `${ruled.reason}; the intent classifier says ${overruled.intent} (p=${overruled.p.toFixed(2)})`,
        confidence: ruled.confidence,
      }
    : ruled;
  // The code the classifier saw as the subject ("was bedeutet pilot fehler 1377?") when the rules named none.
  const asCode = overruled?.intent === 'error_code' ? (code ?? candidate) : code;

  const entities = emptyEntities();
  entities.pandaid = mentions.find((m) => m.kind === 'job')?.id ?? null;
  entities.jeditaskid = mentions.find((m) => m.kind === 'task')?.id ?? null;
  const offTopic = decision.intent === 'chitchat' || decision.intent === 'out_of_scope';
  if (asCode && !(offTopic && asCode.how === 'bare')) {
    entities.error_code = asCode.code;
    entities.error_component = asCode.component;
  }
  if (!offTopic) {
    entities.queue = names.find((n) => n.kind === 'queue')?.name ?? null;
    entities.site = names.find((n) => n.kind === 'site')?.name ?? null;
  }
  // "got 1201 on a few jobs, what is it?": the code is the question, not a search of the jobs (unless a user or a time window says so).
  const codeAsked = asked?.intent === 'job_search' && asCode !== null && mentions.length === 0 && !asked.username && !mentionsTimeWindow(lower);
  if (asked && !codeAsked && decision.intent !== 'chitchat' && decision.intent !== 'out_of_scope') return jobQuestionRoute(asked, mentions, names, asCode);
  const noEntities = Object.values(entities).every((v) => v === null);
  if (noEntities && decision.intent === 'docs' && mentions.length === 0) {
    const summary = topErrorsRoute(linked, lower);
    if (summary) return summary;
  }
  if (noEntities && decision.intent !== 'job' && decision.intent !== 'task') {
    const remembered = fromMemory(lower, history) ?? continuation(lower, history);
    if (remembered) return remembered;
  }
  const reason = mentions.some((m) => m.via === 'answer') ? `${decision.reason}, answering the assistant's question` : decision.reason;
  return { intent: decision.intent, entities, reason, confidence: decision.confidence, source: 'rules' };
}

export function createRuleRouter(options: RuleRouterOptions = {}): RuleRouter {
  let cachedNames: KnownNames | null = null;
  let cachedIndex: NameIndex = indexNames(EMPTY);
  const indexFor = (names: KnownNames | null): NameIndex => {
    if (!names) return indexNames(EMPTY);
    if (names !== cachedNames) {
      cachedNames = names;
      cachedIndex = indexNames(names);
    }
    return cachedIndex;
  };
  const arbiter = options.arbiter === undefined ? learnedArbiter() : options.arbiter;
  const routeWith = (text: string, history: Turn[], names: KnownNames | null): Route => routeText(text, history, indexFor(names), arbiter);
  return {
    routeWith,
    async route(text, history) {
      let names: KnownNames | null = null;
      if (options.names) {
        try {
          names = await options.names();
        } catch (error) {
          options.logger?.warn({ err: error }, 'queue/site names unavailable; routing with name shapes only');
        }
      }
      const route = routeWith(text, history, names);
      options.logger?.debug({ intent: route.intent, entities: route.entities, reason: route.reason, source: route.source }, 'rules route');
      return route;
    },
  };
}
