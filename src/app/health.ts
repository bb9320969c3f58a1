/** What /healthz and `status` say about this replica: the shared state, the leader lease and each adapter. */
import type { ChatAdapter } from '../contracts/chat.js';
import type { LeasedAdapter } from '../state/connection-lease.js';

/** A chat adapter as the running bot holds it: started directly, or behind a connection lease. */
export interface RunningAdapter {
  adapter: ChatAdapter;
  leased?: LeasedAdapter;
  started: boolean;
}

export type AdapterRole = 'holder' | 'standby' | 'active';

export interface ReplicaFacts {
  replica: string;
  /** True when the state is shared through Redis. */
  shared: boolean;
  /** Whether the shared state answered its last ping. */
  stateOk: boolean;
  leader: boolean;
  adapters: readonly RunningAdapter[];
}

export const adapterUp = (a: RunningAdapter): boolean => (a.leased ? a.leased.holding : a.started);
export const adapterRole = (a: RunningAdapter): AdapterRole => (a.leased ? (a.leased.holding ? 'holder' : 'standby') : 'active');

export function redisText(facts: Pick<ReplicaFacts, 'shared' | 'stateOk'>): string {
  return facts.shared ? (facts.stateOk ? 'ok' : 'unreachable') : 'not configured';
}

/**
 * The /healthz answer: 200 while the shared state answers and every adapter is up or standing by
 * (a standby replica is healthy: it is ready to take over the connection), 503 otherwise.
 */
export function healthReport(facts: ReplicaFacts): { status: 200 | 503; body: Record<string, unknown> } {
  const adaptersOk = facts.adapters.every((a) => a.leased !== undefined || a.started);
  const ok = (!facts.shared || facts.stateOk) && adaptersOk;
  return {
    status: ok ? 200 : 503,
    body: {
      status: ok ? 'ok' : 'degraded',
      replica: facts.replica,
      redis: redisText(facts),
      leader: facts.leader,
      adapters: facts.adapters.map((a) => ({ name: a.adapter.name, up: adapterUp(a), role: adapterRole(a) })),
    },
  };
}

/** The adapters line of `status`. */
export function adaptersText(adapters: readonly RunningAdapter[]): string {
  return (
    adapters
      .map((a) => `${a.adapter.name} ${a.leased ? (a.leased.holding ? 'holding the connection' : 'standing by') : a.started ? 'up' : 'down'}`)
      .join(', ') || 'none'
  );
}
