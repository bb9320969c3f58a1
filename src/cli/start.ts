import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type ConsoleAdapter, createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { createScheduler } from '../maintenance/scheduler.js';
import { createStatusStore } from '../maintenance/status-store.js';
import { createCoreWiring } from './core-wiring.js';
import { createIngestChannelsCommand } from './ingest-discussions.js';
import { registerHttpApi } from './http-api.js';
import { createRuntime } from './runtime.js';
import type { Services } from './services.js';
import { createWatchWiring } from './watch-wiring.js';

export function register(program: Command, services: () => Services): void {
  program
    .command('start', { isDefault: true })
    .description('run the configured chat adapters (the terminal console when none is configured)')
    .action(async () => {
      const s = services();
      // Chat adapters enabled by their platform tokens.
      const adapters = await s.chatAdapters();
      // No chat platform and no HTTP port: the terminal console.
      if (adapters.length === 0 && s.config.http.port === undefined) {
        // Watches set in the console alert in the console (checked on their schedule while it runs).
        let console: ConsoleAdapter | undefined;
        const state = await s.state();
        const watch = createWatchWiring(s, {
          state,
          post: async (_place, thread, reply) => {
            if (!console) throw new Error('the console is not running');
            return console.post({ channel: 'terminal', thread }, reply);
          },
        });
        const { core, memory, feedback } = createCoreWiring(s, {
          commands: { 'panda-ingest': createIngestChannelsCommand(s), ...watch.commands },
          commandWords: watch.commandWords,
        });
        const handler = (message: Parameters<typeof core.handle>[0]) => core.handle(message);
        const scheduler = createScheduler({
          jobs: watch.jobs,
          store: createStatusStore(state.keyv('maintenance')),
          logger: s.logger,
          replica: 'console',
        });
        console = createConsoleAdapter({
          input: process.stdin,
          output: process.stdout,
          logger: s.logger.child({ component: 'console' }),
          attachmentDir: join(resolve(s.config.dataDir), 'attachments'),
          banner: [s.pandaDescription()],
        });
        await console.start(handler);
        if (s.config.maintenance.enabled) scheduler.start();
        await console.closed;
        await scheduler.stop();
        await watch.close();
        await memory.close().catch(() => undefined);
        await feedback.close().catch(() => undefined);
        await state.close();
        return;
      }
      const runtime = await createRuntime(s);
      // MCP (/mcp) and the OpenAI-compatible API (/v1) on the one HTTP server, behind ASKPANDA_API_TOKENS.
      if (runtime.http) registerHttpApi(runtime.http, s, runtime.core);
      await runtime.start(adapters);
      s.logger.info({ replica: runtime.replica }, s.pandaDescription());
      await new Promise<void>((resolveStop) => {
        const stop = () => void runtime.close().then(resolveStop);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
