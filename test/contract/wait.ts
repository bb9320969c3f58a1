/** Test helpers without vitest imports, so benchmarks can use the fakes and drivers too. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/log.js';

export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/**
 * Polls `probe` (which may be async) until it returns something truthy. The default deadline is
 * generous (a loaded machine runs several suites on 2 cores): it only matters when the awaited event
 * never comes. `seen` adds what was last observed to the timeout's message.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
  seen?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const last = seen ? await seen() : undefined;
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${typeof last === 'string' ? last : JSON.stringify(last)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
