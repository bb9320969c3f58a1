/**
 * The shared chat-adapter contract, run against the console adapter where it applies: DMs (the
 * console is one), follow-ups in the thread, the "Expert details" and 👍/👎 buttons (typed as
 * /expert, /up, /down). It has no channels, slash-command acks, platform limits, retries or bots.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe } from 'vitest';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import type { MessageHandler } from '../../src/contracts/chat.js';
import type { Logger } from '../../src/log.js';
import { type ChatAdapterDriver, type PostedMessage, runChatAdapterContract } from '../contract/chat-adapter.js';

const COMMAND_TO_ACTION: Record<string, string> = { '/expert': 'expert', '/up': 'feedback-up', '/down': 'feedback-down' };

function consoleDriver(): ChatAdapterDriver {
  const input = new PassThrough();
  const posted: PostedMessage[] = [];
  // The console writes each rendered reply in one write; each such write is one posted message.
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      if (text.trim() && !text.startsWith('Started a new thread')) {
        const actions = /Actions: (.*)$/m.exec(text)?.[1] ?? '';
        const buttons = [...actions.matchAll(/→ (\/\w+)/g)].flatMap((m) =>
          COMMAND_TO_ACTION[m[1] as string] ? [{ id: COMMAND_TO_ACTION[m[1] as string] as string, value: '' }] : [],
        );
        posted.push({ id: String(posted.length + 1), conversation: 'console', inThread: true, text, parts: [text], buttons });
      }
      done();
    },
  });
  let adapter: ReturnType<typeof createConsoleAdapter> | undefined;
  const send = async (line: string) => {
    input.write(`${line}\n`);
    return { conversation: 'console' };
  };
  return {
    name: 'console',
    limit: Number.POSITIVE_INFINITY,
    features: {
      channels: false,
      slashCommands: false,
      buttons: true,
      rateLimits: false,
      redelivery: false,
      otherBots: false,
      messageLimit: false,
      malformedEvents: false,
      ownMessages: false,
    },
    async start(handler: MessageHandler, logger: Logger) {
      adapter = createConsoleAdapter({ input, output, logger, interactive: false });
      await adapter.start(handler);
    },
    async stop() {
      input.end();
      await adapter?.closed;
    },
    sendMention: (text) => send(text),
    sendDm: (text) => send(text),
    sendThreadReply: (_to, text) => send(text),
    async sendSlashCommand() {
      throw new Error('the console has no slash-command acknowledgement');
    },
    async clickButton(_message, actionId) {
      const command = Object.entries(COMMAND_TO_ACTION).find(([, id]) => id === actionId)?.[0];
      if (!command) throw new Error(`no console command for ${actionId}`);
      await send(command);
    },
    async redeliverLast() {},
    rateLimitNextPost() {},
    rateLimitRecord: () => undefined,
    async sendMalformed() {},
    async sendOwnMessage() {},
    async sendOtherBotMessage() {},
    posts: () => posted,
    proactive: {
      adapter: () => {
        if (!adapter) throw new Error('driver not started');
        return adapter;
      },
      channel: 'terminal',
      conversationOf: () => 'console',
    },
  };
}

describe('console adapter', () => {
  runChatAdapterContract(async () => consoleDriver());
});
