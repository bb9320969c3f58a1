/**
 * The request an evaluation hands the docs agent: the question as a user would post it in a
 * channel (mentioning the bot), already routed to `docs`. Shared by `eval docqa` and
 * `eval discussions`, so both score what the agent says to a real user.
 */
import type { AgentRequest } from '../contracts/agent.js';
import type { IncomingMessage } from '../contracts/message.js';

export interface EvalChannel {
  platform: IncomingMessage['platform'];
  id: string;
  private: boolean;
}

const EVAL_CHANNEL: EvalChannel = { platform: 'slack', id: 'eval', private: false };

export function evalDocsRequest(id: string, question: string, channel: EvalChannel = EVAL_CHANNEL): AgentRequest {
  const message: IncomingMessage = {
    platform: channel.platform,
    workspace: 'eval',
    channel: channel.id,
    channelPrivate: channel.private,
    thread: null,
    user: 'eval-user',
    text: question,
    isDirect: false,
    mentionsBot: true,
    eventId: id,
    receivedAt: new Date(),
  };
  return {
    message,
    text: question,
    route: {
      intent: 'docs',
      entities: { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null },
      reason: 'evaluation',
      confidence: 1,
      source: 'command',
    },
    history: [],
  };
}
