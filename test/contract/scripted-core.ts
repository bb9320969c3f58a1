/**
 * A small stand-in for the core used by the chat-adapter contract suite: dedupes by eventId, keeps
 * per-conversation memory, records feedback and answers with scripted replies. It records every call
 * so tests can assert what the adapter handed over.
 */
import type { MessageHandler } from '../../src/contracts/chat.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Reply } from '../../src/contracts/reply.js';

export interface ScriptedCore {
  handle: MessageHandler;
  calls: Array<{ message: IncomingMessage; at: number; doneAt?: number }>;
  feedback: Array<{ key: string; value: 'up' | 'down'; user: string }>;
  /** Conversation key as the core derives it: platform, workspace, channel, thread. */
  keyOf(message: IncomingMessage): string;
}

export interface ScriptedCoreOptions {
  /** How long `/panda-job` takes (the slow LLM/agent). */
  commandDelayMs?: number;
  /** Character count of the "long" answer. */
  longAnswerChars?: number;
}

/** Markdown with paragraphs and fenced code blocks whose lines are numbered `L0001`… */
export function longMarkdown(chars: number): string {
  const parts: string[] = [];
  let size = 0;
  let line = 0;
  while (size < chars) {
    const paragraph = `Paragraph ${parts.length}: the pilot reported a stage-out failure; see the log excerpt below for details.`;
    const code = ['```text'];
    for (let i = 0; i < 30; i += 1) {
      line += 1;
      code.push(`L${String(line).padStart(4, '0')} 2024-05-01 12:00:${String(i % 60).padStart(2, '0')} | stage-out | copy failed, retrying`);
    }
    code.push('```');
    const chunk = `${paragraph}\n\n${code.join('\n')}`;
    parts.push(chunk);
    size += chunk.length + 2;
  }
  return parts.join('\n\n');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createScriptedCore(options: ScriptedCoreOptions = {}): ScriptedCore {
  const seen = new Set<string>();
  const memory = new Map<string, string[]>();
  const calls: ScriptedCore['calls'] = [];
  const feedback: ScriptedCore['feedback'] = [];
  const keyOf = (m: IncomingMessage): string => [m.platform, m.workspace, m.channel, m.thread ?? ''].join('|');
  const buttons = (value: string): Reply['actions'] => [
    { id: 'expert', label: 'Expert details', value },
    { id: 'feedback-up', label: '👍', value },
    { id: 'feedback-down', label: '👎', value },
  ];

  const answer = async (m: IncomingMessage): Promise<Reply | null> => {
    if (seen.has(m.eventId)) return null;
    seen.add(m.eventId);
    const key = keyOf(m);
    const turns = memory.get(key) ?? [];
    if (m.action) {
      if (m.action.id === 'feedback-up' || m.action.id === 'feedback-down') {
        feedback.push({ key, value: m.action.id === 'feedback-up' ? 'up' : 'down', user: m.user });
        return { blocks: [{ kind: 'notice', level: 'info', text: 'Thanks for the feedback.' }] };
      }
      if (m.action.id === 'expert')
        return {
          blocks: [
            { kind: 'heading', text: 'Expert view' },
            { kind: 'markdown', text: `Expert details for ${m.action.value}` },
          ],
        };
      return { blocks: [{ kind: 'markdown', text: `Action ${m.action.id} ${m.action.value}` }] };
    }
    if (m.command?.name === 'panda-job') {
      await sleep(options.commandDelayMs ?? 0);
      return {
        blocks: [
          { kind: 'heading', text: `Job ${m.command.args}` },
          { kind: 'markdown', text: `**Analysis** of job ${m.command.args}: stage-out failed.` },
        ],
        actions: buttons(m.command.args),
      };
    }
    if (m.command?.name === 'panda-forget') {
      memory.delete(key);
      return { blocks: [{ kind: 'notice', level: 'info', text: 'Forgotten.' }] };
    }
    if (m.text.includes('long answer')) {
      return { blocks: [{ kind: 'markdown', text: longMarkdown(options.longAnswerChars ?? 8000) }] };
    }
    memory.set(key, [...turns, m.text]);
    return {
      blocks: [{ kind: 'markdown', text: `You said *${m.text}*. Earlier turns in this conversation: ${turns.length}.` }],
      actions: buttons(m.messageId ?? 'x'),
    };
  };

  return {
    calls,
    feedback,
    keyOf,
    async handle(message) {
      const call: ScriptedCore['calls'][number] = { message, at: performance.now() };
      calls.push(call);
      const reply = await answer(message);
      call.doneAt = performance.now();
      return reply;
    },
  };
}
