/** Watches, their check state and digest subscriptions, and the store that keeps them (src/state/watch-store.ts). */
import type { Platform } from './message.js';

export type WatchKind = 'task' | 'site' | 'error';

/** A channel (or DM) the bot posts in. */
export interface Place {
  platform: Platform;
  workspace: string;
  channel: string;
  isDirect: boolean;
}

export interface Watch {
  /** `<place>|<kind>:<target>`: one watch per target and channel. */
  id: string;
  kind: WatchKind;
  /** Task id, site name, or `component:code`. */
  target: string;
  place: Place;
  /** Who set it, `platform:user`. */
  by: string;
  createdAt: string;
  /** The thread the watch's alerts go in (set by its first alert). */
  thread?: string | null;
  /** Set when the watch has nothing more to report (the task ended). */
  ended?: string;
}

/** One site observation: failed jobs in the window and each error's share of the site's errors. */
export interface SiteObservation {
  at: string;
  failed: number;
  shares: Record<string, number>;
}

/** A condition that holds now: alerted (or waiting for quiet hours / the rate limit to allow it). */
export interface ActiveCondition {
  since: string;
  /** Which episode of this condition (0 for the first); a recovery ends it. */
  episode: number;
  alertedAt?: string;
  /** The baseline the condition was measured against (site rules), kept for its recovery. */
  baseline?: number;
}

export interface WatchState {
  checks: number;
  lastCheckAt?: string;
  /** Site watches: recent observations taken while nothing was wrong (the baseline). */
  history: SiteObservation[];
  /** Task watches: signature codes already seen; error watches: sites already seen. */
  known: string[];
  active: Record<string, ActiveCondition>;
  /** Episodes per condition key so far (the next alert's episode). */
  episodes: Record<string, number>;
}

export interface DigestSubscription {
  place: Place;
  /** `HH:MM`, UTC. */
  time: string;
  by: string;
  createdAt: string;
}

export interface WatchStore {
  listWatches(): Promise<Watch[]>;
  getWatch(id: string): Promise<Watch | undefined>;
  /** Adds the watch; false when the same watch exists in that channel. */
  addWatch(watch: Watch): Promise<boolean>;
  removeWatch(id: string): Promise<boolean>;
  updateWatch(watch: Watch): Promise<void>;
  getState(id: string): Promise<WatchState>;
  setState(id: string, state: WatchState): Promise<void>;
  /** First caller for `key` wins (true); later callers get false until the marker expires. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
  /** Post times in a channel, newest last (for the rate limit). */
  postTimes(place: Place): Promise<number[]>;
  recordPost(place: Place, at: number, keepMs: number): Promise<void>;
  listDigests(): Promise<DigestSubscription[]>;
  setDigest(digest: DigestSubscription): Promise<void>;
  removeDigest(place: Place): Promise<boolean>;
}

/** Minutes since midnight UTC; quiet from `from` up to `to` (wrapping past midnight when from > to). */
export interface QuietHours {
  from: number;
  to: number;
}

/** The one rule for ASKPANDA_WATCH_QUIET_HOURS (`HH:MM-HH:MM` UTC, empty: none): config check and the watch runner both use it. */
export function parseQuietHours(text: string | undefined): QuietHours | null {
  if (!text) return null;
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`quiet hours "${text}" are not HH:MM-HH:MM (UTC), e.g. 22:00-07:00`);
  const [, h1, m1, h2, m2] = m.map(Number) as [number, number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) throw new Error(`quiet hours "${text}" are not valid times`);
  return { from: h1 * 60 + m1, to: h2 * 60 + m2 };
}

export function isQuiet(q: QuietHours | null | undefined, at: Date): boolean {
  if (!q || q.from === q.to) return false;
  const m = at.getUTCHours() * 60 + at.getUTCMinutes();
  return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
}
