/** Alert, recovery and list replies of watches: the numbers, the top signature, example jobs with monitor links, the chart. */
import type { ErrorSummary, ErrorSummaryEntry, PandaSource } from '../../src/contracts/panda.js';
import { type Reply, type ReplyAttachment, type ReplyBlock, untrusted } from '../../src/contracts/reply.js';
import { renderBarChart } from '../data/bar-chart.js';
import { taskChart } from '../data/task-agent.js';
import { readableTemplate } from '../data/task-render.js';
import type { TaskTriage } from '../data/task-triage.js';
import type { Finding, Recovery } from './rules.js';
import { errorSites, siteGroup } from './rules.js';
import type { Watch } from './types.js';

/** What the monitor showed for one watch at one check, for rendering its alerts. */
export type WatchContext = { kind: 'task'; triage: TaskTriage } | { kind: 'site'; summary: ErrorSummary } | { kind: 'error'; summary: ErrorSummary };

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

export function watchTitle(watch: Watch): string {
  if (watch.kind === 'task') return `Task ${watch.target}`;
  if (watch.kind === 'site') return `Site ${watch.target}`;
  return `Error ${watch.target}`;
}

export function unwatchHint(watch: Watch): string {
  return `\`unwatch ${watch.kind} ${watch.target}\``;
}

function jobLine(panda: PandaSource, pandaid: number, note: string): string {
  const url = panda.jobUrl(pandaid);
  return `• ${pandaid}${note ? ` (${note})` : ''}${url ? ` — ${url}` : ''}`;
}

function entryLabel(e: ErrorSummaryEntry): string {
  return `${e.error}${e.diag ? ` ${e.diag}` : ''}`;
}

async function barChart(title: string, data: Array<{ label: string; value: number }>, filename: string, valueTitle: string): Promise<ReplyAttachment | null> {
  if (data.every((d) => d.value <= 0)) return null;
  const chart = await renderBarChart(data, { title, valueTitle });
  return { kind: 'image', filename, mimeType: 'image/png', data: chart.png, alt: `${title}: ${chart.bars.map((b) => `${b.label} ${b.value}`).join('; ')}` };
}

/** Top signature, example jobs and the chart for a watch at this check. */
async function evidence(watch: Watch, context: WatchContext, panda: PandaSource, finding: Finding | null, charts: boolean) {
  const blocks: ReplyBlock[] = [];
  let chart: ReplyAttachment | null = null;
  if (context.kind === 'task') {
    const t = context.triage;
    const sig = finding?.remember ? (t.signatures.find((s) => s.code === finding.remember) ?? t.signatures[0]) : t.signatures[0];
    if (sig) {
      blocks.push({
        kind: 'markdown',
        text: `**${finding?.remember ? 'Signature' : 'Top signature'}:** \`${sig.code}\` "${untrusted(cut(readableTemplate(sig.template), 140))}" — ${sig.count} of ${t.failedJobs} failed jobs (${Math.round(sig.share * 100)}%), at ${sig.sites.slice(0, 3).join(', ')}`,
      });
      blocks.push({ kind: 'markdown', text: ['**Example jobs:**', ...sig.examples.map((id) => jobLine(panda, id, ''))].join('\n') });
    }
    const url = panda.taskUrl(t.jeditaskid);
    if (url) blocks.push({ kind: 'markdown', text: `Task page: ${url}` });
    if (charts) chart = await taskChart(t, false);
  } else if (context.kind === 'site') {
    const group = siteGroup(context.summary, watch.target);
    const list = group?.errorlist ?? [];
    const top = finding?.key.startsWith('share:') ? (list.find((e) => `share:${e.error}` === finding.key) ?? list[0]) : list[0];
    if (top)
      blocks.push({
        kind: 'markdown',
        text: `**Top signature:** \`${top.error}\` "${untrusted(cut(top.diag || top.codename, 140))}" — ${top.count} of ${group?.toterrors ?? 0} errors`,
      });
    const examples = list.filter((e) => e.example_pandaid).slice(0, 3);
    if (examples.length)
      blocks.push({ kind: 'markdown', text: ['**Example jobs:**', ...examples.map((e) => jobLine(panda, e.example_pandaid as number, e.error))].join('\n') });
    if (charts)
      chart = await barChart(
        `${watch.target}: failed jobs by error, last ${context.summary.hours} h`,
        list.map((e) => ({ label: entryLabel(e), value: e.count })),
        `site-${watch.target}-errors.png`,
        'errors',
      );
  } else {
    const sites = errorSites(context.summary, watch.target);
    const here = finding?.remember ? sites.find((s) => s.site === finding.remember) : sites[0];
    if (here)
      blocks.push({
        kind: 'markdown',
        text: `**Signature:** \`${watch.target}\` "${untrusted(cut(here.entry.diag || here.entry.codename, 140))}" — ${here.count} jobs at ${here.site}`,
      });
    const examples = (here ? [here, ...sites.filter((s) => s !== here)] : sites).filter((s) => s.entry.example_pandaid).slice(0, 3);
    if (examples.length)
      blocks.push({
        kind: 'markdown',
        text: ['**Example jobs:**', ...examples.map((s) => jobLine(panda, s.entry.example_pandaid as number, s.site))].join('\n'),
      });
    if (charts)
      chart = await barChart(
        `${watch.target}: jobs by site, last ${context.summary.hours} h`,
        sites.map((s) => ({ label: s.site, value: s.count })),
        `error-${watch.target.replace(/[^a-z0-9]+/gi, '-')}-sites.png`,
        'jobs',
      );
  }
  return { blocks, chart };
}

function footer(watch: Watch): ReplyBlock {
  return { kind: 'markdown', text: `Watch set by ${watch.by} on ${watch.createdAt.slice(0, 10)} · stop it with ${unwatchHint(watch)}` };
}

export async function alertReply(watch: Watch, finding: Finding, context: WatchContext, panda: PandaSource, charts: boolean): Promise<Reply> {
  const headline = `🔔 ${watchTitle(watch)}: ${finding.headline}`;
  const { blocks, chart } = await evidence(watch, context, panda, finding, charts);
  return {
    blocks: [{ kind: 'heading', text: headline }, { kind: 'markdown', text: finding.details.join('\n') }, ...blocks, footer(watch)],
    ...(chart ? { attachments: [chart] } : {}),
    summary: `${watchTitle(watch)}: ${finding.headline}`,
    data: { watch: watch.id, condition: finding.key },
  };
}

export function recoveryReply(watch: Watch, recovery: Recovery): Reply {
  const text = `✅ ${watchTitle(watch)} recovered: ${recovery.text}.`;
  return { blocks: [{ kind: 'markdown', text }, footer(watch)], summary: text, data: { watch: watch.id, recovered: recovery.key } };
}
