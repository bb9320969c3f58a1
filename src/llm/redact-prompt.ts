/**
 * No secret reaches a model: every text of a request (system prompt, messages, tool results,
 * evidence) passes the project's redactor before a vendor provider sees it.
 */
import type { GenerateRequest } from '../contracts/llm.js';
import { redact } from '../logs/index.js';

export function redactRequest<T>(request: GenerateRequest<T>): GenerateRequest<T> {
  return {
    ...request,
    ...(request.system !== undefined ? { system: redact(request.system) } : {}),
    messages: request.messages.map((m) => ({ ...m, content: redact(m.content) })),
    ...(request.evidence ? { evidence: request.evidence.map((e) => ({ ...e, text: redact(e.text), ...(e.title ? { title: redact(e.title) } : {}) })) } : {}),
  };
}
