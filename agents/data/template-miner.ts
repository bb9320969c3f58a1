/**
 * A small Drain-style log template miner (He et al., "Drain: An Online Log Parsing Approach with
 * Fixed Depth Tree", ICWS 2017). Messages are masked (`templateLine` of src/logs), split into tokens, routed by
 * token count and their first tokens, and joined to the most similar cluster of that leaf when
 * the share of equal tokens reaches `similarity`; positions that differ become `<*>`.
 */
import { isTemplateToken, templateLine } from '../../src/logs/index.js';

/** Diags keep their small numbers (exit codes, signals): the miner generalises them only where messages differ. */
const maskDiag = (text: string): string => templateLine(text, { smallNumbers: false });

export interface MinerOptions {
  /** Share of equal tokens (masks count as equal) needed to join a cluster; Drain's `st`. */
  similarity?: number;
  /** How many leading tokens route a message (Drain's depth - 2). */
  prefixTokens?: number;
  /** Leaves hold at most this many clusters (oldest-created kept). */
  maxClustersPerLeaf?: number;
}

export interface TemplateCluster {
  id: number;
  tokens: string[];
  size: number;
}

export interface TemplateMiner {
  /** Adds a message and returns the cluster it joined (its template may have become more general). */
  add(message: string): TemplateCluster;
  /** The cluster a message would join, without changing anything. */
  match(message: string): TemplateCluster | null;
  clusters(): TemplateCluster[];
}

const WILDCARD = '<*>';

export function tokenize(masked: string): string[] {
  return masked.split(/\s+/).filter((t) => t.length > 0);
}

export function templateText(cluster: Pick<TemplateCluster, 'tokens'>): string {
  return cluster.tokens.join(' ');
}

function routeKey(tokens: string[], depth: number): string {
  const head = tokens.slice(0, depth).map((t) => (isTemplateToken(t) || /\d/.test(t) ? WILDCARD : t));
  return `${tokens.length}|${head.join(' ')}`;
}

function similarity(template: string[], tokens: string[]): { score: number; params: number } {
  let equal = 0;
  let params = 0;
  for (let i = 0; i < template.length; i += 1) {
    const a = template[i];
    if (a === WILDCARD) {
      params += 1;
      continue;
    }
    if (a === tokens[i]) equal += 1;
  }
  return { score: template.length === 0 ? 1 : equal / template.length, params };
}

export function createTemplateMiner(options: MinerOptions = {}): TemplateMiner {
  const threshold = options.similarity ?? 0.5;
  const depth = options.prefixTokens ?? 2;
  const maxPerLeaf = options.maxClustersPerLeaf ?? 100;
  const leaves = new Map<string, TemplateCluster[]>();
  const all: TemplateCluster[] = [];

  const best = (tokens: string[]): TemplateCluster | null => {
    const leaf = leaves.get(routeKey(tokens, depth)) ?? [];
    let chosen: TemplateCluster | null = null;
    let chosenScore = -1;
    let chosenParams = -1;
    for (const cluster of leaf) {
      const { score, params } = similarity(cluster.tokens, tokens);
      if (score > chosenScore || (score === chosenScore && params > chosenParams)) {
        chosen = cluster;
        chosenScore = score;
        chosenParams = params;
      }
    }
    return chosen && chosenScore >= threshold ? chosen : null;
  };

  return {
    add(message) {
      const tokens = tokenize(maskDiag(message));
      const found = best(tokens);
      if (found) {
        found.tokens = found.tokens.map((t, i) => (t === tokens[i] ? t : WILDCARD));
        found.size += 1;
        return found;
      }
      const cluster: TemplateCluster = { id: all.length + 1, tokens, size: 1 };
      const key = routeKey(tokens, depth);
      const leaf = leaves.get(key) ?? [];
      if (leaf.length < maxPerLeaf) leaf.push(cluster);
      leaves.set(key, leaf);
      all.push(cluster);
      return cluster;
    },
    match(message) {
      return best(tokenize(maskDiag(message)));
    },
    clusters() {
      return [...all];
    },
  };
}
