/**
 * One registration point per chat platform: a toy platform module (test/fixtures/toy-platform/)
 * added to the platform list brings its config section (variables in the schema, `ENV_KEYS`, the
 * config file's secret rule and `config check`) and is built, started and answered through by the
 * composition root — with no other file knowing about it.
 */
// Loaded first on purpose (see test/unit/mcp-demo-core.ts).
import 'discord.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../adapters/platforms.js';
import { createRuntime } from '../../src/cli/runtime.js';
import { createServices } from '../../src/cli/services.js';
import { configSchemaFor, describeConfig, ENV_KEYS, envKeysFor, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { TOY_EVENTS_PATH, toyPlatform } from '../fixtures/toy-platform/index.js';

/** The platform list with the toy's one line added. */
const WITH_TOY = [...PLATFORMS, toyPlatform] as const;

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-toy-platform-'));
// The index's background writes may still be finishing (ENOTEMPTY): rm retries them out.
afterAll(() => rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

describe('one registration point per platform', () => {
  it("the toy's config section is in the schema and ENV_KEYS, read from the environment, masked by config check", () => {
    const keys = envKeysFor(configSchemaFor(WITH_TOY));
    expect(keys.filter((k) => k.env.startsWith('TOYCHAT_'))).toEqual([
      { env: 'TOYCHAT_TOKEN', path: ['toychat', 'token'], secret: true, example: 'toy-secret' },
      { env: 'TOYCHAT_ROOM', path: ['toychat', 'room'], example: 'bamboo-grove' },
    ]);
    // Every registered platform's variables are there as before; the registered list does not know the toy.
    expect(keys.filter((k) => !k.env.startsWith('TOYCHAT_'))).toEqual([...ENV_KEYS]);

    const loaded = loadConfig({ TOYCHAT_TOKEN: 'bamboo-s3cret', TOYCHAT_ROOM: 'grove-7' }, {}, WITH_TOY);
    expect((loaded.config as Record<string, unknown>).toychat).toEqual({ token: 'bamboo-s3cret', room: 'grove-7' });
    const check = describeConfig(loaded).join('\n');
    expect(check).toMatch(/^TOYCHAT_TOKEN\s+\*\*\*\*\* \(set\) {2}\[env\]$/m);
    expect(check).toMatch(/^TOYCHAT_ROOM\s+grove-7 {2}\[env\]$/m);
    expect(check).not.toContain('bamboo-s3cret');

    // The secret rule and the error messages come from the same declaration.
    const file = join(dataDir, 'toy.yaml');
    writeFileSync(file, 'toychat:\n  token: in-the-file\n');
    expect(() => loadConfig({ ASKPANDA_CONFIG: file }, {}, WITH_TOY)).toThrow(
      'toychat.token: secrets may not be set in the config file; set TOYCHAT_TOKEN in the environment instead',
    );
    expect(() => loadConfig({}, { 'toychat.room': '' }, WITH_TOY)).toThrow(/^TOYCHAT_ROOM \(toychat\.room\): "" .*; example: TOYCHAT_ROOM=bamboo-grove$/);
  });

  it('the composition root builds, starts and serves the toy adapter: a question posted to its endpoint is answered, the thread followed', async () => {
    const loaded = loadConfig(
      { ASKPANDA_DATA_DIR: dataDir, ASKPANDA_HTTP_PORT: '0', ASKPANDA_MAINTENANCE: 'false', TOYCHAT_TOKEN: 'bamboo-s3cret' },
      {},
      WITH_TOY,
    );
    const services = createServices({ loaded, logger: silentLogger() });
    expect(services.boundPlatforms.filter((p) => p.enabled).map((p) => p.name)).toEqual(['toychat']);
    expect(Object.keys(services.discussionSources())).toEqual(['toychat']);
    const adapters = await services.chatAdapters();
    expect(adapters.map((a) => a.name)).toEqual(['toychat']);

    const runtime = await createRuntime(services);
    try {
      await runtime.start(adapters);
      if (!runtime.http) throw new Error('no HTTP server');
      const { port } = runtime.http.server.address() as { port: number };
      const ask = async (text: string, token = 'bamboo-s3cret') =>
        fetch(`http://127.0.0.1:${port}${TOY_EVENTS_PATH}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text, thread: 'grove-thread-1' }),
        });
      expect((await ask('@panda what does pilot error 1150 mean?', 'wrong')).status).toBe(401);
      const first = (await (await ask('@panda what does pilot error 1150 mean?')).json()) as { answer: string | null };
      expect(first.answer).toMatch(/1150/);
      // The thread is followed through the shared state: the next message needs no mention.
      const next = (await (await ask('and what does 1099 mean?')).json()) as { answer: string | null };
      expect(next.answer).toMatch(/1099/);
    } finally {
      await runtime.close();
    }
  });
});
