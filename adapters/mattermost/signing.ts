import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a button click carries back (Mattermost POSTs the `context` to the integration URL). */
export interface ActionContext {
  action: string;
  value: string;
  channel: string;
  root: string;
}

function digest(secret: string, context: ActionContext): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify([context.action, context.value, context.channel, context.root]))
    .digest('hex');
}

export function signContext(secret: string, context: ActionContext): ActionContext & { sig: string } {
  return { ...context, sig: digest(secret, context) };
}

/** True when `sig` is the HMAC of the other fields: the click came from a button we rendered. */
export function verifyContext(secret: string, context: ActionContext, sig: string): boolean {
  const expected = Buffer.from(digest(secret, context), 'hex');
  const given = Buffer.from(sig, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
