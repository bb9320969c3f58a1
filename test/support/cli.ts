/**
 * Running `askpanda <command>` in tests: in this process (a command module's `register` on a fresh
 * commander program, stdout captured), or as its own process (`node bin/askpanda.js …`, for what
 * only a real process shows: exit codes, start-up, the shipped entry point).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { vi } from 'vitest';

/** The checkout's root (where bin/askpanda.js is). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A spawned CLI needs seconds to load its modules, many more on a loaded machine (2 cores shared
 * by several suites): tests that spawn it take this as their timeout, not a tight figure.
 */
export const SPAWNED_CLI_TIMEOUT_MS = 180_000;

/** Runs one command registered by `register` in this process and returns what it wrote to stdout. */
export async function runInProcess<S>(register: (program: Command, services: () => S) => void, services: () => S, args: string[]): Promise<string> {
  const program = new Command('askpanda').exitOverride();
  register(program, services);
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync(['node', 'askpanda', ...args]);
  } finally {
    spy.mockRestore();
  }
  return stdout;
}

/**
 * `node bin/askpanda.js …args` with only PATH, HOME and `env` in its environment (nothing of the
 * developer's own configuration leaks in); resolves when it has exited.
 */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/askpanda.js', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
}
