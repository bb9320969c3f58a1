/**
 * Builds the MCP server's toolbox from the core, the router and the knowledge base. Each tool
 * asks the same agent the chat path would, with the canonical question for its arguments, so a
 * tool answers exactly what a chat user asking that question gets.
 */
import { randomUUID } from 'node:crypto';
import type { Agent, Router } from '../contracts/agent.js';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import type { Entities, Intent, Route } from '../contracts/routing.js';
import type { Core } from '../core/pipeline.js';
import { errorReply } from '../errors.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Logger } from '../log.js';
import { redactDeep } from '../logs/index.js';
import type { McpToolbox } from '../mcp/toolbox.js';

export interface McpToolboxOptions {
  core: Core;
  router: Router;
  kb: KnowledgeBase;
  logger: Logger;
  /** Which door the messages came through (`mcp-http`, `mcp-stdio`); recorded as their channel. */
  channel?: string;
}

/**
 * A tool call as a message. Memory is keyed by (platform, workspace, channel, thread): the workspace
 * is the caller's identity, so two clients using one conversation id keep separate memories.
 */
function message(text: string, thread: string, channel: string, caller: string): IncomingMessage {
  const eventId = randomUUID();
  return {
    platform: 'mcp',
    workspace: caller,
    channel,
    thread,
    messageId: eventId,
    user: caller,
    text,
    isDirect: true,
    mentionsBot: true,
    channelPrivate: true,
    eventId,
    receivedAt: new Date(),
  };
}

const notice = (text: string, level: 'warning' | 'error' = 'error'): Reply => ({ blocks: [{ kind: 'notice', level, text }], summary: text });

export function createMcpToolbox(options: McpToolboxOptions): McpToolbox {
  const { core, router, kb } = options;
  const channel = options.channel ?? 'tools';
  const log = options.logger.child({ component: 'mcp-toolbox' });

  async function ask(text: string, conversation: string, caller: string): Promise<Reply> {
    const reply = await core.handle(message(text, conversation, channel, caller));
    return reply ?? notice('The question was not answered (empty or duplicate message).', 'warning');
  }

  /** The agent of `intent` on the canonical question, with the router's entities plus the tool's arguments. */
  async function viaAgent(intent: Intent, text: string, known: Partial<Entities>, view: 'user' | 'expert', signal?: AbortSignal): Promise<Reply> {
    const agent: Agent | undefined = core.agentFor(intent);
    // No agent of that kind: the core's own answer for the question (its "not set up" sentence).
    if (!agent) return ask(text, randomUUID(), 'local');
    const routed = await router.route(text, [], signal);
    const route: Route = { intent, entities: { ...routed.entities, ...known }, reason: `MCP tool (${intent})`, confidence: 1, source: 'command' };
    try {
      const reply = await agent.answer({ message: message(text, randomUUID(), channel, 'local'), text, route, history: [], view, signal });
      return { ...reply, intent: reply.intent ?? intent };
    } catch (error) {
      const ref = randomUUID().slice(0, 8);
      log.error({ err: error, intent, correlationId: ref }, 'tool answer failed');
      return errorReply(error, { ref, intent });
    }
  }

  // Every reply passes the core's redaction boundary (handle, agentFor); the error notices built
  // here quote exception messages, so they pass it too.
  const safe = async (reply: Promise<Reply>): Promise<Reply> => redactDeep(await reply);
  return {
    ask: (text, conversation, _signal, caller) => safe(ask(text, conversation, caller ?? 'local')),
    tools: () => core.agents().flatMap((agent) => (agent.tools ?? []).map((tool) => ({ ...tool, intent: agent.intents[0] as Intent }))),
    callTool: async (name, args, signal) => {
      for (const agent of core.agents()) {
        const tool = agent.tools?.find((t) => t.name === name);
        if (!tool) continue;
        const asked = tool.request(args);
        return safe(viaAgent(agent.intents[0] as Intent, asked.text, asked.entities ?? {}, asked.view ?? 'user', signal));
      }
      return notice(`No tool named ${name}.`);
    },
    errorCodes: () => kb.all().map((e) => ({ component: e.component, code: e.code, name: e.name, message: e.message })),
    errorCode: (component, code) => {
      const entry = kb.lookup(component, code);
      return entry ? { ...entry } : null;
    },
  };
}
