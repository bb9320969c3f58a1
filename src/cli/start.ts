import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import type { ChatAdapter } from '../contracts/chat.js';
import { createCoreWiring } from './core-wiring.js';
import type { Services } from './services.js';

/** Chat adapters configured by platform tokens (none → the console). */
function configuredAdapters(services: Services): ChatAdapter[] {
  const getter = (services as unknown as Record<string, unknown>).chatAdapters;
  return typeof getter === 'function' ? (getter as () => ChatAdapter[])() : [];
}

export function register(program: Command, services: () => Services): void {
  program
    .command('start', { isDefault: true })
    .description('run the configured chat adapters (the terminal console when none is configured)')
    .action(async () => {
      const s = services();
      const { core, memory } = createCoreWiring(s);
      const handler = (message: Parameters<typeof core.handle>[0]) => core.handle(message);
      const adapters = configuredAdapters(s);
      const stopAll = async () => {
        for (const adapter of adapters) await adapter.stop().catch((error: unknown) => s.logger.error({ err: error, adapter: adapter.name }, 'stop failed'));
        await memory.close().catch(() => undefined);
      };
      if (adapters.length === 0) {
        const console = createConsoleAdapter({
          input: process.stdin,
          output: process.stdout,
          logger: s.logger.child({ component: 'console' }),
          attachmentDir: join(resolve(s.config.dataDir), 'attachments'),
          banner: [s.pandaDescription()],
        });
        await console.start(handler);
        await console.closed;
        await memory.close().catch(() => undefined);
        return;
      }
      for (const adapter of adapters) {
        await adapter.start(handler);
        s.logger.info({ adapter: adapter.name }, 'adapter started');
      }
      s.logger.info(s.pandaDescription());
      await new Promise<void>((resolveStop) => {
        const stop = () => void stopAll().then(resolveStop);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
