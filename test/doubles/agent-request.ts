import type { AgentRequest } from '../../src/contracts/agent.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Entities, Intent } from '../../src/contracts/routing.js';

export const NO_ENTITIES: Entities = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };

export interface AgentRequestOptions {
  entities?: Partial<Entities>;
  history?: AgentRequest['history'];
  view?: AgentRequest['view'];
  /** Fields of the incoming message that differ from a plain DM on the test platform. */
  message?: Partial<IncomingMessage>;
}

/** A request as the core hands it to an agent: a DM routed by the rules to `intent`. */
export function agentRequest(text: string, intent: Intent, options: AgentRequestOptions = {}): AgentRequest {
  return {
    message: {
      platform: 'test',
      workspace: 'w',
      channel: 'c',
      thread: null,
      user: 'u',
      text,
      isDirect: true,
      mentionsBot: false,
      eventId: 'e',
      receivedAt: new Date(),
      ...options.message,
    },
    text,
    route: { intent, entities: { ...NO_ENTITIES, ...options.entities }, reason: 'test', confidence: 1, source: 'rules' },
    history: options.history ?? [],
    view: options.view,
  };
}
