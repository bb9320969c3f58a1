import type { Entities, Intent } from './routing.js';

/** One answer the bot gave, kept so that a 👍/👎 on it can be reviewed and replayed later. */
export interface AnswerRecord {
  /** Carried by the answer's 👍/👎 buttons. */
  id: string;
  /** ISO 8601 time of the answer. */
  at: string;
  platform: string;
  /** The conversation key as a string (platform:workspace:channel:thread). */
  conversation: string;
  user: string;
  /** What was asked, as the agent received it (`/panda-job 42`, or the question text). */
  question: string;
  intent: Intent;
  entities: Partial<Entities>;
  /** How the route was chosen (`rules`, `llm`, `command`, `action`) and why. */
  routeSource: string;
  routeReason: string;
  /** Plain text of the answer (redacted like everything the bot shows). */
  answer: string;
  /** `provider:model` that wrote the answer, when an LLM did. */
  model: string | null;
  /** What the answer rested on: log lines, cited documents. */
  evidence: string[];
  /** Structured data behind the answer (job diagnosis, docs passages), for the regression export. */
  data?: Record<string, unknown>;
}

export interface FeedbackRecord extends AnswerRecord {
  value: 'up' | 'down';
  ratedBy: string;
  ratedAt: string;
}

/** Durable 👍/👎: answers and the feedback on them, independent of conversation memory and its TTL. */
export interface FeedbackStore {
  /** Keeps an answer; returns the id its feedback buttons carry. */
  recordAnswer(record: Omit<AnswerRecord, 'id'>): Promise<string>;
  /** Stores 👍/👎 on an answer; null when the id is unknown (pruned or from another store). */
  rate(answerId: string, value: 'up' | 'down', user: string): Promise<FeedbackRecord | null>;
  /** Rated answers, oldest first, optionally only one value. */
  rated(value?: 'up' | 'down'): Promise<FeedbackRecord[]>;
  close(): Promise<void>;
}
