import type { IncomingMessage, ServerResponse } from 'node:http';

/** A node request handler an adapter asks the bot's single HTTP server to mount. */
export interface AdapterRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Parses a form-urlencoded or JSON body into a flat record. */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}
