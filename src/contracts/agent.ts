import type { ZodType } from 'zod';
import type { Turn } from './conversation.js';
import type { IncomingMessage } from './message.js';
import type { Reply } from './reply.js';
import type { Entities, Intent, Route } from './routing.js';

export interface AgentRequest {
  message: IncomingMessage;
  /** Normalised text (mentions stripped, monitor links turned into ids). */
  text: string;
  route: Route;
  /** Recent turns of this conversation, oldest first. */
  history: Turn[];
  /** `expert` when the user clicked "Expert details". */
  view?: 'user' | 'expert';
  signal?: AbortSignal;
}

/** What a tool call asks the agent: the canonical chat question for the arguments, and what they fix. */
export interface AgentToolRequest {
  text: string;
  entities?: Partial<Entities>;
  view?: 'user' | 'expert';
}

/**
 * An MCP tool an agent offers, declared beside the agent: the MCP server registers every agent's
 * tools from the agent list (schema validated there), and a call is answered by the agent as if a
 * chat user had asked `request(args).text`.
 */
export interface AgentTool {
  name: string;
  title: string;
  description: string;
  /** The arguments, as a zod raw shape (`{ pandaid: z.number()… }`). */
  input: Record<string, ZodType>;
  /** False when the answer comes only from data the bot ships (no remote service). Default true. */
  openWorld?: boolean;
  request(args: Record<string, unknown>): AgentToolRequest;
}

/**
 * A kind of question an agent brings with it (an intent the bot is not built with): its name, the
 * rule that routes a message to it and the answer when the agent is not in the list. The core reads
 * these from the agent list; a message that names a job or task id, a command or a follow-up keeps
 * the built-in routing.
 */
export interface DeclaredIntent {
  name: string;
  /** A message matching any of these is routed to this intent (checked after the built-in id rules). */
  keywords: readonly RegExp[];
  /** The answer when no agent of the list serves this intent. */
  notSetUp: string;
  /**
   * What this kind of question covers, one line for the LLM router's list of intents (its prompt and
   * the `route` tool's enum are built from the agent list). Default: the declaring agent's description.
   */
  guide?: string;
}

/**
 * One agent, declared once: its router description, its help lines and its MCP tools. Adding an agent
 * is its folder plus one line in the agent list (src/cli/services.ts); the router, `help` and the MCP
 * server read the list.
 */
export interface Agent {
  name: string;
  intents: readonly Intent[];
  /** One paragraph for the LLM router. */
  description: string;
  /** Lines of the `help` answer ("• explain error codes: …"), in the order of the agent list. */
  help?: readonly string[];
  /** The MCP tools this agent answers. */
  tools?: readonly AgentTool[];
  /** New intents this agent brings (their names also belong in `intents`). */
  declares?: readonly DeclaredIntent[];
  answer(request: AgentRequest): Promise<Reply>;
}

export interface Router {
  route(text: string, history: Turn[], signal?: AbortSignal): Promise<Route>;
}
