/**
 * The job agent (intent `job`): "why did job N fail?" and `/panda-job N`. A job that did not fail
 * gets a status summary; a failed, holding or cancelled job gets the analysis — deterministic
 * diagnosis first, explained by the LLM of the analysis role when one is configured, reused from
 * the data directory when the job or its failure signature was analysed before.
 */
import type { Agent, AgentRequest } from '../../src/contracts/agent.js';
import { ID_RANGES, idArgument, idsOfKind, isPlausibleId } from '../../src/contracts/ids.js';
import type { LlmProvider } from '../../src/contracts/llm.js';
import type { PandaSource } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import { AskPandaError, errorReply } from '../../src/errors.js';
import type { KnowledgeBase } from '../../src/knowledge/index.js';
import type { Logger } from '../../src/log.js';
import { redactDeep } from '../../src/logs/index.js';
import { analyseOffline } from './analyse.js';
import { attachedTextLogs, withAttachedLogs } from './attached-logs.js';
import { summariseAttachedLogs } from './attached-summary.js';
import { ASK_JOB_ID, jobFacts, renderJobFollowUp, renderStatusFollowUp } from './job-follow-up.js';
import { runLlmAnalysis } from './llm-analysis.js';
import { renderExpertView, renderStatus, renderUserView } from './render.js';
import { type AnalysisStore, createAnalysisStore, recordVersion, type StoredAnalysis } from './store.js';
import { z } from 'zod';

export interface JobAgentOptions {
  panda: PandaSource;
  kb: KnowledgeBase;
  /** Analysis-role LLM; an `offline` provider (or none) gives the deterministic analysis only. */
  llm?: LlmProvider | null;
  /** Where analyses are persisted; none = no reuse across calls. */
  dataDir?: string | null;
  /** The analysis cache itself (tests); default: `job-analyses.sqlite` in `dataDir`. */
  store?: AnalysisStore | null;
  logger?: Logger;
  /** Largest log read whole (bytes); above it head + tail. */
  maxLogBytes?: number;
}

export interface JobAgent extends Agent {
  /** The analysis behind a reply (for `askpanda job --json`). */
  analyse(pandaid: number, signal?: AbortSignal): Promise<{ analysis: StoredAnalysis; reusedFrom?: number }>;
  close(): void;
}

const ANALYSED_STATES = new Set(['failed', 'holding', 'cancelled', 'closed']);

/** The pandaid of a request: the route's entity, the clicked button's value, the command's argument, or a job ID in the text. */
export function requestPandaid(request: AgentRequest): number | null {
  if (request.route.entities.pandaid) return request.route.entities.pandaid;
  const action = request.message.action;
  const fromAction = action ? idArgument(action.value) : null;
  if (fromAction !== null) return fromAction;
  const command = request.message.command;
  if (command) return idArgument(command.args);
  return idsOfKind(request.text, 'job')[0] ?? null;
}

/** Why a number is not taken for a job ID, or null when it is in the real range. */
function implausibleJobId(pandaid: number): string | null {
  if (isPlausibleId('job', pandaid)) return null;
  const how = pandaid < ID_RANGES.job.min ? 'short' : 'long';
  return `${pandaid} looks too ${how} for a PanDA job ID (current ones have ${ID_RANGES.job.currentDigits} digits).`;
}

/** The analysis cache in `dataDir`, or none when it cannot be opened (a full disk never stops job answers). */
function openStore(dataDir: string | null, logger: Logger | undefined): AnalysisStore | null {
  if (!dataDir) return null;
  try {
    return createAnalysisStore(dataDir);
  } catch (error) {
    logger?.warn({ err: error, dataDir }, 'job analysis cache unavailable; analyses are not kept');
    return null;
  }
}

function oneSentence(error: unknown): Reply {
  return errorReply(error, { doing: 'analysing the job', intent: 'job' });
}

export function createJobAgent(options: JobAgentOptions): JobAgent {
  const { panda, kb, logger } = options;
  const llm = options.llm && options.llm.id !== 'offline' ? options.llm : null;
  const store: AnalysisStore | null = options.store ?? openStore(options.dataDir ?? null, logger);

  /** `source`: the PanDA source to read the job and its logs from (with a user's attached logs, when given). */
  async function analyse(pandaid: number, signal?: AbortSignal, source: PandaSource = panda): Promise<{ analysis: StoredAnalysis; reusedFrom?: number }> {
    const { job } = await source.getJob(pandaid, signal);
    const key = { source: source.description, pandaid, version: recordVersion(job) };
    const cached = readCached(key);
    if (cached && (cached.llm || !llm)) return { analysis: cached };
    const offline = await analyseOffline({ panda: source, kb }, job, { signal, maxLogBytes: options.maxLogBytes });
    const analysis: StoredAnalysis = {
      diagnosis: offline.diagnosis,
      llm: null,
      model: null,
      context: offline.context,
      notices: [...offline.notices],
      createdAt: new Date().toISOString(),
    };
    let reusedFrom: number | undefined;
    if (llm) {
      const reused = reusable(offline.diagnosis.signature, pandaid);
      if (reused && reused.pandaid !== pandaid) {
        analysis.llm = reused.llm;
        analysis.llmDisagreement = reused.llmDisagreement;
        analysis.model = reused.model;
        reusedFrom = reused.pandaid;
      } else {
        const outcome = await runLlmAnalysis(llm, offline.diagnosis, offline.header, offline.extractions, signal);
        analysis.llm = outcome.analysis;
        analysis.llmDisagreement = outcome.disagreement;
        analysis.model = outcome.model;
        if (outcome.notice) analysis.notices.push(outcome.notice);
        logger?.info({ pandaid, model: outcome.model, ok: Boolean(outcome.analysis), disagreed: Boolean(outcome.disagreement) }, 'job analysis LLM call');
      }
    }
    // The redaction boundary: the diagnosis carries job-record fields (diags, parameters) and log lines.
    const safe = redactDeep(analysis);
    try {
      store?.put(key, safe);
    } catch (error) {
      // The store is a cache: a full disk or a broken file never fails an answer.
      logger?.warn({ err: error, pandaid }, 'job analysis not cached');
    }
    return { analysis: safe, reusedFrom };
  }

  /** The newest LLM explanation of the same failure signature, or null (also when the cache cannot be read). */
  function reusable(signature: string, pandaid: number): ReturnType<AnalysisStore['bySignature']> {
    try {
      return store?.bySignature(signature) ?? null;
    } catch (error) {
      logger?.warn({ err: error, pandaid }, 'job analysis cache unreadable');
      return null;
    }
  }

  /** A stored analysis (redacted again: rows written before the redactor knew a kind), or null when the store fails. */
  function readCached(key: Parameters<AnalysisStore['get']>[0]): StoredAnalysis | null {
    try {
      const cached = store?.get(key);
      return cached ? redactDeep(cached) : null;
    } catch (error) {
      logger?.warn({ err: error, pandaid: key.pandaid }, 'job analysis cache unreadable');
      return null;
    }
  }

  return {
    name: 'logs',
    intents: ['job'],
    description:
      'Explains why a PanDA job failed: reads the job record and its pilot/payload logs, finds the failure windows, names the root-cause error code, category and whether a retry helps, with the evidence lines; for a job that did not fail it gives its status.',
    help: ['• explain why a PanDA job failed and whether a retry helps: `/panda-job <pandaid>` or "why did job 6601000006 fail?"'],
    tools: [
      {
        name: 'analyze_job',
        title: 'Analyse a PanDA job',
        description:
          'Explain why one PanDA job (pandaid) failed: error codes with their meaning, the evidence lines from the pilot and payload logs, the likely cause, and whether a retry helps. A job that did not fail gets a status summary. `view: "expert"` adds the full diagnosis details.',
        input: {
          pandaid: z.number().int().positive().describe('The PanDA job id, e.g. 6601000005.'),
          view: z.enum(['user', 'expert']).default('user').describe('`user` (default) or `expert` for the detailed diagnosis.'),
        },
        request: (args) => {
          const { pandaid, view } = args as { pandaid: number; view?: 'user' | 'expert' };
          return { text: `why did job ${pandaid} fail?`, entities: { pandaid }, view: view ?? 'user' };
        },
      },
    ],
    analyse,
    async answer(request) {
      const pandaid = requestPandaid(request);
      const act = request.route.followUp?.act;
      if (!pandaid) {
        // A log attached without a job ID: summarised on its own.
        const summary = await summariseAttachedLogs(request.message.files, { kb, maxLogBytes: options.maxLogBytes, signal: request.signal });
        if (summary) return summary;
      }
      const wrong = pandaid ? implausibleJobId(pandaid) : null;
      if (!pandaid || wrong) {
        const text = wrong ? `${wrong} ${ASK_JOB_ID}` : ASK_JOB_ID;
        return { intent: 'job', blocks: [{ kind: 'markdown', text }], summary: text, ...(act ? { facts: { act } } : {}) };
      }
      try {
        const { job } = await panda.getJob(pandaid, request.signal);
        if (!ANALYSED_STATES.has(job.jobstatus)) {
          const status = renderStatus(job, panda.jobUrl(pandaid));
          return (act && renderStatusFollowUp(act, job)) || { ...status, facts: { pandaid } };
        }
        // Logs the user attached to this message are read as this job's logs.
        const attached = attachedTextLogs(request.message.files);
        const source = attached.length ? withAttachedLogs(panda, pandaid, attached) : panda;
        const { analysis, reusedFrom } = await analyse(pandaid, request.signal, source);
        const extras = { jobUrl: panda.jobUrl(pandaid), reusedFrom };
        const expert = request.view === 'expert' || request.message.action?.id === 'expert';
        // A follow-up ("would a retry help?") gets its short answer from the same diagnosis.
        const followUp = act && !expert ? renderJobFollowUp(act, analysis, request.text) : null;
        if (followUp) return followUp;
        const reply = expert ? renderExpertView(analysis, extras) : renderUserView(analysis, extras);
        return { ...reply, facts: jobFacts(analysis.diagnosis) };
      } catch (error) {
        if (!(error instanceof AskPandaError)) logger?.error({ err: error, pandaid }, 'job analysis failed');
        return oneSentence(error);
      }
    },
    close() {
      store?.close();
    },
  };
}
