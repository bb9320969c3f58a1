/** `askpanda mcp`: the MCP server over stdio, for Claude Desktop and other MCP clients. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { createMcpServer } from '../mcp/server.js';
import { createCoreWiring } from './core-wiring.js';
import { createMcpToolbox } from './mcp-toolbox.js';
import type { Services } from './services.js';

export function register(program: Command, services: () => Services): void {
  program
    .command('mcp')
    .description('run the MCP server over stdio (Claude Desktop, MCP Inspector, any MCP client); logs go to the data directory')
    .action(async () => {
      const s = services();
      const { core, memory, feedback } = createCoreWiring(s);
      const toolbox = createMcpToolbox({ core, router: s.router(), kb: s.kb(), logger: s.logger, channel: 'mcp-stdio' });
      const server = createMcpServer({ toolbox, logger: s.logger });
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', () => resolve());
      });
      await server.connect(transport);
      s.logger.info({ data: s.pandaDescription() }, 'MCP server on stdio');
      await closed;
      await server.close().catch(() => undefined);
      await memory.close().catch(() => undefined);
      await feedback.close().catch(() => undefined);
    });
}
