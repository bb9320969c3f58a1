import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { createCoreWiring } from './core-wiring.js';
import { isErrorReply, printReply } from './print-reply.js';
import type { Services } from './services.js';

export function register(program: Command, services: () => Services): void {
  program
    .command('ask')
    .description('ask one question and print the answer')
    .argument('<question...>', 'the question, e.g. "what does pilot error 1150 mean?"')
    .option('--json', 'print the structured reply as JSON')
    .action(async (words: string[], options: { json?: boolean }) => {
      const s = services();
      const { core, memory, feedback } = createCoreWiring(s);
      const id = randomUUID();
      const reply = await core.handle({
        platform: 'console',
        workspace: 'local',
        channel: 'cli',
        thread: id,
        messageId: id,
        user: 'cli',
        text: words.join(' '),
        isDirect: true,
        mentionsBot: true,
        eventId: id,
        receivedAt: new Date(),
      });
      await memory.close().catch(() => undefined);
      await feedback.close().catch(() => undefined);
      if (!reply) return;
      printReply(reply, options);
      // Scripts can tell an answer from "job … was not found" or an error.
      if (isErrorReply(reply)) process.exitCode = 1;
    });
}
