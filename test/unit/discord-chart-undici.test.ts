/**
 * A chart upload on Discord with the module order of the real process (issue 20, mismatch 1): the
 * PanDA HTTP transport loads undici 7 first, which installs its Agent as the process-wide
 * dispatcher; discord.js's REST (undici 6) must still upload the multipart body.
 */
import '../../src/panda/http.js';
import { afterEach, expect, it } from 'vitest';
import type { Reply } from '../../src/contracts/reply.js';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createDiscordDriver, type DiscordDriver } from '../fakes/discord/driver.js';

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let driver: DiscordDriver | undefined;
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
});

it('uploads the chart when undici 7 was loaded before discord.js (one global dispatcher of another undici)', async () => {
  expect((globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')]).toBeDefined();
  driver = await createDiscordDriver();
  const reply: Reply = {
    blocks: [{ kind: 'markdown', text: 'Task 4242: 17 jobs failed.' }],
    attachments: [{ kind: 'image', filename: 'failures.png', mimeType: 'image/png', data: new Uint8Array(PNG_1X1), alt: 'chart' }],
  };
  const { logger, lines } = captureLogger();
  await driver.start(async () => reply, logger);
  await driver.sendMention('chart of task 4242 failures');
  const posted = await waitFor(
    () => driver?.fake.messages.find((m) => m.attachments?.some((a) => a.filename === 'failures.png')),
    'the uploaded chart',
    8000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; logs: ${JSON.stringify(lines.filter((l) => Number(l.level) >= 40)).slice(0, 800)}`);
  });
  expect(posted.attachments?.[0]?.size).toBe(PNG_1X1.length);
});
