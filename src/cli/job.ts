/** `askpanda job <pandaid> [--json]`: a failed or running job's state, site, times, attempt and error codes. */
import type { Command } from 'commander';
import type { JobDetails } from '../contracts/panda.js';
import { InputError } from '../errors.js';
import { jobErrors } from '../panda/error-summary.js';
import type { Services } from './services.js';

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
    .option('--json', 'print the summary and the job record as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      if (!/^\d{1,12}$/.test(id)) throw new InputError(`"${id}" is not a PanDA job id (expected a number such as 6601000006).`);
      const svc = services();
      const source = svc.panda();
      const details = await source.getJob(Number(id));
      const summary = summariseJob(details, source.jobUrl(details.job.pandaid));
      if (opts.json) process.stdout.write(`${JSON.stringify({ summary, job: details.job, files: details.files }, null, 2)}\n`);
      else process.stdout.write(formatJobSummary(summary, source.description));
    });
}
