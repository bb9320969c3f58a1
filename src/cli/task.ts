/** `askpanda task <jeditaskid> [--json] [--chart file.png]`: the task agent's triage in the terminal. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { printReply } from './print-reply.js';
import { InputError } from '../errors.js';
import type { Services } from './services.js';
import { idArgument } from '../contracts/ids.js';

export function register(program: Command, services: () => Services): void {
  program
    .command('task')
    .description('triage a PanDA task: job states, failure signatures, sites, attempts, retries and why the jobs failed')
    .argument('<jeditaskid>', 'the JEDI task id')
    .option('--json', 'print the structured reply as JSON')
    .option('--chart <file>', 'write the failures bar chart (PNG) to this file')
    .option('--by-site', 'chart failures by site instead of by signature')
    .action(async (id: string, opts: { json?: boolean; chart?: string; bySite?: boolean }) => {
      const jeditaskid = idArgument(id);
      if (jeditaskid === null) throw new InputError(`"${id}" is not a JEDI task id (expected a number such as 46200001).`);
      const text = opts.bySite ? `which sites do the failures of task ${jeditaskid} come from?` : `how many jobs of task ${jeditaskid} failed, and why?`;
      const reply = await services()
        .taskAgent()
        .answer({
          text,
          history: [],
          message: {
            platform: 'console',
            workspace: 'local',
            channel: 'cli',
            thread: null,
            user: 'cli',
            text,
            isDirect: true,
            mentionsBot: true,
            eventId: `task-${jeditaskid}`,
            receivedAt: new Date(),
          },
          route: {
            intent: 'task',
            entities: { pandaid: null, jeditaskid, queue: null, site: null, error_code: null, error_component: null },
            reason: 'askpanda task command',
            confidence: 1,
            source: 'command',
          },
        });
      const image = reply.attachments?.[0];
      if (opts.chart && image) writeFileSync(opts.chart, image.data);
      printReply(reply, opts);
      if (!opts.json && opts.chart && image) process.stdout.write(`chart written to ${opts.chart}\n`);
    });
}
