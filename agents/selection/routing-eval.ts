/**
 * Routing evaluation: reads a routing set (JSONL), routes every question, and scores the
 * predictions exactly as `../shared/eval/score.py routing` does (same normalisation and metrics).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Router } from '../../src/contracts/agent.js';
import { type Entities, INTENTS, type Intent, JOB_REFINEMENTS } from '../../src/contracts/routing.js';
import { InputError } from '../../src/errors.js';

export const ENTITY_KEYS = ['pandaid', 'jeditaskid', 'queue', 'site', 'error_code', 'error_component'] as const;
const INT_KEYS = new Set<string>(['pandaid', 'jeditaskid', 'error_code']);

const entityValue = z.union([z.number(), z.string(), z.null()]).optional();
const itemSchema = z.object({
  id: z.string(),
  question: z.string(),
  intent: z.string(),
  entities: z
    .object(Object.fromEntries(ENTITY_KEYS.map((k) => [k, entityValue])))
    .partial()
    .default({}),
});
export type RoutingItem = z.infer<typeof itemSchema>;

export interface RoutingPrediction {
  id: string;
  intent: Intent;
  entities: Entities;
  reason: string;
}

export interface RoutingScore {
  n: number;
  intent_accuracy: number;
  entity_exact_match: number;
  joint_accuracy: number;
  entity_field_accuracy: Record<string, number>;
  intent_recall: Record<string, number>;
  confusions: Record<string, number>;
  /** gold intent → predicted intent → count */
  matrix: Record<string, Record<string, number>>;
}

/** Reads a routing JSONL file; a bad line is an InputError naming the file and line. */
export async function readRoutingSet(path: string): Promise<RoutingItem[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`Routing set ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, error);
  }
  const items: RoutingItem[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new InputError(`Routing set ${path} line ${i + 1} is not valid JSON.`, error);
    }
    const result = itemSchema.safeParse(parsed);
    if (!result.success) throw new InputError(`Routing set ${path} line ${i + 1} lacks id, question or intent.`, result.error);
    items.push(result.data);
  }
  return items;
}

/** Routes every item in order (no history: follow-ups are routed on their own text). */
export async function predictRouting(router: Router, items: RoutingItem[]): Promise<RoutingPrediction[]> {
  const out: RoutingPrediction[] = [];
  for (const item of items) {
    const route = await router.route(item.question, []);
    out.push({ id: item.id, intent: route.intent, entities: route.entities, reason: route.reason });
  }
  return out;
}

function normEntity(key: string, value: unknown): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value).trim();
  if (INT_KEYS.has(key) && /^[+-]?\d+$/.test(text)) return Number.parseInt(text, 10);
  return text.toLowerCase();
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

export function scoreRouting(
  gold: RoutingItem[],
  predictions: Array<Pick<RoutingPrediction, 'id' | 'intent'> & { entities?: Partial<Entities> }>,
): RoutingScore {
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const n = gold.length || 1;
  let intentOk = 0;
  let entOk = 0;
  let jointOk = 0;
  const fieldOk: Record<string, number> = Object.fromEntries(ENTITY_KEYS.map((k) => [k, 0]));
  const perIntent = new Map<string, [number, number]>();
  const confusions = new Map<string, number>();
  const matrix: Record<string, Record<string, number>> = {};
  for (const g of gold) {
    const p = byId.get(g.id);
    const predicted = (p?.intent ?? '').trim().toLowerCase();
    // A set labelled with the seven base intents counts a refinement of `job` (job_search, …) as `job`.
    const iOk = predicted === g.intent || (JOB_REFINEMENTS[predicted as Intent] === g.intent && !(g.intent in JOB_REFINEMENTS));
    const pe: Record<string, unknown> = p?.entities ?? {};
    const ge: Record<string, unknown> = g.entities;
    let eOk = true;
    for (const k of ENTITY_KEYS) {
      const ok = normEntity(k, pe[k]) === normEntity(k, ge[k]);
      if (ok) fieldOk[k] = (fieldOk[k] ?? 0) + 1;
      else eOk = false;
    }
    intentOk += iOk ? 1 : 0;
    entOk += eOk ? 1 : 0;
    jointOk += iOk && eOk ? 1 : 0;
    const [a, b] = perIntent.get(g.intent) ?? [0, 0];
    perIntent.set(g.intent, [a + (iOk ? 1 : 0), b + 1]);
    if (!iOk) {
      const key = `${g.intent}->${predicted || 'missing'}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
    const row = matrix[g.intent] ?? {};
    row[predicted || 'missing'] = (row[predicted || 'missing'] ?? 0) + 1;
    matrix[g.intent] = row;
  }
  return {
    n: gold.length,
    intent_accuracy: round(intentOk / n),
    entity_exact_match: round(entOk / n),
    joint_accuracy: round(jointOk / n),
    entity_field_accuracy: Object.fromEntries(ENTITY_KEYS.map((k) => [k, round((fieldOk[k] ?? 0) / n)])),
    intent_recall: Object.fromEntries([...perIntent.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([k, [a, b]]) => [k, round(a / b)])),
    confusions: Object.fromEntries([...confusions.entries()].sort((x, y) => y[1] - x[1])),
    matrix,
  };
}

/** The confusion table as aligned text: rows are gold intents, columns predicted ones. */
export function formatConfusion(score: RoutingScore): string {
  const gold = INTENTS.filter((i) => score.matrix[i]);
  const predicted = [...new Set([...INTENTS, ...Object.values(score.matrix).flatMap((row) => Object.keys(row))])].filter((i) =>
    Object.values(score.matrix).some((row) => row[i]),
  );
  const short = (s: string): string => (s === 'out_of_scope' ? 'oos' : s === 'error_code' ? 'code' : s === 'chitchat' ? 'chat' : s);
  const width = 8;
  const lines = [`${'gold \\ pred'.padEnd(14)}${predicted.map((p) => short(p).padStart(width)).join('')}`];
  for (const g of gold) {
    const row = score.matrix[g] ?? {};
    lines.push(`${g.padEnd(14)}${predicted.map((p) => String(row[p] ?? (g === p ? 0 : '.')).padStart(width)).join('')}`);
  }
  return lines.join('\n');
}

/** The report printed by `askpanda eval routing`. */
export function formatRoutingReport(score: RoutingScore): string {
  const fields = Object.entries(score.entity_field_accuracy)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');
  const recall = Object.entries(score.intent_recall)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');
  const confusions = Object.entries(score.confusions).map(([k, v]) => `${k} ×${v}`);
  return [
    `n: ${score.n}`,
    `intent_accuracy: ${score.intent_accuracy.toFixed(4)}`,
    `entity_exact_match: ${score.entity_exact_match.toFixed(4)}`,
    `joint_accuracy: ${score.joint_accuracy.toFixed(4)}`,
    `entity_field_accuracy: ${fields}`,
    `intent_recall: ${recall}`,
    `confusions: ${confusions.length ? confusions.join(', ') : 'none'}`,
    '',
    formatConfusion(score),
  ].join('\n');
}

/**
 * PRED lines for score.py: `{"id", "intent", "entities"}` plus the router's reason. A set labelled
 * with the seven base intents gets a refinement of `job` written as `job` with `detail_intent`
 * beside it; a set that labels refinements (`refined`: job_search, job_lineage, job_compare) gets
 * the refinement itself, since that is what it scores.
 */
export function predictionLines(predictions: RoutingPrediction[], refined = false): string {
  return `${predictions
    .map((p) => {
      const parent = refined ? undefined : JOB_REFINEMENTS[p.intent];
      return JSON.stringify({ id: p.id, intent: parent ?? p.intent, ...(parent ? { detail_intent: p.intent } : {}), entities: p.entities, reason: p.reason });
    })
    .join('\n')}\n`;
}
