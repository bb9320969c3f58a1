/** The running bot's Prometheus metrics: messages and latency, maintenance runs, adapters, leases, leader, Redis. */
import type { HandledEvent } from '../core/pipeline.js';
import { createMetricsRegistry, LATENCY_BUCKETS_S, type MetricsRegistry } from '../http/metrics.js';
import type { JobStatus } from '../maintenance/types.js';
import { adapterUp, type ReplicaFacts } from './health.js';

export interface BotMetrics {
  registry: MetricsRegistry;
  /** The core's per-message hook. */
  onHandled(event: HandledEvent): void;
  /** The scheduler's per-run hook. */
  onRun(status: JobStatus): void;
  /** Sets the gauges from the replica's current facts (called before each scrape). */
  observe(facts: ReplicaFacts): void;
}

export function createBotMetrics(): BotMetrics {
  const registry = createMetricsRegistry();
  const messages = registry.counter('askpanda_messages_total', 'Messages handled, by platform, intent and outcome.');
  const latency = registry.histogram('askpanda_message_duration_seconds', 'Time from receipt to reply, by platform and intent.', LATENCY_BUCKETS_S);
  const jobRuns = registry.counter('askpanda_maintenance_runs_total', 'Maintenance job runs on this replica, by job and outcome.');
  const jobLast = registry.gauge('askpanda_maintenance_last_run_timestamp_seconds', 'When a maintenance job last ran on this replica.');
  const jobDuration = registry.gauge('askpanda_maintenance_last_duration_seconds', 'How long the last run of a maintenance job took.');
  const adapterGauge = registry.gauge('askpanda_adapter_up', 'Whether a chat adapter is connected on this replica (1) or not (0).');
  const leaseHeld = registry.gauge('askpanda_connection_lease_held', 'Whether this replica holds the platform connection lease.');
  const leaderGauge = registry.gauge('askpanda_leader', 'Whether this replica holds the leader lease.');
  const redisGauge = registry.gauge('askpanda_redis_up', 'Whether Redis answered the last ping (1) or not (0).');
  const heldGauge = registry.gauge('askpanda_held_messages', 'Messages kept in the data directory until Redis is back.');
  const docsGauge = registry.gauge('askpanda_docs_index_up', 'Whether the documentation index can be read (1) or is unavailable and being rebuilt (0).');
  return {
    registry,
    onHandled(event) {
      messages.inc({ platform: event.platform, intent: event.intent, outcome: event.outcome });
      if (event.outcome === 'ok' || event.outcome === 'error') latency.observe({ platform: event.platform, intent: event.intent }, event.ms / 1000);
    },
    onRun(status) {
      jobRuns.inc({ job: status.name, outcome: status.outcome });
      jobLast.set({ job: status.name }, Date.parse(status.lastRunAt) / 1000);
      jobDuration.set({ job: status.name }, status.durationMs / 1000);
    },
    observe(facts) {
      redisGauge.set({}, facts.shared ? (facts.stateOk ? 1 : 0) : 1);
      leaderGauge.set({}, facts.leader ? 1 : 0);
      heldGauge.set({}, facts.held ?? 0);
      docsGauge.set({}, facts.docsIndexProblem ? 0 : 1);
      for (const a of facts.adapters) {
        adapterGauge.set({ adapter: a.adapter.name }, adapterUp(a) ? 1 : 0);
        if (a.leased) leaseHeld.set({ adapter: a.adapter.name }, a.leased.holding ? 1 : 0);
      }
    },
  };
}
