/**
 * The fake Discord gateway: HELLO (op 10), IDENTIFY (op 2) → READY + GUILD_CREATE, heartbeat (op 1) →
 * ACK (op 11), RESUME (op 6) → RESUMED, and dispatches (op 0) with a sequence number.
 */
import type { WebSocket } from 'ws';

export interface GatewayWorld {
  token: string;
  readyPayload(sessionId: string): Record<string, unknown>;
  guildCreatePayload(): Record<string, unknown>;
}

export class FakeGatewaySession {
  seq = 0;
  identified = false;
  readonly sessionId = `session-${Math.random().toString(36).slice(2, 10)}`;

  constructor(
    private readonly ws: WebSocket,
    private readonly world: GatewayWorld,
  ) {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250, _trace: ['fake-gateway'] }, s: null, t: null }));
    ws.on('message', (data) => this.onMessage(String(data)));
  }

  private onMessage(text: string): void {
    let payload: { op?: number; d?: Record<string, unknown> };
    try {
      payload = JSON.parse(text) as typeof payload;
    } catch {
      this.ws.close(4002, 'Decode error');
      return;
    }
    if (payload.op === 1) {
      this.ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    } else if (payload.op === 2) {
      if (payload.d?.token !== this.world.token) {
        this.ws.close(4004, 'Authentication failed.');
        return;
      }
      this.identified = true;
      this.dispatch('READY', this.world.readyPayload(this.sessionId));
      this.dispatch('GUILD_CREATE', this.world.guildCreatePayload());
    } else if (payload.op === 6) {
      this.dispatch('RESUMED', {});
    }
  }

  dispatch(type: string, data: unknown): void {
    this.seq += 1;
    this.ws.send(JSON.stringify({ op: 0, t: type, s: this.seq, d: data }));
  }

  terminate(): void {
    this.ws.terminate();
  }
}
