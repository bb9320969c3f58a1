/**
 * The fit behind agents/docs/abstention-weights.ts (scripts/train-abstention.ts extracts the
 * signals and writes the file): an L2-penalised logistic regression fitted by Newton steps, the
 * threshold that favours answering, the leave-one-set-out comparison with the old rules and the
 * weights module's text. Pure and deterministic: the same signals give the same file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AbstentionModel, FEATURE_NAMES, unanswerableProbability } from '../agents/docs/abstention.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SIGNALS_FILE = path.join(repoRoot, 'test/fixtures/abstention/signals.jsonl');
export const WEIGHTS_FILE = path.join(repoRoot, 'agents/docs/abstention-weights.ts');

/**
 * At most this share (about 2%) of the answerable questions may be declined, vetoes included: a false decline costs the
 * user most. 2.5% of the 366 answerable tuning questions allows 9.
 */
export const MAX_FALSE_DECLINES = 0.025;
/** L2 penalty on the (standardised) weights. */
export const L2 = 3;

export interface SignalRow {
  id: string;
  set: string;
  /** true: the documentation does not answer it. */
  unanswerable: boolean;
  /** What the old hand-set rules decided. */
  rules: boolean;
  /** Declined whatever the model says (a name no passage mentions, nothing retrieved; see vetoed). */
  vetoed: boolean;
  x: Record<string, number>;
}

// ---------------------------------------------------------------- logistic regression (Newton)

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c += 1) {
    let p = c;
    for (let r = c + 1; r < n; r += 1) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[p] as number[])[c] as number)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = (m[c] as number[])[c] as number;
    for (let r = 0; r < n; r += 1) {
      if (r === c) continue;
      const f = ((m[r] as number[])[c] as number) / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k += 1) (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

/** Fits P(unanswerable) on standardised features with an L2 penalty (the bias is not penalised). */
export function fitLogistic(xs: readonly number[][], ys: readonly number[], l2 = L2): Omit<AbstentionModel, 'threshold'> {
  const d = FEATURE_NAMES.length;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + (x[j] as number), 0) / xs.length);
  const scale = mean.map((mu, j) => {
    const sd = Math.sqrt(xs.reduce((s, x) => s + ((x[j] as number) - mu) ** 2, 0) / xs.length);
    return sd > 1e-9 ? sd : 1;
  });
  const zs = xs.map((x) => [1, ...x.map((v, j) => (v - (mean[j] as number)) / (scale[j] as number))]);
  let w = new Array<number>(d + 1).fill(0);
  for (let iter = 0; iter < 50; iter += 1) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    zs.forEach((z, i) => {
      const p = 1 / (1 + Math.exp(-z.reduce((s, v, j) => s + v * (w[j] as number), 0)));
      const r = p - (ys[i] as number);
      const h = p * (1 - p);
      for (let j = 0; j <= d; j += 1) {
        grad[j] = (grad[j] as number) + r * (z[j] as number);
        const row = hess[j] as number[];
        for (let k = 0; k <= d; k += 1) row[k] = (row[k] as number) + h * (z[j] as number) * (z[k] as number);
      }
    });
    for (let j = 1; j <= d; j += 1) {
      grad[j] = (grad[j] as number) + l2 * (w[j] as number);
      (hess[j] as number[])[j] = ((hess[j] as number[])[j] as number) + l2;
    }
    const step = solve(hess, grad);
    w = w.map((v, j) => v - (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return { features: [...FEATURE_NAMES], mean, scale, weights: w.slice(1), bias: w[0] as number };
}

/**
 * The highest recall on unanswerable questions whose false declines stay within MAX_FALSE_DECLINES
 * of the answerable ones: the threshold is the midpoint under the lowest allowed probability.
 */
export function chooseThreshold(scored: ReadonlyArray<{ p: number; unanswerable: boolean; vetoed: boolean }>): number {
  const answerable = scored.filter((s) => !s.unanswerable);
  // The vetoes' false declines come out of the same budget.
  const allowed = Math.max(0, Math.floor(MAX_FALSE_DECLINES * answerable.length) - answerable.filter((s) => s.vetoed).length);
  const sorted = answerable
    .filter((s) => !s.vetoed)
    .map((s) => s.p)
    .sort((a, b) => b - a);
  // Declining at p ≥ t declines the answerable ones above t: stay above the (allowed+1)-th highest.
  const bound = sorted[allowed] ?? 0;
  const above = scored.filter((s) => !s.vetoed && s.p > bound).map((s) => s.p);
  const next = above.length > 0 ? Math.min(...above) : bound + 1e-6;
  return (bound + next) / 2;
}

const vectorOf = (row: SignalRow): number[] => FEATURE_NAMES.map((f) => row.x[f] ?? 0);

/** The model learns from the questions no veto declines. */
function trainOn(rows: readonly SignalRow[]): Omit<AbstentionModel, 'threshold'> {
  const open = rows.filter((r) => !r.vetoed);
  return fitLogistic(
    open.map(vectorOf),
    open.map((r) => (r.unanswerable ? 1 : 0)),
  );
}

/** Out-of-set probabilities: each set scored by a model trained on the others. */
function outOfSet(rows: readonly SignalRow[]): Array<{ p: number; unanswerable: boolean; vetoed: boolean }> {
  const sets = [...new Set(rows.map((r) => r.set))];
  return sets.flatMap((held) => {
    const model = { ...trainOn(rows.filter((r) => r.set !== held)), threshold: 1 };
    return rows.filter((r) => r.set === held).map((r) => ({ p: unanswerableProbability(vectorOf(r), model), unanswerable: r.unanswerable, vetoed: r.vetoed }));
  });
}

export interface Fold {
  set: string;
  answerable: number;
  unanswerable: number;
  old: { falseDeclines: number; correctDeclines: number };
  learned: { falseDeclines: number; correctDeclines: number };
  threshold: number;
}

/**
 * Leave one set out: for each set, a model trained on the other sets, its threshold chosen by
 * leave-one-set-out inside them, judged on the held-out set against the old rules.
 */
export function leaveOneSetOut(rows: readonly SignalRow[]): Fold[] {
  const sets = [...new Set(rows.map((r) => r.set))];
  return sets.map((held) => {
    const train = rows.filter((r) => r.set !== held);
    const threshold = chooseThreshold(outOfSet(train));
    const model = { ...trainOn(train), threshold };
    const test = rows.filter((r) => r.set === held);
    const count = (decline: (r: SignalRow) => boolean) => ({
      falseDeclines: test.filter((r) => !r.unanswerable && decline(r)).length,
      correctDeclines: test.filter((r) => r.unanswerable && decline(r)).length,
    });
    return {
      set: held,
      answerable: test.filter((r) => !r.unanswerable).length,
      unanswerable: test.filter((r) => r.unanswerable).length,
      old: count((r) => r.rules),
      learned: count((r) => r.vetoed || unanswerableProbability(vectorOf(r), model) >= threshold),
      threshold,
    };
  });
}

/** The final model: trained on every tuning set, threshold chosen on their out-of-set probabilities. */
export function fitAll(rows: readonly SignalRow[]): AbstentionModel {
  return { ...trainOn(rows), threshold: chooseThreshold(outOfSet(rows)) };
}

export const round = (v: number): number => Number(v.toFixed(6));

export function renderWeights(model: AbstentionModel, rows: readonly SignalRow[]): string {
  const sets = [...new Set(rows.map((r) => r.set))]
    .map((s) => {
      const of = rows.filter((r) => r.set === s);
      return `${s} ${of.filter((r) => !r.unanswerable).length}+${of.filter((r) => r.unanswerable).length}`;
    })
    .join(', ');
  const num = (v: number): string => String(round(v));
  return [
    '/**',
    ' * GENERATED by `npx tsx scripts/train-abstention.ts` from test/fixtures/abstention/signals.jsonl: do not edit.',
    ' * Logistic regression (L2 = ' + String(L2) + ', standardised inputs, Newton fit) of P(the documentation does not',
    ' * answer the question) on the tuning sets (answerable + unanswerable questions):',
    ` * ${sets}. Questions a veto declines (a name no passage mentions) are left out of the fit.`,
    ` * Threshold: the highest unanswerable recall with at most ${MAX_FALSE_DECLINES * 100}% of answerable questions declined (vetoes included),`,
    ' * on probabilities each set gets from a model trained on the other sets. Never trained on the dev or blind sets.',
    ' */',
    "import type { AbstentionModel } from './abstention-model.js';",
    '',
    '/** Per feature (see FEATURE_NAMES in abstention.ts): name, mean, scale, weight. */',
    'const TABLE: ReadonlyArray<readonly [string, number, number, number]> = [',
    ...model.features.map((f, j) => `  ['${f}', ${num(model.mean[j] as number)}, ${num(model.scale[j] as number)}, ${num(model.weights[j] as number)}],`),
    '];',
    '',
    'export const ABSTENTION_MODEL: AbstentionModel = {',
    '  features: TABLE.map((r) => r[0]),',
    '  mean: TABLE.map((r) => r[1]),',
    '  scale: TABLE.map((r) => r[2]),',
    '  weights: TABLE.map((r) => r[3]),',
    `  bias: ${num(model.bias)},`,
    `  threshold: ${num(model.threshold)},`,
    '};',
    '',
  ].join('\n');
}

export function readSignals(file = SIGNALS_FILE): SignalRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SignalRow);
}
