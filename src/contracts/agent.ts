import type { Turn } from './conversation.js';
import type { IncomingMessage } from './message.js';
import type { Reply } from './reply.js';
import type { Intent, Route } from './routing.js';

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

export interface Agent {
  name: string;
  intents: readonly Intent[];
  /** One paragraph for the LLM router and MCP tool descriptions. */
  description: string;
  answer(request: AgentRequest): Promise<Reply>;
}

export interface Router {
  route(text: string, history: Turn[], signal?: AbortSignal): Promise<Route>;
}
