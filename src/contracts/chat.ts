import type { IncomingMessage } from './message.js';
import type { Reply } from './reply.js';

/** What adapters receive: the core's entry point. Null means "nothing to answer" (duplicate, ignored). */
export type MessageHandler = (message: IncomingMessage) => Promise<Reply | null>;

/** The three-method lifecycle main.ts knows about an adapter. */
export interface ChatAdapter {
  readonly name: string;
  start(handler: MessageHandler): Promise<void>;
  stop(): Promise<void>;
}
