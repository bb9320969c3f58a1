/**
 * `askpanda eval routing <file.jsonl> --out <pred.jsonl>`: routes every question of a routing set,
 * writes predictions in the PRED format of `../shared/eval/score.py routing`, and prints intent
 * accuracy, entity exact match, joint accuracy and a confusion table.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createRuleRouter, formatRoutingReport, predictionLines, predictRouting, readRoutingSet, scoreRouting } from '../../agents/selection/index.js';
import type { Router } from '../contracts/agent.js';
import { JOB_REFINEMENTS } from '../contracts/routing.js';
import { evalCommand } from './eval-group.js';
import type { Services } from './services.js';

/** Routes and scores a set; returns the printed report (used by the command and its test). */
export async function runRoutingEval(router: Router, file: string, out?: string): Promise<{ report: string; score: ReturnType<typeof scoreRouting> }> {
  const items = await readRoutingSet(file);
  const predictions = await predictRouting(router, items);
  const refined = items.some((i) => i.intent in JOB_REFINEMENTS);
  if (out) await writeFile(out, predictionLines(predictions, refined), 'utf8');
  const score = scoreRouting(items, predictions);
  return { report: formatRoutingReport(score), score };
}

export function register(program: Command, services: () => Services): void {
  evalCommand(program)
    .command('routing <file>')
    .description('route every question of a routing set (JSONL) and print intent/entity accuracy and confusions')
    .option('--out <pred.jsonl>', 'write predictions here (score.py PRED format)')
    .option('--rules-only', 'use the offline rule router even when an LLM router is configured')
    .option('--json', 'print the metrics as one JSON object')
    .action(async (file: string, opts: { out?: string; rulesOnly?: boolean; json?: boolean }) => {
      const s = services();
      const router = opts.rulesOnly ? createRuleRouter({ names: s.routerNames() }) : s.router();
      const { report, score } = await runRoutingEval(router, file, opts.out);
      const { matrix: _matrix, ...metrics } = score;
      process.stdout.write(opts.json ? `${JSON.stringify(metrics)}\n` : `${report}\n`);
    });
}
