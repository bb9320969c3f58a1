/**
 * The daily digest of a channel: the last 24 h against the 24 h before (top errors, worst sites,
 * tasks whose failure rate rose, what changed), with a chart. "The day before" is the 48 h summary
 * minus the 24 h one, so nothing has to be remembered between digests.
 */
import type { ErrorSummary, JobRecord, PandaSource } from '../../src/contracts/panda.js';
import type { Reply, ReplyAttachment, ReplyBlock } from '../../src/contracts/reply.js';
import type { Logger } from '../../src/log.js';
import { dateMs } from '../../src/panda/dates.js';
import { renderBarChart } from '../data/bar-chart.js';
import type { Poster } from './runner.js';
import type { WatchStore } from './types.js';
import type { DigestSubscription } from './types.js';

const DAY = 86_400_000;
const TOP = 8;
/** Tasks looked at for rising failure rates (the ones with most failed jobs in 24 h). */
const TASKS_EXAMINED = 8;

export interface RisingTask {
  jeditaskid: number;
  rateNow: number;
  ratePrev: number;
  failedNow: number;
  endedNow: number;
  endedPrev: number;
}

export interface DigestFacts {
  at: string;
  failedNow: number;
  failedPrev: number;
  errors: Array<{ error: string; diag: string; now: number; prev: number; example?: number }>;
  sites: Array<{ site: string; now: number; prev: number; top: string }>;
  rising: RisingTask[];
  newErrors: string[];
  goneErrors: string[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const pct = (x: number) => `${Math.round(x * 100)}%`;
const change = (now: number, prev: number) => (prev === 0 ? (now === 0 ? '—' : 'new') : `${now >= prev ? '+' : ''}${Math.round(((now - prev) / prev) * 100)}%`);

function rateIn(jobs: JobRecord[], from: number, to: number): { failed: number; ended: number } {
  let failed = 0;
  let ended = 0;
  for (const j of jobs) {
    if (j.jobstatus !== 'failed' && j.jobstatus !== 'finished') continue;
    const at = dateMs(j.endtime ?? j.modificationtime);
    if (!Number.isFinite(at) || at < from || at >= to) continue;
    ended += 1;
    if (j.jobstatus === 'failed') failed += 1;
  }
  return { failed, ended };
}

export async function digestFacts(panda: PandaSource, at: Date, signal?: AbortSignal, log?: Logger): Promise<DigestFacts> {
  const [day, two]: [ErrorSummary, ErrorSummary] = await Promise.all([panda.getErrorSummary(24, signal), panda.getErrorSummary(48, signal)]);
  const prevCount = new Map(two.errsByCount.map((e) => [e.error, e.count]));
  for (const e of day.errsByCount) prevCount.set(e.error, (prevCount.get(e.error) ?? 0) - e.count);
  const errors = day.errsByCount.map((e) => ({
    error: e.error,
    diag: e.diag,
    now: e.count,
    prev: Math.max(0, prevCount.get(e.error) ?? 0),
    ...(e.example_pandaid ? { example: e.example_pandaid } : {}),
  }));
  const prevSite = new Map(two.errsBySite.map((g) => [g.name, g.toterrjobs]));
  for (const g of day.errsBySite) prevSite.set(g.name, (prevSite.get(g.name) ?? 0) - g.toterrjobs);
  const sites = day.errsBySite
    .map((g) => ({ site: g.name, now: g.toterrjobs, prev: Math.max(0, prevSite.get(g.name) ?? 0), top: g.errorlist[0]?.error ?? '' }))
    .sort((a, b) => b.now - a.now || a.site.localeCompare(b.site));
  const failedNow = sum(day.errsBySite.map((g) => g.toterrjobs));
  const failedPrev = Math.max(0, sum(two.errsBySite.map((g) => g.toterrjobs)) - failedNow);

  const rising: RisingTask[] = [];
  const t = at.getTime();
  // The tasks with most failed jobs in the last 24 h (a job search; the error summary's groups are by error and site).
  const failedByTask = new Map<number, number>();
  for (const j of await panda.listJobs({ jobstatus: 'failed', hours: 24, limit: 10_000 }, { fields: ['jeditaskid'], ...(signal ? { signal } : {}) })) {
    if (j.jeditaskid) failedByTask.set(j.jeditaskid, (failedByTask.get(j.jeditaskid) ?? 0) + 1);
  }
  const tasks = [...failedByTask.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TASKS_EXAMINED);
  for (const [id] of tasks) {
    if (signal?.aborted) break;
    try {
      const jobs = await panda.getTaskJobs(id, { allAttempts: true, signal });
      const now = rateIn(jobs, t - DAY, t + 1);
      const prev = rateIn(jobs, t - 2 * DAY, t - DAY);
      const rateNow = now.ended ? now.failed / now.ended : 0;
      const ratePrev = prev.ended ? prev.failed / prev.ended : 0;
      if (now.failed >= 5 && rateNow - ratePrev >= 0.1)
        rising.push({ jeditaskid: id, rateNow, ratePrev, failedNow: now.failed, endedNow: now.ended, endedPrev: prev.ended });
    } catch (error) {
      log?.warn({ err: error, jeditaskid: id }, 'digest: could not read the jobs of a task');
    }
  }
  rising.sort((a, b) => b.rateNow - b.ratePrev - (a.rateNow - a.ratePrev));
  return {
    at: at.toISOString(),
    failedNow,
    failedPrev,
    errors,
    sites,
    rising,
    newErrors: errors.filter((e) => e.prev === 0 && e.now > 0).map((e) => e.error),
    goneErrors: [...prevCount.entries()].filter(([error, prev]) => prev > 0 && !day.errsByCount.some((e) => e.error === error)).map(([error]) => error),
  };
}

export async function digestReply(facts: DigestFacts, panda: PandaSource, charts = true): Promise<Reply> {
  const blocks: ReplyBlock[] = [
    { kind: 'heading', text: `☀️ PanDA daily digest: the last 24 h (to ${facts.at.slice(0, 16).replace('T', ' ')} UTC)` },
    {
      kind: 'markdown',
      text: `${facts.failedNow} failed jobs in the last 24 h, ${facts.failedPrev} the day before (${change(facts.failedNow, facts.failedPrev)}); ${facts.errors.length} distinct errors at ${facts.sites.length} sites.`,
    },
  ];
  if (facts.errors.length) {
    blocks.push({
      kind: 'table',
      caption: 'Top errors',
      columns: ['Error', 'Diagnostic', 'Jobs (24 h)', 'Day before', 'Change', 'Example job'],
      rows: facts.errors
        .slice(0, TOP)
        .map((e) => [
          e.error,
          e.diag.slice(0, 70),
          String(e.now),
          String(e.prev),
          change(e.now, e.prev),
          e.example ? (panda.jobUrl(e.example) ?? String(e.example)) : '',
        ]),
    });
  }
  if (facts.sites.length) {
    blocks.push({
      kind: 'table',
      caption: 'Worst sites',
      columns: ['Site', 'Failed jobs (24 h)', 'Day before', 'Change', 'Top error'],
      rows: facts.sites.slice(0, TOP).map((s) => [s.site, String(s.now), String(s.prev), change(s.now, s.prev), s.top]),
    });
  }
  blocks.push({
    kind: 'markdown',
    text: facts.rising.length
      ? [
          '**Tasks with rising failure rates:**',
          ...facts.rising.map((r) => {
            const url = panda.taskUrl(r.jeditaskid);
            return `• ${r.jeditaskid}: ${pct(r.rateNow)} of ${r.endedNow} ended jobs failed (${r.endedPrev ? `day before ${pct(r.ratePrev)} of ${r.endedPrev}` : 'no ended jobs the day before'})${url ? ` — ${url}` : ''}`;
          }),
        ].join('\n')
      : '**Tasks with rising failure rates:** none among the tasks with most failures.',
  });
  const changed: string[] = [];
  if (facts.newErrors.length) changed.push(`new errors: ${facts.newErrors.slice(0, 6).join(', ')}`);
  if (facts.goneErrors.length) changed.push(`gone: ${facts.goneErrors.slice(0, 6).join(', ')}`);
  const worse = facts.sites.filter((s) => s.now >= 10 && s.now >= 2 * s.prev).map((s) => `${s.site} (${s.prev} → ${s.now})`);
  if (worse.length) changed.push(`sites at least twice as bad: ${worse.slice(0, 5).join(', ')}`);
  blocks.push({
    kind: 'markdown',
    text: `**What changed since yesterday:** ${changed.length ? changed.join('; ') : 'no new errors, none gone, no site doubled.'}`,
  });
  let attachments: ReplyAttachment[] = [];
  if (charts && facts.errors.some((e) => e.now > 0)) {
    const title = 'Top errors, last 24 h';
    const chart = await renderBarChart(
      facts.errors.map((e) => ({ label: `${e.error} ${e.diag}`.trim(), value: e.now })),
      { title, valueTitle: 'jobs' },
    );
    attachments = [
      {
        kind: 'image',
        filename: 'digest-top-errors.png',
        mimeType: 'image/png',
        data: chart.png,
        alt: `${title}: ${chart.bars.map((b) => `${b.label} ${b.value}`).join('; ')}`,
      },
    ];
  }
  return {
    blocks,
    attachments,
    summary: `PanDA daily digest: ${facts.failedNow} failed jobs in 24 h (${change(facts.failedNow, facts.failedPrev)}), top error ${facts.errors[0]?.error ?? 'none'}`,
    data: { digest: facts },
  };
}

/** When the digest of `time` (HH:MM UTC) is due at `at`: from that minute for two hours (a late start still sends it; a day-old one is skipped). */
export function digestDue(time: string, at: Date): string | null {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const slot = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), h, m);
  const t = at.getTime();
  return t >= slot && t < slot + 2 * 3_600_000 ? new Date(slot).toISOString().slice(0, 10) : null;
}

export interface DigestRunnerOptions {
  store: WatchStore;
  panda: PandaSource;
  post: Poster;
  logger: Logger;
  now?: () => Date;
  charts?: boolean;
}

/** Sends each channel's digest once per day at its time (claimed per channel and date across replicas). */
export function createDigestRunner(options: DigestRunnerOptions) {
  const log = options.logger.child({ component: 'digest' });
  const now = options.now ?? (() => new Date());
  return {
    async runDue(signal?: AbortSignal): Promise<{ subscriptions: number; sent: number; failed: number }> {
      const report = { subscriptions: 0, sent: 0, failed: 0 };
      let facts: DigestFacts | undefined;
      for (const sub of await options.store.listDigests()) {
        report.subscriptions += 1;
        const at = now();
        const day = digestDue(sub.time, at);
        if (!day) continue;
        const marker = `digest|${sub.place.platform}:${sub.place.workspace}:${sub.place.channel}|${day}`;
        if (!(await options.store.claim(marker, 3 * 86_400_000))) continue;
        try {
          facts ??= await digestFacts(options.panda, at, signal, log);
          await options.post(sub.place, null, await digestReply(facts, options.panda, options.charts !== false));
          report.sent += 1;
          log.info({ channel: sub.place.channel, day }, 'digest posted');
        } catch (error) {
          await options.store.release(marker).catch(() => undefined);
          report.failed += 1;
          log.warn({ err: error, channel: sub.place.channel }, 'could not post the digest; retrying at the next run');
        }
      }
      return report;
    },
  };
}

export type { DigestSubscription };
