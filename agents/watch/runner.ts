/**
 * Runs the checks of every watch (a maintenance job calls `checkAll`) and posts what changed: one
 * message per new condition, in the watch's thread, and a recovery notice when it clears. The same
 * condition never alerts twice: the episode's "sent" marker is claimed before posting (first
 * replica wins) and the watch's state remembers it. Quiet hours and a per-channel hourly limit
 * hold alerts back; held alerts go out at a later check if the condition still holds.
 */
import type { PandaSource } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import type { KnowledgeBase } from '../../src/knowledge/index.js';
import type { Logger } from '../../src/log.js';
import { triageTask } from '../data/task-triage.js';
import { alertReply, recoveryReply, type WatchContext } from './render.js';
import { DEFAULT_RULES, type Evaluation, evaluateError, evaluateSite, evaluateTask, type RuleSettings } from './rules.js';
import { isQuiet, type QuietHours } from '../../src/contracts/watch.js';
import type { Place, Watch, WatchState, WatchStore } from './types.js';

export { isQuiet, parseQuietHours, type QuietHours } from '../../src/contracts/watch.js';

/** Posts into a channel (thread null: at the top, which starts a thread) through the running adapters. */
export type Poster = (place: Place, thread: string | null, reply: Reply) => Promise<{ thread: string | null }>;

export interface WatchRunnerOptions {
  store: WatchStore;
  panda: PandaSource;
  kb: KnowledgeBase;
  post: Poster;
  logger: Logger;
  now?: () => Date;
  rules?: Partial<RuleSettings>;
  /** Window of the error summary site and error watches read (hours). */
  windowHours?: number;
  quietHours?: QuietHours | null;
  /** Alerts and recovery notices per channel per hour. */
  maxPostsPerHour?: number;
  charts?: boolean;
}

export interface CheckReport {
  watches: number;
  alerts: number;
  recoveries: number;
  /** Held back by quiet hours or the rate limit (they go out later if still true). */
  held: number;
  failed: number;
}

const HOUR = 3_600_000;

/** Another replica is starting the watch's thread right now: post at the next check, in that thread. */
class ThreadPending extends Error {}
/** How long an alert's "sent" marker is kept (the watch state remembers it as well). */
const SENT_TTL_MS = 90 * 86_400_000;

export interface WatchRunner {
  checkAll(signal?: AbortSignal): Promise<CheckReport>;
  /** Checks one watch now (tests, CLI). */
  checkOne(watch: Watch, signal?: AbortSignal): Promise<CheckReport>;
  /** True when the channel may get a proactive message now (quiet hours, rate limit). */
  mayPost(place: Place): Promise<boolean>;
}

export function createWatchRunner(options: WatchRunnerOptions): WatchRunner {
  const { store, panda, kb } = options;
  const log = options.logger.child({ component: 'watch' });
  const now = options.now ?? (() => new Date());
  const rules: RuleSettings = { ...DEFAULT_RULES, ...options.rules };
  const windowHours = options.windowHours ?? 1;
  const maxPerHour = options.maxPostsPerHour ?? 6;
  const charts = options.charts !== false;

  async function mayPost(place: Place): Promise<boolean> {
    const at = now();
    if (isQuiet(options.quietHours, at)) return false;
    const recent = (await store.postTimes(place)).filter((t) => t > at.getTime() - HOUR);
    return recent.length < maxPerHour;
  }

  /**
   * Posts in the watch's thread and records the post for the rate limit. The first alert starts the
   * thread; only one replica may start it (claimed), the others' alerts wait for the next check.
   */
  async function postFor(watch: Watch, reply: Reply): Promise<void> {
    const fresh = (await store.getWatch(watch.id)) ?? watch;
    if (fresh.thread) {
      await options.post(watch.place, fresh.thread, reply);
    } else {
      const starter = `thread|${watch.id}|${watch.createdAt}`;
      if (!(await store.claim(starter, SENT_TTL_MS))) throw new ThreadPending();
      let thread: string | null;
      try {
        thread = (await options.post(watch.place, null, reply)).thread;
      } catch (error) {
        await store.release(starter).catch(() => undefined);
        throw error;
      }
      // A place without threads (a Discord DM) keeps posting at the top: let every later post start.
      if (thread) await store.updateWatch({ ...((await store.getWatch(watch.id)) ?? fresh), thread });
      else await store.release(starter).catch(() => undefined);
    }
    await store.recordPost(watch.place, now().getTime(), HOUR);
  }

  async function evaluate(watch: Watch, state: WatchState, signal?: AbortSignal): Promise<{ evaluation: Evaluation; context: WatchContext }> {
    if (watch.kind === 'task') {
      const id = Number(watch.target);
      const [details, jobs] = await Promise.all([panda.getTask(id, signal), panda.getTaskJobs(id, { allAttempts: true, signal })]);
      const triage = triageTask(details, jobs, kb);
      return { evaluation: evaluateTask(triage, state, rules), context: { kind: 'task', triage } };
    }
    const summary = await panda.getErrorSummary(windowHours, signal);
    if (watch.kind === 'site')
      return { evaluation: evaluateSite(summary, watch.target, state, rules, now().toISOString()), context: { kind: 'site', summary } };
    return { evaluation: evaluateError(summary, watch.target, state), context: { kind: 'error', summary } };
  }

  async function checkOne(watch: Watch, signal?: AbortSignal): Promise<CheckReport> {
    const report: CheckReport = { watches: 1, alerts: 0, recoveries: 0, held: 0, failed: 0 };
    const state = await store.getState(watch.id);
    const { evaluation, context } = await evaluate(watch, state, signal);
    const at = now().toISOString();
    const next: WatchState = {
      ...state,
      checks: state.checks + 1,
      lastCheckAt: at,
      active: { ...state.active },
      episodes: { ...state.episodes },
      known: evaluation.known ?? [...state.known],
      history: evaluation.history ?? state.history,
    };
    let ended: string | undefined;

    /**
     * Posts one message of this watch once: held (quiet hours, rate limit, thread being started
     * elsewhere), told (sent here, or its marker was claimed by another replica), or failed.
     */
    const tell = async (marker: string, reply: () => Promise<Reply>, what: string): Promise<'told' | 'held' | 'failed'> => {
      if (!(await mayPost(watch.place))) return 'held';
      if (!(await store.claim(marker, SENT_TTL_MS))) return 'told';
      try {
        await postFor(watch, await reply());
        log.info({ watch: watch.id, marker }, `watch ${what} posted`);
        if (what === 'alert') report.alerts += 1;
        else report.recoveries += 1;
        return 'told';
      } catch (error) {
        await store.release(marker).catch(() => undefined);
        if (error instanceof ThreadPending) return 'held';
        log.warn({ err: error, watch: watch.id, marker }, `could not post a watch ${what}; retrying at the next check`);
        return 'failed';
      }
    };
    const count = (outcome: 'told' | 'held' | 'failed'): boolean => {
      if (outcome === 'held') report.held += 1;
      if (outcome === 'failed') report.failed += 1;
      return outcome === 'told';
    };

    for (const finding of evaluation.holding) {
      const active = next.active[finding.key] ?? {
        since: at,
        episode: next.episodes[finding.key] ?? 0,
        ...(finding.baseline !== undefined ? { baseline: finding.baseline } : {}),
      };
      next.active[finding.key] = active;
      if (active.alertedAt) continue;
      const marker = `alert|${watch.id}|${finding.key}|${active.episode}`;
      if (!count(await tell(marker, () => alertReply(watch, finding, context, panda, charts), 'alert'))) continue;
      // Sent here or by another replica: either way this episode is told.
      active.alertedAt = at;
      if (finding.remember && !next.known.includes(finding.remember)) next.known.push(finding.remember);
      if (finding.oneShot) {
        delete next.active[finding.key];
        next.episodes[finding.key] = active.episode + 1;
      }
      if (finding.final) ended = finding.final;
    }

    for (const recovery of evaluation.recovered) {
      const active = next.active[recovery.key];
      if (!active) continue;
      // An alert never sent (held, then the condition cleared) needs no recovery notice.
      const marker = `recovery|${watch.id}|${recovery.key}|${active.episode}`;
      if (active.alertedAt && !count(await tell(marker, async () => recoveryReply(watch, recovery), 'recovery'))) continue;
      delete next.active[recovery.key];
      next.episodes[recovery.key] = active.episode + 1;
    }

    await store.setState(watch.id, next);
    if (ended) {
      const fresh = await store.getWatch(watch.id);
      if (fresh) await store.updateWatch({ ...fresh, ended });
    }
    return report;
  }

  return {
    mayPost,
    checkOne,
    async checkAll(signal) {
      const total: CheckReport = { watches: 0, alerts: 0, recoveries: 0, held: 0, failed: 0 };
      for (const watch of await store.listWatches()) {
        if (signal?.aborted) break;
        if (watch.ended) continue;
        try {
          const r = await checkOne(watch, signal);
          total.alerts += r.alerts;
          total.recoveries += r.recoveries;
          total.held += r.held;
          total.failed += r.failed;
        } catch (error) {
          total.failed += 1;
          log.warn({ err: error, watch: watch.id }, 'watch check failed');
        }
        total.watches += 1;
      }
      return total;
    },
  };
}
