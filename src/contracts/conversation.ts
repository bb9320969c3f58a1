import type { ConversationKey } from './message.js';
import type { AnswerFacts } from './reply.js';
import type { Entities, FollowUp, Intent } from './routing.js';

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
  /** ISO 8601 time. */
  at: string;
  intent?: Intent;
  entities?: Partial<Entities>;
  /** User turn: the question as answered, when a follow-up was rewritten ("and its maxtime?" → "what is the maxtime of X?"). */
  asked?: string;
  /** User turn: the follow-up act it was resolved to. */
  followUp?: FollowUp;
  /** Assistant turn: what the answer stated (thread context for later follow-ups). */
  facts?: AnswerFacts;
  /** Feedback given on an assistant turn (👍/👎 buttons). */
  feedback?: 'up' | 'down';
}

/** Per-conversation memory. Implementations bound size and age. */
export interface ConversationStore {
  load(key: ConversationKey): Promise<Turn[]>;
  append(key: ConversationKey, turns: Turn[]): Promise<void>;
  /** Records 👍/👎 on the latest assistant turn of the conversation. */
  feedback(key: ConversationKey, value: 'up' | 'down', user: string): Promise<void>;
  forget(key: ConversationKey): Promise<void>;
  close(): Promise<void>;
}

/** Event de-duplication (local map or Redis SET NX). Returns true the first time an id is seen. */
export interface Deduper {
  firstSeen(eventId: string): Promise<boolean>;
}

/** Serialises work per conversation (in-process queue, or a Redis lock across replicas). */
export interface ConversationLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}
