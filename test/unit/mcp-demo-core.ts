/**
 * Test wiring for the MCP and OpenAI-compatible tests: the real services on the demo data, the
 * real agents, the real core (createCoreWiring) and the toolbox built from them.
 */
// Loaded first on purpose: under vitest, discord.js's bundled inspect breaks ("string "Set()" is
// not iterable") when agents/data is evaluated before it; plain Node is unaffected.
import 'discord.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { createMcpToolbox } from '../../src/cli/mcp-toolbox.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { directMessage } from '../doubles/message.js';

export function createDemoWiring(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-mcp-'));
  const logger = silentLogger();
  const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir, ...env }), logger });
  const { core, memory } = createCoreWiring(services);
  const toolbox = createMcpToolbox({ core, router: services.router(), kb: services.kb(), logger });
  /** The chat path: a console-like message through `core.handle`. */
  const chat = async (text: string) => {
    const reply = await core.handle(directMessage(text));
    if (!reply) throw new Error('no reply');
    return reply;
  };
  return {
    services,
    core,
    toolbox,
    chat,
    logger,
    async close() {
      await memory.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
