/**
 * The thread context kept with the conversation memory: each user turn records how it was
 * understood (intent, entities, the follow-up act and the rewritten question), each assistant turn
 * what its answer stated (`Reply.facts`). Stored through the memory layer (SQLite or Redis), so a
 * follow-up resolves the same way after a restart or on another replica.
 */
import type { Turn } from '../contracts/conversation.js';
import type { Reply } from '../contracts/reply.js';
import type { Route } from '../contracts/routing.js';

/** The question an agent answers: the follow-up's rewritten question, else the user's text. */
export function questionFor(route: Route, userText: string): string {
  return route.followUp?.question ?? userText;
}

/** The user and assistant turns of one exchange, with the thread context they carry. */
export function exchangeTurns(userText: string, receivedAt: Date, route: Route, reply: Reply, replyText: string): Turn[] {
  const { intent, entities, followUp } = route;
  const user: Turn = { role: 'user', text: userText, at: receivedAt.toISOString(), intent, entities };
  if (followUp) user.followUp = followUp;
  if (followUp?.question && followUp.question !== userText) user.asked = followUp.question;
  const assistant: Turn = { role: 'assistant', text: replyText, at: new Date().toISOString(), intent, entities };
  if (reply.facts) assistant.facts = reply.facts;
  return [user, assistant];
}
