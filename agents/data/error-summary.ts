/**
 * "Top errors at BNL in the last 6 hours": the monitor's error summary (1/3/6/12/24 h windows),
 * read from an injected cache (the maintenance job fills it) or fetched on demand. A site name
 * covers every PanDA queue of that site (errsBySite is keyed by queue).
 */
import type { ErrorSummary, ErrorSummaryEntry, PandaSource, QueueRecord } from '../../src/contracts/panda.js';
import { type Reply, type ReplyBlock, untrusted } from '../../src/contracts/reply.js';
import { didYouMean, suggestNames } from '../../src/panda/index.js';
import { renderBarChart } from './bar-chart.js';
import { SUMMARY_HOURS, summaryHours } from './queue-parser.js';

/** Filled by the maintenance job; returns null when it holds nothing fresh for that window. */
export interface ErrorSummaryCache {
  get(hours: number): Promise<ErrorSummary | null>;
}

export interface ErrorSummaryOptions {
  panda: PandaSource;
  cache?: ErrorSummaryCache;
  /** Top entries shown. Default 10. */
  top?: number;
  chart?: boolean;
}

const SITE_KEYS = ['site', 'atlas_site', 'panda_site', 'gocname', 'rc_site'] as const;

const siteNamesOf = (q: QueueRecord) =>
  SITE_KEYS.map((k) => q[k])
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .map((v) => v.toLowerCase());

/**
 * Queue names covered by `place`: "errors at X" means the site, so a site name covers its queues
 * and a queue name covers the queues of its site (CRIC `site`) too.
 */
export function queuesOfPlace(place: string, queues: QueueRecord[]): Set<string> {
  const p = place.toLowerCase();
  const sites = new Set<string>([p]);
  for (const q of queues) if (q.name.toLowerCase() === p && q.site) sites.add(q.site.toLowerCase());
  const out = new Set<string>([p]);
  for (const q of queues) if (siteNamesOf(q).some((s) => sites.has(s))) out.add(q.name.toLowerCase());
  return out;
}

/** Merges the error lists of the matching errsBySite groups, largest count first. */
export function topErrors(summary: ErrorSummary, names: Set<string> | null): { entries: ErrorSummaryEntry[]; groups: string[]; jobs: number } {
  if (!names)
    return { entries: [...summary.errsByCount].sort((a, b) => b.count - a.count), groups: [], jobs: summary.errsByCount.reduce((s, e) => s + e.count, 0) };
  const groups = summary.errsBySite.filter((g) => names.has(g.name.toLowerCase()));
  const merged = new Map<string, ErrorSummaryEntry>();
  for (const g of groups) {
    for (const e of g.errorlist) {
      const prev = merged.get(e.error);
      merged.set(e.error, prev ? { ...prev, count: prev.count + e.count } : { ...e });
    }
  }
  return {
    entries: [...merged.values()].sort((a, b) => b.count - a.count || a.error.localeCompare(b.error)),
    groups: groups.map((g) => g.name),
    jobs: groups.reduce((s, g) => s + g.toterrjobs, 0),
  };
}

async function loadSummary(options: ErrorSummaryOptions, hours: number, signal?: AbortSignal): Promise<{ summary: ErrorSummary; from: 'cache' | 'monitor' }> {
  const cached = options.cache ? await options.cache.get(hours) : null;
  if (cached) return { summary: cached, from: 'cache' };
  return { summary: await options.panda.getErrorSummary(hours, signal), from: 'monitor' };
}

export async function answerTopErrors(
  options: ErrorSummaryOptions,
  place: string | null,
  requestedHours: number,
  queues: QueueRecord[],
  signal?: AbortSignal,
): Promise<Reply> {
  const hours = summaryHours(requestedHours);
  const { summary, from } = await loadSummary(options, hours, signal);
  const names = place ? queuesOfPlace(place, queues) : null;
  const { entries, groups, jobs } = topErrors(summary, names);
  const where = place ? ` at ${place}` : '';
  const title = `Top errors${where} in the last ${hours} hour${hours === 1 ? '' : 's'}`;
  const blocks: ReplyBlock[] = [{ kind: 'heading', text: title }];
  const note =
    requestedHours !== hours && !SUMMARY_HOURS.includes(requestedHours as (typeof SUMMARY_HOURS)[number])
      ? ` (the monitor summarises 1, 3, 6, 12 or 24 hours; ${requestedHours} h was rounded up)`
      : '';
  const source = `${from === 'cache' ? 'the cached error summary' : options.panda.description} as of ${summary.fetchedAt}${note}`;
  if (entries.length === 0) {
    const known = summary.errsBySite.map((g) => g.name);
    const hint = place && groups.length === 0 ? didYouMean(suggestNames(known, place)) : '';
    const text = `No failed jobs${where} in the last ${hours} hours in ${source}.${hint ? ` Queues with errors: ${hint}` : ''}`;
    blocks.push({ kind: 'markdown', text });
    return { intent: 'queue', blocks, summary: text, data: { place, hours, entries: [] } };
  }
  const top = entries.slice(0, options.top ?? 10);
  const total = entries.reduce((s, e) => s + e.count, 0);
  const lead = `${total} errors${jobs ? ` on ${jobs} failed jobs` : ''}${groups.length > 0 ? ` across ${groups.length} queue${groups.length === 1 ? '' : 's'} (${groups.slice(0, 6).join(', ')}${groups.length > 6 ? ', …' : ''})` : ''}; source: ${source}.`;
  blocks.push({ kind: 'markdown', text: lead });
  blocks.push({
    kind: 'table',
    columns: ['Error', 'Count', 'Share', 'Diagnostic (example)', 'Example job'],
    rows: top.map((e) => [
      e.error,
      String(e.count),
      `${Math.round((100 * e.count) / total)}%`,
      untrusted(e.diag.length > 90 ? `${e.diag.slice(0, 89)}…` : e.diag),
      e.example_pandaid ? String(e.example_pandaid) : '',
    ]),
  });
  const reply: Reply = {
    intent: 'queue',
    blocks,
    summary: `${title}: ${top
      .slice(0, 5)
      .map((e) => `${e.error} (${e.count})`)
      .join(', ')}.`,
    data: { place, hours, queues: groups, entries: top },
    actions: top
      .slice(0, 3)
      .flatMap((e) =>
        e.example_pandaid ? [{ id: 'analyse-job', label: `Analyse job ${e.example_pandaid} (${e.error})`, value: String(e.example_pandaid) }] : [],
      ),
  };
  if (options.chart !== false) {
    const chart = await renderBarChart(
      top.map((e) => ({ label: `${e.error} ${e.diag}`, value: e.count })),
      { title, valueTitle: 'errors' },
    );
    reply.attachments = [
      {
        kind: 'image',
        filename: `errors${place ? `-${place}` : ''}-${hours}h.png`,
        mimeType: 'image/png',
        data: chart.png,
        alt: `${title}: ${chart.bars.map((b) => `${b.label} ${b.value}`).join('; ')}`,
      },
    ];
  }
  return reply;
}
