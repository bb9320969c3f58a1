/** Composition root: the `askpanda` CLI. Wiring only; each command lives in src/cli/. */
import { Command } from 'commander';
import { commandModules } from './cli/commands.js';
import { privateUmask, secureDataDir } from './cli/data-dir.js';
import { createServices, type Services } from './cli/services.js';
import { loadConfig } from './config.js';
import { AskPandaError } from './errors.js';
import { redact } from './logs/index.js';

async function main(argv: string[]): Promise<void> {
  privateUmask();
  const program = new Command('askpanda')
    .description('Ask PanDA: explains failed PanDA jobs, answers PanDA questions')
    .option('--panda-dir <dir>', 'read jobs, tasks and CRIC from a directory instead of the monitor')
    .showHelpAfterError();
  let services: Services | undefined;
  const getServices = (): Services => {
    if (!services) {
      const { pandaDir } = program.opts<{ pandaDir?: string }>();
      const loaded = loadConfig(process.env, { 'panda.dir': pandaDir });
      secureDataDir(loaded.config.dataDir);
      services = createServices({ loaded });
    }
    return services;
  };
  for (const load of commandModules) (await load()).register(program, getServices);
  try {
    await program.parseAsync(argv);
  } finally {
    await services?.closeState().catch(() => undefined);
  }
}

main(process.argv).catch((error: unknown) => {
  const message = error instanceof AskPandaError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`askpanda: ${redact(message)}\n`);
  process.exitCode = error instanceof AskPandaError && error.code === 'config_invalid' ? 2 : 1;
});
