import { createClient } from 'redis';
import { settledWithin } from './within.js';

/**
 * The few Redis commands the scale-out pieces use. node-redis clients satisfy it; tests may pass
 * their own client with a unique key prefix.
 */
export interface RedisCommands {
  set(key: string, value: string, options?: { condition?: 'NX' | 'XX'; expiration?: { type: 'PX'; value: number } }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(keys: string | string[]): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  ping(): Promise<unknown>;
}

export interface RedisConnection {
  commands: RedisCommands;
  /** True while the connection is up (false from the moment it drops until it is back). */
  isReady(): boolean;
  /** Called each time the connection is (re)established. */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * Connects a node-redis client (reconnects on its own); the returned commands are the client's. When
 * Redis does not answer within `connectTimeoutMs` the connection is returned anyway, not ready, and
 * keeps trying: the bot starts degraded (messages kept until Redis is there) instead of not at all.
 */
export async function connectRedis(url: string, onError?: (error: unknown) => void, options: { connectTimeoutMs?: number } = {}): Promise<RedisConnection> {
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
  client.on('error', (error: unknown) => onError?.(error));
  const listeners: Array<() => void> = [];
  client.on('ready', () => {
    for (const listener of listeners) listener();
  });
  const connecting = client.connect();
  connecting.catch(() => undefined);
  if (!(await settledWithin(connecting, options.connectTimeoutMs ?? 5000))) {
    onError?.(new Error('Redis did not answer at start-up; starting degraded and retrying in the background'));
  } else {
    await connecting;
  }
  return {
    // node-redis's overloaded, RESP-generic signatures are wider than this structural view of them.
    commands: client as unknown as RedisCommands,
    isReady: () => client.isReady,
    onReady: (listener) => {
      listeners.push(listener);
    },
    async close() {
      await client.close().catch(() => client.destroy());
    },
  };
}
