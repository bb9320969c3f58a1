/** The `askpanda eval …` command group, shared by every evaluation command. */
import type { Command } from 'commander';

/** Returns the program's `eval` subcommand, creating it on first use. */
export function evalCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'eval');
  return existing ?? program.command('eval').description('run an evaluation set and print its metrics');
}
