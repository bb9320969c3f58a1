/** `askpanda ingest docs <dir|file|url>…`: incrementally indexes documentation into `<dataDir>/index`. */
import type { Command } from 'commander';
import { openDocStore, withIndexLease } from '../app/docs-store.js';
import type { IngestReport } from '../index/index.js';
import type { Services } from './services.js';

export function formatReport(report: IngestReport): string {
  const list = (xs: string[]): string => (xs.length > 0 ? ` (${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', …' : ''})` : '');
  return [
    `added ${report.added.length}${list(report.added)}, updated ${report.updated.length}${list(report.updated)}, removed ${report.removed.length}${list(report.removed)}, unchanged ${report.unchanged}`,
    `${report.chunks} chunks written in ${report.seconds.toFixed(2)} s`,
  ].join('\n');
}

export function register(program: Command, services: () => Services): void {
  const ingest = program.commands.find((c) => c.name() === 'ingest') ?? program.command('ingest').description('add knowledge to the bot');
  ingest
    .command('docs <sources...>')
    .description('index documentation files, directories (txt, md, rst, html) or URLs; only changed files are re-indexed')
    .action(async (sources: string[]) => {
      const s = services();
      const state = await s.state();
      const handle = await withIndexLease(state, s.logger, () => openDocStore(s.config, s.apiKeys, s.logger));
      try {
        const report = await withIndexLease(state, s.logger, () => handle.ingest(sources));
        process.stdout.write(`${formatReport(report)}\n`);
        const stats = await handle.store.stats();
        process.stdout.write(
          `index: ${
            Object.entries(stats)
              .map(([k, v]) => `${v} ${k} chunks`)
              .join(', ') || 'empty'
          }\n`,
        );
      } finally {
        await handle.store.close();
      }
    });
}
