/**
 * `askpanda watch|unwatch|watches|digest … --in platform:channel --as platform:user`: the chat
 * commands from the shell (same grammar, same admin rule), and `askpanda watch-run`: one round of
 * checks and due digests now, posted through the configured chat platforms (printed for the console).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { parseWatchCommand, type Place } from '../../agents/watch/index.js';
import type { Platform } from '../contracts/message.js';
import { InputError } from '../errors.js';
import { PLATFORM_NAMES } from './platforms.js';
import { printReply } from './print-reply.js';
import type { Services } from './services.js';
import { createWatchWiring } from './watch-wiring.js';

const PLATFORMS = new Set(['console', ...PLATFORM_NAMES]);

/** `slack:C0123` (a channel) or `console:terminal`; `--dm` marks a direct-message channel. */
export function placeFromOption(value: string | undefined, dm: boolean): Place {
  const m = /^([a-z]+):(?:([^:]+):)?(.+)$/.exec(value ?? 'console:terminal');
  if (!m || !PLATFORMS.has(m[1] as string))
    throw new InputError(`--in "${value}" is not platform:channel (platforms: ${[...PLATFORMS].join(', ')}), e.g. slack:C0123ABCD.`);
  const platform = m[1] as Platform;
  return { platform, workspace: m[2] ?? (platform === 'console' ? 'local' : ''), channel: m[3] as string, isDirect: dm || platform === 'console' };
}

async function withWiring<T>(s: Services, work: (wiring: ReturnType<typeof createWatchWiring>) => Promise<T>): Promise<T> {
  const state = await s.state();
  const adapters = await s.chatAdapters();
  const wiring = createWatchWiring(s, {
    state,
    post: async (place, thread, reply) => {
      if (place.platform === 'console') {
        printReply(reply, {});
        return { thread: thread ?? 'console' };
      }
      const adapter = adapters.find((a) => a.name.replace(/-http$/, '') === place.platform);
      if (!adapter) throw new InputError(`${place.platform} is not configured here, so nothing can be posted to ${place.channel}.`);
      return adapter.post({ channel: place.channel, thread }, reply);
    },
  });
  try {
    return await work(wiring);
  } finally {
    await wiring.close();
    await state.close();
  }
}

export function register(program: Command, services: () => Services): void {
  for (const word of ['watch', 'unwatch', 'watches', 'digest'] as const) {
    program
      .command(word)
      .argument('[words...]', word === 'digest' ? 'daily <HH:MM> | off' : word === 'watches' ? '' : 'task <id> | site <name> | error <component:code>')
      .description(
        word === 'digest'
          ? 'set (daily HH:MM, UTC), show or stop (off) the daily digest of a channel'
          : word === 'watches'
            ? "list a channel's watches and digest"
            : `${word === 'watch' ? 'watch' : 'stop watching'} a task, site or error in a channel (alerts go there)`,
      )
      .option('--in <platform:channel>', 'the channel, e.g. slack:C0123ABCD (default console:terminal)')
      .option('--dm', 'the channel is a direct message (anyone may set watches there)')
      .option('--as <platform:user>', 'who sets it (admins only for channels)')
      .action(async (words: string[], opts: { in?: string; dm?: boolean; as?: string }) => {
        const s = services();
        const parsed = parseWatchCommand([word, ...words].join(' '));
        if (!parsed) throw new InputError(`Not a watch command: ${[word, ...words].join(' ')}`);
        if (!parsed.ok) throw new InputError(parsed.usage.replace(/`/g, ''));
        const place = placeFromOption(opts.in, Boolean(opts.dm));
        await withWiring(s, async (wiring) => {
          const reply = await wiring.runCommand({ place, by: opts.as ?? `cli:${userInfo().username}`, command: parsed.command });
          printReply(reply, {});
        });
      });
  }
  program
    .command('watch-run')
    .description('check every watch once now and send the digests that are due (posted to their channels; console ones printed)')
    .action(async () => {
      const s = services();
      await withWiring(s, async (wiring) => {
        const checks = await wiring.runner.checkAll();
        const digests = await wiring.digests.runDue();
        process.stdout.write(
          `${checks.watches} watches checked: ${checks.alerts} alerts, ${checks.recoveries} recoveries, ${checks.held} held back, ${checks.failed} failed; digests: ${digests.sent} sent of ${digests.subscriptions}\n`,
        );
      });
    });
}
