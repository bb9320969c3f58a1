/**
 * The jobs agent: questions over several jobs. `job_search` — "my failed jobs today", "failed jobs
 * at MWT2 in the last 6 hours", "jobs of user X in task T" through the monitor's job list, grouped
 * by error signature; `job_lineage` — every attempt of a job and what changed; `job_compare` — two
 * jobs side by side with the decisive log lines of the failed one. "My" jobs need the asker's
 * PanDA user name: configured, or asked once and remembered, never guessed.
 */
import type { Agent, AgentRequest } from '../../src/contracts/agent.js';
import { idsOfKind } from '../../src/contracts/ids.js';
import type { CricSource, PandaSource } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import type { Intent } from '../../src/contracts/routing.js';
import { InputError } from '../../src/errors.js';
import type { KnowledgeBase } from '../../src/knowledge/index.js';
import type { Logger } from '../../src/log.js';
import { resolveQueue } from '../../src/panda/index.js';
import { cloudConditions, countryConditions, distinctValues, type KnownCric, TextMarks } from '../data/queue-conditions.js';
import { compareJobs, renderComparison } from './compare.js';
import { renderSearch, runSearch } from './job-search.js';
import { findLineage, renderLineage } from './lineage.js';
import { ASK_PANDA_USER, type PandaUserDirectory, toldPandaUser } from './panda-users.js';
import { describeFilter, type ParsedSearch, parseSearch } from './search-query.js';

export interface JobsAgentOptions {
  panda: PandaSource;
  kb: KnowledgeBase;
  users: PandaUserDirectory;
  /** Expands a site name to its queues (a search by ATLAS site). */
  cric?: CricSource;
  logger: Logger;
}

const INTENTS: readonly Intent[] = ['job_search', 'job_lineage', 'job_compare'];

function text(intent: Intent, body: string, data?: Record<string, unknown>): Reply {
  return { intent, blocks: [{ kind: 'markdown', text: body }], summary: body, ...(data ? { data } : {}) };
}

/** The job ids of a request: the router's list, else every job id in the text. */
function jobIds(request: AgentRequest): number[] {
  const e = request.route.entities;
  if (e.pandaids && e.pandaids.length > 0) return e.pandaids;
  const found = idsOfKind(request.text, 'job');
  if (found.length > 0) return found;
  return e.pandaid ? [e.pandaid] : [];
}

/** The user question the bot answered with "What is your PanDA user name?" (to run it once the name is known). */
function pendingQuestion(request: AgentRequest): string | null {
  const h = request.history;
  for (let i = h.length - 1; i > 0; i--) {
    if (h[i]?.role === 'assistant' && h[i]?.text.includes(ASK_PANDA_USER)) {
      for (let j = i - 1; j >= 0; j--) if (h[j]?.role === 'user') return h[j]?.text ?? null;
    }
  }
  return null;
}

export function createJobsAgent(options: JobsAgentOptions): Agent {
  const { panda, users } = options;
  const log = options.logger.child({ component: 'jobs-agent' });
  const jobUrl = (id: number) => panda.jobUrl(id);

  /**
   * A site with several queues becomes `Q1|Q2|…` (the monitor filters by queue), and so does a cloud
   * or country ("failed jobs in the UK", "in Germany", "in cloud DE") through CRIC's queue records.
   * Returns the words for the echo ("at site X (3 queues)", "in cloud UK (32 queues)") or null.
   */
  async function expandPlace(search: ParsedSearch, question: string, signal?: AbortSignal): Promise<string | null> {
    const site = search.filter.computingsite;
    if (!options.cric || site?.includes('|')) return null;
    const queues = await options.cric.listQueues(signal).catch(() => null);
    if (!queues) return null;
    const count = (n: number) => `${n} queue${n === 1 ? '' : 's'}`;
    if (site) {
      const r = resolveQueue(queues, site);
      if (r.queue) {
        search.filter.computingsite = r.queue.name;
        return null;
      }
      if (r.siteQueues.length === 0) return null;
      search.filter.computingsite = r.siteQueues.map((q) => q.name).join('|');
      return `at site ${site} (${count(r.siteQueues.length)})`;
    }
    const known: KnownCric = { queues: [], sites: [], clouds: distinctValues(queues, 'cloud'), countries: distinctValues(queues, 'country') };
    const marks = new TextMarks(question);
    const places = [...countryConditions(marks, known), ...cloudConditions(marks, known)].map((c) => c.filter).filter((f) => !f.negate);
    if (places.length === 0) return null;
    const names = new Set<string>();
    const words: string[] = [];
    for (const f of places) {
      const values = (Array.isArray(f.value) ? f.value : [f.value]).map(String);
      for (const v of values) {
        words.push(f.field === 'cloud' ? `cloud ${v}` : v);
        for (const q of queues) if (String(q[f.field] ?? '').toLowerCase() === v.toLowerCase()) names.add(q.name);
      }
    }
    if (names.size === 0) return null;
    search.filter.computingsite = [...names].sort().join('|');
    return `in ${words.join(' or ')} (${count(names.size)})`;
  }

  async function search(request: AgentRequest, questionText: string, notice?: string): Promise<Reply> {
    const parsed = parseSearch(questionText, questionText === request.text ? request.route.entities : {});
    if (parsed.own) {
      const me = await users.lookup(request.message);
      if (!me) {
        const ask = `${ASK_PANDA_USER} (as the monitor shows it in produsername, e.g. "Jane Doe" or "jdoe")? I do not guess it from your chat name. Reply "my panda user name is …" and I will remember it for your next searches. For one job in particular, send me its PanDA job ID (the pandaid in its BigPanDA link) and I will explain what happened to it.`;
        return text('job_search', ask, { needsUser: true });
      }
      parsed.filter.produsername = me;
    }
    const place = await expandPlace(parsed, questionText, request.signal);
    if (!parsed.filter.produsername && !parsed.filter.computingsite && parsed.filter.jeditaskid === undefined) {
      return text(
        'job_search',
        'Which jobs should I look for? Please name a user ("jobs of user jdoe"), a site or queue ("failed jobs at MWT2 in the last 6 hours"), a cloud or country ("failed jobs in the UK today") or a task ("jobs of user X in task 46200001"), or say "my jobs".',
        { parsed: false },
      );
    }
    const described = describeFilter(parsed.filter, parsed.window, place ?? undefined);
    const result = await runSearch(panda, parsed.filter, request.signal);
    log.info({ filter: parsed.filter, jobs: result.jobs.length, signatures: result.signatures.length }, 'job search');
    const rendered = renderSearch(result, described, jobUrl);
    const blocks = [...rendered.blocks];
    if (notice) blocks.unshift({ kind: 'markdown', text: notice });
    return {
      intent: 'job_search',
      blocks,
      summary: notice ? `${notice} ${rendered.summary}` : rendered.summary,
      data: { filter: parsed.filter, total: result.jobs.length, states: Object.fromEntries(result.states), signatures: result.signatures },
    };
  }

  return {
    name: 'jobs',
    intents: INTENTS,
    description:
      'Questions over several PanDA jobs: searches by user, queue/site, state and time window ("my failed jobs today", "failed jobs at MWT2 in the last 6 hours", "jobs of user X in task T") grouped by error signature; all attempts (retries) of one job and what changed between them; two jobs compared side by side with the decisive log lines.',
    help: ['• find jobs: "my failed jobs today", "failed jobs at MWT2 in the last 6 hours"; show the retries of a job; compare two jobs'],
    async answer(request) {
      const intent = request.route.intent;
      if (intent === 'job_compare') {
        const ids = jobIds(request);
        if (ids.length < 2)
          return text(intent, 'Which two jobs should I compare? Please give both PanDA job ids, e.g. "compare job 6602000007 and job 6602000008".');
        const comparison = await compareJobs({ panda, kb: options.kb }, [ids[0] as number, ids[1] as number], request.signal);
        const rendered = renderComparison(comparison, jobUrl);
        return { intent, ...rendered, data: { ids: comparison.ids, differing: comparison.differing, causes: comparison.causes } };
      }
      if (intent === 'job_lineage') {
        const id = jobIds(request)[0];
        if (!id) return text(intent, 'Which job? Please give the PanDA job id whose retries you want to see.');
        const lineage = await findLineage(panda, id, request.signal);
        const rendered = renderLineage(lineage, jobUrl);
        return {
          intent,
          ...rendered,
          data: { asked: id, attempts: lineage.attempts.map(({ record: _r, ...a }) => a), changes: lineage.changes, via: lineage.via },
        };
      }
      if (intent !== 'job_search') throw new InputError(`The jobs agent does not answer ${intent} questions.`);
      const told =
        toldPandaUser(request.text) ?? (pendingQuestion(request) && !/\?/.test(request.text) ? request.text.trim().replace(/^["']|["']$/g, '') : null);
      if (told && !/\bjobs?\b/i.test(request.text)) {
        await users.remember(request.message, told);
        const remembered = `Noted: your PanDA user name is ${told}; I will use it when you ask about your jobs.`;
        const pending = pendingQuestion(request);
        return pending ? search(request, pending, remembered) : text('job_search', remembered, { remembered: told });
      }
      return search(request, request.text);
    },
  };
}
