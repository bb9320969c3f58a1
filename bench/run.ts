/**
 * `npm run bench [-- <prefix>…]`: runs every bench/*.bench.ts whose figure names start with one of
 * the prefixes (all when none is given), each in its own process so memory figures are its own,
 * and prints the `BENCH <name> <value> <unit>` lines it reports.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface BenchModule {
  figures: string[];
  run(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

async function runChild(file: string, prefixes: string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(here, 'run.ts'), '--child', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const match = /^BENCH (\S+) /.exec(line);
      if (!match || prefixes.length === 0 || prefixes.some((p) => match[1]?.startsWith(p))) process.stdout.write(`${line}\n`);
      newline = buffer.indexOf('\n');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

/**
 * The figure names a bench file declares (`export const figures = ['a', 'b']`), read from its text
 * so that choosing benchmarks does not load every benchmark's dependencies into this process.
 */
function figuresOf(text: string): string[] {
  const match = /export const figures[^=]*=\s*\[([^\]]*)\]/.exec(text);
  return match ? [...(match[1] ?? '').matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1] as string) : [];
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    const mod = (await import(path.resolve(argv[1] as string))) as BenchModule;
    await mod.run();
    return;
  }
  const prefixes = argv.filter((a) => !a.startsWith('-'));
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  let failed = 0;
  let ran = 0;
  for (const file of files) {
    const full = path.join(here, file);
    const figures = figuresOf(await readFile(full, 'utf8'));
    if (prefixes.length > 0 && !figures.some((f) => prefixes.some((p) => f.startsWith(p)))) continue;
    ran++;
    const code = await runChild(full, prefixes);
    if (code !== 0) {
      failed++;
      process.stderr.write(`bench ${file} failed with exit code ${code}\n`);
    }
  }
  if (ran === 0) process.stderr.write(`no benchmark has a figure starting with ${prefixes.join(' or ')}\n`);
  process.exitCode = failed > 0 || ran === 0 ? 1 : 0;
}

await main(process.argv.slice(2));
