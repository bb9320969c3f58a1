/**
 * Questions over jobs that refine the `job` intent: the retries of one job (`job_lineage`), two
 * jobs side by side (`job_compare`), and searches over many jobs by user, site, state and time
 * (`job_search`). Runs on the same lower-case, ID-masked text as the other intent rules.
 */
import { ASK_PANDA_USER, toldPandaUser } from '../jobs/panda-users.js';
import type { Turn } from '../../src/contracts/conversation.js';
import type { Intent } from '../../src/contracts/routing.js';
import type { IdMention } from '../../src/contracts/ids.js';
import { type NameMention, QUEUE_ONLY_FIELD } from './names.js';
import { GENERAL_YES_NO, RULE_QUESTION } from './vocabulary.js';

export interface JobQuestionDecision {
  intent: Intent;
  reason: string;
  confidence: number;
  pandaids?: number[];
  username?: string;
  /** The message names the asker's PanDA account (counts even when it looks like small talk). */
  tellsUser?: boolean;
}

const COMPARE =
  /\b(?:compare|comparison|compared|diff|difference|differences|differ|versus|vs\.?|side\s+by\s+side)\b|\bwhy\s+did\s+idref\s+(?:fail|crash)\w*\s+(?:and|but|while|whereas)\s+idref\s+(?:succeed|work|finish|pass|run)\w*|\bwhy\s+did\s+idref\s+(?:succeed|work|finish|pass)\w*\s+(?:and|but|while|whereas)\s+idref\s+(?:fail|crash)\w*/;
const LINEAGE =
  /\b(?:retries|retry\s+(?:history|chain|lineage)|lineage|attempts|previous\s+(?:attempts?|tries|runs)|earlier\s+(?:attempts?|tries|runs)|all\s+(?:the\s+)?(?:tries|attempts|retries|runs)|how\s+many\s+times\s+(?:was|has|did)\b[^?]*\b(?:retried|tried|run|resubmitted)|(?:was|has|been)\s+(?:it\s+|this\s+job\s+)?(?:retried|resubmitted)|retried|resubmissions?|what\s+changed\s+between)\b/;
/** "jobs" as a search over many jobs, with something to search by. */
const JOBS_PLURAL = /\bjobs\b/;
const SEARCH_STATE =
  /\b(?:failed|failing|finished|successful|succeeded|running|activated|holding|cancelled|canceled|closed|defined|starting|transferring|merging|stuck|pending)\b/;
const TIME_WINDOW =
  /\b(?:today|yesterday|this\s+(?:morning|week)|(?:last|past)\s+(?:\d+\s*)?(?:hours?|hrs?|h|days?|d|week|24h)|since\s+\w+|in\s+the\s+last\b|\d+\s*(?:hours?|h)\b)/;
/** "today", "in the last 6 hours", "since monday": a time window, which makes a question a search over jobs. */
export function mentionsTimeWindow(lower: string): boolean {
  return TIME_WINDOW.test(lower);
}
/** What a queue gives its jobs: memory, cores, disk, time, input size. */
const QUEUE_GIVES = /\b(?:memory|ram|rss|cores?|cpus?|disk|scratch|walltime|wall\s*time|input\s+size|max(?:imum)?\s+\w+|limits?)\b/;
/** A hypothetical question ("why would …", "what could make …"): asks how things work. */
const HYPOTHETICAL =
  /\b(?:why|when|how)\s+(?:would|might|could)\b|\bwhat\s+happens\s+(?:to\s+[^?.!]{1,30}?\s+)?(?:when|if|once|after)\b|\bwhat\s+(?:would|might|could|can)\s+(?:cause|make|lead|send|put|trigger)\b/;
const OWN = /\b(?:my|mine|our|i\s+(?:submitted|ran|launched))\b/;
const OWN_TASK_JOBS = /\bjobs\s+(?:in|of|from|for|inside|within)\s+(?:my|our|the|this|that)\s+(?:\w+\s+)?task\b|\b(?:my|our)\s+(?:[\w-]+\s+){0,2}task\b(?!s)/;
const USER =
  /\b(?:of|by|for|from)\s+user\s+("[^"]+"|'[^']+'|[a-z0-9_.@-]+(?:\s+[a-z0-9_.-]+)?)|\buser\s+("[^"]+"|'[^']+'|[a-z0-9_.@-]+)(?:'s)?\s+jobs\b|\bproduser(?:name)?\s*[=:]\s*("[^"]+"|[^\s,]+)/;

/** Words after "user" that describe the jobs ("user analysis jobs", "for user jobs"), not a user's name. */
const NOT_A_USER_NAME =
  /^(?:jobs?|tasks?|analysis|analyses|production|prod|priority|priorities|quota|quotas|space|area|level|side|account|accounts|certificate|proxy|names?|data|datasets?|code|payloads?|workflows?|submissions?|queues?|activity|share|shares|group|groups)\b/;

/** The user name a search names ("jobs of user Jane Doe", "user jdoe's jobs"), as typed. */
export function searchedUser(text: string): string | null {
  const m = USER.exec(text.toLowerCase());
  if (!m) return null;
  if (NOT_A_USER_NAME.test((m[1] ?? m[2] ?? m[3] ?? '').replace(/^["']/, ''))) return null;
  const start = (m.index ?? 0) + m[0].indexOf(m[1] ?? m[2] ?? m[3] ?? '');
  const raw = text.slice(start, start + (m[1] ?? m[2] ?? m[3] ?? '').length);
  const cleaned = raw
    .replace(/^["']|["']$/g, '')
    .replace(/\s+(?:in|at|on|for|from|today|yesterday|that|which|with|during|since|last)\b.*$/i, '')
    .trim();
  return cleaned || null;
}

/** The user names their PanDA account, unasked or answering the bot's question. */
function tellsPandaUser(original: string, history: readonly Turn[]): boolean {
  if (toldPandaUser(original)) return true;
  const last = [...history].reverse().find((t) => t.role === 'assistant');
  if (!last?.text.includes(ASK_PANDA_USER)) return false;
  const words = original.trim().split(/\s+/);
  return words.length <= 4 && !/[?]/.test(original) && /^[\p{L}0-9_.@'" -]+$/u.test(original.trim());
}

export function decideJobQuestion(
  lower: string,
  original: string,
  ids: IdMention[],
  _names: NameMention[],
  history: readonly Turn[] = [],
): JobQuestionDecision | null {
  if (ids.length === 0 && tellsPandaUser(original, history)) {
    return { intent: 'job_search', reason: 'the user tells their PanDA user name (for searches of their own jobs)', confidence: 0.8, tellsUser: true };
  }
  const jobs = ids.filter((m) => m.kind === 'job');
  const tasks = ids.filter((m) => m.kind === 'task');
  if (jobs.length >= 2 && (COMPARE.test(lower) || /\band\b/.test(lower))) {
    if (COMPARE.test(lower) || /\bwhy\b/.test(lower)) {
      return {
        intent: 'job_compare',
        reason: `two jobs compared (${jobs[0]?.id} and ${jobs[1]?.id})`,
        confidence: 0.85,
        pandaids: jobs.map((j) => j.id),
      };
    }
  }
  if (jobs.length >= 1 && LINEAGE.test(lower) && !/\b(?:would|will|should|does|could)\b[^?]*\bretry\b[^?]*\bhelp\b/.test(lower)) {
    return { intent: 'job_lineage', reason: `the attempts of job ${jobs[0]?.id}`, confidence: 0.85 };
  }
  if (jobs.length > 0) return null;
  const user = searchedUser(original);
  const own = OWN.test(lower);
  const searchy =
    JOBS_PLURAL.test(lower) && (SEARCH_STATE.test(lower) || TIME_WINDOW.test(lower) || user !== null || /\b(?:list|show|find|which|what)\b/.test(lower));
  if (!searchy) return null;
  // "do failed jobs count against my quota?": a yes/no question about the rules, not a search.
  if (!user && !TIME_WINDOW.test(lower) && GENERAL_YES_NO.test(lower)) return null;
  // "how do I retry my failed jobs in a task?": a how-to, not a search (unless a user or a time window says which jobs).
  if (!user && !TIME_WINDOW.test(lower) && /\bhow\s+(?:do|can|could|should|would)\s+(?:i|we|one)\b/.test(lower)) return null;
  // "what's the maxrss for jobs on X?": a field of the queue the jobs run on, not a search of jobs.
  if (!user && !TIME_WINDOW.test(lower) && QUEUE_ONLY_FIELD.test(lower)) return null;
  // "what memory do jobs get on the glasgow queue?": what a named queue gives its jobs.
  if (!user && !TIME_WINDOW.test(lower) && !SEARCH_STATE.test(lower) && _names.length > 0 && QUEUE_GIVES.test(lower)) return null;
  // "how is the priority of user jobs computed?": the rule, not a search.
  if (!user && !TIME_WINDOW.test(lower) && RULE_QUESTION.test(lower)) return null;
  // "why would my jobs end up closed?": what can make jobs do that in general, not a search of today's jobs.
  if (!user && !TIME_WINDOW.test(lower) && HYPOTHETICAL.test(lower)) return null;
  // A task's jobs without a named user are the task agent's (counts, states, failures of the task).
  if (tasks.length > 0 && !user) return null;
  // "the jobs of my task", "why does my task have so many failed jobs?" without its ID: a question about that task (asked back for its ID), not a search.
  if (!user && OWN_TASK_JOBS.test(lower)) return null;
  if (own && !user && !TIME_WINDOW.test(lower) && !SEARCH_STATE.test(lower)) return null;
  if (!own && !user && tasks.length === 0 && !TIME_WINDOW.test(lower) && !/\b(?:at|on)\s+\S/.test(lower)) return null;
  const why = user ? `jobs of user ${user}` : own ? "the user's own jobs" : 'a job search';
  return { intent: 'job_search', reason: `${why} (search by user/site/state/time)`, confidence: 0.75, ...(user ? { username: user } : {}) };
}
