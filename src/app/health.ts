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
  /** Messages kept in the data directory until the shared state is back. */
  held?: number;
  /** Why the documentation index cannot answer (deleted, corrupt, being rebuilt); absent while it works. */
  docsIndexProblem?: string | null;
  leader: boolean;
  adapters: readonly RunningAdapter[];
  /** Things the operator should know that do not stop the replica (e.g. corrupt data files moved aside). */
  notes?: readonly string[];
}

export const adapterUp = (a: RunningAdapter): boolean => (a.leased ? a.leased.holding : a.started);
export const adapterRole = (a: RunningAdapter): AdapterRole => (a.leased ? (a.leased.holding ? 'holder' : 'standby') : 'active');

export function redisText(facts: Pick<ReplicaFacts, 'shared' | 'stateOk'>): string {
  return facts.shared ? (facts.stateOk ? 'ok' : 'unreachable') : 'not configured';
}

/**
 * The /healthz answer. 503 only when the replica cannot take messages (an adapter that should run did
 * not start; a standby replica is healthy: it is ready to take over the connection). A broken
 * dependency makes it `degraded` with the reasons, still 200: the replica keeps taking messages
 * (kept while Redis is down, docs answers saying the index is being rebuilt), and a 503 would make
 * Kubernetes restart it or route the platform's events nowhere, losing exactly what it keeps.
 */
export function healthReport(facts: ReplicaFacts): { status: 200 | 503; body: Record<string, unknown> } {
  const adaptersOk = facts.adapters.every((a) => a.leased !== undefined || a.started);
  const reasons: string[] = [];
  const down = facts.adapters.filter((a) => !a.leased && !a.started).map((a) => a.adapter.name);
  if (!adaptersOk) reasons.push(`adapter not started: ${down.join(', ')}`);
  if (facts.shared && !facts.stateOk)
    reasons.push(`redis unreachable: messages are kept in the data directory and answered when it is back (${facts.held ?? 0} kept)`);
  else if (facts.held) reasons.push(`${facts.held} kept message(s) still to answer`);
  if (facts.docsIndexProblem) reasons.push(`docs index unavailable: ${facts.docsIndexProblem}`);
  return {
    status: adaptersOk ? 200 : 503,
    body: {
      status: reasons.length === 0 ? 'ok' : 'degraded',
      ...(reasons.length > 0 ? { reasons } : {}),
      replica: facts.replica,
      redis: redisText(facts),
      ...(facts.shared ? { heldMessages: facts.held ?? 0 } : {}),
      ...(facts.docsIndexProblem !== undefined ? { docsIndex: facts.docsIndexProblem ? 'unavailable' : 'ok' } : {}),
      ...(facts.notes && facts.notes.length > 0 ? { notes: facts.notes } : {}),
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
