import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { createIngestChannelsCommand } from '../../src/cli/ingest-discussions.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { directMessage, replyText } from '../doubles/message.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ingest-admin-'));
// The index's background writes can still be finishing when the suite ends (ENOTEMPTY): clean up
// best-effort, a left-over temporary directory is no test failure.
afterAll(async () => {
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      rmSync(dataDir, { recursive: true, force: true });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});

describe('/panda-ingest in chat', () => {
  const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir, ASKPANDA_ADMINS: 'test:alice' }), logger: silentLogger() });
  const { core, memory } = createCoreWiring(services, { commands: { 'panda-ingest': createIngestChannelsCommand(services) } });
  afterAll(() => memory.close());
  const say = async (user: string, text: string) => replyText(await core.handle(directMessage(text, { user })));

  it('lets an admin add and list a channel, and refuses everyone else', async () => {
    expect(await say('bob', 'panda-ingest add slack:C0123ABCD')).toContain('not an admin');
    expect(await say('alice', 'panda-ingest add slack:C0123ABCD')).toContain('Added slack:C0123ABCD');
    expect(await say('bob', 'panda-ingest list')).toContain('slack:C0123ABCD');
    expect(await say('alice', 'panda-ingest add nowhere')).toContain('platform:channelId');
  });

  it('leaves ordinary questions to the router', async () => {
    expect(await say('alice', 'what does pilot error 1150 mean?')).toContain('1150');
  });
});
