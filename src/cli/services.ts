/**
 * Builds the object graph from the configuration: the composition root's body. Each service is
 * created on first use, so a one-shot command builds only what it needs.
 */
import { createCricNames, createFollowUpLlmRouter, createLlmRouter, createRuleRouter, type KnownNames } from '../../agents/selection/index.js';
import { createChitchatAgent } from '../../agents/chitchat/chitchat-agent.js';
import { createErrorCodeAgent } from '../../agents/error-codes/index.js';
import { createJobsAgent, createPandaUserDirectory } from '../../agents/jobs/index.js';
import { createJobAgent, type JobAgent } from '../../agents/logs/index.js';
import { createQueueAgent, createTaskAgent } from '../../agents/data/index.js';
import { createDocsAgent } from '../../agents/docs/index.js';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoadedConfig } from '../config.js';
import type { Agent } from '../contracts/agent.js';
import type { DiscussionPlatform, DiscussionSource } from '../contracts/discussions.js';
import type { Router } from '../contracts/agent.js';
import type { CricSource, PandaSource } from '../contracts/panda.js';
import type { LlmProvider, LlmRole } from '../contracts/llm.js';
import { createLlmRegistry, type LlmRegistry } from '../llm/index.js';
import { type IndexedDocumentStore, loadGlossary } from '../index/index.js';
import { createErrorSummaryCache, type ErrorSummaryCache } from '../maintenance/error-summary-cache.js';
import { createKnowledgeBase, type KnowledgeBase } from '../knowledge/index.js';
import { createLogger, type Logger } from '../log.js';
import { createChatAdapters, type HttpCapableAdapter } from './chat-adapters.js';
import { redact } from '../logs/index.js';
import { logDestination } from './log-destination.js';
import { createDocIndex, type DocIndex } from '../app/docs-store.js';
import { discussionSources } from '../app/discussion-sources.js';
import { createPandaWiring } from './panda-wiring.js';
import { createState, createStateKeyv, type State, stateBackend } from '../state/index.js';
import { recoverCorruptSqlite } from '../state/sqlite-recovery.js';
import { platforms } from './platforms.js';

export interface ServiceOptions {
  loaded: LoadedConfig;
  logger?: Logger;
}

function memo<T>(factory: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = factory();
      made = true;
    }
    return value as T;
  };
}

export function createServices(options: ServiceOptions) {
  const { config } = options.loaded;
  /** The chat platforms (`adapters/platforms.ts`) bound to their config sections. */
  const boundPlatforms = platforms(options.loaded);
  const logger = options.logger ?? createLogger({ level: config.logLevel, redact, destination: logDestination(config, boundPlatforms) });
  // Before any store opens its file: corrupt SQLite files are moved aside and fresh ones created.
  recoverCorruptSqlite(resolve(config.dataDir), logger);
  /** The error-code knowledge base, with the configured extra-descriptions files. */
  const kb = memo((): KnowledgeBase => createKnowledgeBase({ extraDescriptionFiles: config.knowledge.extraDescriptions }));
  const pandaWiring = memo(() => createPandaWiring(options.loaded, logger));
  const replica = `${hostname()}:${process.pid}`;
  let opened: Promise<State> | undefined;
  const services = {
    config,
    /** This process's id among replicas (lease owner, health and status). */
    replica,
    /** The shared state (memory, followed threads, dedupe, locks, leases): Redis when configured, else the data directory. */
    state: memo((): Promise<State> => {
      opened = createState({ redisUrl: config.redisUrl, dataDir: config.dataDir, replica, logger });
      return opened;
    }),
    /** Closes the state when a command opened it (a Redis connection would keep a one-shot command alive). */
    async closeState(): Promise<void> {
      if (opened) await (await opened).close();
      opened = undefined;
    },
    apiKeys: options.loaded.apiKeys,
    /** The platform modules the config was loaded for (`adapters/platforms.ts`). */
    platforms: options.loaded.platforms,
    /** The same, bound to their config sections: enabled, leased, adapter and history factories. */
    boundPlatforms,
    logger,
    memo,
    kb,
    /** PanDA jobs, tasks and logs: the monitor, a --panda-dir directory, or the demo data (src/cli/panda-wiring.ts). */
    panda: memo((): PandaSource => pandaWiring().panda()),
    /** CRIC PanDA queues (HTTP with TTL and offline snapshot, or a file). */
    cric: memo((): CricSource => pandaWiring().cric()),
    /** One line saying where PanDA data comes from (demo, directory or monitor), for start-up. */
    pandaDescription: memo((): string => pandaWiring().description()),
    /** The error-codes agent (intent `error_code`). */
    errorCodeAgent: memo((): Agent => createErrorCodeAgent({ kb: kb() })),
    /** The job agent (intent `job`): failure analysis with the analysis-role LLM, analyses kept in the data directory. */
    jobAgent: memo(
      (): JobAgent =>
        createJobAgent({
          panda: services.panda(),
          kb: kb(),
          llm: services.llm('analysis'),
          dataDir: join(resolve(config.dataDir), 'analyses'),
          // ASKPANDA_MAX_LOG_BYTES: the most of one log the analysis reads (head and tail beyond it).
          maxLogBytes: config.panda.maxLogBytes,
          logger: logger.child({ component: 'job-agent' }),
        }),
    ),
    /** The jobs agent (job_search, job_lineage, job_compare); "my jobs" through the PanDA user mapping (config, or told once: `<dataDir>/panda-users.json`). */
    jobsAgent: memo(
      (): Agent =>
        createJobsAgent({
          panda: services.panda(),
          kb: kb(),
          cric: services.cric(),
          users: createPandaUserDirectory({ configured: config.pandaUsers, file: join(resolve(config.dataDir), 'panda-users.json') }),
          logger,
        }),
    ),
    /** The task agent (intent `task`): triage of a task's jobs, failure signatures, chart; answer-role LLM for the summary. */
    taskAgent: memo((): Agent => createTaskAgent({ panda: services.panda(), kb: kb(), llm: services.llm('answer'), logger })),
    /** The queue agent (intent `queue`): typed CRIC queries (router-role LLM for tool calling) and top errors at a site. */
    queueAgent: memo(
      (): Agent =>
        createQueueAgent({ cric: services.cric(), panda: services.panda(), llm: services.llm('router'), logger, errorCache: services.errorSummaryCache() }),
    ),
    /** Error summaries (1, 3, 6, 12, 24 h) as the maintenance job last cached them; shared through Redis when configured. */
    errorSummaryCache: memo(
      (): ErrorSummaryCache => createErrorSummaryCache({ keyv: createStateKeyv(stateBackend(config), 'maintenance'), maxAgeMs: 2 * 3600_000 }),
    ),
    /** Known CRIC queue/site names for routing (canonical spelling of queue and site names). */
    routerNames: memo((): (() => Promise<KnownNames>) => createCricNames(services.cric())),
    /**
     * The documentation index (`<dataDir>/index`): opened once, configured docs (demo primer when none)
     * ingested incrementally; rebuilt by the leader when it is deleted or corrupted while running.
     */
    docIndex: memo((): DocIndex => createDocIndex({ config, apiKeys: options.loaded.apiKeys, logger, state: () => services.state() })),
    /** The current documentation store (a new one after a rebuild). */
    docStore: (): Promise<IndexedDocumentStore> => services.docIndex().current(),
    /** The docs agent (intent `docs`); starts opening and ingesting the store at once, answers once it is ready. */
    docsAgent: memo((): Agent => {
      services.docStore().catch((error: unknown) => logger.error({ err: error }, 'document index could not be opened'));
      return createDocsAgent({
        store: services.docIndex().store,
        llm: services.llm('answer'),
        logger,
        glossary: loadGlossary(),
        minScore: config.docs.minScore > 0 ? config.docs.minScore : undefined,
      });
    }),
    /** Every LLM provider, memoised per spec; providers sharing a vendor share its limiter and breaker. */
    llms: memo((): LlmRegistry => createLlmRegistry({ settings: config.llm, apiKeys: options.loaded.apiKeys, logger })),
    /** The provider configured for a role (offline unless configured); reliable, with offline fallback. */
    llm: (role: Exclude<LlmRole, 'embeddings'>): LlmProvider => services.llms().forRole(role),
    /** The adapters of the platforms their settings enable (empty → console); `routes` go on the HTTP server. */
    chatAdapters: memo(
      async (): Promise<HttpCapableAdapter[]> => createChatAdapters(boundPlatforms, config.http, logger, (await services.state()).followedThreads),
    ),
    /** Channel-history readers of the enabled platforms, for support-channel ingestion. */
    discussionSources: memo((): Partial<Record<DiscussionPlatform, DiscussionSource>> => discussionSources(boundPlatforms, logger)),
    /** The selection agent: rules, with the configured router LLM on top unless it is `offline`. */
    /** Every agent the core routes to, in priority order (the first agent serving an intent answers it). */
    agents: memo((): Agent[] => [
      services.jobAgent(),
      services.jobsAgent(),
      services.taskAgent(),
      services.queueAgent(),
      services.docsAgent(),
      services.errorCodeAgent(),
      createChitchatAgent(),
    ]),
    router: memo((): Router => {
      const log = logger.child({ component: 'router' });
      const rules = createRuleRouter({ names: services.routerNames(), logger: log });
      if (config.llm.router === 'offline') return rules;
      const llm = services.llm('router');
      // The model's intents (prompt and tool enum) come from the same agent list the core routes to.
      const agents = services.agents().map((a) => ({ name: a.name, intents: a.intents, description: a.description, declares: a.declares }));
      const timeoutMs = Math.min(config.llm.timeoutMs, 15_000);
      // Follow-ups the rules do not recognise are classified by the model too (rules first, rules as fallback).
      return createFollowUpLlmRouter({ llm, inner: createLlmRouter({ llm, rules, agents, logger: log, timeoutMs }), logger: log, timeoutMs });
    }),
  };
  return services;
}

export type Services = ReturnType<typeof createServices>;
