import { randomUUID } from 'node:crypto';
import type { Agent, Router } from '../contracts/agent.js';
import {
  type AnswerDeadline,
  AnswerDeadlineExceeded,
  formatDeadline,
  NOT_IN_TIME,
  startAnswerDeadline,
  withAnswerDeadline,
} from '../contracts/answer-deadline.js';
import type { ConversationLock, ConversationStore, Deduper } from '../contracts/conversation.js';
import type { FeedbackStore } from '../contracts/feedback.js';
import type { ConversationKey, IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import type { BuiltinIntent, Intent, Route } from '../contracts/routing.js';
import { asAskPandaError, errorReply } from '../errors.js';
import type { Logger } from '../log.js';
import { conversationKeyOf, conversationKeyString } from '../contracts/conversation-key.js';
import { evidenceOf, modelOf, withFeedbackButtons } from './answer-record.js';
import { type CoreCommand, hasAttachedText, helpText, runCommand, textReply } from './commands.js';
import { normalizeText } from './normalize.js';
import { replySummary } from './reply-summary.js';
import { exchangeTurns, questionFor } from './thread-context.js';

export type Outcome = 'ok' | 'error' | 'duplicate' | 'ignored';

export interface HandledEvent {
  platform: string;
  intent: Intent | 'command' | 'none';
  outcome: Outcome;
  ms: number;
}

export interface CoreOptions {
  router: Router;
  agents: Agent[];
  memory: ConversationStore;
  deduper: Deduper;
  lock: ConversationLock;
  logger: Logger;
  botNames?: string[];
  /**
   * Total time one answer may take, routing and model calls included (default 60 s). When it passes,
   * model calls in flight are aborted and answered offline (src/contracts/answer-deadline.ts), so
   * the agent finishes on its offline path; the reply then carries a notice saying so.
   */
  answerDeadlineMs?: number;
  /**
   * How long after the deadline the agent may still take for its offline answer (default 5 s).
   * Then its signal is aborted and the core replies alone that the answer took too long.
   */
  answerGraceMs?: number;
  /** Called once per message (metrics). */
  onHandled?: (event: HandledEvent) => void;
  /**
   * Extra commands by name, matched against a slash command's name or the whole message text
   * (e.g. `status` for admins). A handler returning null lets the message be routed as usual.
   */
  commands?: Record<string, CoreCommand>;
  /**
   * Durable 👍/👎: every routed answer is recorded here and its buttons carry the record's id.
   * Without it the buttons still appear and feedback lands only on the conversation memory.
   */
  feedback?: FeedbackStore;
  /**
   * Command words that may be typed with arguments like the `panda-…` words ("watch task 45500125"):
   * the handler of `commands[word]` gets them as a command; returning null routes the message as usual.
   */
  commandWords?: readonly string[];
  /**
   * The redaction boundary (injected: the redactor lives in src/logs). Applied to every reply that
   * leaves the core — `handle` and the agents handed out by `agentFor` (MCP, CLI) — and to every
   * turn written to memory, so no secret leaves and none is stored.
   */
  redact?: <T>(value: T) => T;
}

export type { CoreCommand } from './commands.js';

export interface Core {
  handle(message: IncomingMessage): Promise<Reply | null>;
  /** Agents by intent, for the MCP server and the OpenAI-compatible endpoint. */
  agentFor(intent: Intent): Agent | undefined;
  /** Every agent, in the order of the agent list (as `agentFor` hands them out): the MCP server registers their tools. */
  agents(): readonly Agent[];
}

const NOT_CONFIGURED: Record<BuiltinIntent, string> = {
  docs: 'Documentation search is not set up in this deployment yet, so I cannot answer documentation questions.',
  job: 'Job analysis is not set up in this deployment yet, so I cannot look at PanDA jobs.',
  task: 'Task summaries are not set up in this deployment yet, so I cannot look at JEDI tasks.',
  queue: 'Queue questions (CRIC) are not set up in this deployment yet.',
  error_code: 'The error-code knowledge base is not set up in this deployment yet.',
  chitchat: 'Hello! I am Ask PanDA.',
  out_of_scope: 'I only help with PanDA, its pilot, JEDI tasks, queues and Rucio data questions.',
  job_search: 'Job searches are not set up in this deployment yet.',
  job_lineage: 'Retry histories of jobs are not set up in this deployment yet.',
  job_compare: 'Job comparisons are not set up in this deployment yet.',
};

/** Structured data larger than this (e.g. a whole log context) is not kept with the answer record. */
const MAX_RECORDED_DATA = 64_000;

/** The core: dedupe → per-conversation ordering → memory → route → agent → memory. */
export function createCore(options: CoreOptions): Core {
  const { router, memory, deduper, lock, logger } = options;
  const agents = new Map<Intent, Agent>();
  for (const agent of options.agents) for (const intent of agent.intents) if (!agents.has(intent)) agents.set(intent, agent);
  const help = helpText(options.agents);
  // Intents the agents bring: their routing rule and "not set up" sentence, in the order of the list.
  const declared = options.agents.flatMap((agent) => agent.declares ?? []);
  const notSetUp = (intent: Intent): string =>
    (NOT_CONFIGURED as Record<string, string>)[intent] ??
    declared.find((d) => d.name === intent)?.notSetUp ??
    `Questions of kind "${intent}" are not set up in this deployment yet.`;
  /** A route to an agent-declared intent when the message matches its rule and names no job or task. */
  const declaredRoute = (text: string, route: Route): Route => {
    if (declared.length === 0 || route.followUp || route.entities.pandaid !== null || route.entities.jeditaskid !== null) return route;
    const hit = declared.find((d) => d.keywords.some((k) => k.test(text)));
    return hit ? { ...route, intent: hit.name, reason: `${hit.name} rule (was ${route.intent}: ${route.reason})`, source: 'rules' } : route;
  };
  const deadlineMs = options.answerDeadlineMs ?? 60_000;
  const graceMs = options.answerGraceMs ?? 5_000;
  const clean: <T>(value: T) => T = options.redact ?? ((value) => value);

  /**
   * Runs `work` inside a fresh answer deadline. Past the deadline plus the grace period its signal
   * is aborted and `late()` answers instead: whatever hangs, the caller is answered in time.
   */
  async function withinDeadline<T>(work: (signal: AbortSignal, deadline: AnswerDeadline) => Promise<T>, late: () => T, outer?: AbortSignal): Promise<T> {
    const deadline = startAnswerDeadline(deadlineMs);
    const hard = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = new Promise<T>((resolve) => {
      timer = setTimeout(() => {
        // The late answer first, so the race settles on it whatever the abort makes `work` do.
        resolve(late());
        hard.abort(new AnswerDeadlineExceeded(deadlineMs));
      }, deadlineMs + graceMs);
    });
    const signal = outer ? AbortSignal.any([outer, hard.signal]) : hard.signal;
    try {
      // The race subscribes to `work`, so a rejection after the late answer is not unhandled.
      return await Promise.race([withAnswerDeadline(deadline, () => work(signal, deadline)), stopped]);
    } finally {
      clearTimeout(timer);
      deadline.clear();
    }
  }

  const tooLate = (): Reply =>
    textReply(
      `Sorry, this answer took longer than the ${formatDeadline(deadlineMs)} answer deadline (a service it needs did not respond in time). Please try again in a moment.`,
      'warning',
    );

  /**
   * A reply whose model calls were cut by the deadline says so once, in one short line: the agents'
   * own notices quoting the LLM layer ("<provider> did not answer in time …") give way to it.
   */
  function noticeIfCut(reply: Reply, deadline: AnswerDeadline): Reply {
    if (!deadline.cut) return reply;
    const text = `The language model ${NOT_IN_TIME} (answer deadline ${formatDeadline(deadline.ms)}), so this is the offline answer.`;
    const rest = reply.blocks.filter((b) => !(b.kind === 'notice' && b.text.includes(NOT_IN_TIME)));
    return { ...reply, blocks: [{ kind: 'notice', level: 'warning', text }, ...rest] };
  }

  /** Agents as handed out: their replies pass the redaction boundary and the answer deadline like the core's own. */
  const guarded = new Map<Intent, Agent>();
  for (const [intent, agent] of agents)
    guarded.set(intent, {
      name: agent.name,
      intents: agent.intents,
      description: agent.description,
      ...(agent.help ? { help: agent.help } : {}),
      ...(agent.tools ? { tools: agent.tools } : {}),
      answer: async (request) =>
        clean(
          await withinDeadline(
            async (signal, deadline) => noticeIfCut(await agent.answer({ ...request, signal }), deadline),
            () => ({ ...tooLate(), intent }),
            request.signal,
          ),
        ),
    });

  async function answer(
    message: IncomingMessage,
    key: ConversationKey,
    log: Logger,
    signal: AbortSignal,
    deadline: AnswerDeadline,
    late: { abandoned: boolean },
  ): Promise<{ reply: Reply; intent: HandledEvent['intent'] }> {
    const text = normalizeText(message.text, { botNames: options.botNames });
    const handled = await runCommand(message, text, key, {
      memory,
      feedback: options.feedback,
      commands: options.commands,
      commandWords: options.commandWords,
      help,
      log,
    });
    if (handled && 'reply' in handled) return { reply: handled.reply, intent: 'command' };

    const stored = await memory.load(key);
    const carried = (message.history ?? []).map((t) => ({ role: t.role, text: t.text, at: message.receivedAt.toISOString() }));
    const history = stored.length > 0 ? stored : carried;
    let route: Route = handled ? handled.route : declaredRoute(text, await router.route(text, history, signal));
    if (!handled && hasAttachedText(message) && route.intent !== 'job') route = { ...route, intent: 'job', reason: `attached log (${route.reason})` };
    const view = handled ? handled.view : 'user';
    const userText = handled ? handled.userText : text;
    log.info({ intent: route.intent, entities: route.entities, reason: route.reason, source: route.source, followUp: route.followUp }, 'routed');

    const agent = agents.get(route.intent);
    let reply: Reply;
    if (!agent) {
      reply = textReply(notSetUp(route.intent));
    } else {
      reply = noticeIfCut(await agent.answer({ message, text: questionFor(route, userText), route, history, view, signal }), deadline);
    }
    reply = { ...reply, intent: reply.intent ?? route.intent };
    // Answered too late: the user already has the core's "took too long" reply; nothing is recorded.
    if (late.abandoned) return { reply, intent: route.intent };
    const now = new Date().toISOString();
    // The redaction boundary: what is answered, recorded for feedback and remembered is redacted.
    reply = clean(reply);
    const question = clean(userText);
    reply = withFeedbackButtons(reply, await recordAnswer(message, key, question, route, reply, now, log));
    try {
      await memory.append(key, clean(exchangeTurns(question, message.receivedAt, route, reply, replySummary(reply))));
    } catch (error) {
      // Memory is best-effort once the answer exists: a full disk (or a store gone) costs the follow-up context, never the answer.
      log.warn({ err: error }, 'could not remember this exchange');
    }
    return { reply, intent: route.intent };
  }

  /** Keeps the answer for 👍/👎 review; a store failure costs the feedback link, never the answer. */
  async function recordAnswer(message: IncomingMessage, key: ConversationKey, question: string, route: Route, reply: Reply, at: string, log: Logger) {
    if (!options.feedback) return '';
    try {
      // Stored for review: passes the redaction boundary whole (the router's reason and entities quote the user).
      return await options.feedback.recordAnswer(
        clean({
          at,
          platform: message.platform,
          conversation: conversationKeyString(key),
          user: message.user,
          question,
          intent: route.intent,
          entities: route.entities,
          routeSource: route.source,
          routeReason: route.reason,
          answer: replySummary(reply, 4000),
          model: modelOf(reply),
          evidence: evidenceOf(reply),
          ...(reply.data && JSON.stringify(reply.data).length <= MAX_RECORDED_DATA ? { data: reply.data } : {}),
        }),
      );
    } catch (error) {
      log.warn({ err: error }, 'could not record the answer for feedback');
      return '';
    }
  }

  return {
    agentFor: (intent) => guarded.get(intent),
    agents: () =>
      options.agents.flatMap((agent) => {
        const intent = agent.intents.find((i) => agents.get(i) === agent);
        const handed = intent ? guarded.get(intent) : undefined;
        return handed ? [handed] : [];
      }),
    async handle(message) {
      const started = Date.now();
      const emit = (intent: HandledEvent['intent'], outcome: Outcome) =>
        options.onHandled?.({ platform: message.platform, intent, outcome, ms: Date.now() - started });
      if (typeof message?.text !== 'string' || !message.eventId) {
        logger.warn({ platform: message?.platform }, 'ignored a message without text or event id');
        emit('none', 'ignored');
        return null;
      }
      if (!(await deduper.firstSeen(`${message.platform}:${message.eventId}`))) {
        logger.debug({ platform: message.platform, eventId: message.eventId }, 'duplicate event ignored');
        emit('none', 'duplicate');
        return null;
      }
      const key = conversationKeyOf(message);
      const log = logger.child({ conversation: conversationKeyString(key), eventId: message.eventId });
      return lock.run(conversationKeyString(key), async () => {
        try {
          const late = { abandoned: false };
          const { reply, intent, outcome } = await withinDeadline(
            async (signal, deadline) => ({ ...(await answer(message, key, log, signal, deadline, late)), outcome: 'ok' as Outcome }),
            () => {
              late.abandoned = true;
              log.warn({ deadlineMs, graceMs }, 'answer deadline passed without an answer');
              return { reply: tooLate(), intent: 'none' as const, outcome: 'error' as Outcome };
            },
          );
          emit(intent, outcome);
          return clean(reply);
        } catch (error) {
          const correlationId = randomUUID().slice(0, 8);
          log.error({ err: error, correlationId, code: asAskPandaError(error).code }, 'answer failed');
          emit('none', 'error');
          return clean(errorReply(error, { ref: correlationId }));
        }
      });
    },
  };
}
