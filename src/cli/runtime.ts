/**
 * The long-running bot's extras around the core: Redis scale-out (dedupe, ordering, leases),
 * metrics, the HTTP server with /healthz and /metrics, the maintenance scheduler and the
 * admin `status` command.
 */
import { resolve } from 'node:path';
import type { ChatAdapter } from '../contracts/chat.js';
import { createBotMetrics } from '../app/bot-metrics.js';
import { createHeldHandler } from '../app/held-handler.js';
import { redactDeep } from '../logs/index.js';
import { adaptersText, healthReport, type ReplicaFacts, type RunningAdapter, redisText } from '../app/health.js';
import { createLeasedAdapter } from '../state/connection-lease.js';
import { createLeaderElection, type State } from '../state/index.js';
import { metricsHandler } from '../http/metrics.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import { sendJson } from '../wire/http.js';
import { createStatusCommand, dataDirSizes, formatStatus } from '../maintenance/status-report.js';
import { dataFileFacts, movedAsideNotes } from '../state/sqlite-recovery.js';
import { type CoreWiring, createCoreWiring } from './core-wiring.js';
import { createMaintenanceWiring, type MaintenanceWiring } from './maintenance-wiring.js';
import { createIngestChannelsCommand, syncConfiguredChannels } from './ingest-discussions.js';
import { createWatchWiring, type WatchWiring } from './watch-wiring.js';
import type { Services } from './services.js';

/** Platforms where every connection sees every event: one replica holds the connection. */
export const CONNECTION_LEASE_TTL_MS = 5000;
export const CONNECTION_LEASE_RENEW_MS = 1500;
/** How often kept messages are retried when answering or posting them failed. */
const HELD_RETRY_MS = 5000;

export interface Runtime extends CoreWiring {
  replica: string;
  watch: WatchWiring;
  maintenance: MaintenanceWiring | null;
  http: HttpServer | null;
  /** Starts adapters (leased where needed), the HTTP server and the scheduler. */
  start(adapters: ChatAdapter[]): Promise<void>;
  statusText(): Promise<string>;
  close(): Promise<void>;
}

export async function createRuntime(services: Services): Promise<Runtime> {
  const { config, logger, replica } = services;
  /** Platforms whose connection one replica holds (`leased` in adapters/<platform>/index.ts). */
  const leased = new Set<string>(services.boundPlatforms.filter((p) => p.leased).map((p) => p.name));
  const log = logger.child({ component: 'runtime', replica });
  const state: State = await services.state();
  const redis = state.shared;
  let redisOk = true;

  const metrics = createBotMetrics();
  const { onHandled, onRun } = metrics;

  // Leader election over the state's lease (Redis across machines, SQLite in a shared data directory).
  const leaderLease = state.lease('leader', CONNECTION_LEASE_TTL_MS);
  const leader = createLeaderElection({ lease: leaderLease, renewMs: CONNECTION_LEASE_RENEW_MS, logger: log });
  // A deleted or corrupt docs index is rebuilt by the leader (the index directory may be shared).
  const docIndex = services.docIndex();
  docIndex.setLeader(() => leader.isLeader);
  // The support-channel threads were in the index too: the next sync writes them all again (new generation).
  docIndex.onRebuilt(() => {
    syncConfiguredChannels(services)
      .then((results) => results && log.info({ channels: results.length }, 'support channels re-ingested after the docs index rebuild'))
      .catch((error: unknown) => log.warn({ err: error }, 'support channels could not be re-ingested after the docs index rebuild'));
  });
  let docsProblem: string | null = null;

  let maintenance: MaintenanceWiring | null = null;
  const states: RunningAdapter[] = [];
  const facts = (): ReplicaFacts => ({
    replica,
    shared: redis,
    stateOk: redisOk,
    held: redis ? state.held.count() : 0,
    docsIndexProblem: docsProblem,
    leader: leader.isLeader,
    adapters: states,
    notes: movedAsideNotes(resolve(config.dataDir)),
  });
  const statusText = async (): Promise<string> =>
    formatStatus({
      jobs: maintenance?.scheduler.jobs ?? [],
      statuses: (await maintenance?.store.all()) ?? [],
      sizes: dataDirSizes(resolve(config.dataDir)),
      facts: {
        replica,
        redis: redisText(facts()),
        leader: leader.isLeader ? 'yes' : 'no',
        adapters: adaptersText(states),
        ...(redis ? { 'kept messages': state.held.count() } : {}),
        'docs index': docIndex.problem() ? `unavailable: ${docIndex.problem()}` : 'ok',
        ...dataFileFacts(resolve(config.dataDir)),
      },
    });

  // Watch alerts and digests are posted through the running adapters (leased ones post over REST even on standby).
  const watch = createWatchWiring(services, {
    state,
    post: async (place, thread, reply) => {
      const running = states.find((st) => st.adapter.name.replace(/-http$/, '') === place.platform);
      if (!running) throw new Error(`no ${place.platform} adapter runs in this bot, so nothing can be posted to ${place.channel}`);
      return (running.leased ?? running.adapter).post({ channel: place.channel, thread }, reply);
    },
  });
  const wiring = createCoreWiring(services, {
    onHandled,
    commands: {
      status: createStatusCommand({ admins: config.admins, report: statusText }),
      'panda-ingest': createIngestChannelsCommand(services),
      ...watch.commands,
    },
    commandWords: watch.commandWords,
    memoryKeyv: state.keyv('memory'),
    deduper: state.deduper,
    lock: state.lock,
  });
  // Redis down: chat messages are kept in the data directory and answered in their thread when it is back.
  const held = redis
    ? createHeldHandler({
        handle: (message) => wiring.core.handle(message),
        held: state.held,
        available: () => state.available(),
        redact: redactDeep,
        deliver: async (message, reply) => {
          const running = states.find((st) => st.adapter.name.replace(/-http$/, '') === message.platform);
          if (!running) throw new Error(`no ${message.platform} adapter runs in this bot`);
          await (running.leased ?? running.adapter).post({ channel: message.channel, thread: message.thread ?? message.messageId ?? null }, reply);
        },
        logger: log,
      })
    : null;
  const core = held ? { ...wiring.core, handle: held.handleNow } : wiring.core;
  let drainTimer: NodeJS.Timeout | undefined;
  if (held) {
    state.onAvailable(() => void held.drain());
  }
  if (config.maintenance.enabled) {
    maintenance = createMaintenanceWiring(services, {
      memory: wiring.memory,
      replica,
      state,
      leader: leaderLease,
      onRun,
      jobs: watch.jobs,
    });
  }

  const checkDependencies = async () => {
    redisOk = await state.ping();
    docsProblem = await docIndex.check().catch((error: unknown) => String(error));
  };
  const collect = async () => {
    await checkDependencies();
    metrics.observe(facts());
  };

  let http: HttpServer | null = null;
  if (config.http.port !== undefined) {
    http = createHttpServer({ host: config.http.host, port: config.http.port, logger });
    http.route('GET', '/metrics', metricsHandler(metrics.registry, collect));
    http.route('GET', '/healthz', async (_req, res) => {
      await checkDependencies();
      const report = healthReport(facts());
      sendJson(res, report.status, report.body);
    });
  }

  return {
    ...wiring,
    core,
    replica,
    watch,
    maintenance,
    http,
    statusText,
    async start(adapters) {
      const handler = held ? held.handle : (message: Parameters<typeof wiring.core.handle>[0]) => wiring.core.handle(message);
      if (http) {
        for (const adapter of adapters) {
          for (const route of (adapter as { routes?: Array<{ method: string; path: string; handler: Parameters<HttpServer['route']>[2] }> }).routes ?? []) {
            http.route(route.method, route.path, route.handler);
          }
        }
        await http.listen();
      }
      await leader.start();
      for (const adapter of adapters) {
        const entry: RunningAdapter = { adapter, started: false };
        if (redis && leased.has(adapter.name)) {
          const lease = state.lease(`connection:${adapter.name}`, CONNECTION_LEASE_TTL_MS);
          entry.leased = createLeasedAdapter({ adapter, lease, logger, renewMs: CONNECTION_LEASE_RENEW_MS });
          await entry.leased.start(handler);
        } else {
          await adapter.start(handler);
        }
        entry.started = true;
        states.push(entry);
        log.info({ adapter: adapter.name, leased: Boolean(entry.leased) }, 'adapter started');
      }
      maintenance?.scheduler.start();
      if (held) {
        // Kept before a restart, or not yet answered (Redis flapping, a post failed): retried until done.
        void held.drain();
        drainTimer = setInterval(() => {
          if (state.held.count() > 0) void held.drain();
        }, HELD_RETRY_MS);
        drainTimer.unref();
      }
    },
    async close() {
      if (drainTimer) clearInterval(drainTimer);
      await maintenance?.close().catch((error: unknown) => log.error({ err: error }, 'maintenance stop failed'));
      await watch.close();
      for (const s of states) await (s.leased ?? s.adapter).stop().catch((error: unknown) => log.error({ err: error, adapter: s.adapter.name }, 'stop failed'));
      await leader.stop();
      await http?.close();
      await docIndex.close().catch((error: unknown) => log.error({ err: error }, 'docs index close failed'));
      await wiring.feedback.close().catch(() => undefined);
      await services.closeState();
    },
  };
}
