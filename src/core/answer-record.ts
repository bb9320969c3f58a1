/** What the core keeps of an answer for 👍/👎 review: its model and the evidence it rested on. */
import type { Reply, ReplyAction } from '../contracts/reply.js';

const MAX_EVIDENCE = 12;

/** `provider:model` that wrote the answer, when the agent reported one in its data. */
export function modelOf(reply: Reply): string | null {
  const model = reply.data?.model;
  return typeof model === 'string' && model ? model : null;
}

/** Log lines and cited documents shown in the answer (at most a dozen). */
export function evidenceOf(reply: Reply): string[] {
  const out: string[] = [];
  for (const block of reply.blocks) {
    if (block.kind === 'evidence') out.push(...block.lines.map((l) => `${block.source}:${l.n}: ${l.text}`));
    if (block.kind === 'citations') out.push(...block.items.map((c) => `[${c.n}] ${c.title} (${c.source}${c.section ? `, ${c.section}` : ''})`));
  }
  return out.slice(0, MAX_EVIDENCE);
}

export const FEEDBACK_IDS = ['feedback-up', 'feedback-down'] as const;

/** The 👍/👎 buttons, carrying the id of the stored answer (empty when nothing was stored). */
export function feedbackActions(answerId: string): ReplyAction[] {
  return [
    { id: 'feedback-up', label: '👍', value: answerId },
    { id: 'feedback-down', label: '👎', value: answerId },
  ];
}

/** The reply with its own buttons first, then 👍/👎 (replacing any the agent added). */
export function withFeedbackButtons(reply: Reply, answerId: string): Reply {
  const own = (reply.actions ?? []).filter((a) => !(FEEDBACK_IDS as readonly string[]).includes(a.id));
  return { ...reply, actions: [...own, ...feedbackActions(answerId)] };
}
