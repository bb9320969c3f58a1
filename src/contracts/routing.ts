/** The intents the bot is built with (the rule router, the LLM router and the evaluation sets know them). */
export type BuiltinIntent = 'docs' | 'job' | 'task' | 'queue' | 'error_code' | 'chitchat' | 'out_of_scope' | 'job_search' | 'job_lineage' | 'job_compare';

/**
 * A kind of question: a built-in one, or one an agent declares (`Agent.declares`, src/contracts/agent.ts)
 * with its own routing rule and "not set up" sentence.
 */
export type Intent = BuiltinIntent | (string & {});

export const INTENTS: readonly BuiltinIntent[] = [
  'docs',
  'job',
  'task',
  'queue',
  'error_code',
  'chitchat',
  'out_of_scope',
  'job_search',
  'job_lineage',
  'job_compare',
];

/**
 * Intents that refine `job` (a search over many jobs, the attempts of one job, two jobs side by
 * side). Evaluation sets written with the seven base intents count them as `job`.
 */
export const JOB_REFINEMENTS: Readonly<Partial<Record<Intent, Intent>>> = { job_search: 'job', job_lineage: 'job', job_compare: 'job' };

/** Entities of the routing evaluation format: every key is always present, absent values are null. */
export interface Entities {
  pandaid: number | null;
  jeditaskid: number | null;
  queue: string | null;
  site: string | null;
  error_code: number | null;
  error_component: string | null;
  /** Every job id of the message when it names more than one ("compare job X and job Y"). */
  pandaids?: number[];
  /** A PanDA user name the message names ("jobs of user Jane Doe"). */
  username?: string;
}

/**
 * Follow-up acts: a short question about the previous answer of the thread. `retry`, `blame`
 * (is it the site's / my fault?), `simpler`, `evidence` (which line shows that?) and `code` (what
 * does that code mean?) are about a job (or a task); `top-site`, `top-error` and `example-job`
 * about a task's failures; `same` asks the previous question again for a new entity or field.
 */
export type FollowUpAct = 'retry' | 'blame' | 'simpler' | 'evidence' | 'code' | 'top-site' | 'top-error' | 'example-job' | 'same';

export const FOLLOW_UP_ACTS: readonly FollowUpAct[] = ['retry', 'blame', 'simpler', 'evidence', 'code', 'top-site', 'top-error', 'example-job', 'same'];

export interface FollowUp {
  act: FollowUpAct;
  /** The question as the agent should answer it, with the carried entity or field written in. */
  question?: string;
  /** The error key the question is about (`pilot:1235`), when the thread named one ("a job that failed with it"). */
  code?: string;
}

export interface Route {
  intent: Intent;
  entities: Entities;
  /** Set when the message is a follow-up resolved against the thread context. */
  followUp?: FollowUp;
  /** Why this route was chosen (logged with every decision). */
  reason: string;
  confidence: number;
  source: 'rules' | 'llm' | 'command' | 'action' | 'memory';
}
