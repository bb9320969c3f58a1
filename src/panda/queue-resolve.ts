/** Case-insensitive queue/site lookup with "did you mean …?" suggestions. */
import type { QueueRecord } from '../contracts/panda.js';
import { editDistance } from './edit-distance.js';

const fold = (s: string): string => s.toLowerCase().replace(/[-_.\s]+/g, '');

/**
 * The names closest to `input`, best first: exact matches ignoring case and separators, then
 * prefix/substring matches, then edit distance within a third of the length.
 */
export function suggestNames(names: Iterable<string>, input: string, limit = 3): string[] {
  const wanted = fold(input);
  if (!wanted) return [];
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of new Set(names)) {
    const candidate = fold(name);
    let score: number;
    if (candidate === wanted) score = 0;
    else if (candidate.startsWith(wanted) || wanted.startsWith(candidate)) score = 1 + Math.abs(candidate.length - wanted.length) / 100;
    else if (candidate.includes(wanted) || (wanted.length >= 4 && wanted.includes(candidate))) score = 2 + Math.abs(candidate.length - wanted.length) / 100;
    else {
      const distance = editDistance(candidate, wanted);
      if (distance > Math.max(1, Math.floor(Math.max(candidate.length, wanted.length) / 3))) continue;
      score = 3 + distance;
    }
    scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

export interface QueueResolution {
  /** The queue whose name matches (case-insensitive), or null. */
  queue: QueueRecord | null;
  /** Queues of the site when `name` is a site (ATLAS site, panda_site, gocname) rather than a queue. */
  siteQueues: QueueRecord[];
  /** Nearest names when nothing matched exactly. */
  suggestions: string[];
}

function siteNames(q: QueueRecord): string[] {
  return [q.site, q.atlas_site, q.panda_site, q.gocname, q.rc_site].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export function resolveQueue(queues: QueueRecord[], name: string): QueueResolution {
  const wanted = name.trim().toLowerCase();
  const queue =
    queues.find((q) => q.name.toLowerCase() === wanted) ?? queues.find((q) => typeof q.nickname === 'string' && q.nickname.toLowerCase() === wanted) ?? null;
  const siteQueues = queues.filter((q) => siteNames(q).some((s) => s.toLowerCase() === wanted));
  if (queue || siteQueues.length > 0) return { queue, siteQueues, suggestions: [] };
  const names = queues.flatMap((q) => [q.name, ...siteNames(q)]);
  return { queue: null, siteQueues: [], suggestions: suggestNames(names, name) };
}

/** "did you mean BNL_PROD?" / "did you mean AGLT2 or AGLT2_MERGE?" or an empty string. */
export function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return '';
  const last = suggestions[suggestions.length - 1];
  const list = suggestions.length === 1 ? last : `${suggestions.slice(0, -1).join(', ')} or ${last}`;
  return `did you mean ${list}?`;
}
