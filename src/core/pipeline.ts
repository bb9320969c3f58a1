import { randomUUID } from 'node:crypto';
import type { Agent, Router } from '../contracts/agent.js';
import type { ConversationLock, ConversationStore, Deduper } from '../contracts/conversation.js';
import type { FeedbackStore } from '../contracts/feedback.js';
import type { ConversationKey, IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import type { Entities, Intent, Route } from '../contracts/routing.js';
import { asAskPandaError } from '../errors.js';
import type { Logger } from '../log.js';
import { conversationKeyOf, conversationKeyString } from '../contracts/conversation-key.js';
import { evidenceOf, modelOf, withFeedbackButtons } from './answer-record.js';
import { normalizeText, parseIdArgument } from './normalize.js';
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
  /** Upper bound for one answer; the agent's signal is aborted after it. */
  answerTimeoutMs?: number;
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

export type CoreCommand = (message: IncomingMessage) => Promise<Reply | null>;

export interface Core {
  handle(message: IncomingMessage): Promise<Reply | null>;
  /** Agents by intent, for the MCP server and the OpenAI-compatible endpoint. */
  agentFor(intent: Intent): Agent | undefined;
}

const NO_ENTITIES: Entities = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };

const NOT_CONFIGURED: Record<Intent, string> = {
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

export const HELP_TEXT = [
  'I am Ask PanDA. I can:',
  '• explain why a PanDA job failed and whether a retry helps: `/panda-job <pandaid>` or "why did job 6601000006 fail?"',
  '• summarise a JEDI task: "how many jobs of task 46200001 failed, and why?"',
  '• answer queue questions from CRIC, keeping every condition: "which online queues at BNL use rucio?"',
  '• find jobs: "my failed jobs today", "failed jobs at MWT2 in the last 6 hours"; show the retries of a job; compare two jobs',
  '• explain error codes: "what does pilot error 1150 mean?"',
  '• answer PanDA, pilot and Rucio documentation questions, with sources.',
  'Follow-ups in the same thread keep the context: "would a retry help?", "explain it in simpler words", "which line shows that?", "and job 6601000011?", "which site had the most failures?", "and its maxtime?".',
  '`/panda-forget` (or "forget") erases this conversation.',
].join('\n');

/** Structured data larger than this (e.g. a whole log context) is not kept with the answer record. */
const MAX_RECORDED_DATA = 64_000;

function textReply(text: string, level?: 'info' | 'warning' | 'error'): Reply {
  return { blocks: [level ? { kind: 'notice', level, text } : { kind: 'markdown', text }], summary: text };
}

function routeFor(intent: Intent, entities: Partial<Entities>, reason: string, source: Route['source']): Route {
  return { intent, entities: { ...NO_ENTITIES, ...entities }, reason, confidence: 1, source };
}

/** The core: dedupe → per-conversation ordering → memory → route → agent → memory. */
export function createCore(options: CoreOptions): Core {
  const { router, memory, deduper, lock, logger } = options;
  const agents = new Map<Intent, Agent>();
  for (const agent of options.agents) for (const intent of agent.intents) if (!agents.has(intent)) agents.set(intent, agent);
  const timeoutMs = options.answerTimeoutMs ?? 180_000;
  const clean: <T>(value: T) => T = options.redact ?? ((value) => value);
  /** Agents as handed out: their replies pass the redaction boundary like the core's own. */
  const guarded = new Map<Intent, Agent>();
  for (const [intent, agent] of agents)
    guarded.set(intent, {
      name: agent.name,
      intents: agent.intents,
      description: agent.description,
      answer: async (request) => clean(await agent.answer(request)),
    });

  async function answer(message: IncomingMessage, key: ConversationKey, log: Logger): Promise<{ reply: Reply; intent: HandledEvent['intent'] }> {
    const text = normalizeText(message.text, { botNames: options.botNames });
    const command = message.command?.name.replace(/^\//, '');
    const action = message.action;
    if (command === 'panda-forget' || (!command && !action && /^(forget|\/forget|forget this( conversation)?)\.?$/i.test(text))) {
      await memory.forget(key);
      return { reply: textReply('Done: I forgot this conversation.'), intent: 'command' };
    }
    if (action?.id === 'feedback-up' || action?.id === 'feedback-down') {
      const value = action.id === 'feedback-up' ? 'up' : 'down';
      await memory.feedback(key, value, message.user);
      const stored = options.feedback && action.value ? await options.feedback.rate(action.value, value, message.user) : null;
      log.info({ feedback: value, answer: action.value || null, stored: Boolean(stored) }, 'feedback');
      return { reply: textReply('Thanks, your feedback was recorded.'), intent: 'command' };
    }
    if (command === 'help' || (!command && !action && (text === '' || /^(help|\/help|\?)$/i.test(text)))) {
      return { reply: textReply(HELP_TEXT), intent: 'command' };
    }

    // Extra commands: a slash command, the whole text ("status"), or text starting with a
    // `panda-…` command word and its arguments ("panda-ingest add slack:C0123"), or one of the
    // configured command words and its arguments ("watch task 45500125").
    const word = !command && !action ? /^\/?([a-z][a-z-]*)\b\s*([\s\S]*)$/i.exec(text) : null;
    const typed = word && (/^panda-[a-z]+$/i.test(word[1] ?? '') || options.commandWords?.includes((word[1] ?? '').toLowerCase())) ? word : null;
    const commandKey = command ?? typed?.[1]?.toLowerCase() ?? (action ? '' : text.toLowerCase().replace(/[.!?]$/, ''));
    const extra = options.commands && Object.hasOwn(options.commands, commandKey) ? options.commands[commandKey] : undefined;
    if (extra) {
      const reply = await extra(typed ? { ...message, command: { name: commandKey, args: typed[2] ?? '' } } : message);
      if (reply) return { reply, intent: 'command' };
    }

    const stored = await memory.load(key);
    const carried = (message.history ?? []).map((t) => ({ role: t.role, text: t.text, at: message.receivedAt.toISOString() }));
    const history = stored.length > 0 ? stored : carried;
    let route: Route;
    let view: 'user' | 'expert' = 'user';
    let userText = text;
    if (command === 'panda-job') {
      const pandaid = parseIdArgument(message.command?.args ?? '');
      if (pandaid === null) return { reply: textReply('Usage: `/panda-job <pandaid>`, e.g. `/panda-job 6601000006`.', 'warning'), intent: 'command' };
      route = routeFor('job', { pandaid }, 'slash command /panda-job', 'command');
      userText = `/panda-job ${pandaid}`;
    } else if (command) {
      return { reply: textReply(`Unknown command \`/${command}\`. ${HELP_TEXT}`, 'warning'), intent: 'command' };
    } else if (action && (action.id === 'expert' || action.id === 'analyse-job')) {
      const pandaid = parseIdArgument(action.value);
      if (pandaid === null) return { reply: textReply('That button no longer points at a job.', 'warning'), intent: 'command' };
      view = action.id === 'expert' ? 'expert' : 'user';
      route = routeFor('job', { pandaid }, `button ${action.id}`, 'action');
      userText = action.id === 'expert' ? `Expert details for job ${pandaid}` : `Analyse job ${pandaid}`;
    } else if (action) {
      return { reply: textReply(`Unknown button \`${action.id}\`.`, 'warning'), intent: 'command' };
    } else {
      route = await router.route(text, history);
    }
    log.info({ intent: route.intent, entities: route.entities, reason: route.reason, source: route.source, followUp: route.followUp }, 'routed');

    const agent = agents.get(route.intent);
    let reply: Reply;
    if (!agent) {
      reply = textReply(NOT_CONFIGURED[route.intent]);
    } else {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        reply = await agent.answer({ message, text: questionFor(route, userText), route, history, view, signal: controller.signal });
      } finally {
        clearTimeout(timer);
      }
    }
    reply = { ...reply, intent: reply.intent ?? route.intent };
    const now = new Date().toISOString();
    // The redaction boundary: what is answered, recorded for feedback and remembered is redacted.
    reply = clean(reply);
    const question = clean(userText);
    reply = withFeedbackButtons(reply, await recordAnswer(message, key, question, route, reply, now, log));
    await memory.append(key, clean(exchangeTurns(question, message.receivedAt, route, reply, replySummary(reply))));
    return { reply, intent: route.intent };
  }

  /** Keeps the answer for 👍/👎 review; a store failure costs the feedback link, never the answer. */
  async function recordAnswer(message: IncomingMessage, key: ConversationKey, question: string, route: Route, reply: Reply, at: string, log: Logger) {
    if (!options.feedback) return '';
    try {
      // Stored for review: passes the redaction boundary whole (the router's reason and entities quote the user).
      return await options.feedback.recordAnswer(clean({
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
      }));
    } catch (error) {
      log.warn({ err: error }, 'could not record the answer for feedback');
      return '';
    }
  }

  return {
    agentFor: (intent) => guarded.get(intent),
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
          const { reply, intent } = await answer(message, key, log);
          emit(intent, 'ok');
          return clean(reply);
        } catch (error) {
          const err = asAskPandaError(error);
          const correlationId = randomUUID().slice(0, 8);
          log.error({ err: error, correlationId, code: err.code }, 'answer failed');
          emit('none', 'error');
          const userText =
            err.code === 'internal'
              ? `Sorry, something went wrong while answering (ref ${correlationId}). The error was logged.`
              : `${err.message} (ref ${correlationId})`;
          return clean({ ...textReply(userText, 'error'), correlationId });
        }
      });
    },
  };
}
