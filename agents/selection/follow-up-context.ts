/**
 * The thread context a follow-up is resolved against, read from the stored turns: what the thread
 * is about (the latest job, task, queue/site or error code question), the act and question of that
 * turn, and what the latest answer stated (`Turn.facts`).
 */
import type { Turn } from '../../src/contracts/conversation.js';
import type { AnswerFacts } from '../../src/contracts/reply.js';
import type { FollowUpAct, Intent } from '../../src/contracts/routing.js';

export interface ThreadContext {
  /** Intent of the latest user turn about something (chitchat and out-of-scope turns are skipped). */
  subject: Intent | null;
  /** Follow-up act of that turn (null for a first question). */
  lastAct: FollowUpAct | null;
  /** That turn's question as it was answered (the rewritten one for a follow-up). */
  asked: string | null;
  pandaid: number | null;
  jeditaskid: number | null;
  queue: string | null;
  site: string | null;
  errorCode: number | null;
  errorComponent: string | null;
  /** What the latest answer stated. */
  facts: AnswerFacts | null;
}

const OFF_TOPIC: ReadonlySet<Intent> = new Set(['chitchat', 'out_of_scope']);

export function emptyContext(): ThreadContext {
  return {
    subject: null,
    lastAct: null,
    asked: null,
    pandaid: null,
    jeditaskid: null,
    queue: null,
    site: null,
    errorCode: null,
    errorComponent: null,
    facts: null,
  };
}

export function threadContext(history: readonly Turn[]): ThreadContext {
  const ctx = emptyContext();
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (!turn) continue;
    if (turn.role === 'assistant') {
      if (!ctx.facts && !ctx.subject && turn.facts) ctx.facts = turn.facts;
      continue;
    }
    if (!turn.intent || OFF_TOPIC.has(turn.intent)) continue;
    const e = turn.entities ?? {};
    if (!ctx.subject) {
      ctx.subject = turn.intent;
      ctx.lastAct = turn.followUp?.act ?? null;
      ctx.asked = turn.asked ?? turn.text;
      ctx.queue = e.queue ?? null;
      ctx.site = e.site ?? null;
    }
    ctx.pandaid ??= e.pandaid ?? null;
    ctx.jeditaskid ??= e.jeditaskid ?? null;
    if (ctx.errorCode === null && e.error_code) {
      ctx.errorCode = e.error_code;
      ctx.errorComponent = e.error_component ?? null;
    }
  }
  // A job the latest answer pointed at ("give me a job that failed with it") is the job of the thread now.
  if (ctx.facts?.act === 'example-job' && ctx.facts.pandaid) ctx.pandaid = ctx.facts.pandaid;
  return ctx;
}
