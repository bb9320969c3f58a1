/** /healthz and /metrics content from a replica's facts (src/app/health.ts, src/app/bot-metrics.ts). */
import { describe, expect, it } from 'vitest';
import { createBotMetrics } from '../../src/app/bot-metrics.js';
import { adaptersText, healthReport, type RunningAdapter } from '../../src/app/health.js';
import type { ChatAdapter } from '../../src/contracts/chat.js';
import type { LeasedAdapter } from '../../src/state/connection-lease.js';

const adapter = (name: string): ChatAdapter => ({
  name,
  start: async () => undefined,
  stop: async () => undefined,
  post: async () => ({ thread: null }),
});
const leased = (name: string, holding: boolean): LeasedAdapter => ({ ...adapter(name), holding });

describe('health report', () => {
  it('is healthy with a connection holder, a standby and a started adapter, and names each role', () => {
    const adapters: RunningAdapter[] = [
      { adapter: adapter('mattermost'), leased: leased('mattermost', true), started: true },
      { adapter: adapter('discord'), leased: leased('discord', false), started: true },
      { adapter: adapter('slack'), started: true },
    ];
    const report = healthReport({ replica: 'r1', shared: true, stateOk: true, leader: false, adapters });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      status: 'ok',
      replica: 'r1',
      redis: 'ok',
      heldMessages: 0,
      leader: false,
      adapters: [
        { name: 'mattermost', up: true, role: 'holder' },
        { name: 'discord', up: false, role: 'standby' },
        { name: 'slack', up: true, role: 'active' },
      ],
    });
    expect(adaptersText(adapters)).toBe('mattermost holding the connection, discord standing by, slack up');
  });

  it('is degraded, with the reason, when Redis does not answer or the docs index is gone; 503 only when an adapter did not start', () => {
    // Still 200: the replica keeps taking messages (kept until Redis is back), and a 503 would have
    // Kubernetes restart it or route the platform's events nowhere.
    expect(healthReport({ replica: 'r', shared: true, stateOk: false, held: 2, leader: true, adapters: [] })).toMatchObject({
      status: 200,
      body: {
        status: 'degraded',
        redis: 'unreachable',
        heldMessages: 2,
        reasons: ['redis unreachable: messages are kept in the data directory and answered when it is back (2 kept)'],
      },
    });
    expect(healthReport({ replica: 'r', shared: true, stateOk: true, held: 1, leader: true, adapters: [] }).body).toMatchObject({
      status: 'degraded',
      reasons: ['1 kept message(s) still to answer'],
    });
    expect(healthReport({ replica: 'r', shared: false, stateOk: false, leader: true, adapters: [] })).toMatchObject({
      status: 200,
      body: { status: 'ok', redis: 'not configured' },
    });
    expect(
      healthReport({ replica: 'r', shared: false, stateOk: true, leader: true, docsIndexProblem: 'the index directory is missing', adapters: [] }),
    ).toMatchObject({
      status: 200,
      body: { status: 'degraded', docsIndex: 'unavailable', reasons: ['docs index unavailable: the index directory is missing'] },
    });
    const notStarted = healthReport({ replica: 'r', shared: false, stateOk: true, leader: true, adapters: [{ adapter: adapter('slack'), started: false }] });
    expect(notStarted.status).toBe(503);
    expect(notStarted.body).toMatchObject({ status: 'degraded', reasons: ['adapter not started: slack'] });
  });
});

describe('bot metrics', () => {
  it('counts messages and maintenance runs and sets the replica gauges', () => {
    const metrics = createBotMetrics();
    metrics.onHandled({ platform: 'slack', intent: 'job', outcome: 'ok', ms: 1200 } as Parameters<typeof metrics.onHandled>[0]);
    metrics.onHandled({ platform: 'slack', intent: 'job', outcome: 'duplicate', ms: 1 } as Parameters<typeof metrics.onHandled>[0]);
    metrics.onRun({ name: 'cric', outcome: 'ok', lastRunAt: '2026-01-01T00:00:00Z', durationMs: 250 } as Parameters<typeof metrics.onRun>[0]);
    metrics.observe({
      replica: 'r',
      shared: true,
      stateOk: false,
      held: 3,
      docsIndexProblem: 'the index directory is missing',
      leader: true,
      adapters: [{ adapter: adapter('discord'), leased: leased('discord', true), started: true }],
    });
    const text = metrics.registry.render();
    expect(text).toContain('askpanda_messages_total{intent="job",outcome="ok",platform="slack"} 1');
    expect(text).toContain('askpanda_messages_total{intent="job",outcome="duplicate",platform="slack"} 1');
    expect(text).toContain('askpanda_message_duration_seconds_count{intent="job",platform="slack"} 1');
    expect(text).toContain('askpanda_maintenance_runs_total{job="cric",outcome="ok"} 1');
    expect(text).toContain('askpanda_maintenance_last_duration_seconds{job="cric"} 0.25');
    expect(text).toContain('askpanda_redis_up 0');
    expect(text).toContain('askpanda_held_messages 3');
    expect(text).toContain('askpanda_docs_index_up 0');
    expect(text).toContain('askpanda_leader 1');
    expect(text).toContain('askpanda_adapter_up{adapter="discord"} 1');
    expect(text).toContain('askpanda_connection_lease_held{adapter="discord"} 1');
  });
});
