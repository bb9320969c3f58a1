/**
 * For the tests of files people attach: a platform driver started with a core that records each
 * message it is handed and answers `answer to: <text>`, stopped after every test.
 */
import { afterEach } from 'vitest';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { ChatAdapterDriver } from '../contract/chat-adapter.js';
import { captureLogger } from '../contract/wait.js';

/** A pilot log line people attach. */
export const ATTACHED_LOG = '2025-10-06 09:12:04,501 | CRITICAL | pilot.api.data | transfer | File transfer timed out during stage-in\n';

/** Registers the driver's stop after each test; the returned function starts a fresh driver. */
export function fileEchoDrivers<D extends ChatAdapterDriver>(make: () => Promise<D>): () => Promise<{ d: D; seen: IncomingMessage[] }> {
  let driver: D | undefined;
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
  });
  return async () => {
    const d = await make();
    driver = d;
    const seen: IncomingMessage[] = [];
    await d.start(async (m) => {
      seen.push(m);
      return { blocks: [{ kind: 'markdown', text: `answer to: ${m.text || '(file only)'}` }] };
    }, captureLogger().logger);
    return { d, seen };
  };
}
