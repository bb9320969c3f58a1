/**
 * Builds resources/knowledge/codes.json from the error-code tables in ../shared/data/error-codes.
 *
 *   npx tsx scripts/build-knowledge.ts [--source <dir>] [--out <file>]
 *
 * Only facts are carried over (component, code, constant name, default message, diag templates,
 * current/legacy status). Categories, retry advice and explanations are the project's own and
 * live in resources/knowledge/advice.yaml. Legacy BigPanDA monitor texts are kept only where no
 * newer table defines the same (component, code).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { COMPONENTS, normaliseComponent } from '../src/knowledge/components.js';
import type { CodeFact, CodesFile } from '../src/knowledge/load.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const entrySchema = z.looseObject({
  component: z.string(),
  code: z.number().int(),
  name: z.string().nullable(),
  message: z.string().nullable(),
  status: z.string().optional(),
  typical_diag: z.array(z.string()).optional(),
  note: z.string().optional(),
  script: z.string().optional(),
});
const tableSchema = z.looseObject({
  source_repo: z.string(),
  source_commit: z.string().optional(),
  license: z.string(),
  entries: z.array(entrySchema),
});
type SourceEntry = z.infer<typeof entrySchema>;

/** Newer tables first: an entry of a later file never replaces one of an earlier file. */
const FILES = ['pilot.json', 'trf.json', 'panda-server.json', 'wnscripts.json', 'bigmon-legacy.json'] as const;

function isLegacy(file: string, entry: SourceEntry): boolean {
  if (file === 'bigmon-legacy.json') return true;
  if (entry.component === 'wnscript-legacy') return true;
  return entry.status?.startsWith('removed') ?? false;
}

function toFact(file: string, entry: SourceEntry): CodeFact {
  const component = normaliseComponent(entry.component);
  if (!component) throw new Error(`${file}: unknown component "${entry.component}" for code ${entry.code}`);
  const fact: CodeFact = {
    component,
    code: entry.code,
    name: entry.name,
    message: entry.message,
    status: isLegacy(file, entry) ? 'legacy' : 'current',
    source: `${file}:${entry.component}`,
  };
  if (entry.typical_diag?.length) fact.typicalDiag = entry.typical_diag;
  if (entry.note) fact.note = entry.note;
  if (entry.script) fact.scripts = [entry.script];
  return fact;
}

/**
 * Several rows of one file for the same code become one fact: legacy wn-script exit codes reused
 * by several scripts list each constant with its scripts; otherwise (trf 251) the constant the
 * source's code-to-name lookup keeps wins and the others become aliases.
 */
function combine(rows: CodeFact[]): CodeFact {
  const last = rows.at(-1) as CodeFact;
  if (rows.length === 1) return last;
  if (rows.every((r) => r.scripts)) {
    const byName = new Map<string, string[]>();
    for (const r of rows) byName.set(r.name ?? '?', [...(byName.get(r.name ?? '?') ?? []), ...(r.scripts ?? [])]);
    const name = byName.size === 1 ? (rows[0]?.name ?? null) : [...byName].map(([n, s]) => `${n} (${s.join(', ')})`).join(' / ');
    return { ...(rows[0] as CodeFact), name, scripts: rows.flatMap((r) => r.scripts ?? []) };
  }
  // The table's note names the constant that wins (e.g. "keeps the last one defined (TRF_EXTERNAL)").
  const winner = rows.find((r) => r.name && r.note?.includes(`(${r.name})`)) ?? last;
  const others = rows.filter((r) => r !== winner);
  return { ...winner, aliases: others.map((r) => `${r.name}: ${r.message}`) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sourceDir = path.resolve(option('--source') ?? path.join(repoRoot, '../shared/data/error-codes'));
  const outFile = path.resolve(option('--out') ?? path.join(repoRoot, 'resources/knowledge/codes.json'));

  const facts = new Map<string, CodeFact>();
  const sources: CodesFile['sources'] = [];
  for (const file of FILES) {
    const table = tableSchema.parse(JSON.parse(await readFile(path.join(sourceDir, file), 'utf8')));
    sources.push({ file, repo: table.source_repo, commit: table.source_commit ?? null, license: table.license, rows: table.entries.length });
    const rowsByKey = new Map<string, CodeFact[]>();
    for (const entry of table.entries) {
      const fact = toFact(file, entry);
      const key = `${fact.component}:${fact.code}`;
      rowsByKey.set(key, [...(rowsByKey.get(key) ?? []), fact]);
    }
    for (const [key, rows] of rowsByKey) if (!facts.has(key)) facts.set(key, combine(rows));
  }

  const order = (c: CodeFact) => COMPONENTS.indexOf(c.component);
  const entries = [...facts.values()].sort((a, b) => order(a) - order(b) || a.code - b.code);
  const out: CodesFile = {
    generatedBy: 'scripts/build-knowledge.ts (do not edit by hand; rerun the script)',
    sources,
    count: entries.length,
    entries,
  };
  await writeFile(outFile, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote ${entries.length} codes to ${path.relative(process.cwd(), outFile)}`);
}

await main();
