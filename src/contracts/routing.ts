export type Intent = 'docs' | 'job' | 'task' | 'queue' | 'error_code' | 'chitchat' | 'out_of_scope';

export const INTENTS: readonly Intent[] = ['docs', 'job', 'task', 'queue', 'error_code', 'chitchat', 'out_of_scope'];

/** Entities of the routing evaluation format: every key is always present, absent values are null. */
export interface Entities {
  pandaid: number | null;
  jeditaskid: number | null;
  queue: string | null;
  site: string | null;
  error_code: number | null;
  error_component: string | null;
}

export interface Route {
  intent: Intent;
  entities: Entities;
  /** Why this route was chosen (logged with every decision). */
  reason: string;
  confidence: number;
  source: 'rules' | 'llm' | 'command' | 'action' | 'memory';
}
