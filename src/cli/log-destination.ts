import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BoundPlatform } from '../../adapters/shared/platform.js';
import type { Config } from '../config.js';

/**
 * Servers (a chat platform or the HTTP server configured) log JSON lines to stderr, as containers
 * expect; the terminal console and one-shot commands log to `<dataDir>/askpanda.log` so the
 * conversation on screen stays readable.
 */
export function logDestination(config: Config, platforms: readonly BoundPlatform[]): NodeJS.WritableStream {
  const server = platforms.some((p) => p.enabled) || config.http.port !== undefined;
  if (server) return process.stderr;
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  return createWriteStream(join(dir, 'askpanda.log'), { flags: 'a' });
}
