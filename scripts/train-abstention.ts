/**
 * Learns when the docs agent says "the documents don't cover this" (agents/docs/abstention.ts).
 *
 *   npx tsx scripts/train-abstention.ts --extract [--docs ../shared/data/docs-corpus]   # signals, then fit
 *   npx tsx scripts/train-abstention.ts                                               # fit from the stored signals
 *
 * --extract indexes the corpus (lexical only, offline, as `eval docqa` does), asks the offline docs
 * agent every question of the TUNING sets and stores each question's abstention signals with its
 * label (answerable or not) and what the old hand-set rules decided in
 * test/fixtures/abstention/signals.jsonl (ids only, no question text). Re-extract when retrieval or
 * sentence selection changes. The fit (cheap, deterministic) reads that file, prints the
 * leave-one-set-out comparison with the old rules, and rewrites agents/docs/abstention-weights.ts;
 * re-running it writes the same file (a unit test checks the file is in sync).
 *
 * Tuning sets only: heldout/docqa (+ docqa-unanswerable), heldout/docqa2, heldout/docqa3,
 * heldout/docqa4, and docqa-extra + docqa-unanswerable-own. Never the shared dev set, never a blind set.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AbstentionSignals, FEATURE_NAMES, featureVector, vetoed } from '../agents/docs/abstention.js';
import { type Fold, fitAll, leaveOneSetOut, readSignals, renderWeights, round, SIGNALS_FILE, type SignalRow, WEIGHTS_FILE } from './abstention-fit.js';
import { createDocsAgent } from '../agents/docs/index.js';
import { openDocStore } from '../src/app/docs-store.js';
import { evalDocsRequest } from '../src/cli/eval-request.js';
import { loadConfig } from '../src/config.js';
import { loadGlossary } from '../src/index/index.js';
import { silentLogger } from '../src/log.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The tuning sets, each a fold of the leave-one-set-out check: answerable files, unanswerable files. */
export const SETS: ReadonlyArray<{ name: string; answerable: string[]; unanswerable: string[] }> = [
  { name: 'tune', answerable: ['test/fixtures/heldout/docqa.jsonl'], unanswerable: ['test/fixtures/heldout/docqa-unanswerable.jsonl'] },
  { name: 'docqa2', answerable: ['test/fixtures/heldout/docqa2/docqa2.jsonl'], unanswerable: ['test/fixtures/heldout/docqa2/unanswerable.jsonl'] },
  { name: 'docqa3', answerable: ['test/fixtures/heldout/docqa3/docqa3.jsonl'], unanswerable: ['test/fixtures/heldout/docqa3/unanswerable.jsonl'] },
  { name: 'docqa4', answerable: ['test/fixtures/heldout/docqa4/docqa4.jsonl'], unanswerable: ['test/fixtures/heldout/docqa4/unanswerable.jsonl'] },
  { name: 'own', answerable: ['test/fixtures/docqa-extra.jsonl'], unanswerable: ['test/fixtures/docqa-unanswerable-own.jsonl'] },
];

// ---------------------------------------------------------------- extraction

function readQuestions(file: string): Array<{ id: string; question: string }> {
  return readFileSync(path.join(repoRoot, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; question: string });
}

async function extract(docs: string): Promise<SignalRow[]> {
  const { config, apiKeys } = loadConfig({});
  const logger = silentLogger();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'askpanda-abstention-'));
  try {
    const handle = await openDocStore(config, apiKeys, logger, dataDir);
    try {
      await handle.ingest([docs]);
      const agent = createDocsAgent({ store: handle.store, llm: null, logger, glossary: loadGlossary() });
      const rows: SignalRow[] = [];
      for (const set of SETS) {
        for (const [unanswerable, files] of [
          [false, set.answerable],
          [true, set.unanswerable],
        ] as const) {
          for (const item of files.flatMap(readQuestions)) {
            const reply = await agent.answer(evalDocsRequest(item.id, item.question));
            const abstention = reply.data?.abstention as { signals: AbstentionSignals; rules: boolean } | undefined;
            if (!abstention) throw new Error(`${item.id}: the reply carries no abstention signals`);
            const v = featureVector(abstention.signals);
            rows.push({
              id: item.id,
              set: set.name,
              unanswerable,
              rules: abstention.rules,
              vetoed: vetoed(abstention.signals),
              x: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, round(v[j] as number)])),
            });
          }
        }
      }
      return rows;
    } finally {
      await handle.store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--extract')) {
    const at = args.indexOf('--docs');
    const docs = at >= 0 ? (args[at + 1] as string) : path.resolve(repoRoot, '../shared/data/docs-corpus');
    const rows = await extract(docs);
    writeFileSync(SIGNALS_FILE, rows.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
    process.stdout.write(`${rows.length} questions → ${path.relative(repoRoot, SIGNALS_FILE)}\n`);
  }
  const rows = readSignals();
  const folds = leaveOneSetOut(rows);
  process.stdout.write('leave-one-set-out (false declines of answerable · correct declines of unanswerable): old rules → learned\n');
  for (const f of folds) {
    process.stdout.write(
      `  ${f.set.padEnd(7)} ${f.old.falseDeclines}/${f.answerable} · ${f.old.correctDeclines}/${f.unanswerable}  →  ${f.learned.falseDeclines}/${f.answerable} · ${f.learned.correctDeclines}/${f.unanswerable}   (threshold ${f.threshold.toFixed(3)})\n`,
    );
  }
  const sum = (pick: (f: Fold) => number): number => folds.reduce((s, f) => s + pick(f), 0);
  process.stdout.write(
    `  all     ${sum((f) => f.old.falseDeclines)}/${sum((f) => f.answerable)} · ${sum((f) => f.old.correctDeclines)}/${sum((f) => f.unanswerable)}  →  ${sum((f) => f.learned.falseDeclines)}/${sum((f) => f.answerable)} · ${sum((f) => f.learned.correctDeclines)}/${sum((f) => f.unanswerable)}\n`,
  );
  const model = fitAll(rows);
  writeFileSync(WEIGHTS_FILE, renderWeights(model, rows), 'utf8');
  process.stdout.write(`threshold ${model.threshold.toFixed(4)} → ${path.relative(repoRoot, WEIGHTS_FILE)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
