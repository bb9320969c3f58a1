/**
 * `askpanda job <pandaid> [--json] [--expert]`: a job's state, site, times, attempt and error codes;
 * for a failed, holding or cancelled job also the full analysis of the job agent (root cause,
 * category, retry advice, evidence lines, expert details with --expert).
 */
import type { Command } from 'commander';
import { renderExpertView, renderUserView } from '../../agents/logs/index.js';
import { renderReply } from '../../adapters/console/render.js';
import type { JobDetails } from '../contracts/panda.js';
import { InputError } from '../errors.js';
import { redact, redactDeep } from '../logs/index.js';
import { jobErrors } from '../panda/error-summary.js';
import type { Services } from './services.js';
import { idArgument } from '../contracts/ids.js';

/** Job states that get a failure analysis. */
const ANALYSED_STATES = new Set(['failed', 'holding', 'cancelled', 'closed']);

export interface JobSummary {
  pandaid: number;
  jeditaskid: number | null;
  status: string;
  site: string | null;
  attempt: number | null;
  maxattempt: number | null;
  created: string | null;
  started: string | null;
  ended: string | null;
  errors: Array<{ error: string; field: string; code: number; diag: string }>;
  url: string | null;
}

export function summariseJob(details: JobDetails, url: string | null): JobSummary {
  const { job } = details;
  return {
    pandaid: job.pandaid,
    jeditaskid: job.jeditaskid,
    status: job.jobstatus,
    site: job.computingsite,
    attempt: job.attemptnr,
    maxattempt: typeof job.maxattempt === 'number' ? job.maxattempt : null,
    created: job.creationtime,
    started: job.starttime,
    ended: job.endtime,
    errors: jobErrors(job).map((e) => ({ error: e.error, field: e.codename, code: e.codeval, diag: e.diag })),
    url,
  };
}

export function formatJobSummary(s: JobSummary, source: string): string {
  const attempt = s.attempt !== null ? ` (attempt ${s.attempt}${s.maxattempt ? ` of ${s.maxattempt}` : ''})` : '';
  const lines = [
    `Job ${s.pandaid}: ${s.status} at ${s.site ?? 'no site yet'}${attempt}${s.jeditaskid ? `, task ${s.jeditaskid}` : ''}`,
    `  created ${s.created ?? '—'}   started ${s.started ?? '—'}   ended ${s.ended ?? '—'}`,
  ];
  if (s.errors.length === 0) lines.push('  error codes: none');
  else {
    lines.push('  error codes:');
    for (const e of s.errors) lines.push(`    ${e.error.padEnd(20)} ${e.field}${e.diag ? `  ${e.diag}` : ''}`);
  }
  if (s.url) lines.push(`  monitor: ${s.url}`);
  lines.push(`  source: ${source}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, services: () => Services): void {
  program
    .command('job')
    .description("show a PanDA job's state, site, times, attempt and error codes")
    .argument('<pandaid>', 'the PanDA job id')
    .option('--json', 'print the summary, the job record and the analysis as JSON')
    .option('--expert', 'print the expert view of the analysis (all evidence, investigation steps, LLM context)')
    .action(async (id: string, opts: { json?: boolean; expert?: boolean }) => {
      const pandaid = idArgument(id);
      if (pandaid === null) throw new InputError(`"${id}" is not a PanDA job id (expected a number such as 6601000006).`);
      const svc = services();
      const source = svc.panda();
      const details = await source.getJob(pandaid);
      const summary = summariseJob(details, source.jobUrl(details.job.pandaid));
      const analysed = ANALYSED_STATES.has(details.job.jobstatus);
      const agent = analysed ? svc.jobAgent() : null;
      try {
        const result = agent ? await agent.analyse(details.job.pandaid) : null;
        if (opts.json) {
          const analysis = result ? { ...result.analysis, reusedFrom: result.reusedFrom ?? null } : null;
          // The redaction boundary: the job record and its diagnosis carry diags, parameters and log lines.
          process.stdout.write(`${JSON.stringify(redactDeep({ summary, job: details.job, files: details.files, analysis }), null, 2)}\n`);
          return;
        }
        process.stdout.write(redact(formatJobSummary(summary, source.description)));
        if (result) {
          const extras = { jobUrl: summary.url, reusedFrom: result.reusedFrom };
          const reply = opts.expert ? renderExpertView(result.analysis, extras) : renderUserView(result.analysis, extras);
          const style = { color: Boolean(process.stdout.isTTY), width: process.stdout.columns ?? 100 };
          process.stdout.write(`\n${renderReply(redactDeep({ ...reply, actions: undefined }), style)}\n`);
          if (!opts.expert) process.stdout.write(`\n(askpanda job ${details.job.pandaid} --expert for the expert details)\n`);
        }
      } finally {
        agent?.close();
      }
    });
}
