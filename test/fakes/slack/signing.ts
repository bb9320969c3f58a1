import { createHmac } from 'node:crypto';

/** Slack request signing v0: `v0=` + HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
