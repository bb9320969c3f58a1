import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultBodyLimit, HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';

/** Slack's documented window: a request stamped more than 5 minutes from now (either way) is refused. */
export const SLACK_TIMESTAMP_WINDOW_SEC = 5 * 60;

export type SlackRequestVerdict = { ok: true } | { ok: false; status: 401; reason: string } | { ok: false; status: 200; reason: 'replay' };

/**
 * Checks an HTTP-mode request before Bolt sees it: the timestamp lies within ±5 minutes of now (Bolt
 * itself accepts any future timestamp), the `v0` signature is valid, and the signature has not been seen
 * inside the window (a replay is answered 200 and dropped). The body is buffered onto `req.rawBody`,
 * which Bolt's receiver reuses. The replay cache lives in this process's memory and keeps a signature
 * until its timestamp has left the window (at most twice the window after it was first seen); replicas
 * behind a load balancer do not share it and additionally rely on the core's event dedupe.
 */
export function createSlackRequestGuard(signingSecret: string, now: () => number = Date.now) {
  const seen = new Map<string, number>();
  const forget = (nowSec: number): void => {
    for (const [signature, expires] of seen) {
      if (expires > nowSec) break;
      seen.delete(signature);
    }
  };
  return async (req: IncomingMessage): Promise<SlackRequestVerdict> => {
    const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
    const body = buffered.rawBody.toString();
    // Slack's ssl_check carries no signature; Bolt answers it and strips any smuggled payload.
    if (req.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(body).get('ssl_check') === '1') return { ok: true };
    const signature = req.headers['x-slack-signature'];
    const stamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || typeof stamp !== 'string' || !/^\d{1,12}$/.test(stamp)) {
      return { ok: false, status: 401, reason: 'missing or malformed X-Slack-Signature / X-Slack-Request-Timestamp' };
    }
    const nowMs = now();
    const nowSec = Math.floor(nowMs / 1000);
    const timestamp = Number(stamp);
    if (Math.abs(nowSec - timestamp) > SLACK_TIMESTAMP_WINDOW_SEC) return { ok: false, status: 401, reason: 'X-Slack-Request-Timestamp outside ±5 minutes' };
    const valid = isValidSlackRequest({
      signingSecret,
      body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    if (!valid) return { ok: false, status: 401, reason: 'invalid X-Slack-Signature' };
    forget(nowSec);
    if (seen.has(signature)) return { ok: false, status: 200, reason: 'replay' };
    // Entries are inserted in expiry order (first seen + 2 windows), so `forget` can stop at the first live one.
    seen.set(signature, nowSec + 2 * SLACK_TIMESTAMP_WINDOW_SEC);
    return { ok: true };
  };
}

/** Answers a refused or replayed request. */
export function answerSlackVerdict(res: ServerResponse, verdict: Exclude<SlackRequestVerdict, { ok: true }>): void {
  if (verdict.status === 200) res.writeHead(200).end();
  else res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: verdict.reason }));
}
