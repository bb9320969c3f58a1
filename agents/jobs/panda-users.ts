/**
 * Who the asker is on PanDA: a mapping from chat identity (`platform:user`) to the PanDA user name
 * (`produsername`), from configuration or told once by the user and remembered in the data
 * directory. Never guessed from the chat name.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingMessage } from '../../src/contracts/message.js';

export interface PandaUserDirectory {
  /** The PanDA user name of the asker, or null when unknown. */
  lookup(message: Pick<IncomingMessage, 'platform' | 'user'>): Promise<string | null>;
  /** Remembers the asker's PanDA user name (configured names win). */
  remember(message: Pick<IncomingMessage, 'platform' | 'user'>, pandaUser: string): Promise<void>;
}

export const identityOf = (m: Pick<IncomingMessage, 'platform' | 'user'>): string => `${m.platform}:${m.user}`;

/** Parses configured pairs `platform:user=PanDA name` (as in ASKPANDA_PANDA_USERS). */
export function parseUserPairs(pairs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const identity = pair.slice(0, at).trim();
    const name = pair.slice(at + 1).trim();
    if (identity && name) out.set(identity, name);
  }
  return out;
}

/** `file`: JSON object identity → PanDA name, written atomically; omit to remember in memory only. */
export function createPandaUserDirectory(options: { configured?: readonly string[]; file?: string } = {}): PandaUserDirectory {
  const configured = parseUserPairs(options.configured ?? []);
  let learned: Map<string, string> | null = null;

  async function load(): Promise<Map<string, string>> {
    if (learned) return learned;
    learned = new Map();
    if (options.file) {
      try {
        const raw = JSON.parse(await readFile(options.file, 'utf8')) as Record<string, unknown>;
        for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' && v.trim()) learned.set(k, v.trim());
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return learned;
  }

  return {
    async lookup(message) {
      const id = identityOf(message);
      return configured.get(id) ?? (await load()).get(id) ?? null;
    },
    async remember(message, pandaUser) {
      const map = await load();
      map.set(identityOf(message), pandaUser.trim());
      if (options.file) {
        await mkdir(dirname(options.file), { recursive: true });
        const tmp = `${options.file}.${process.pid}.tmp`;
        await writeFile(tmp, `${JSON.stringify(Object.fromEntries(map), null, 2)}\n`);
        await rename(tmp, options.file);
      }
    },
  };
}

/** "my panda user name is Jane Doe" / "I am jdoe on PanDA" / "produsername=jdoe" → the name, or null. */
export function toldPandaUser(text: string): string | null {
  const t = text.trim().replace(/[.!]+$/, '');
  const m =
    /\bmy\s+(?:big)?panda\s+(?:user\s*name|username|user|name|login|account)\s+is\s+(.+)$/i.exec(t) ??
    /\bmy\s+(?:user\s*name|username|produsername)\s+(?:on|in|at|for)\s+(?:big)?panda\s+is\s+(.+)$/i.exec(t) ??
    /\bi\s+am\s+(.+?)\s+(?:on|in)\s+(?:big)?panda$/i.exec(t) ??
    /\bproduser(?:name)?\s*[=:]\s*(.+)$/i.exec(t);
  const name = (m?.[1] ?? '').trim().replace(/^["']|["']$/g, '');
  return name && name.length <= 80 && !/[?]/.test(name) ? name : null;
}

/** The sentence the bot asks with; the router knows a reply to it by this marker. */
export const ASK_PANDA_USER = 'What is your PanDA user name';
