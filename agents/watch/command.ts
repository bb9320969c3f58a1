/**
 * The chat (and CLI) side of watches: `watch …`, `unwatch …`, `watches`, `digest …`. Anyone may set
 * watches in a DM; in a channel only admins (ASKPANDA_ADMINS, `platform:user`) may, since the
 * alerts go to everybody there.
 */
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { PandaSource } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import { AskPandaError } from '../../src/errors.js';
import { parseWatchCommand, WATCH_USAGE, type WatchCommand } from './parse.js';
import { watchTitle } from './render.js';
import { DEFAULT_RULES, type RuleSettings } from './rules.js';
import type { WatchStore } from './types.js';
import { type Place, placeKey, type Watch, watchId } from './types.js';

export interface WatchCommandOptions {
  store: WatchStore;
  admins: readonly string[];
  /** Checks a task id exists before watching it (null: no check). */
  panda?: PandaSource | null;
  now?: () => Date;
  rules?: Partial<RuleSettings>;
  /** How often the checks run, in words ("every 5 minutes"), for the confirmation. */
  cadence?: string;
  windowHours?: number;
}

export interface WatchRequest {
  place: Place;
  /** `platform:user` */
  by: string;
  command: WatchCommand;
}

const say = (text: string, level?: 'warning'): Reply => ({ blocks: [level ? { kind: 'notice', level, text } : { kind: 'markdown', text }], summary: text });

export function placeOf(message: IncomingMessage): Place {
  return { platform: message.platform, workspace: message.workspace, channel: message.channel, isDirect: message.isDirect };
}

function whatIsChecked(kind: Watch['kind'], rules: RuleSettings, windowHours: number): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (kind === 'task')
    return `when it finishes or fails, when its failure rate reaches ${pct(rules.taskFailureRate)} (over at least ${rules.taskMinJobs} ended attempts), and when a new error signature appears in it`;
  if (kind === 'site')
    return `when its failed jobs in the last ${windowHours} h reach ${rules.siteRatio}× its usual level (at least ${rules.siteMinFailed}), or one error's share of its errors rises by ${pct(rules.shareJump)} (the usual level is learnt over the first ${rules.baselineMin} checks)`;
  return `when it appears at a site where it was not seen before (the sites it is at now are the starting point)`;
}

/** Executes one parsed command for `by` in `place`. */
export async function runWatchCommand(request: WatchRequest, options: WatchCommandOptions): Promise<Reply> {
  const { store } = options;
  const { place, by, command } = request;
  const rules = { ...DEFAULT_RULES, ...options.rules };
  const now = options.now ?? (() => new Date());
  const admin = options.admins.includes(by);
  const changes = command.verb !== 'list' && command.verb !== 'digest-show';
  if (changes && !place.isDirect && !admin) {
    return say(
      `Only admins (ASKPANDA_ADMINS) can set or remove watches and digests for a whole channel; ${by} is not one. In a direct message with me you can watch anything for yourself.`,
      'warning',
    );
  }
  const here = (await store.listWatches()).filter((w) => placeKey(w.place) === placeKey(place));
  switch (command.verb) {
    case 'list': {
      const digest = (await store.listDigests()).find((d) => placeKey(d.place) === placeKey(place));
      const lines = here.map((w) => `• ${watchTitle(w)}: set by ${w.by} on ${w.createdAt.slice(0, 10)}${w.ended ? ` (ended: ${w.ended})` : ''}`);
      const digestLine = digest ? `Daily digest at ${digest.time} UTC (set by ${digest.by}).` : 'No daily digest here.';
      return say(lines.length ? `Watches here:\n${lines.join('\n')}\n${digestLine}` : `Nothing is watched here. ${digestLine}\n${WATCH_USAGE}`);
    }
    case 'watch': {
      if (command.kind === 'task' && options.panda) {
        try {
          await options.panda.getTask(Number(command.target));
        } catch (error) {
          if (error instanceof AskPandaError && error.code === 'not_found')
            return say(`Task ${command.target} was not found on ${options.panda.description}, so I did not watch it.`, 'warning');
          throw error;
        }
      }
      const watch: Watch = {
        id: watchId(place, command.kind, command.target),
        kind: command.kind,
        target: command.target,
        place,
        by,
        createdAt: now().toISOString(),
      };
      if (!(await store.addWatch(watch))) return say(`${watchTitle(watch)} is already watched here.`);
      return say(
        `👀 Watching ${watchTitle(watch).toLowerCase()} here (set by ${by}). I check ${options.cadence ?? 'every few minutes'} and post in a thread ${whatIsChecked(command.kind, rules, options.windowHours ?? 1)}, with a notice when it recovers. Stop with \`unwatch ${command.kind} ${command.target}\`.`,
      );
    }
    case 'unwatch': {
      const id = watchId(place, command.kind, command.target);
      return (await store.removeWatch(id))
        ? say(`Stopped watching ${command.kind} ${command.target} here.`)
        : say(`${command.kind} ${command.target} is not watched here. \`watches\` lists what is.`, 'warning');
    }
    case 'unwatch-all': {
      for (const w of here) await store.removeWatch(w.id);
      return say(here.length ? `Stopped all ${here.length} watches here.` : 'Nothing was watched here.');
    }
    case 'digest': {
      await store.setDigest({ place, time: command.time, by, createdAt: now().toISOString() });
      return say(
        `☀️ Daily digest here at ${command.time} UTC: the last 24 h of failed jobs (top errors, worst sites, tasks with rising failure rates, what changed since the day before) with a chart. \`digest off\` stops it.`,
      );
    }
    case 'digest-off':
      return (await store.removeDigest(place)) ? say('The daily digest here is off.') : say('There is no daily digest here.');
    case 'digest-show': {
      const digest = (await store.listDigests()).find((d) => placeKey(d.place) === placeKey(place));
      return say(digest ? `Daily digest here at ${digest.time} UTC (set by ${digest.by}).` : 'No daily digest here. `digest daily HH:MM` (UTC) sets one.');
    }
  }
}

/** The core command for the words watch / unwatch / watches / digest (null: not a watch command; route it as a question). */
export function createWatchCommand(options: WatchCommandOptions): (message: IncomingMessage) => Promise<Reply | null> {
  return async (message) => {
    const text = message.command ? `${message.command.name} ${message.command.args}` : message.text;
    const parsed = parseWatchCommand(text);
    if (!parsed) return null;
    if (!parsed.ok) return say(parsed.usage, 'warning');
    return runWatchCommand({ place: placeOf(message), by: `${message.platform}:${message.user}`, command: parsed.command }, options);
  };
}

/** The command words the core hands to `createWatchCommand`. */
export const WATCH_WORDS = ['watch', 'unwatch', 'watches', 'digest'] as const;
