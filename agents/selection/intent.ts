/**
 * Intent rules, in the order of the routing README's decision rules: explicit IDs first, then
 * unrelated topics and small talk, specific error codes, queue metadata, the user's own job/task
 * without an ID, documentation, and out-of-scope for anything with no PanDA vocabulary at all.
 */
import type { Intent } from '../../src/contracts/routing.js';
import type { ErrorCodeMention } from './error-codes.js';
import type { IdMention } from '../../src/contracts/ids.js';
import type { NameMention } from './names.js';
import {
  ABOUT_ASSISTANT,
  CODES_IN_GENERAL,
  COMPUTING,
  CRIC_FIELDS,
  BOT_ADDRESS,
  DOMAIN,
  EVERYDAY,
  GENERAL_YES_NO,
  GREETING_EDGE,
  HOW_TO,
  MEANING,
  OTHER_SYSTEMS,
  OWN_OBJECT,
  PANDA_CORE,
  PANDA_STRONG,
  PHYSICS,
  QUEUE_LIST,
  RULE_QUESTION,
  SMALL_TALK,
  STATUS_TALK,
  UNRELATED,
} from './vocabulary.js';

export interface IntentInput {
  /** Lower-case, typo-corrected text with links replaced and IDs masked as "idref". */
  lower: string;
  ids: IdMention[];
  code: ErrorCodeMention | null;
  names: NameMention[];
}

/** The reasons of the two defaults, when no rule matched: docs for PanDA words, out_of_scope for none. */
export const DOCS_DEFAULT = 'general PanDA/ATLAS question';
export const OUT_OF_SCOPE_DEFAULT = 'no PanDA/ATLAS vocabulary';

export interface IntentDecision {
  intent: Intent;
  reason: string;
  confidence: number;
}

const SMALL_TALK_ALL = new RegExp(SMALL_TALK.source, 'g');
const CONTAINER_WORDS = /\b(?:in|of|from|within|inside|under|belonging\s+to|part\s+of|for)$/;
const EXAMPLE_WORDS = /\b(?:e\.g\.?|eg|like|such\s+as|including|example|incl\.?)$/;
/** Words that ask about one job in particular when a task ID is also present. */
const JOB_FOCUS =
  /\b(?:why\s+did|what\s+happened\s+to|check|look\s+at|analy[sz]e|logs?\s+(?:of|for)|status\s+of|explain|debug)\s+(?:the\s+|this\s+|my\s+)?job\b/;
const TASK_FOCUS =
  /\b(?:how\s+many|all(?:\s+the)?|most|count\s+of|number\s+of|share\s+of|percentage\s+of|every)\b[^?]*\bjobs\b|\b(?:why\s+did|what\s+happened\s+to|status\s+of|summar\w+|progress\s+of)\s+(?:the\s+|this\s+|my\s+)?task\b/;
/** "how is my task doing?": a status question, not a how-to. */
const HOW_IS_IT_DOING = /\bhow\s+(?:is|are)\s+(?:my|our|the|this|that)\s+(?:\w+\s+)?(?:jobs?|tasks?)\s+(?:doing|going|progressing|coming\s+along)\b/;
/** Asking the bot to send work somewhere: a how-to even when a queue is named. */
const SUBMIT_HOW_TO = /\b(?:how\s+(?:do|can|should)\s+i|can\s+i|is\s+it\s+possible)\b[^?]*\b(?:submit|send|run|force|target|use|exclude|avoid|direct)\b/;

/** The PanDA and Rucio client tools users name as the subject of a how-to question. */
const TOOL_NAMES = String.raw`prun|pathena|pbook|phpo|pchain|panda-?client|rucio`;
const TOOL = `(?:${TOOL_NAMES})`;
const TOOL_PART = String.raw`(?:option|options|flag|flags|argument|arguments|switch|parameter|command|syntax)`;
/** Asking for an option, flag or command of a client tool ("which prun option sends jobs only to X?"): a how-to even when a queue is named. */
const TOOL_OPTION = new RegExp(
  String.raw`\b(?:which|what)\s+(?:(?:${TOOL_NAMES}|cli|command[-\s]line)\s+)?${TOOL_PART}\b[^?]*\b${TOOL}\b|\b${TOOL}\s+${TOOL_PART}\b|\b(?:prun|pathena)\b[^?]*\s--?[a-z]\w+`,
);
/** A question whose subject is a client tool or its command ("pbook kill - will it …?", "does prun retry …?"): how the tool behaves. */
const TOOL_QUESTION = new RegExp(
  String.raw`^\W*${TOOL}\b[^?]*?\b(?:does|do|will|would|can|could|is)\s+it\b|\b(?:does|do|will|would|can|could)\s+(?:the\s+)?${TOOL}\b`,
);
/** A why question, or how something behaves — not "how do I find/list/see …", which asks for the data. */
const WHY_OR_HOW_GENERAL =
  /^\W*(?:(?:so|and|but|ok|okay)\W+)?(?:why\b|how\s+come\b|how\s+(?:do|does|did|are|is)\s+(?!(?:i|we|you|one)\s+(?:find|get|see|list|check|look|know|query|show))\w)/;
/** "is the foo queue online?": the state of one queue named in words CRIC does not use. */
const ONE_QUEUE_STATE =
  /\b(?:is|are|was)\s+(?:the\s+)?[\w-]+\s+(?:queue|site|pq|panda\s+queue)\s+(?:still\s+|currently\s+|now\s+)?(?:online|offline|down|up|in\s+(?:test|downtime)|brokeroff|blacklisted)\b/;
/** "how does the brokerage choose …", "why does the pilot skip …": how a component behaves. */
const MECHANISM =
  /\b(?:how|why)\s+(?:does|do|would|did|is|are)\s+(?:the\s+)?(?:panda\s+|jedi\s+)?(?:brokerage|broker|jedi|panda(?:\s+server)?|pilot|harvester|rucio|cric|scheduler|retry\s+module|job\s+generator|task\s+refiner)\s+(?:\w+\s+)?(?:pick|choose|decide|select|rank|weigh|assign|prefer|skip|exclude|avoid|distribute|match)(?:s|es)?\b/;
/** Asking where to look a code up ("is there a table?", "where can I find …"): the documentation, not one code's meaning. */
const CODE_DOCS_LOOKUP =
  /\bis\s+there\s+(?:a|an|any)\s+(?:\w+\s+)?(?:table|list|page|reference|overview|doc\w*|wiki)\b|\bwhere\s+(?:can|could|do|should|would)\s+(?:i|we|one)\s+(?:find|look\s+(?:\w+\s+)?up|read|check|see)\b/;
/** The retry machinery itself ("retry rules", "the retry module"), asked about with a code as the example. */
const RETRY_MECHANISM = /\bretry\s+(?:rules?|modules?|polic(?:y|ies)|logic|mechanism|configuration|config)\b|\bno_retry\b|\bretrial\s+module\b/;

function isSmallTalk(lower: string): boolean {
  // "morning panda!": the bot addressed by name is not a PanDA topic.
  const rest = lower
    .replace(BOT_ADDRESS, ' ')
    .replace(SMALL_TALK_ALL, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return rest.length === 0;
}

/** "thanks, I understand now", "great, that helps a lot": thanks or a greeting with nothing PanDA in it. */
const THANKS_OR_HELLO = /\b(?:thanks?|thank\s+you|thx|cheers|hi|hello|hey|good\s+(?:morning|afternoon|evening))\b/;
function thanksOnly(lower: string): boolean {
  return THANKS_OR_HELLO.test(lower) && !DOMAIN.test(lower) && !/\?/.test(lower) && lower.split(/\s+/).length <= 10;
}

/** Beyond the greeting, the message asks or orders something ("hey, what is the best laptop?"). */
function asksSomethingElse(lower: string): boolean {
  const rest = lower.replace(SMALL_TALK_ALL, ' ').replace(/^[^a-z0-9]+/, '');
  if (/^(?:can|could|would)\s+you\s+(?:please\s+)?help(?:\s+me)?(?:\s+please)?\W*$/.test(rest)) return false;
  return (
    rest.includes('?') ||
    /^(?:btw\s+)?(?:how|what|what's|whats|why|where|which|when|who|is|are|does|do|can|could|should|would|will|write|tell|give|make|fix|buy|find|recommend|explain|show|list|help)\b/.test(
      rest,
    )
  );
}

function aboutAssistant(text: string): boolean {
  const lower = text.replace(BOT_ADDRESS, ' ');
  const match = ABOUT_ASSISTANT.exec(lower);
  if (!match) return false;
  const rest = lower.slice(0, match.index) + lower.slice(match.index + match[0].length);
  return !DOMAIN.test(rest);
}

function jobOrTask(input: IntentInput): IntentDecision {
  const jobs = input.ids.filter((m) => m.kind === 'job');
  const tasks = input.ids.filter((m) => m.kind === 'task');
  if (jobs.length > 0 && tasks.length > 0) {
    const task = tasks[0] as IdMention;
    const job = jobs[0] as IdMention;
    if (CONTAINER_WORDS.test(task.before)) return { intent: 'job', reason: 'job ID with its task named as context ("job N in task M")', confidence: 0.9 };
    if (EXAMPLE_WORDS.test(job.before)) return { intent: 'task', reason: 'task ID with a job given as an example', confidence: 0.85 };
    if (JOB_FOCUS.test(input.lower)) return { intent: 'job', reason: 'job and task IDs; the question is about the job', confidence: 0.8 };
    if (TASK_FOCUS.test(input.lower)) return { intent: 'task', reason: 'job and task IDs; the question is about the task', confidence: 0.8 };
    const first = input.ids[0] as IdMention;
    return { intent: first.kind, reason: `job and task IDs; the ${first.kind} is mentioned first`, confidence: 0.7 };
  }
  if (jobs.length > 0) {
    const via = (jobs[0] as IdMention).via;
    return { intent: 'job', reason: `PanDA job ID ${(jobs[0] as IdMention).id} (${via === 'bare' ? '10-digit number' : `after "${via}"`})`, confidence: 0.95 };
  }
  const task = tasks[0] as IdMention;
  return { intent: 'task', reason: `JEDI task ID ${task.id} (${task.via === 'bare' ? '8-digit number' : `after "${task.via}"`})`, confidence: 0.95 };
}

/**
 * The asker's job or task without "my": "got a failed job, help?", "I have a stuck task", "job failed
 * again :(" — an indefinite job they hold, or a short message that starts with the job/task and says
 * what went wrong with it.
 */
const HELD_OBJECT =
  /\b(?:submitted|sent|launched|started|created)\s+(?:a|an|one|some|my|two|few|several|\d+)\s+(?:\w+\s+)?(jobs?|tasks?)\b|\b(?:got|have|had|there'?s|there\s+is)\s+(?:a|an|one|some)\s+(?:\w+\s+){0,2}(jobs?|tasks?)\s+(?:that|which|of\s+mine)\b|\b(?:problems?|issues?|trouble|help)\s+(?:with|on|about)\s+(?:a|an|one)\s+(?:\w+\s+)?(jobs?|tasks?)\b|\b(jobs?|tasks?)\s+of\s+mine\b|\b(?:got|have|had|there'?s|there\s+is|with|about|on)\s+(?:a|an|one|some|two|few|several|\d+)\s+(?:(?:failed|failing|stuck|crashed|broken|dead|killed|hanging|grid|panda|prun|pathena|analysis|production)\s+){1,2}(jobs?|tasks?)\b|\b(?:got|have|had)\s+(?:a|an|one|some)\s+(jobs?|tasks?)\s+(?:that|which)\s+(?:failed|fails|crashed|died|is\s+stuck|hangs?|got\s+killed)\b/;
const LEADING_OBJECT =
  /^(?:(?:the|this|that)\s+)?(?:(?:grid|panda|prun|pathena|analysis|production|user)\s+)?(jobs?|tasks?)\s+(?:(?:has|have|had|is|are|was|were|just|still|always|again)\s+)*(?:failed|fails|failing|crashed|crashing|died|dies|dying|stuck|broke|broken|hangs?|hanging|hung|killed|keeps?|won'?t|doesn'?t|isn'?t|not|never)\b/;

/** "what does the error of my job mean?": the meaning of something that happened to the asker's own job. */
const MY_OBJECT_MEANING =
  /^(?:so\s+)?what\s+(?:does|do|did)\s+(?:the|this|that)\s+(?:error|code|message|status|failure)\s+(?:on|of|in|for|from)\s+(?:my|our)\s+(?:\w+\s+)?(?:jobs?|tasks?)\s+mean\b/;
/** "where are the logs for my failed job?": where something of one job of the asker's is — that job's data. */
const WHERE_MINE = /\bwhere\s+(?:is|are)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:of|for|from)\s+(?:my|our)\s+(?:[\w-]+\s+){0,2}(?:job|task)\b(?!s)/;
/** "my jedi task", "our mc23 jobs": the asker's own job or task with any two words before it. */
const MY_ANY_OBJECT = /\b(?:my|our)\s+(?:[\w-]+\s+){0,2}(jobs?|tasks?)\b/;
/** "explain why my job failed", "what happened to my task": about what happened to the asker's own job/task. */
const WHY_MINE = /\b(?:why|what\s+happened|what'?s\s+(?:wrong|up|going\s+on))\b[^?.!]{0,40}\b(?:my|our)\s+(?:[\w-]+\s+){0,2}(?:job|task)\b(?!s)/;
/** One job or task of the asker's ("my task", "a job of mine"), not their jobs in general ("my analysis tasks"). */
const ONE_OF_MINE = /\b(?:my|our)\s+(?:[\w-]+\s+){0,2}(?:job|task)\b(?!s)/;
const HOW_DO_I = /\bhow\s+(?:do|can|could|should|would)\s+(?:i|we)\b/;
/** "the jobs in my task": the task is what the question is about. */
const JOBS_OF_OWN_TASK = /\bjobs?\s+(?:in|of|from|for|inside|within)\s+(?:my|our|the|this|that)\s+(?:\w+\s+)?task\b/;

function ownObject(lower: string): 'job' | 'task' | null {
  if (JOBS_OF_OWN_TASK.test(lower)) return 'task';
  const held = HELD_OBJECT.exec(lower) ?? (lower.split(/\s+/).length <= 8 ? LEADING_OBJECT.exec(lower) : null);
  if (held) return held.slice(1).find(Boolean)?.startsWith('task') ? 'task' : 'job';
  const match = OWN_OBJECT.exec(lower) ?? MY_ANY_OBJECT.exec(lower);
  if (!match) return null;
  return (match[1] ?? '').startsWith('task') ? 'task' : 'job';
}

export function decideIntent(input: IntentInput): IntentDecision {
  const { lower, code, names } = input;
  if (input.ids.length > 0) return jobOrTask(input);

  if (UNRELATED.test(lower)) return { intent: 'out_of_scope', reason: 'unrelated topic', confidence: 0.85 };
  if (OTHER_SYSTEMS.test(lower) && !PANDA_CORE.test(lower)) {
    return { intent: 'out_of_scope', reason: `another system (${OTHER_SYSTEMS.exec(lower)?.[0]}) with no PanDA context`, confidence: 0.8 };
  }
  // Accents folded ("ça va", "dziękuję", "später"): small talk in other languages is matched in plain letters.
  const plain = lower.normalize('NFD').replace(/\p{M}/gu, '');
  // Every word small talk: a name that is also such a word ("tack" ~ TACC) is the word, not the name.
  if (!code && (isSmallTalk(plain) || (names.length === 0 && (aboutAssistant(plain) || thanksOnly(plain))))) {
    return { intent: 'chitchat', reason: 'greeting, thanks or a question about the assistant', confidence: 0.9 };
  }

  const own = ownObject(lower);
  const status = STATUS_TALK.test(lower);
  const mine = own !== null && (ONE_OF_MINE.test(lower) || HELD_OBJECT.test(lower));
  // "what does the error on my job mean?", "could you explain why my job failed?" need that job: not a how-to.
  const howTo =
    GENERAL_YES_NO.test(lower) ||
    (HOW_TO.test(lower) && !(own && (MY_OBJECT_MEANING.test(lower) || WHERE_MINE.test(lower) || (WHY_MINE.test(lower) && !HOW_DO_I.test(lower)))));
  if (code) {
    // "difference between pilot error 1099 and 1098?": two codes compared, each a specific code.
    const comparesCodes = /\b\d{1,5}\s+(?:and|vs\.?|versus|or)\s+(?:\w+\s+){0,2}\d{1,5}\b/.test(lower);
    if (CODES_IN_GENERAL.test(lower) && !comparesCodes && !MEANING.test(lower.replace(/\bwhat\s+is\b/g, ''))) {
      return { intent: 'docs', reason: 'question about error codes in general', confidence: 0.6 };
    }
    // "in general, when should I use X? my jobs get 1150 sometimes": the general question, with the code as the reason.
    if (/\b(?:in\s+general|generally|in\s+principle)\b/.test(lower))
      return { intent: 'docs', reason: `a general question (code ${code.code} as the reason)`, confidence: 0.6 };
    if (CODE_DOCS_LOOKUP.test(lower)) return { intent: 'docs', reason: `asks where codes such as ${code.code} are documented`, confidence: 0.6 };
    if (RETRY_MECHANISM.test(lower)) return { intent: 'docs', reason: `how the retry rules work (with code ${code.code} as the example)`, confidence: 0.6 };
    if (own && status && !MEANING.test(lower)) {
      return { intent: own, reason: `the user's own ${own} failing with code ${code.code}, no ID given`, confidence: 0.6 };
    }
    return {
      intent: 'error_code',
      reason: `error code ${code.code}${code.component ? ` (${code.component})` : ''} not tied to a job or task`,
      confidence: code.how === 'bare' ? 0.7 : 0.85,
    };
  }

  // How or why a PanDA component decides ("how does the brokerage pick between A and B?"): documentation, whatever it names.
  if (MECHANISM.test(lower)) return { intent: 'docs', reason: 'how a PanDA component decides or behaves', confidence: 0.6 };
  const queueTalk = CRIC_FIELDS.test(lower);
  const listTalk = QUEUE_LIST.test(lower);
  if (names.length > 0) {
    const name = names[0] as NameMention;
    if (own && status && !queueTalk) return { intent: own, reason: `the user's own ${own} at ${name.name}, no ID given`, confidence: 0.6 };
    if (SUBMIT_HOW_TO.test(lower) && !queueTalk) return { intent: 'docs', reason: `how-to question that names ${name.name}`, confidence: 0.55 };
    if (TOOL_OPTION.test(lower)) return { intent: 'docs', reason: `asks for a client tool's option or command (names ${name.name})`, confidence: 0.55 };
    return { intent: 'queue', reason: `${name.kind} ${name.name}${queueTalk ? ' with a CRIC field or state' : ''}`, confidence: queueTalk ? 0.9 : 0.7 };
  }
  // "why do some queues …?", "how do queues with X behave?": reasons and behaviour, which CRIC data does not tell.
  if (listTalk && names.length === 0 && WHY_OR_HOW_GENERAL.test(lower))
    return { intent: 'docs', reason: 'why/how question about queues in general', confidence: 0.55 };
  if (listTalk && (!howTo || queueTalk)) return { intent: 'queue', reason: 'question over many queues/sites', confidence: 0.75 };
  if (ONE_QUEUE_STATE.test(lower)) return { intent: 'queue', reason: 'the state of one queue or site (name not recognised)', confidence: 0.6 };

  if (RULE_QUESTION.test(lower)) return { intent: 'docs', reason: 'how the system decides or computes something (a rule)', confidence: 0.6 };
  if (TOOL_QUESTION.test(lower) && !ONE_OF_MINE.test(lower)) return { intent: 'docs', reason: 'how a client tool or command behaves', confidence: 0.55 };
  // The asker's own job or task ("is my task ok?", "a job of mine failed"): any question about it needs its ID.
  if (own && (!howTo || HOW_IS_IT_DOING.test(lower)) && (status || mine))
    return { intent: own, reason: `the user's own ${own} without an ID (ask for it)`, confidence: 0.65 };
  // "how do I free memory on my laptop?": everyday matters in words the grid also uses.
  if (PHYSICS.test(lower) && !COMPUTING.test(lower))
    return { intent: 'out_of_scope', reason: `physics, not computing (${PHYSICS.exec(lower)?.[0]})`, confidence: 0.6 };
  if (EVERYDAY.test(lower) && !PANDA_STRONG.test(lower))
    return { intent: 'out_of_scope', reason: `everyday topic (${EVERYDAY.exec(lower)?.[0]})`, confidence: 0.6 };
  if (DOMAIN.test(lower)) return { intent: 'docs', reason: DOCS_DEFAULT, confidence: 0.6 };
  if (
    lower
      .replace(/[^a-z0-9 ]+/g, ' ')
      .trim()
      .split(/\s+/)
      .filter(Boolean).length <= 2
  ) {
    return { intent: 'chitchat', reason: 'short message with nothing PanDA in it', confidence: 0.4 };
  }
  // Opening or closing with a greeting or thanks, with nothing PanDA or off-topic in it: small talk.
  if (GREETING_EDGE.test(lower) && lower.split(/\s+/).length <= 12 && !asksSomethingElse(lower)) {
    return { intent: 'chitchat', reason: 'greeting or thanks with nothing PanDA in it', confidence: 0.5 };
  }
  return { intent: 'out_of_scope', reason: OUT_OF_SCOPE_DEFAULT, confidence: 0.55 };
}
