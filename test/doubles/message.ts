/** Messages as an adapter hands them to the core, for tests that drive the core directly. */
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Reply } from '../../src/contracts/reply.js';

let sequence = 0;

/**
 * A direct message to the bot on the test platform from user `u`, each in a thread and with an
 * event id of its own (a new conversation per call) unless `fields` say otherwise.
 */
export function directMessage(text: string, fields: Partial<IncomingMessage> = {}): IncomingMessage {
  sequence += 1;
  return {
    platform: 'test',
    workspace: 'w',
    channel: 'c',
    thread: `t${sequence}`,
    user: 'u',
    text,
    isDirect: true,
    mentionsBot: true,
    eventId: `dm-${sequence}`,
    receivedAt: new Date(),
    ...fields,
  };
}

/** The text of a reply's text blocks, one per line ('' for none). */
export const replyText = (reply: Reply | null | undefined): string => (reply?.blocks ?? []).map((b) => ('text' in b ? b.text : '')).join('\n');
