/**
 * What the core answers without routing: forget, 👍/👎, help, the deployment's extra commands
 * (`status`, `panda-ingest …`, `watch …`), and the slash command and buttons that name their job.
 */
import type { Agent } from '../contracts/agent.js';
import type { ConversationStore } from '../contracts/conversation.js';
import type { FeedbackStore } from '../contracts/feedback.js';
import type { ConversationKey, IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import type { Entities, Intent, Route } from '../contracts/routing.js';
import type { Logger } from '../log.js';
import { idArgument } from '../contracts/ids.js';

/** A command the deployment adds (matched by slash-command name, whole text or command word); null lets the message be routed as usual. */
export type CoreCommand = (message: IncomingMessage) => Promise<Reply | null>;

export interface CommandDeps {
  memory: ConversationStore;
  feedback?: FeedbackStore;
  commands?: Record<string, CoreCommand>;
  commandWords?: readonly string[];
  /** The `help` answer (`helpText` of the agent list). */
  help: string;
  log: Logger;
}

/** Answered here (`reply`), routed by the command itself (`route`), or null: route the message as usual. */
export type CommandResult = { reply: Reply } | { route: Route; view: 'user' | 'expert'; userText: string } | null;

const NO_ENTITIES: Entities = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };

/** The `help` answer: the agents' own help lines, in the order of the agent list, between the core's lines. */
export function helpText(agents: ReadonlyArray<Pick<Agent, 'help'>>): string {
  return [
    'I am Ask PanDA. I can:',
    ...agents.flatMap((a) => a.help ?? []),
    'Follow-ups in the same thread keep the context: "would a retry help?", "explain it in simpler words", "which line shows that?", "and job 6601000011?", "which site had the most failures?", "and its maxtime?".',
    '`/panda-forget` (or "forget") erases this conversation.',
  ].join('\n');
}

export function textReply(text: string, level?: 'info' | 'warning' | 'error'): Reply {
  return { blocks: [level ? { kind: 'notice', level, text } : { kind: 'markdown', text }], summary: text };
}

/** The message carries a text file (a log): that file is what it asks about, so it goes to the job agent (issue 20). */
export function hasAttachedText(message: IncomingMessage): boolean {
  return (message.files ?? []).some((f) => Boolean(f.text?.trim()));
}

function routeFor(intent: Intent, entities: Partial<Entities>, reason: string, source: Route['source']): Route {
  return { intent, entities: { ...NO_ENTITIES, ...entities }, reason, confidence: 1, source };
}

export async function runCommand(message: IncomingMessage, text: string, key: ConversationKey, deps: CommandDeps): Promise<CommandResult> {
  const command = message.command?.name.replace(/^\//, '');
  const action = message.action;
  if (command === 'panda-forget' || (!command && !action && /^(forget|\/forget|forget this( conversation)?)\.?$/i.test(text))) {
    await deps.memory.forget(key);
    return { reply: textReply('Done: I forgot this conversation.') };
  }
  if (action?.id === 'feedback-up' || action?.id === 'feedback-down') {
    const value = action.id === 'feedback-up' ? 'up' : 'down';
    await deps.memory.feedback(key, value, message.user);
    const stored = deps.feedback && action.value ? await deps.feedback.rate(action.value, value, message.user) : null;
    deps.log.info({ feedback: value, answer: action.value || null, stored: Boolean(stored) }, 'feedback');
    return { reply: textReply('Thanks, your feedback was recorded.') };
  }
  if (command === 'help' || (!command && !action && ((text === '' && !hasAttachedText(message)) || /^(help|\/help|\?)$/i.test(text)))) {
    return { reply: textReply(deps.help) };
  }

  // Extra commands: a slash command, the whole text ("status"), or text starting with a
  // `panda-…` command word and its arguments ("panda-ingest add slack:C0123"), or one of the
  // configured command words and its arguments ("watch task 45500125").
  const word = !command && !action ? /^\/?([a-z][a-z-]*)\b\s*([\s\S]*)$/i.exec(text) : null;
  const typed = word && (/^panda-[a-z]+$/i.test(word[1] ?? '') || deps.commandWords?.includes((word[1] ?? '').toLowerCase())) ? word : null;
  const commandKey = command ?? typed?.[1]?.toLowerCase() ?? (action ? '' : text.toLowerCase().replace(/[.!?]$/, ''));
  const extra = deps.commands && Object.hasOwn(deps.commands, commandKey) ? deps.commands[commandKey] : undefined;
  if (extra) {
    const reply = await extra(typed ? { ...message, command: { name: commandKey, args: typed[2] ?? '' } } : message);
    if (reply) return { reply };
  }

  if (command === 'panda-job') {
    const pandaid = idArgument(message.command?.args ?? '');
    if (pandaid === null) return { reply: textReply('Usage: `/panda-job <pandaid>`, e.g. `/panda-job 6601000006`.', 'warning') };
    return { route: routeFor('job', { pandaid }, 'slash command /panda-job', 'command'), view: 'user', userText: `/panda-job ${pandaid}` };
  } else if (command) {
    return { reply: textReply(`Unknown command \`/${command}\`. ${deps.help}`, 'warning') };
  } else if (action && (action.id === 'expert' || action.id === 'analyse-job')) {
    const pandaid = idArgument(action.value);
    if (pandaid === null) return { reply: textReply('That button no longer points at a job.', 'warning') };
    return {
      route: routeFor('job', { pandaid }, `button ${action.id}`, 'action'),
      view: action.id === 'expert' ? 'expert' : 'user',
      userText: action.id === 'expert' ? `Expert details for job ${pandaid}` : `Analyse job ${pandaid}`,
    };
  } else if (action) {
    return { reply: textReply(`Unknown button \`${action.id}\`.`, 'warning') };
  }
  return null;
}
