import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../config.js';
import type { Services } from './services.js';

export function register(program: Command, _services: () => Services): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the configuration and print the effective values (secrets masked)')
    .action(() => {
      const loaded = loadConfig(process.env);
      for (const line of describeConfig(loaded)) process.stdout.write(`${line}\n`);
      process.stdout.write('configuration OK\n');
    });
}
