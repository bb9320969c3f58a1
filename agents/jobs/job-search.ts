/**
 * Runs a job search through the monitor's job list (only the fields it shows) and groups the
 * failures by error signature: the error code plus the diagnostic with ids, paths and numbers
 * masked, each with its count, sites and example ids linked to the monitor.
 */
import type { JobFilter, JobRecord, PandaSource } from '../../src/contracts/panda.js';
import { type ReplyBlock, untrusted } from '../../src/contracts/reply.js';
import { lineTemplate } from '../../src/logs/index.js';
import { jobErrors } from '../../src/panda/index.js';

/** What a search shows beyond the base fields. */
export const SEARCH_FIELDS = ['durationsec'] as const;
/** Most jobs a search reads (the monitor client pages up to it, split by site and state). */
export const SEARCH_LIMIT = 50_000;

export interface SignatureGroup {
  signature: string;
  error: string;
  diag: string;
  count: number;
  sites: string[];
  examples: number[];
}

export interface SearchResult {
  jobs: JobRecord[];
  states: Array<[string, number]>;
  signatures: SignatureGroup[];
  truncated: boolean;
}

/** `pilot:1099 Failed to stage-in file: <file> …` — the key under which equal failures group. */
export function errorSignature(job: JobRecord): { signature: string; error: string; diag: string } | null {
  const errors = jobErrors(job);
  const first = errors.find((e) => e.diag) ?? errors[0];
  if (!first) return null;
  const diag = first.diag.trim();
  const template = lineTemplate(diag).slice(0, 160);
  return { signature: `${first.error} ${template}`.trim(), error: first.error, diag: diag.slice(0, 240) };
}

export async function runSearch(panda: PandaSource, filter: JobFilter, signal?: AbortSignal): Promise<SearchResult> {
  let complete = true;
  const jobs = await panda.listJobs(
    { limit: SEARCH_LIMIT, ...filter },
    {
      fields: SEARCH_FIELDS,
      signal,
      onPaged: (info) => {
        complete = info.complete;
      },
    },
  );
  const states = new Map<string, number>();
  const groups = new Map<string, SignatureGroup>();
  for (const job of jobs) {
    states.set(job.jobstatus, (states.get(job.jobstatus) ?? 0) + 1);
    if (job.jobstatus !== 'failed' && job.jobstatus !== 'holding') continue;
    const sig = errorSignature(job) ?? { signature: 'no error code recorded', error: '—', diag: '' };
    const group = groups.get(sig.signature) ?? { ...sig, count: 0, sites: [], examples: [] };
    group.count += 1;
    if (job.computingsite && !group.sites.includes(job.computingsite)) group.sites.push(job.computingsite);
    if (group.examples.length < 3) group.examples.push(job.pandaid);
    groups.set(sig.signature, group);
  }
  return {
    jobs,
    states: [...states.entries()].sort((a, b) => b[1] - a[1]),
    signatures: [...groups.values()].sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature)),
    truncated: !complete || jobs.length >= (filter.limit ?? SEARCH_LIMIT),
  };
}

export function renderSearch(result: SearchResult, described: string, jobUrl: (id: number) => string | null): { blocks: ReplyBlock[]; summary: string } {
  const total = result.jobs.length;
  const head = `${described.charAt(0).toUpperCase()}${described.slice(1)}: ${total}${result.truncated ? '+ (the first ones the monitor returned)' : ''}.`;
  if (total === 0) return { blocks: [{ kind: 'markdown', text: `${head} No job matches.` }], summary: `${head} No job matches.` };
  const blocks: ReplyBlock[] = [{ kind: 'markdown', text: head }];
  const states = result.states.map(([s, n]) => `${s} ${n}`).join(', ');
  if (result.states.length > 1) blocks.push({ kind: 'markdown', text: `By state: ${states}.` });
  const link = (id: number) => {
    const url = jobUrl(id);
    return url ? `[${id}](${url})` : String(id);
  };
  const lines: string[] = [];
  if (result.signatures.length > 0) {
    const failed = result.signatures.reduce((s, g) => s + g.count, 0);
    blocks.push({
      kind: 'table',
      caption: `${failed} failed job${failed === 1 ? '' : 's'} by error signature`,
      columns: ['jobs', 'error', 'diagnostic', 'sites', 'examples'],
      rows: result.signatures
        .slice(0, 15)
        .map((g) => [
          String(g.count),
          g.error,
          untrusted(g.diag.slice(0, 120)),
          g.sites.slice(0, 4).join(', ') + (g.sites.length > 4 ? ', …' : ''),
          g.examples.map(link).join(' '),
        ]),
    });
    for (const g of result.signatures.slice(0, 5)) lines.push(`${g.count}× ${g.error}${g.diag ? ` "${g.diag.slice(0, 100)}"` : ''} (e.g. ${g.examples[0]})`);
  } else {
    const shown = result.jobs.slice(0, 20);
    blocks.push({
      kind: 'table',
      caption: total > shown.length ? `first ${shown.length} of ${total}` : `${total} job${total === 1 ? '' : 's'}`,
      columns: ['pandaid', 'state', 'site', 'task', 'modified'],
      rows: shown.map((j) => [
        link(j.pandaid),
        j.jobstatus,
        j.computingsite ?? '—',
        String(j.jeditaskid ?? '—'),
        (j.modificationtime ?? '').replace('T', ' ').slice(0, 16),
      ]),
    });
  }
  const summary = `${head}${result.states.length > 1 ? ` By state: ${states}.` : ''}${lines.length ? ` ${lines.join('; ')}.` : ''}`;
  return { blocks, summary };
}
