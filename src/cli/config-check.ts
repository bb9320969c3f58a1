import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../config.js';
import { redact } from '../logs/index.js';
import type { Services } from './services.js';

/** A line as `config check` prints it: passwords inside URLs (`redis://:pw@host`) and any other secret masked. */
export function maskCredentials(line: string): string {
  return redact(line.replace(/(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/@]{0,256}:)[^\s@/]{1,1024}@/g, '$1*****@'));
}

export function register(program: Command, _services: () => Services): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the configuration and print the effective values (secrets masked)')
    .action(() => {
      const loaded = loadConfig(process.env);
      for (const line of describeConfig(loaded)) process.stdout.write(`${maskCredentials(line)}\n`);
      process.stdout.write('configuration OK\n');
    });
}
