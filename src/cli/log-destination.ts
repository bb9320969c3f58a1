import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';

/**
 * Servers (a chat platform or the HTTP server configured) log JSON lines to stderr, as containers
 * expect; the terminal console and one-shot commands log to `<dataDir>/askpanda.log` so the
 * conversation on screen stays readable.
 */
export function logDestination(config: Config): NodeJS.WritableStream {
  const server = Boolean(config.slack.botToken || config.mattermost.token || config.discord.token || config.http.port !== undefined);
  if (server) return process.stderr;
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  return createWriteStream(join(dir, 'askpanda.log'), { flags: 'a' });
}
