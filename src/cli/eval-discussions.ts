/**
 * `askpanda eval discussions <dir> --out <pred-prefix>`: ingests `<dir>/threads.jsonl` into a fresh
 * temporary index, answers `<dir>/questions.jsonl` from the channel each question was asked in,
 * writes `<prefix>.ingest.jsonl` and `<prefix>.qa.jsonl` and prints precision, recall, private
 * leaks, surviving secrets and gold-thread hit@5 (the figures of ../shared/eval/score_discussions.py).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createDocsAgent } from '../../agents/docs/index.js';
import {
  type DiscussionsEvalResult,
  evaluateDiscussions,
  questionSchema,
  readJsonLines,
  readThreadExport,
  type ThreadQuestion,
} from '../../agents/ingest/index.js';
import { createDiscussionIndex } from '../index/discussions.js';
import { loadGlossary, openLanceStore } from '../index/index.js';
import type { Logger } from '../log.js';
import { evalCommand } from './eval-group.js';
import { type EvalChannel, evalDocsRequest } from './eval-request.js';
import { PLATFORM_NAMES } from './platforms.js';
import type { Services } from './services.js';

export async function runDiscussionsEval(dir: string, logger: Logger, out?: string): Promise<DiscussionsEvalResult> {
  const threads = readThreadExport(join(dir, 'threads.jsonl'), PLATFORM_NAMES);
  const questions = readJsonLines(join(dir, 'questions.jsonl'), questionSchema, 'thread question');
  const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-discussions-'));
  try {
    const store = await openLanceStore({ dir: join(dataDir, 'index'), glossary: loadGlossary(), logger });
    try {
      const index = createDiscussionIndex({ store, stateFile: join(dataDir, 'discussions.json') });
      // The answer is what the docs agent (offline, extractive) says in the channel the question was asked in.
      const docs = createDocsAgent({ store, llm: null, logger, glossary: loadGlossary() });
      const answer = async (q: ThreadQuestion): Promise<string> => {
        const channel = { platform: q.asked_in_channel.platform as EvalChannel['platform'], id: q.asked_in_channel.id, private: q.asked_in_channel.private };
        const reply = await docs.answer(evalDocsRequest(q.id, q.question, channel));
        return reply.summary ?? '';
      };
      const result = await evaluateDiscussions({ threads, questions, index, store, answer });
      if (out) {
        const lines = (rows: readonly object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
        await writeFile(`${out}.ingest.jsonl`, lines(result.ingestPredictions), 'utf8');
        await writeFile(`${out}.qa.jsonl`, lines(result.qaPredictions), 'utf8');
      }
      return result;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatDiscussionsEval(r: DiscussionsEvalResult): string {
  const { ingest, qa } = r;
  return [
    `threads: ${r.ingestPredictions.length}, ingested: ${r.ingestPredictions.filter((p) => p.ingested).length}, questions: ${r.qaPredictions.length}`,
    `precision: ${ingest.precision.toFixed(4)}`,
    `recall:    ${ingest.recall.toFixed(4)}  (tp ${ingest.tp}, fp ${ingest.fp}, fn ${ingest.fn}, tn ${ingest.tn})`,
    `private ingested without flag: ${ingest.privateUnflagged}`,
    `thread secrets surviving in index: ${ingest.secretsSurviving}/${ingest.secretsTotal}`,
    `ingested share by category: ${Object.entries(ingest.byCategory)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    ...(ingest.errors.length ? [`wrong decisions: ${ingest.errors.join(', ')}`] : []),
    `gold hit@5: ${qa.hitAt5.toFixed(4)} (${qa.nGold} questions with a gold thread${qa.misses.length ? `; missed ${qa.misses.join(', ')}` : ''})`,
    `private leaks: ${qa.privateLeaks}${qa.leakDetails.length ? ` (${qa.leakDetails.join('; ')})` : ''}`,
    `non-ingestible threads returned: ${qa.nonIngestibleReturned}`,
    `answer keyword recall: ${qa.answerKeywordRecall === null ? 'n/a' : qa.answerKeywordRecall.toFixed(4)}`,
  ].join('\n');
}

export function register(program: Command, services: () => Services): void {
  evalCommand(program)
    .command('discussions <dir>')
    .description('ingest a support-thread export (threads.jsonl) in a fresh index, answer its questions.jsonl and print the ingestion and thread-QA metrics')
    .option('--out <pred-prefix>', 'write <prefix>.ingest.jsonl and <prefix>.qa.jsonl (score_discussions.py PRED formats)')
    .option('--json', 'print the metrics as one JSON object')
    .action(async (dir: string, opts: { out?: string; json?: boolean }) => {
      const result = await runDiscussionsEval(dir, services().logger, opts.out);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ingest: result.ingest, qa: result.qa })}\n`);
      else process.stdout.write(`${formatDiscussionsEval(result)}\n`);
    });
}
