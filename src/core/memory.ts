import type Keyv from 'keyv';
import type { ConversationStore, Turn } from '../contracts/conversation.js';
import type { ConversationKey } from '../contracts/message.js';
import { conversationKeyString } from './conversation-key.js';

interface StoredConversation {
  turns: Turn[];
  /** Summary of turns dropped from the window (only when a summariser is configured). */
  summary?: string;
}

export interface MemoryOptions {
  /** A Keyv instance over SQLite (default) or Redis; values must round-trip JSON. */
  keyv: Keyv;
  maxTurns: number;
  maxChars: number;
  ttlMs: number;
  /** Summarises turns that fall out of the window (LLM configured); without it they are dropped. */
  summarise?: (previousSummary: string | undefined, dropped: Turn[]) => Promise<string>;
}

function sizeOf(turns: Turn[]): number {
  return turns.reduce((n, t) => n + t.text.length, 0);
}

/**
 * Conversation memory: one bounded history per conversation key, with a TTL refreshed on every
 * write. Memory of one conversation is only ever read under its own key.
 */
export function createConversationMemory(options: MemoryOptions): ConversationStore {
  const { keyv, maxTurns, maxChars, ttlMs } = options;

  async function read(key: ConversationKey): Promise<StoredConversation> {
    const value = (await keyv.get(conversationKeyString(key))) as StoredConversation | undefined;
    return value && Array.isArray(value.turns) ? value : { turns: [] };
  }

  async function write(key: ConversationKey, value: StoredConversation): Promise<void> {
    await keyv.set(conversationKeyString(key), value, ttlMs);
  }

  return {
    async load(key) {
      const stored = await read(key);
      if (!stored.summary) return stored.turns;
      const summaryTurn: Turn = { role: 'assistant', text: `Summary of the earlier conversation: ${stored.summary}`, at: stored.turns[0]?.at ?? new Date().toISOString() };
      return [summaryTurn, ...stored.turns];
    },
    async append(key, turns) {
      const stored = await read(key);
      const all = [...stored.turns, ...turns];
      const dropped: Turn[] = [];
      while (all.length > maxTurns || (all.length > 1 && sizeOf(all) > maxChars)) {
        const first = all.shift();
        if (first) dropped.push(first);
      }
      // A single oversized turn is cut rather than dropped, so the latest answer is always remembered.
      const last = all[all.length - 1];
      if (last && last.text.length > maxChars) all[all.length - 1] = { ...last, text: `${last.text.slice(0, maxChars - 1)}…` };
      let summary = stored.summary;
      if (dropped.length > 0 && options.summarise) {
        try {
          summary = await options.summarise(summary, dropped);
        } catch {
          // A failed summary loses only the dropped turns, as without a summariser.
        }
      }
      await write(key, summary ? { turns: all, summary } : { turns: all });
    },
    async feedback(key, value, _user) {
      const stored = await read(key);
      for (let i = stored.turns.length - 1; i >= 0; i--) {
        const turn = stored.turns[i];
        if (turn?.role === 'assistant') {
          stored.turns[i] = { ...turn, feedback: value };
          break;
        }
      }
      await write(key, stored);
    },
    async forget(key) {
      await keyv.delete(conversationKeyString(key));
    },
    async close() {
      await keyv.disconnect();
    },
  };
}
