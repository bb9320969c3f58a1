/**
 * Degrade, never lose: the handler chat adapters get when the state is shared (Redis). While Redis is
 * unreachable a message is not handed to the core (whose de-duplication, ordering and memory live in
 * Redis and would wait for it or fail): it is kept in the data directory (`State.held`) and the user is
 * told it will be answered; when Redis is back each kept message goes through the core — so the event
 * de-duplication still holds — and its answer is posted in the message's thread. A redelivery of a
 * kept event is a duplicate. The synchronous APIs (`/v1`, MCP) cannot answer later: they get a clear
 * "try again shortly" reply instead of an error.
 */
import type { MessageHandler } from '../contracts/chat.js';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import type { Logger } from '../log.js';
import { type HeldMessages, heldKey } from '../state/index.js';

export const HELD_TEXT =
  'I cannot reach my shared state (Redis) just now. I have kept your message and will answer it here as soon as the connection is back; no need to send it again.';
export const TRY_AGAIN_TEXT = 'I cannot reach my shared state (Redis) just now, so I cannot answer this yet. Please try again in a minute.';

export interface HeldHandlerOptions {
  /** The core's handler. */
  handle: MessageHandler;
  held: HeldMessages;
  /** False while the shared state is unreachable. */
  available(): boolean;
  /**
   * Applied to a message before it is kept on disk (the redaction boundary: a secret pasted while
   * Redis is down is not stored; the answer is made from the redacted text).
   */
  redact?: <T>(value: T) => T;
  /** Posts a kept message's answer in its thread (through the running adapter of its platform). */
  deliver(message: IncomingMessage, reply: Reply): Promise<void>;
  logger: Logger;
}

export interface HeldHandler {
  /** For chat adapters: keeps the message while Redis is unreachable. */
  handle: MessageHandler;
  /** For synchronous APIs: a "try again shortly" reply while Redis is unreachable. */
  handleNow: MessageHandler;
  /** Answers the kept messages, oldest first (one run at a time; a call during a run waits for it). */
  drain(): Promise<void>;
}

const notice = (level: 'info' | 'warning', text: string): Reply => ({ blocks: [{ kind: 'notice', level, text }], summary: text });

/** The answer to a kept message, introduced so the thread shows what it answers. */
function lateReply(message: IncomingMessage, reply: Reply): Reply {
  const at = message.receivedAt.toISOString().slice(11, 16);
  const intro = `Answering your message of ${at} UTC, kept while my shared state was unreachable.`;
  return { ...reply, blocks: [{ kind: 'notice', level: 'info', text: intro }, ...reply.blocks] };
}

export function createHeldHandler(options: HeldHandlerOptions): HeldHandler {
  const { held } = options;
  const log = options.logger.child({ component: 'held-messages' });
  let running: Promise<void> | null = null;

  async function drainOnce(): Promise<void> {
    for (const row of held.pending()) {
      if (!options.available()) return;
      if (!held.claim(row.key)) continue;
      try {
        let reply = row.reply;
        if (!reply) {
          const answer = await options.handle(row.message);
          // Null: the core has seen this event (answered by another replica, or recorded before Redis dropped).
          if (answer === null) {
            held.release(row.key);
            log.info({ key: row.key }, 'kept message was already handled; dropped');
            continue;
          }
          reply = lateReply(row.message, answer);
          held.answered(row.key, reply);
        }
        await options.deliver(row.message, reply);
        held.release(row.key);
        log.info({ key: row.key, heldAt: row.heldAt }, 'kept message answered');
      } catch (error) {
        held.unclaim(row.key);
        log.warn({ err: error, key: row.key }, 'could not answer a kept message yet; will retry');
        return;
      }
    }
  }

  const drain = (): Promise<void> => {
    running ??= drainOnce().finally(() => {
      running = null;
    });
    return running;
  };

  /** What is written to disk: the user's words redacted; ids, channel and thread as they are (they address the answer). */
  const keepable = (message: IncomingMessage): IncomingMessage => {
    const clean = options.redact;
    if (!clean) return message;
    return {
      ...message,
      text: clean(message.text),
      ...(message.files ? { files: message.files.map((f) => (f.text === undefined ? f : { ...f, text: clean(f.text) })) } : {}),
      ...(message.history ? { history: message.history.map((t) => ({ ...t, text: clean(t.text) })) } : {}),
    };
  };

  const usable = (message: IncomingMessage): boolean => typeof message?.text === 'string' && Boolean(message.eventId);

  return {
    drain,
    async handle(message) {
      if (!usable(message)) return options.handle(message);
      const key = heldKey(message);
      if (held.has(key)) {
        log.info({ key }, 'redelivery of a kept message ignored');
        return null;
      }
      if (!options.available()) {
        // A click on a button is not a message to answer later: the user can click again.
        if (message.action) return notice('warning', TRY_AGAIN_TEXT);
        if (!held.hold(keepable(message))) return null;
        log.warn({ key, channel: message.channel }, 'shared state unreachable: message kept until it is back');
        return notice('warning', HELD_TEXT);
      }
      // Messages kept earlier are answered first, so a conversation keeps its order.
      if (held.count() > 0) await drain();
      return options.handle(message);
    },
    async handleNow(message) {
      if (usable(message) && !options.available()) return notice('warning', TRY_AGAIN_TEXT);
      return options.handle(message);
    },
  };
}
