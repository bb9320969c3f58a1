/**
 * Follow-up resolution by rules (offline): classifies a message as a follow-up act and resolves it
 * against the thread context into a route — the job, task or queue of the thread, the act to
 * answer, and for "and its maxtime?" / "and of AGLT2?" the previous question rewritten for the new
 * field or entity. Messages that name no id and have no usable context ("would a retry help?" as a
 * first message) become job/task routes without an id, which the agents answer by asking for it.
 */
import type { Turn } from '../../src/contracts/conversation.js';
import type { Entities, FollowUpAct, Intent, Route } from '../../src/contracts/routing.js';
import type { ErrorCodeMention } from './error-codes.js';
import { type ThreadContext, threadContext } from './follow-up-context.js';
import type { IdMention } from '../../src/contracts/ids.js';
import type { NameMention } from './names.js';
import { fieldsNamed } from './queue-field-words.js';
import { escapeRe } from './text.js';
import { CRIC_FIELDS, HOW_TO } from './vocabulary.js';

export interface FollowUpInput {
  /** Lower-case, typo-corrected text with IDs masked as "idref". */
  lower: string;
  ids: IdMention[];
  names: NameMention[];
  code: ErrorCodeMention | null;
  history: readonly Turn[];
  /** The intent the message has on its own text; an act about a named job/task applies only to a job/task question. */
  intent?: Intent;
}

/** Acts about one job's diagnosis (also answered for a task from its top failure). */
export const JOB_ACTS: ReadonlySet<FollowUpAct> = new Set(['retry', 'blame', 'simpler', 'evidence', 'code']);
/** Acts about a task's failures. */
export const TASK_ACTS: ReadonlySet<FollowUpAct> = new Set(['top-site', 'top-error', 'example-job']);

const ACT_PATTERNS: Array<[FollowUpAct, RegExp]> = [
  [
    'example-job',
    /\b(?:give|show|send|pick|find|name|list|tell)\s+(?:me\s+)?(?:one|an?|some|any|the)?\s*(?:example\s+|failed\s+|failing\s+|single\s+)?(?:jobs?|pandaids?|job\s+ids?|panda\s+ids?)\b|\b(?:which|what)\s+jobs?\s+(?:failed|died|crashed|had|hit|shows?|got)\b|\bexample\s+(?:of\s+a\s+)?(?:failed\s+)?jobs?\b|\b(?:one|a|which)\s+(?:failed\s+)?jobs?\s+(?:that|which)\s+(?:failed|died|crashed|has|had|hit|shows?)\b|\bjobs?\s+(?:id|ids)\s+(?:that|which|with)\b/,
  ],
  [
    'top-site',
    /\b(?:which|what|worst)\s+(?:\w+\s+)?(?:sites?|queues?)\b[^?]*\b(?:most|worst|many|more|fail\w*|problems?|errors?|responsible|blame)\b|\bwhere\b[^?]*\b(?:failures?|errors?|fail\w*|problems?)\b|\b(?:one|a|single|particular)\s+(?:sites?|queues?)\s+(?:responsible|to\s+blame|causing)\b|\bworst\s+(?:sites?|queues?)\b|\bwhere\s+(?:did|do|are)\s+(?:most|they|the\s+(?:jobs|failures))\b[^?]*\bfail\w*|\bwhich\s+sites?\s+(?:is|was)\s+(?:the\s+)?(?:worst|problem)\b/,
  ],
  [
    'top-error',
    /\b(?:most\s+(?:common|frequent)|main|top|biggest|dominant|commonest|leading)\s+(?:errors?|failures?|error\s+codes?|causes?|reasons?|problems?|issues?)\b|\b(?:which|what)\s+(?:errors?|error\s+codes?)\s+(?:is|are|was|were|do|did|happen\w*|occur\w*)\s+(?:the\s+)?(?:most|more|often)\b|\bmostly\s+fail\w*\s+with\b|\bwhy\s+(?:do|did|are|were)\s+(?:most|the\s+majority|so\s+many)\b|\b(?:errors?|error\s+codes?|failures?)\b[^?]*\b(?:dominat\w*|prevalent|most\s+often|most\s+frequent\w*)\b/,
  ],
  [
    'code',
    /\b(?:what|explain)\b[^?]*\b(?:that|this|the|its)\s+(?:error\s+|exit\s+)?code\b|\b(?:error\s+)?code\b[^?]*\bmeans?\b|\bwhat\s+(?:is|does)\s+(?:that|this)\s+(?:error|exit\s+code|code)\b|\bmeaning\s+of\s+(?:that|this|the)\s+(?:error\s+)?code\b/,
  ],
  [
    'evidence',
    /\b(?:which|what|where)\b[^?]*\b(?:log\s+)?lines?\b|\bshow\s+(?:me\s+)?(?:the\s+)?(?:log|logs|lines?|evidence|proof)\b|\bwhere\s+(?:in\s+the\s+log|does\s+it\s+say|did\s+you\s+see|is\s+that\s+in\s+the\s+log)\b|\b(?:quote|cite)\b|\bhow\s+do\s+you\s+know\b|\bwhat(?:'s|\s+is)?\s+the\s+evidence\b|\bproof\b/,
  ],
  [
    'simpler',
    /\bsimpl(?:er|y|e\s+(?:words|terms|english|language))\b|\bplain(?:er)?\s+(?:english|words|terms|language)\b|\bexplain\s+(?:it|that|this)?\s*(?:better|again|differently|more\s+(?:simply|clearly|plainly))\b|\b(?:don'?t|do\s+not|didn'?t|did\s+not)\s+(?:get|understand|follow)\b|\beli5\b|\blayman'?s?\b|\bfor\s+a\s+(?:beginner|newbie|non-?expert)\b|\bwhat\s+does\s+(?:that|it|this)\s+mean\b|\bin\s+(?:other|normal|plain)\s+words\b|\btoo\s+(?:technical|complicated|complex)\b|\bi'?m\s+(?:confused|lost)\b/,
  ],
  [
    'retry',
    /\b(?:re-?try|retrying|re-?submit\w*|re-?run\w*|relaunch\w*|try\s+(?:it\s+)?again|run\s+(?:it\s+)?again|submit\s+(?:it\s+)?again|send\s+(?:it\s+)?again|worth\s+(?:another|a\s+second)\s+(?:try|attempt|go)|another\s+attempt|kill\s+and\s+retry)\b/,
  ],
  [
    'blame',
    /\b(?:site'?s?|sites'|the\s+site|grid'?s?|cluster'?s?|node'?s?|storage'?s?|my|our|user'?s?|panda'?s?|pilot'?s?|system'?s?)\s+(?:own\s+)?(?:fault|problem|issue|side|mistake)\b|\b(?:is|was)\s+(?:it|this|that)\s+(?:a\s+)?(?:site|user|my|storage|node|grid|software|code)\s+(?:problem|issue|error|fault)\b|\b(?:who|what)\s+is\s+to\s+blame\b|\bblame\b|\b(?:did|is)\s+(?:i|my\s+code)\s+(?:do\s+)?(?:something\s+)?wrong\b|\bbug\s+in\s+my\b/,
  ],
];

/**
 * Word families for acts that only make sense against the thread's subject. The strict patterns
 * above read a follow-up on its own; these read a short message in a task or job thread, where
 * "is there a hotspot site?" or "what broke most often?" can only be about the task just answered.
 */
const EXAMPLE_WORDS =
  /\b(?:examples?|instances?|samples?|specimen)\b|\bone\s+of\s+(?:those|them|these|the\s+(?:failed|failing|broken|bad)\s+(?:jobs?|ones))\b|\b(?:a|one|some|any|single|specific|particular|which|what)\s+(?:(?:failed|failing|broken|crashed|bad)\s+)?(?:job|pandaid)\b|\b(?:pandaids?|panda\s+ids?|job\s+ids?|job\s+numbers?)\b|\b(?:a|one)\s+(?:failed|failing|broken|crashed|bad)\s+one\b|\bpoint\s+me\s+to\b/;
const SITE_WORDS = /\b(?:sites?|queues?|pqs?|computing\s*sites?|locations?|hot\s*-?spots?|clusters?|centers?|centres?|places?)\b/;
const WHERE_FAILING =
  /\bwhere\b[^?]*\b(?:fail\w*|errors?|crash\w*|die[sd]?|dying|break\w*|broke|concentrat\w*|most|happen\w*|they|them|those|these|ran|run|running)\b/;
const ERROR_WORDS =
  /\b(?:errors?|error\s+codes?|codes?|reasons?|causes?|failure\s+(?:modes?|types?|kinds?)|broke|break\w*|went\s+wrong|go(?:es)?\s+wrong|problems?|issues?|culprit|why|dying|die|kill\w*|crash\w*|fail\w*|wrong|happened)\b/;
const TOP_WORDS = /\b(?:most|main|top|biggest|dominant|dominat\w*|common\w*|frequent\w*|usual|typical|primary|leading|major|mostly|often|majority|recurring)\b/;
const LOG_WORDS =
  /\b(?:logs?|lines?|quote|cite|paste|excerpt|snippet|evidence|proof|prove[sn]?|traceback|stack\s*trace|output|stdout|stderr|(?:error\s+)?messages?|actual\s+error|raw\s+error)\b|\bwhere\b[^?]*\b(?:see|saw|says?|said|shows?|showed|read|find|found|written|come\s+from)\b|\bhow\s+(?:do|did|can)\s+you\s+(?:know|tell|see)\b/;
const CODE_WORDS = /\b(?:(?:error|exit|return|pilot|status)\s+(?:code|number|status|value)|code|errno)\b/;
const PLAIN_WORDS =
  /\btl\s*;?\s*dr\b|\b(?:short|shorter|simple|simpler|plain|plainer|easy|easier|basic|non-?technical|human)\s+(?:version|words|terms|english|language|explanation|answer)\b|\blike\s+i'?m\s+(?:five|5|a\s+(?:child|kid|beginner|newbie)|new)\b|\bnot\s+(?:an?\s+)?(?:expert|physicist|specialist|computing\s+person)\b|\b(?:new(?:bie)?|beginner|novice)\s+(?:here|to\s+(?:this|the\s+grid|panda))\b|\bmean\s+for\s+me\b|\b(?:in\s+short|in\s+a\s+nutshell|bottom\s+line|summari[sz]e\s+(?:it|that|this))\b|\b(?:confus\w*|lost\s+me|over\s+my\s+head|jargon|technical|rephrase|reword|another\s+way|other\s+way|clarif\w*|briefly|brief|one\s+sentence|few\s+words|keep\s+it\s+short|easier|simpl\w*|plain\w*|basically|in\s+practice|dumb\s+it\s+down|layman\w*|beginner|novice|newbie|(?:don'?t|do\s+not|still\s+don'?t|can'?t|cannot|hard\s+to)\s+(?:get|understand|follow)|huh|eh|slow(?:er|ly)|step\s+by\s+step)\b|\bexplain\s+(?:(?:it|that|this)\s+)?to\s+(?:a|an|my|someone|somebody|me\s+as)\b|^(?:sorry,?\s*|uh,?\s*)?(?:what|pardon|come\s+again|say\s+(?:that\s+)?again)\s*\??$|\bwhat\s+(?:should|can|could|do|must)\s+i\s+do\b|\bnext\s+steps?\b|\bhow\s+(?:do|can|could|should)\s+i\s+(?:fix|solve|resolve|avoid|prevent|get\s+(?:around|past|it\s+(?:to\s+)?work\w*))\b/;
const RETRY_WORDS = /\b(?:again|once\s+more|another\s+(?:go|shot|try|run)|second\s+(?:try|attempt|chance|go)|resubmission|re-?do)\b/;

/** The act a short message asks for in a task thread (example job, worst site, top error), by word family. */
export function classifyTaskAct(lower: string): FollowUpAct | null {
  if (EXAMPLE_WORDS.test(lower)) return 'example-job';
  if (SITE_WORDS.test(lower) || WHERE_FAILING.test(lower)) return 'top-site';
  if (ERROR_WORDS.test(lower) && (TOP_WORDS.test(lower) || /\b(?:they|them|those|these|jobs)\b/.test(lower))) return 'top-error';
  return null;
}

/** The act a short message asks for in a job thread (evidence, code, simpler, retry), by word family. */
export function classifyJobAct(lower: string): FollowUpAct | null {
  if (RETRY_WORDS.test(lower) && /\b(?:i|we|it|help|work|fix|succeed\w*|pass|run|submit)\b/.test(lower)) return 'retry';
  if (LOG_WORDS.test(lower)) return 'evidence';
  if (CODE_WORDS.test(lower) || /\bwhat\s+(?:kind|sort|type)\s+of\s+(?:error|failure|problem)\b/.test(lower)) return 'code';
  if (PLAIN_WORDS.test(lower)) return 'simpler';
  return null;
}

/** The act of a short message read against the thread: the task acts in a task thread, the job acts in a job thread. */
export function classifyInThread(lower: string, ctx: ThreadContext): FollowUpAct | null {
  if (wordCount(lower) > 20 || (HOW_TO_PLACE.test(lower) && !FIX_IT.test(lower)) || (ACKNOWLEDGED.test(lower) && wordCount(lower) <= 6)) return null;
  const jobThread = ctx.pandaid !== null && (ctx.subject === 'job' || ctx.facts?.act === 'example-job');
  if (ctx.subject === 'task' && ctx.jeditaskid !== null) return classifyTaskAct(lower) ?? classifyJobAct(lower);
  if (jobThread) return classifyJobAct(lower);
  return null;
}

/** "thanks, that's clear now": an acknowledgement, not a question. */
const ACKNOWLEDGED = /^(?!.*\?)(?=.*\b(?:thanks?|thank\s+you|thx|cheers|got\s+it|makes\s+sense|perfect|great|clear\s+now|understood)\b)/;
/** "how do I fix it?": about the thread's job, not a how-to. */
const FIX_IT = /\bhow\s+(?:do|can|could|should)\s+i\s+(?:fix|solve|resolve|avoid|prevent|get\s+(?:around|past))\b/;
/** "where can I find …", "how do I …": a how-to in any thread. */
const HOW_TO_PLACE = /\b(?:where\s+(?:can|do|should)\s+i|how\s+(?:do|can|should)\s+i|how\s+to)\b/;

/** Starts of a message that carries the previous question over to a new entity or field. */
const SWITCH_LEAD =
  /^(?:and|what\s+about|how\s+about|same\s+(?:for|with|at|on|in|question\s+for|thing\s+for)|likewise\s+for|also|now|then|ok(?:ay)?,?\s+(?:and|what\s+about|now)|and\s+(?:what|how)\s+about|what\s+of|and\s+(?:for|of|at|in|on)|(?:for|at|on)\s+(?=\S+\s*\??$)|(?:try|check|repeat\s+(?:it|that|this)\s+for|do\s+(?:it|that|the\s+same)\s+for)\b)\b/;
/** Back-references to the thread's queue or site. */
const QUEUE_REFERENCE = /\b(?:its|it'?s|it|this\s+(?:queue|site|one|pq)|that\s+(?:queue|site|one|pq)|the\s+same\s+(?:queue|site)|there|their)\b/;
/** A question of its own (a new topic) rather than a carry-over. */
const OWN_QUESTION = /\b(?:why|how\s+(?:do|can|should|to)|what\s+happened)\b/;

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The follow-up act a message asks for, if any. */
export function classifyAct(lower: string): FollowUpAct | null {
  for (const [act, pattern] of ACT_PATTERNS) if (pattern.test(lower)) return act;
  return null;
}

function route(intent: Intent, entities: Partial<Entities>, act: FollowUpAct, reason: string, extra: { question?: string; code?: string } = {}): Route {
  return {
    intent,
    entities: { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null, ...entities },
    followUp: { act, ...extra },
    reason,
    confidence: 0.75,
    source: 'memory',
  };
}

/** "and its maxtime?" → "what is the maxtime of X?"; "is it online?" → "is X online?". */
export function fieldQuestion(lower: string, name: string): string | null {
  if (!CRIC_FIELDS.test(lower)) return null;
  const rest = lower
    .replace(/[?.!]+\s*$/, '')
    .replace(SWITCH_LEAD, '')
    .replace(/^(?:\s|,)*(?:what(?:'s|\s+is|\s+are)|and|also|then)?\s*/, '')
    .trim();
  const nounPhrase = /^(?:(?:its|it'?s|their|the)\s+)?([a-z0-9_ -]{2,40}?)(?:\s+(?:of\s+it|for\s+it|there|then|too|as\s+well))?$/.exec(rest);
  if (nounPhrase?.[1] && !/\b(?:is|are|does|do|has|have|can|uses?)\b/.test(nounPhrase[1])) return `what is the ${nounPhrase[1].trim()} of ${name}?`;
  if (QUEUE_REFERENCE.test(rest)) return `${rest.replace(QUEUE_REFERENCE, name)}?`;
  return null;
}

/** The previous question asked again for another queue or site: its old name replaced by the new one. */
function sameForName(ctx: ThreadContext, name: string): string | null {
  const old = ctx.queue ?? ctx.site;
  if (!ctx.asked || !old) return null;
  const pattern = new RegExp(`(?<![\\w-])${escapeRe(old)}(?![\\w-])`, 'i');
  return pattern.test(ctx.asked) ? ctx.asked.replace(pattern, name) : null;
}

function fromIds(input: FollowUpInput, ctx: ThreadContext, act: FollowUpAct | null): Route | null {
  const { lower, ids } = input;
  const jobs = ids.filter((m) => m.kind === 'job');
  const tasks = ids.filter((m) => m.kind === 'task');
  if (jobs.length + tasks.length !== 1) return null;
  const job = jobs[0];
  const task = tasks[0];
  const short = wordCount(lower) <= 8;
  // "and job M?" / "what about task T?": the previous act, for the new job or task.
  if (!act && short && (SWITCH_LEAD.test(lower) || wordCount(lower) <= 3) && ctx.lastAct && ctx.lastAct !== 'same') {
    if (job && JOB_ACTS.has(ctx.lastAct)) return route('job', { pandaid: job.id }, ctx.lastAct, `"${ctx.lastAct}" again, for job ${job.id}`);
    if (task && (TASK_ACTS.has(ctx.lastAct) || JOB_ACTS.has(ctx.lastAct)))
      return route('task', { jeditaskid: task.id }, ctx.lastAct, `"${ctx.lastAct}" again, for task ${task.id}`);
  }
  // "should I retry job M?", "which line shows that for job M?": the act, for the named job.
  const own = input.intent === undefined || input.intent === 'job' || input.intent === 'task';
  if (act && own && JOB_ACTS.has(act) && act !== 'simpler' && !OWN_QUESTION.test(lower) && !/\bfail\w*\b/.test(lower) && wordCount(lower) <= 12) {
    if (job) return route('job', { pandaid: job.id }, act, `"${act}" question about job ${job.id}`);
    if (task) return route('task', { jeditaskid: task.id }, act, `"${act}" question about task ${task.id}`);
  }
  if (act && own && TASK_ACTS.has(act) && task) return route('task', { jeditaskid: task.id }, act, `"${act}" question about task ${task.id}`);
  return null;
}

/** "how do I …", "how can I …": a how-to even in a queue thread. */
const HOW_DO_I = /\bhow\s+(?:do|can|could|should)\s+(?:i|we|you)\b|\bhow\s+to\b/;
/** "what does timefloor mean?", "what's maxrss for?": the meaning of a field, a documentation question even in a queue thread. */
const MEANING =
  /\bwhat\s+(?:does|do|did)\b[^?]*\b(?:mean|stand\s+for)\b|\bmeaning\s+of\b|\bdefin(?:e|ition)\b|\bwhat(?:'s|\s+is|\s+are)\s+(?:the\s+)?\w+\s+(?:for|used\s+for)\b/;
/** The asker's own job or task: a question about it, not about the thread's queue. */
const OWN_WORK = /\b(?:my|our)\s+(?:\w+\s+)?(?:jobs?|tasks?)\b/;
/** A yes/no question about the queue ("is it online?", "does it use rucio?"): asked again with the name in. */
const YES_NO = /^(?:and\s+|but\s+|so\s+)?(?:is|are|does|do|has|have|can|could|will|was)\b/;

/** "and its max work dir size?" → "what is the maxwdir of X?": the fields a short follow-up names, for the thread's queue. */
export function fieldsQuestion(lower: string, name: string): string | null {
  if (HOW_DO_I.test(lower) || OWN_WORK.test(lower) || MEANING.test(lower)) return null;
  const rest = lower.replace(SWITCH_LEAD, '');
  if (YES_NO.test(rest.trim()) && QUEUE_REFERENCE.test(rest)) {
    const own = fieldQuestion(lower, name);
    if (own) return own;
  }
  const fields = fieldsNamed(rest);
  if (fields.length > 0) return `what is the ${fields.join(' and ')} of ${name}?`;
  return fieldQuestion(lower, name);
}

function forQueue(input: FollowUpInput, ctx: ThreadContext): Route | null {
  if (ctx.subject !== 'queue' || !ctx.asked) return null;
  const { lower, names } = input;
  const short = wordCount(lower) <= 10;
  const name = names[0];
  if (name && names.length === 1 && short && (SWITCH_LEAD.test(lower) || wordCount(lower) <= 2) && !CRIC_FIELDS.test(lower.replace(SWITCH_LEAD, ''))) {
    const question = sameForName(ctx, name.name);
    if (question) return route('queue', { [name.kind]: name.name }, 'same', `previous queue question, for ${name.name}`, { question });
  }
  const current = ctx.queue ?? ctx.site;
  if (names.length === 0 && current && short && (SWITCH_LEAD.test(lower) || QUEUE_REFERENCE.test(lower) || wordCount(lower) <= 7)) {
    const question = fieldsQuestion(lower, current);
    if (question) {
      const entities = ctx.queue ? { queue: ctx.queue } : { site: ctx.site };
      return route('queue', entities, 'same', `new field, for the thread's ${ctx.queue ? 'queue' : 'site'} ${current}`, { question });
    }
  }
  return null;
}

/** A question about "it" / "that job" (the job the previous answer named). */
const EXAMPLE_REFERENCE = /\b(?:it|that\s+(?:job|one)|this\s+(?:job|one))\b/;

/** Resolves a follow-up; null when the message is not one (it is then routed as a new question). */
export function resolveFollowUp(input: FollowUpInput): Route | null {
  const ctx = threadContext(input.history);
  const { lower, ids, names, code } = input;
  const act = classifyAct(lower);
  if (ids.length > 0) return fromIds(input, ctx, act);
  const queue = forQueue(input, ctx);
  if (queue) return queue;
  // "why did it fail?" after "give me a job that failed with it": the full analysis of that job.
  if (!act && ctx.facts?.act === 'example-job' && ctx.pandaid !== null && names.length === 0 && EXAMPLE_REFERENCE.test(lower)) {
    const { followUp: _none, ...plain } = route('job', { pandaid: ctx.pandaid }, 'same', `job ${ctx.pandaid} that the previous answer named`);
    return plain;
  }
  // In a task thread a site or code narrows a task act ("a job that failed at DESY-HH", "… with 1099").
  const taskAct = act && TASK_ACTS.has(act) ? act : !act && ctx.subject === 'task' && wordCount(lower) <= 14 ? classifyInThread(lower, ctx) : null;
  if (taskAct && TASK_ACTS.has(taskAct) && ctx.subject === 'task' && ctx.jeditaskid !== null) return routeForAct(taskAct, ctx, lower, false);
  const threadAct = act ?? (names.length === 0 && !code ? classifyInThread(lower, ctx) : null);
  if (!threadAct || names.length > 0) return null;
  if (!act) return routeForAct(threadAct, ctx, lower, false);
  if (code && !(act === 'code' || act === 'simpler')) return null;
  // A follow-up in a job or task thread may be a long sentence ("sorry, I am new here, could you say that in simpler words?").
  const inThread = ctx.subject === 'job' || ctx.subject === 'task';
  if (wordCount(lower) > (inThread ? 24 : 14)) return null;

  return routeForAct(act, ctx, lower, code !== null);
}

/**
 * The route of a follow-up act in this thread context: the thread's job or task, or (no context)
 * a job/task route without an id that asks for it. Shared by the rules and the LLM classifier.
 */
export function routeForAct(act: FollowUpAct, ctx: ThreadContext, lower: string, namesCode = false): Route | null {
  const code = namesCode;
  const taskThread = ctx.subject === 'task' && ctx.jeditaskid !== null;
  const jobThread = ctx.pandaid !== null && (ctx.subject === 'job' || (ctx.subject === 'task' && ctx.facts?.act === 'example-job'));
  if (TASK_ACTS.has(act)) {
    if (taskThread) return route('task', { jeditaskid: ctx.jeditaskid }, act, `"${act}" about task ${ctx.jeditaskid} of this thread`, codeOf(ctx));
    return ctx.subject ? null : askBack(lower, act);
  }
  // Job acts: the thread's job (or a job the last answer pointed at), else the thread's task.
  if (jobThread && !(act === 'code' && code)) return route('job', { pandaid: ctx.pandaid }, act, `"${act}" about job ${ctx.pandaid} of this thread`);
  if (taskThread && !(act === 'code' && code))
    return route('task', { jeditaskid: ctx.jeditaskid }, act, `"${act}" about task ${ctx.jeditaskid} of this thread`, codeOf(ctx));
  if (act === 'simpler' || act === 'code') return null;
  return ctx.subject && ctx.subject !== 'docs' && ctx.subject !== 'error_code' ? null : askBack(lower, act);
}

/** "my job / the task / it" in a message. */
const OBJECT_REFERENCE = /\b(?:my|the|this|that|our)\s+(?:\w+\s+)?(job|task)s?\b|\b(?:it|its|it'?s|they|them)\b/;

/**
 * A follow-up act with nothing to refer to ("would a retry help?" as a first message, "which site
 * had the most failures in my task?"): a job or task route without an id, answered by asking for it.
 */
/** A client tool or its command named as the subject ("pbook retry - does it …", "prun: will it resubmit …"). */
const CLIENT_TOOL = /\b(?:pbook|prun|pathena|phpo|pchain|panda-?client|pandaclient|pandatools|rucio)\b/;
/** The asker's own job or task named as such ("my job", "the task"), not only a pronoun. */
const NAMED_OBJECT = /\b(?:my|our)\s+(?:\w+\s+)?(?:job|task)s?\b|\b(?:the|this|that)\s+(?:\w+\s+)?(?:job|task)\b(?!s)/;

function askBack(lower: string, act: FollowUpAct): Route | null {
  if (HOW_TO.test(lower)) return null;
  // With a client tool named and no job of the asker's, "it" is the tool: how the tool behaves.
  if (CLIENT_TOOL.test(lower) && !NAMED_OBJECT.test(lower)) return null;
  const reference = OBJECT_REFERENCE.exec(lower);
  const object = reference?.[1] === 'task' ? 'task' : reference?.[1] === 'job' ? 'job' : null;
  if (TASK_ACTS.has(act)) return object === 'task' ? route('task', {}, act, `"${act}" about a task not named yet (ask for the task ID)`) : null;
  if (!reference && wordCount(lower) > 6) return null;
  const intent = object ?? 'job';
  return route(intent, {}, act, `"${act}" about a ${intent} not named yet (ask for its ID)`);
}

function codeOf(ctx: ThreadContext): { code?: string } {
  return ctx.facts?.topError ? { code: ctx.facts.topError } : {};
}
