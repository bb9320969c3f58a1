import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWED, edgeToEdge, importCycles, importGraph, importsOf, layerOf, layerViolations, sourceFiles } from './support/import-graph.js';

/**
 * The import rule of docs/architecture.md: dependencies point one way, edge folders (adapters, MCP,
 * HTTP) never import each other, and there is no import cycle anywhere. The fixture under
 * test/fixtures/architecture breaks each rule once, so the checks are shown to catch what they look for.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(root, 'test/fixtures/architecture');

describe('architecture', () => {
  const graph = importGraph(root);

  it('every source file belongs to a layer', () => {
    const files = ['src', 'adapters', 'agents'].flatMap((d) => sourceFiles(path.join(root, d)));
    const orphans = files.filter((f) => layerOf(root, f) === null).map((f) => path.relative(root, f));
    expect(orphans).toEqual([]);
  });

  it('imports only point down the layers', () => {
    expect(layerViolations(root, graph)).toEqual([]);
  });

  it('no edge folder imports another (adapters ↛ mcp/http and back)', () => {
    expect(edgeToEdge(root, graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(root, graph)).toEqual([]);
  });

  it('the checks catch a wrong layer edge, an edge-to-edge import and a cycle (fixture)', () => {
    expect(layerViolations(fixture)).toEqual(['src/panda/client.ts (domain) → agents/logs/agent.ts (agents)']);
    expect(edgeToEdge(fixture).sort()).toEqual([
      'adapters/slack/adapter.ts (adapters) → src/http/server.ts (http)',
      'src/mcp/server.ts (mcp) → adapters/shared/render.ts (adapters)',
    ]);
    expect(importCycles(fixture)).toEqual([['src/cli/a.ts', 'src/cli/b.ts', 'src/cli/c.ts']]);
    expect(importsOf("import { a } from '../../agents/logs/y.js';\nconst m = await import('./z.js');")).toEqual(['../../agents/logs/y.js', './z.js']);
    expect(ALLOWED.core).not.toContain('agents');
    expect(ALLOWED.edge).not.toContain('core');
  });
});
