import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import rule of docs/architecture.md: dependencies point one way. Every relative import of
 * every source file is resolved to a layer and checked against the table below.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Layer = 'base' | 'domain' | 'agents' | 'core' | 'state' | 'edge' | 'maintenance' | 'root';

const ALLOWED: Record<Layer, Layer[]> = {
  base: ['base'],
  domain: ['base', 'domain'],
  agents: ['base', 'domain', 'agents'],
  core: ['base', 'core'],
  state: ['base', 'state'],
  edge: ['base', 'edge'],
  maintenance: ['base', 'domain', 'maintenance'],
  root: ['base', 'domain', 'agents', 'core', 'state', 'edge', 'maintenance', 'root'],
};

function layerOf(file: string): Layer | null {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('src/contracts/') || rel === 'src/errors.ts' || rel === 'src/log.ts') return 'base';
  if (/^src\/(panda|knowledge|logs|index|llm)\//.test(rel)) return 'domain';
  if (rel.startsWith('agents/')) return 'agents';
  if (rel.startsWith('src/core/')) return 'core';
  if (rel.startsWith('src/state/')) return 'state';
  if (rel.startsWith('adapters/') || rel.startsWith('src/mcp/') || rel.startsWith('src/http/')) return 'edge';
  if (rel.startsWith('src/maintenance/')) return 'maintenance';
  if (rel === 'src/main.ts' || rel === 'src/config.ts' || rel.startsWith('src/cli/')) return 'root';
  return null;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) specs.push((match[1] ?? match[2] ?? match[3]) as string);
  return specs;
}

function edges(): Array<{ from: string; to: string; fromLayer: Layer; toLayer: Layer | null }> {
  const files = ['src', 'adapters', 'agents'].flatMap((d) => sourceFiles(path.join(root, d)));
  const out: Array<{ from: string; to: string; fromLayer: Layer; toLayer: Layer | null }> = [];
  for (const file of files) {
    const fromLayer = layerOf(file);
    if (!fromLayer) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
      out.push({ from: path.relative(root, file), to: path.relative(root, target), fromLayer, toLayer: layerOf(target) });
    }
  }
  return out;
}

describe('architecture', () => {
  it('every source file belongs to a layer', () => {
    const files = ['src', 'adapters', 'agents'].flatMap((d) => sourceFiles(path.join(root, d)));
    const orphans = files.filter((f) => layerOf(f) === null).map((f) => path.relative(root, f));
    expect(orphans).toEqual([]);
  });

  it('imports only point down the layers', () => {
    const wrong = edges()
      .filter((e) => e.toLayer === null || !ALLOWED[e.fromLayer].includes(e.toLayer))
      .map((e) => `${e.from} (${e.fromLayer}) → ${e.to} (${e.toLayer ?? 'outside the source tree'})`);
    expect(wrong).toEqual([]);
  });

  it('the checker catches a wrong edge', () => {
    const domainFile = path.join(root, 'src/panda/x.ts');
    const agentFile = path.join(root, 'agents/logs/y.ts');
    expect(ALLOWED[layerOf(domainFile) as Layer]).not.toContain(layerOf(agentFile));
    expect(importsOf("import { a } from '../../agents/logs/y.js';\nconst m = await import('./z.js');")).toEqual(['../../agents/logs/y.js', './z.js']);
    expect(ALLOWED.core).not.toContain('agents');
    expect(ALLOWED.edge).not.toContain('core');
  });
});
