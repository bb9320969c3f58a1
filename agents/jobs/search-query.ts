/**
 * Reads a job search from a question: state, time window, site/queue, task, user ("my" means the
 * asker, whose PanDA name comes from the user mapping; a named user is taken as typed). Every
 * condition becomes a monitor `/jobs/` filter and is said back; nothing is guessed.
 */
import type { JobFilter } from '../../src/contracts/panda.js';
import type { Entities } from '../../src/contracts/routing.js';
import { scanIds } from '../../src/contracts/ids.js';

export interface ParsedSearch {
  filter: JobFilter;
  /** The question says "my jobs": the asker's PanDA name is needed. */
  own: boolean;
  /** Words for the echo: "failed", "in the last 6 h (today)". */
  window: string | null;
}

const STATES: Array<[RegExp, string]> = [
  [/\b(?:failed|failing|failures?|crashed)\b/, 'failed'],
  [/\b(?:finished|successful|succeeded|done|completed)\b/, 'finished'],
  [/\brunning\b/, 'running'],
  [/\bholding\b/, 'holding'],
  [/\b(?:cancelled|canceled|killed)\b/, 'cancelled'],
  [/\bclosed\b/, 'closed'],
  [/\bactivated\b/, 'activated'],
  [/\b(?:waiting|queued|pending)\b/, 'defined|waiting|assigned|activated|pending'],
  [/\bstarting\b/, 'starting'],
  [/\btransferring\b/, 'transferring'],
];

/** Hours of a time window in the text, with how it was said; null when none. */
export function timeWindow(lower: string): { hours: number; words: string } | null {
  const n =
    /\b(?:last|past|previous)\s+(\d+)\s*(hours?|hrs?|h|days?|d|weeks?)\b|\b(\d+)\s*(hours?|hrs?|h|days?)\s+ago\b|\bin\s+the\s+last\s+(\d+)\s*(hours?|h|days?)\b/.exec(
      lower,
    );
  if (n) {
    const value = Number(n[1] ?? n[3] ?? n[5]);
    const unit = n[2] ?? n[4] ?? n[6] ?? 'h';
    const hours = /^d/.test(unit) ? value * 24 : /^w/.test(unit) ? value * 168 : value;
    return { hours, words: `in the last ${hours} h` };
  }
  if (/\b(?:last|past)\s+hour\b/.test(lower)) return { hours: 1, words: 'in the last hour' };
  if (/\btoday\b|\bthis\s+morning\b|\b(?:last|past)\s+(?:day|24\s*h(?:ours)?)\b/.test(lower)) return { hours: 24, words: 'in the last 24 h' };
  if (/\byesterday\b/.test(lower)) return { hours: 48, words: 'in the last 48 h (since yesterday)' };
  if (/\b(?:this|last|past)\s+week\b/.test(lower)) return { hours: 168, words: 'in the last 7 days' };
  return null;
}

/** The queue/site the search is restricted to: the router's CRIC name, or a name after at/on. */
function siteOf(text: string, entities: Partial<Entities>): string | undefined {
  if (entities.queue) return entities.queue;
  if (entities.site) return entities.site;
  const m = /\b(?:at|on)\s+([A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9])\b/.exec(text);
  return m && /[A-Z_-]/.test(m[1] ?? '') ? m[1] : undefined;
}

export function parseSearch(text: string, entities: Partial<Entities>): ParsedSearch {
  const lower = text.toLowerCase();
  const filter: JobFilter = {};
  const states = STATES.filter(([re]) => re.test(lower)).map(([, s]) => s);
  if (states.length > 0) filter.jobstatus = [...new Set(states.flatMap((s) => s.split('|')))].join('|');
  const window = timeWindow(lower);
  if (window) filter.hours = window.hours;
  const site = siteOf(text, entities);
  if (site) filter.computingsite = site;
  if (entities.jeditaskid) filter.jeditaskid = entities.jeditaskid;
  else {
    const task = scanIds(lower).mentions.find((m) => m.kind === 'task' && m.via === 'task');
    if (task) filter.jeditaskid = task.id;
  }
  if (entities.username) filter.produsername = entities.username;
  const own = !filter.produsername && /\b(?:my|mine|i\s+(?:submitted|ran|launched))\b/.test(lower);
  return { filter, own, window: window?.words ?? null };
}

/**
 * "failed jobs of user Jane Doe at MWT2 in the last 6 h" — every condition of the search. `place`
 * names the queues when they came from a site, cloud or country ("in cloud UK (32 queues)").
 */
export function describeFilter(filter: JobFilter, window: string | null, place?: string): string {
  const parts = [`${filter.jobstatus ? `${filter.jobstatus.replace(/\|/g, ' or ')} ` : ''}jobs`];
  if (filter.produsername) parts.push(`of user ${filter.produsername}`);
  if (filter.jeditaskid !== undefined) parts.push(`in task ${filter.jeditaskid}`);
  if (place) parts.push(place);
  else if (filter.computingsite) parts.push(`at ${filter.computingsite.replace(/\|/g, ', ')}`);
  if (filter.hours !== undefined) parts.push(window ?? `in the last ${filter.hours} h`);
  return parts.join(' ');
}
