import { randomUUID } from 'node:crypto';
import type { MessageHandler } from '../../src/contracts/chat.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Reply } from '../../src/contracts/reply.js';
import { errorReply } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';

export interface DispatchSteps<C> {
  /** Runs beside the handler (e.g. posts a "working…" placeholder); its value is passed on. */
  prepare(): Promise<C>;
  deliver(reply: Reply, context: C): Promise<void>;
  /** Called when the handler answers null (duplicate or ignored): undo `prepare`. */
  discard(context: C): Promise<void>;
}

/** The reply shown when the handler itself throws (the core normally turns errors into replies). */
export function failureReply(error: unknown, correlationId: string): Reply {
  return errorReply(error, { ref: correlationId });
}

/**
 * Hands one message to the core and delivers the answer. Never throws: failures are logged with a
 * correlation id, and the user gets an error notice when one can still be posted.
 */
export async function dispatch<C>(handler: MessageHandler, message: IncomingMessage, logger: Logger, steps: DispatchSteps<C>): Promise<void> {
  const started = Date.now();
  // The handler starts before the placeholder is posted, so the core sees messages in arrival order
  // however long each platform call takes.
  const answer: Promise<Reply | null> = (async () => handler(message))().catch((error: unknown) => {
    const correlationId = randomUUID().slice(0, 8);
    logger.error({ err: error, correlationId, eventId: message.eventId }, 'adapter: the message handler failed');
    return failureReply(error, correlationId);
  });
  let context: C;
  try {
    context = await steps.prepare();
  } catch (error) {
    logger.error({ err: error, eventId: message.eventId }, 'adapter: could not prepare the answer');
    await answer;
    return;
  }
  const reply = await answer;
  try {
    if (reply === null) await steps.discard(context);
    else await steps.deliver(reply, context);
    logger.debug({ eventId: message.eventId, ms: Date.now() - started, answered: reply !== null }, 'adapter: message handled');
  } catch (error) {
    logger.error({ err: error, eventId: message.eventId, channel: message.channel }, 'adapter: could not deliver the answer');
  }
}
