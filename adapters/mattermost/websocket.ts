import WebSocket from 'ws';
import type { Logger } from '../../src/log.js';

export interface MattermostSocketOptions {
  /** Server base URL (http/https); the socket is `<url>/api/v4/websocket`. */
  url: string;
  token: string;
  logger: Logger;
  onEvent(event: unknown): void;
  /** Backoff: first delay, cap, and jitter (ms). */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export interface MattermostSocket {
  /** Resolves on the first `hello`. */
  connect(): Promise<void>;
  close(): void;
  /** Drops the connection as a network failure would (tests). */
  readonly reconnects: number;
}

/**
 * The bot's WebSocket to /api/v4/websocket: authenticates with the token (header and
 * authentication_challenge), tracks the event sequence, and reconnects with exponential backoff and
 * jitter, sending connection_id and sequence_number so the server can replay missed events.
 */
export function createMattermostSocket(options: MattermostSocketOptions): MattermostSocket {
  const minRetry = options.minRetryMs ?? 1000;
  const maxRetry = options.maxRetryMs ?? 60_000;
  const base = options.url.replace(/^http/, 'ws').replace(/\/$/, '');
  let ws: WebSocket | undefined;
  let connectionId = '';
  let sequence = 0;
  let failures = 0;
  let reconnects = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let firstHello: (() => void) | undefined;

  const schedule = (): void => {
    if (closed || timer) return;
    failures += 1;
    const delay = Math.min(maxRetry, minRetry * 2 ** Math.min(failures - 1, 16)) * (0.75 + Math.random() * 0.5);
    options.logger.warn({ attempt: failures, delayMs: Math.round(delay) }, 'mattermost: websocket closed, reconnecting');
    timer = setTimeout(() => {
      timer = undefined;
      reconnects += 1;
      open();
    }, delay);
  };

  const open = (): void => {
    const query = connectionId ? `?connection_id=${encodeURIComponent(connectionId)}&sequence_number=${sequence}` : '';
    const socket = new WebSocket(`${base}/api/v4/websocket${query}`, { headers: { Authorization: `Bearer ${options.token}` } });
    ws = socket;
    socket.on('open', () => {
      socket.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: options.token } }));
    });
    socket.on('message', (data) => {
      let message: { event?: string; seq?: number; data?: { connection_id?: string } };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        options.logger.warn('mattermost: malformed websocket frame ignored (not JSON)');
        return;
      }
      if (message.event === undefined) return; // a seq_reply to our challenge
      if (typeof message.seq === 'number') sequence = message.seq + 1;
      if (message.event === 'hello') {
        connectionId = message.data?.connection_id ?? connectionId;
        failures = 0;
        firstHello?.();
        firstHello = undefined;
        return;
      }
      options.onEvent(message);
    });
    socket.on('error', (error) => options.logger.warn({ err: error }, 'mattermost: websocket error'));
    socket.on('close', () => {
      if (ws === socket) ws = undefined;
      schedule();
    });
  };

  return {
    connect() {
      closed = false;
      return new Promise<void>((resolve) => {
        firstHello = resolve;
        open();
      });
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      ws?.terminate();
      ws = undefined;
    },
    get reconnects() {
      return reconnects;
    },
  };
}
