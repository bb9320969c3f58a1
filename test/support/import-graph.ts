/**
 * The import graph of a source tree (`src`, `adapters`, `agents` under a root) and the rules of
 * docs/architecture.md over it: layers point one way, edge folders never import each other, and no
 * file reaches itself through its imports. Used by test/architecture.test.ts on the project and on
 * fixtures that break each rule.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export type Layer = 'base' | 'wire' | 'domain' | 'agents' | 'core' | 'state' | 'edge' | 'platform' | 'maintenance' | 'config' | 'app' | 'root';

export const ALLOWED: Record<Layer, Layer[]> = {
  base: ['base'],
  wire: ['base', 'wire'],
  domain: ['base', 'domain'],
  agents: ['base', 'domain', 'agents'],
  core: ['base', 'core'],
  state: ['base', 'state'],
  edge: ['base', 'wire', 'edge'],
  /** The platform modules and their list: the adapter code they load lazily is an edge; no edge imports them. */
  platform: ['base', 'wire', 'edge', 'platform'],
  maintenance: ['base', 'domain', 'maintenance'],
  config: ['base', 'domain', 'platform', 'config'],
  app: ['base', 'wire', 'domain', 'agents', 'core', 'state', 'edge', 'platform', 'maintenance', 'config', 'app'],
  root: ['base', 'wire', 'domain', 'agents', 'core', 'state', 'edge', 'platform', 'maintenance', 'config', 'app', 'root'],
};

/** Path relative to the root, with forward slashes. */
const relOf = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

export function layerOf(root: string, file: string): Layer | null {
  const rel = relOf(root, file);
  if (rel.startsWith('src/contracts/') || rel === 'src/errors.ts' || rel === 'src/log.ts') return 'base';
  if (rel.startsWith('src/wire/')) return 'wire';
  if (/^src\/(panda|knowledge|logs|index|llm)\//.test(rel)) return 'domain';
  if (rel.startsWith('agents/')) return 'agents';
  if (rel === 'adapters/platforms.ts' || /^adapters\/[^/]+\/index\.ts$/.test(rel)) return 'platform';
  if (rel.startsWith('src/core/')) return 'core';
  if (rel.startsWith('src/state/')) return 'state';
  if (edgeOf(root, file)) return 'edge';
  if (rel.startsWith('src/maintenance/')) return 'maintenance';
  if (rel === 'src/config.ts') return 'config';
  if (rel.startsWith('src/app/')) return 'app';
  if (rel === 'src/main.ts' || rel.startsWith('src/cli/')) return 'root';
  return null;
}

/** The edge folder of a file: every chat adapter (with adapters/shared), the MCP server, the HTTP server. */
export function edgeOf(root: string, file: string): 'adapters' | 'mcp' | 'http' | null {
  const rel = relOf(root, file);
  if (rel.startsWith('adapters/')) return 'adapters';
  if (rel.startsWith('src/mcp/')) return 'mcp';
  if (rel.startsWith('src/http/')) return 'http';
  return null;
}

export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) specs.push((match[1] ?? match[2] ?? match[3]) as string);
  return specs;
}

/** Every relative import of every source file under `root` (type-only imports included). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['src', 'adapters', 'agents'].flatMap((d) => sourceFiles(path.join(root, d)))) {
    const targets = importsOf(readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    graph.set(file, targets);
  }
  return graph;
}

/** Imports a layer may not make, as readable lines. */
export function layerViolations(root: string, graph = importGraph(root)): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(root, from);
    if (!fromLayer) continue;
    for (const to of targets) {
      const toLayer = layerOf(root, to);
      if (toLayer === null || !ALLOWED[fromLayer].includes(toLayer))
        out.push(`${relOf(root, from)} (${fromLayer}) → ${relOf(root, to)} (${toLayer ?? 'outside the source tree'})`);
    }
  }
  return out;
}

/** Imports from one edge folder into another (adapters ↛ mcp/http and back). */
export function edgeToEdge(root: string, graph = importGraph(root)): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const a = edgeOf(root, from);
    if (!a) continue;
    for (const to of targets) {
      const b = edgeOf(root, to);
      if (b && b !== a) out.push(`${relOf(root, from)} (${a}) → ${relOf(root, to)} (${b})`);
    }
  }
  return out;
}

/** Import cycles (strongly connected components of more than one file, or a file importing itself), each as its files. */
export function importCycles(root: string, graph = importGraph(root)): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(relOf(root, w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
