/** Proactive operations: watches on tasks, sites and errors, their alerts, and daily digests. */
export { createWatchCommand, placeOf, runWatchCommand, WATCH_WORDS, type WatchCommandOptions, type WatchRequest } from './command.js';
export { createDigestRunner, digestDue, digestFacts, digestReply } from './digest.js';
export { parseWatchCommand, WATCH_USAGE, type WatchCommand } from './parse.js';
export { DEFAULT_RULES, type RuleSettings } from './rules.js';
export { type CheckReport, createWatchRunner, isQuiet, type Poster, parseQuietHours, type QuietHours, type WatchRunner } from './runner.js';
export type { DigestSubscription, Place, Watch, WatchKind, WatchState, WatchStore } from './types.js';
