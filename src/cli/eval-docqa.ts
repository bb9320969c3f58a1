/**
 * `askpanda eval docqa <file.jsonl...> --docs <corpus dir> --out <pred.jsonl>`: indexes the corpus
 * into a fresh temporary data directory (lexical only unless an embedder is configured), asks every
 * question, writes the PRED format of `../shared/eval/score.py retrieval` and `answers` (top-10
 * passage texts, at most 2,000 characters each, and the offline docs agent's reply as a user reads
 * it) and prints hit@1/3/5/10, MRR@10, the chunk size, answer keyword recall and abstention.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { renderReply } from '../../adapters/console/render.js';
import { createDocsAgent } from '../../agents/docs/index.js';
import type { Config } from '../config.js';
import {
  type AnswerMetrics,
  DEFAULT_CHUNK_OPTIONS,
  type DocqaMetrics,
  loadGlossary,
  predictDocqa,
  readDocqaFile,
  scoreAnswers,
  scoreRetrieval,
} from '../index/index.js';
import type { Logger } from '../log.js';
import { evalCommand } from './eval-group.js';
import { evalDocsRequest } from './eval-request.js';
import { openDocStore } from '../app/docs-store.js';
import type { Services } from './services.js';

export interface DocqaRun {
  metrics: DocqaMetrics;
  answers: AnswerMetrics;
  report: string;
  chunks: number;
  ingestSeconds: number;
  embedder: string | null;
}

export function formatDocqa(metrics: DocqaMetrics, info: { chunks: number; ingestSeconds: number; embedder: string | null }): string {
  const { targetChars, overlapChars, maxChars } = DEFAULT_CHUNK_OPTIONS;
  return [
    `questions: ${metrics.n}`,
    ...Object.entries(metrics.hit).map(([k, v]) => `hit@${k}: ${v.toFixed(4)}`),
    `MRR@10: ${metrics.mrr.toFixed(4)}`,
    ...Object.entries(metrics.mrrByGroup).map(([g, v]) => `  MRR ${g}: ${v.toFixed(4)}`),
    `chunk size: ~${targetChars} characters searched (overlap ${overlapChars}), passages of at most ${maxChars} characters returned; ${info.chunks} chunks`,
    `retrieval: ${info.embedder ? `hybrid (BM25 + ${info.embedder}, reciprocal-rank fusion)` : 'lexical only (BM25 + local re-scoring)'}; index built in ${info.ingestSeconds.toFixed(2)} s`,
  ].join('\n');
}

export function formatAnswers(a: AnswerMetrics): string {
  const share = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));
  return [
    `answer keyword recall: ${a.keywordRecall.toFixed(4)} (complete ${a.complete.toFixed(4)}; ${a.n} answerable questions; offline extractive answers)`,
    ...Object.entries(a.recallByGroup).map(([g, v]) => `  recall ${g}: ${v.toFixed(4)}`),
    `abstained: ${a.abstainedUnanswerable}/${a.unanswerable} unanswerable, ${a.falseAbstentions}/${a.n} answerable; abstention precision ${share(a.abstentionPrecision)}, recall ${share(a.abstentionRecall)}`,
  ].join('\n');
}

/** Runs the evaluation in a fresh data directory; used by the command and its test. */
export async function runDocqaEval(
  config: Config,
  apiKeys: Partial<Record<string, string>>,
  logger: Logger,
  options: { files: string[]; docs: string[]; out?: string; abstention?: 'rules' | 'learned' },
): Promise<DocqaRun> {
  const items = options.files.flatMap((f) => readDocqaFile(f));
  const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-docqa-'));
  try {
    const handle = await openDocStore(config, apiKeys, logger, dataDir);
    try {
      const ingest = await handle.ingest(options.docs);
      const predictions = await predictDocqa(handle.store, items, { limit: 10, maxChars: 2000 });
      // The answer a user reads: the offline docs agent's reply, rendered as the terminal shows it.
      const agent = createDocsAgent({ store: handle.store, llm: null, logger, glossary: loadGlossary(), abstention: options.abstention });
      for (const [i, item] of items.entries()) {
        const reply = await agent.answer(evalDocsRequest(item.id, item.question));
        const p = predictions[i];
        if (p) {
          p.answer = renderReply(reply, { color: false, width: 120 }).trim();
          p.abstained = reply.data?.found === false;
        }
      }
      if (options.out) await writeFile(options.out, predictions.map((p) => JSON.stringify(p)).join('\n') + '\n', 'utf8');
      const metrics = scoreRetrieval(items, predictions);
      const answers = scoreAnswers(items, predictions);
      const info = { chunks: ingest.chunks, ingestSeconds: ingest.seconds, embedder: handle.store.embedderId };
      return { metrics, answers, report: `${formatDocqa(metrics, info)}\n${formatAnswers(answers)}`, ...info };
    } finally {
      await handle.store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function register(program: Command, services: () => Services): void {
  evalCommand(program)
    .command('docqa <files...>')
    .description('index a documentation corpus in a fresh data directory and score retrieval and answers on docqa sets (JSONL)')
    .requiredOption('--docs <dir...>', 'corpus directory (or files) to index, e.g. ../shared/data/docs-corpus')
    .option('--out <pred.jsonl>', 'write predictions here (score.py retrieval and answers PRED format)')
    .option('--json', 'print the metrics as one JSON object')
    .addOption(
      new Option('--abstention <how>', 'how the docs agent decides the documents do not cover a question (default: rules)').choices(['rules', 'learned']),
    )
    .action(async (files: string[], opts: { docs: string[]; out?: string; json?: boolean; abstention?: 'rules' | 'learned' }) => {
      const s = services();
      const run = await runDocqaEval(s.config, s.apiKeys, s.logger, { files, docs: opts.docs, out: opts.out, abstention: opts.abstention });
      if (opts.json) {
        const { ranks: _ranks, ...metrics } = run.metrics;
        process.stdout.write(
          `${JSON.stringify({ ...metrics, answers: run.answers, chunks: run.chunks, chunkChars: DEFAULT_CHUNK_OPTIONS.targetChars, embedder: run.embedder })}\n`,
        );
      } else process.stdout.write(`${run.report}\n`);
    });
}
