/**
 * Wires watches and digests: the store (the state's "watch" store: SQLite in the data directory, or
 * Redis shared by replicas, with claimed "sent" markers), the chat command, the runners and their maintenance jobs. Posting
 * goes through whatever `post` the caller gives (the running adapters, or the console).
 */
import {
  createDigestRunner,
  createWatchCommand,
  createWatchRunner,
  type Poster,
  runWatchCommand,
  type WatchCommandOptions,
  type WatchRequest,
  parseQuietHours,
  WATCH_WORDS,
  type WatchRunner,
  type WatchStore,
} from '../../agents/watch/index.js';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import { digestJob, watchJob } from '../maintenance/jobs.js';
import type { MaintenanceJob } from '../maintenance/types.js';
import { createWatchStore, type State } from '../state/index.js';
import type { Services } from './services.js';

export interface WatchWiring {
  store: WatchStore;
  runner: WatchRunner;
  digests: ReturnType<typeof createDigestRunner>;
  /** Core commands for the words watch / unwatch / watches / digest. */
  commands: Record<string, (message: IncomingMessage) => Promise<Reply | null>>;
  commandWords: readonly string[];
  /** Runs a parsed command (the CLI). */
  runCommand(request: WatchRequest): Promise<Reply>;
  jobs: MaintenanceJob[];
  close(): Promise<void>;
}

export interface WatchWiringOptions {
  post: Poster;
  /** The bot's state: the "watch" store and its claims (Redis shared by replicas, or the data directory). */
  state: State;
  now?: () => Date;
}

/** "every 5 minutes" for the usual cron shapes, else the expression itself. */
export function cadenceOf(cron: string): string {
  const m = /^\*\/(\d+) \* \* \* \*$/.exec(cron.trim());
  if (m) return `every ${m[1]} minutes`;
  if (cron.trim() === '* * * * *') return 'every minute';
  return `on the schedule "${cron}"`;
}

export function createWatchWiring(services: Services, options: WatchWiringOptions): WatchWiring {
  const { config, logger } = services;
  const w = config.watch;
  // Checked by the config schema with the same parser (ASKPANDA_WATCH_QUIET_HOURS).
  const quietHours = parseQuietHours(w.quietHours);
  const { state } = options;
  const store = createWatchStore({ keyv: state.keyv('watch'), claim: (key, ttlMs) => state.claimOnce(key, ttlMs), release: (key) => state.releaseClaim(key) });
  const rules = { taskFailureRate: w.taskFailureRate };
  const common = { store, panda: services.panda(), logger, post: options.post, ...(options.now ? { now: options.now } : {}) };
  const runner = createWatchRunner({ ...common, kb: services.kb(), rules, windowHours: w.windowHours, quietHours, maxPostsPerHour: w.maxPostsPerHour });
  const digests = createDigestRunner(common);
  const commandOptions: WatchCommandOptions = {
    store,
    admins: config.admins,
    panda: services.panda(),
    rules,
    cadence: cadenceOf(w.cron),
    windowHours: w.windowHours,
    ...(options.now ? { now: options.now } : {}),
  };
  const command = createWatchCommand(commandOptions);
  return {
    store,
    runner,
    digests,
    commands: Object.fromEntries(WATCH_WORDS.map((word) => [word, command])),
    commandWords: WATCH_WORDS,
    runCommand: (request) => runWatchCommand(request, commandOptions),
    jobs: [watchJob({ cron: w.cron, check: (signal) => runner.checkAll(signal) }), digestJob({ cron: w.digestCron, run: (signal) => digests.runDue(signal) })],
    // The store's Keyv belongs to the state, which closes it.
    async close() {},
  };
}
