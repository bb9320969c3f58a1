/**
 * Trains the learned intent arbiter of the rule router and writes agents/selection/intent-weights.ts.
 *
 *   npx tsx scripts/train-intent-classifier.ts            # train on every set, write the weights module
 *   npx tsx scripts/train-intent-classifier.ts --loso     # leave-one-set-out: rules alone vs rules + arbiter, per fold
 *
 * Every message of the labelled routing sets below is routed by the rules (once with the CRIC names
 * of ../shared/data/cric/queuedata.db, once with name shapes only); where the rules reach their
 * intent decision (not a follow-up, job question or answered ID) its signals and the gold intent
 * are one example. The model is a multinomial logistic regression trained by SGD in a fixed order:
 * re-running it on the same sets writes the same file. The shared dev set is never read.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ArbiterPolicy,
  arbitrate,
  classifyIntent,
  createArbiter,
  DEFAULT_POLICY,
  type IntentArbiter,
  loadModel,
} from '../agents/selection/intent-classifier.js';
import {
  FEATURE_VERSION,
  featureKeys,
  type IntentModelData,
  type IntentSignals,
  isFallback,
  type SignalFeatures,
} from '../agents/selection/intent-features.js';
import { createRuleRouter, namesFromQueues, readRoutingSet, scoreRouting } from '../agents/selection/index.js';
import type { KnownNames } from '../agents/selection/names.js';
import type { RoutingItem } from '../agents/selection/routing-eval.js';
import { JOB_REFINEMENTS } from '../src/contracts/routing.js';
import { loadCricSqlite } from '../src/panda/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The labelled sets the model learns from (the tuning sets of the protocol; never the shared dev set or a blind set). */
export const TRAINING_SETS: Record<string, string> = {
  own200: 'test/fixtures/routing/own-200.jsonl',
  extra: 'test/fixtures/routing/extra.jsonl',
  slack64: 'test/fixtures/routing/slack-64.jsonl',
  slackb54: 'test/fixtures/routing/slack-b54.jsonl',
  slackc48: 'test/fixtures/routing/slack-c48.jsonl',
  tune: 'test/fixtures/heldout/routing.jsonl',
  routing3: 'test/fixtures/heldout/routing3/routing3.jsonl',
  routing4: 'test/fixtures/heldout/routing4/routing4.jsonl',
  routing5: 'test/fixtures/heldout/routing5/routing5.jsonl',
};
const CLASSES = ['docs', 'job', 'task', 'queue', 'error_code', 'chitchat', 'out_of_scope'] as const;
export const HYPER: Hyper = { signals: 'none', epochs: 30, rate: 0.05, l2: 1e-4, minDf: 2, maxFeatures: 6000, scale: 1000, seed: 7 };
interface Hyper {
  signals: SignalFeatures;
  epochs: number;
  rate: number;
  l2: number;
  minDf: number;
  maxFeatures: number;
  scale: number;
  seed: number;
}
const OUT = 'agents/selection/intent-weights.ts';
const CRIC_DB = path.resolve(repoRoot, '../shared/data/cric/queuedata.db');

interface Example {
  set: string;
  label: number;
  keys: number[];
}

/** sha256 over the training sets, the feature code, this script and the hyper-parameters (the weights module records it). */
export function trainingFingerprint(root = repoRoot): string {
  const hash = createHash('sha256');
  hash.update(`features v${FEATURE_VERSION} ${JSON.stringify(HYPER)}\n`);
  for (const file of [...Object.values(TRAINING_SETS), 'agents/selection/intent-features.ts']) hash.update(readFileSync(path.join(root, file)));
  return hash.digest('hex').slice(0, 16);
}

const baseIntent = (intent: string): string => JOB_REFINEMENTS[intent] ?? intent;

/** The signals of every item that reaches the rules' intent decision, under both name views. */
function collect(items: RoutingItem[], views: Array<KnownNames | null>): Array<{ item: RoutingItem; signals: IntentSignals[] }> {
  let seen: IntentSignals | null = null;
  const recorder = createRuleRouter({
    arbiter: (s) => {
      seen = s;
      return null;
    },
  });
  return items.map((item) => {
    const signals: IntentSignals[] = [];
    for (const names of views) {
      seen = null;
      recorder.routeWith(item.question, [], names);
      if (seen) signals.push(seen);
    }
    return { item, signals };
  });
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Multinomial logistic regression by SGD over a df-capped vocabulary; deterministic. */
export function train(examples: Example[], hyper = HYPER): IntentModelData {
  const df = new Map<number, number>();
  for (const e of examples) for (const k of e.keys) df.set(k, (df.get(k) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= hyper.minDf)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, hyper.maxFeatures)
    .map(([k]) => k)
    .sort((a, b) => a - b);
  const index = new Map(vocab.map((k, i) => [k, i]));
  const c = CLASSES.length;
  const w = new Float64Array(vocab.length * c);
  const rows = examples.map((e) => e.keys.map((k) => index.get(k)).filter((i): i is number => i !== undefined));
  const order = examples.map((_, i) => i);
  const rand = lcg(hyper.seed);
  const z = new Float64Array(c);
  for (let epoch = 0; epoch < hyper.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    const rate = hyper.rate / (1 + epoch * 0.2);
    for (const n of order) {
      const feats = rows[n] ?? [];
      const label = examples[n]?.label ?? 0;
      z.fill(0);
      for (const f of feats) for (let j = 0; j < c; j++) z[j] = (z[j] ?? 0) + (w[f * c + j] ?? 0);
      let max = -Infinity;
      for (let j = 0; j < c; j++) max = Math.max(max, z[j] ?? 0);
      let sum = 0;
      for (let j = 0; j < c; j++) {
        z[j] = Math.exp((z[j] ?? 0) - max);
        sum += z[j] ?? 0;
      }
      for (let j = 0; j < c; j++) {
        const g = (z[j] ?? 0) / sum - (j === label ? 1 : 0);
        for (const f of feats) {
          const at = f * c + j;
          w[at] = (w[at] ?? 0) - rate * (g + hyper.l2 * (w[at] ?? 0));
        }
      }
    }
  }
  const keys = Buffer.alloc(vocab.length * 4);
  for (const [i, k] of vocab.entries()) keys.writeUInt32LE(k, i * 4);
  const weights = Buffer.alloc(vocab.length * c * 2);
  for (const [i, v] of w.entries()) weights.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * hyper.scale))), i * 2);
  return { classes: [...CLASSES], signals: hyper.signals, scale: hyper.scale, keys: keys.toString('base64'), weights: weights.toString('base64') };
}

function examplesOf(set: string, collected: Array<{ item: RoutingItem; signals: IntentSignals[] }>, withRules: SignalFeatures): Example[] {
  const out: Example[] = [];
  for (const { item, signals } of collected) {
    const label = CLASSES.indexOf(baseIntent(item.intent) as (typeof CLASSES)[number]);
    if (label < 0) continue;
    const seen = new Set<string>();
    for (const s of signals) {
      const keys = featureKeys(s, withRules);
      const id = keys.join(',');
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ set, label, keys });
    }
  }
  return out;
}

async function loadAll(views: Array<KnownNames | null>) {
  const sets: Array<{ set: string; items: RoutingItem[]; collected: Array<{ item: RoutingItem; signals: IntentSignals[] }> }> = [];
  for (const [set, file] of Object.entries(TRAINING_SETS)) {
    const items = await readRoutingSet(path.join(repoRoot, file));
    sets.push({ set, items, collected: collect(items, views) });
  }
  return sets;
}

function accuracy(items: RoutingItem[], arbiter: IntentArbiter | null, names: KnownNames | null): number {
  const router = createRuleRouter({ arbiter });
  const predictions = items.map((item) => ({ id: item.id, ...router.routeWith(item.question, [], names) }));
  return scoreRouting(items, predictions).intent_accuracy;
}

/** `--set key=value` overrides of the hyper-parameters (LOSO experiments only). */
function hyperOption(base: Hyper): Hyper {
  const out: Record<string, unknown> = { ...base };
  process.argv.forEach((arg, i) => {
    if (arg !== '--set') return;
    const [key, value] = (process.argv[i + 1] ?? '').split('=');
    if (key) out[key] = Number(value);
  });
  return out as unknown as Hyper;
}

function signalOption(): SignalFeatures {
  const at = process.argv.indexOf('--signals');
  const value = at >= 0 ? process.argv[at + 1] : HYPER.signals;
  return value === 'all' || value === 'entities' ? value : 'none';
}

async function loso(): Promise<void> {
  const cric = namesFromQueues(loadCricSqlite(CRIC_DB));
  const sets = await loadAll([cric, null]);
  const never = { out_of_scope: ['docs'] };
  const policies: Array<[string, ArbiterPolicy]> = [
    ['default', DEFAULT_POLICY],
    ['any move', { minP: 0.6, fallbackOnly: true, pandaWordInScope: false, never: {} }],
    ['docs>oos ok', { minP: 0.6, fallbackOnly: true, pandaWordInScope: false, never }],
    ['docs>oos w/o panda word', { minP: 0.7, fallbackOnly: true, pandaWordInScope: true, never }],
    ['any rule p>=0.9', { ...DEFAULT_POLICY, minP: 0.9, fallbackOnly: false }],
  ];
  const withRules = signalOption();
  const totals = new Map<string, number[]>();
  const clf = [0, 0, 0, 0, 0];
  const header = ['fold', 'n', 'view', 'rules', ...policies.map(([name]) => name)];
  console.log(header.join('\t'));
  for (const fold of sets) {
    const trainEx = sets.filter((s) => s.set !== fold.set).flatMap((s) => examplesOf(s.set, s.collected, withRules));
    const model = loadModel(train(trainEx, hyperOption({ ...HYPER, signals: withRules })));
    let [all, allOk, fb, fbClf, fbRules] = [0, 0, 0, 0, 0];
    for (const { item, signals } of fold.collected)
      for (const s of signals) {
        const gold = baseIntent(item.intent);
        const c = classifyIntent(model, s).intent;
        all++;
        if (c === gold) allOk++;
        if (!isFallback(s.reason)) continue;
        fb++;
        if (c === gold) fbClf++;
        if (s.intent === gold) fbRules++;
      }
    [all, allOk, fb, fbClf, fbRules].forEach((v, i) => {
      clf[i] = (clf[i] ?? 0) + v;
    });
    console.log(`${fold.set}\tclassifier alone ${(allOk / all).toFixed(4)} on ${all}; on rule defaults: classifier ${fbClf}, rules ${fbRules} of ${fb}`);
    for (const [view, names] of [
      ['shapes', null],
      ['cric', cric],
    ] as const) {
      const row = [accuracy(fold.items, null, names), ...policies.map(([, p]) => accuracy(fold.items, createArbiter(model, p), names))];
      const key = view;
      const acc = totals.get(key) ?? new Array<number>(row.length).fill(0);
      row.forEach((v, i) => {
        acc[i] = (acc[i] ?? 0) + v;
      });
      totals.set(key, acc);
      console.log([fold.set, fold.items.length, view, ...row.map((v) => v.toFixed(4))].join('\t'));
    }
  }
  console.log(`classifier alone ${((clf[1] ?? 0) / (clf[0] ?? 1)).toFixed(4)}; on rule defaults: classifier ${clf[3]}, rules ${clf[4]} of ${clf[2]}`);
  for (const [view, acc] of totals) console.log(['mean', '', view, ...acc.map((v) => (v / sets.length).toFixed(4))].join('\t'));
}

function chunk(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

async function write(): Promise<void> {
  const cric = namesFromQueues(loadCricSqlite(CRIC_DB));
  const sets = await loadAll([cric, null]);
  const examples = sets.flatMap((s) => examplesOf(s.set, s.collected, HYPER.signals));
  const data = train(examples);
  const lines = (s: string): string =>
    chunk(s, 140)
      .map((c) => `    '${c}'`)
      .join(' +\n');
  const text = `/**
 * Weights of the learned intent arbiter (agents/selection/intent-classifier.ts). GENERATED by
 *   npx tsx scripts/train-intent-classifier.ts
 * from ${examples.length} examples of the labelled routing sets ${Object.keys(TRAINING_SETS).join(', ')}
 * (scripts/train-intent-classifier.ts TRAINING_SETS), multinomial logistic regression over the features of
 * intent-features.ts v${FEATURE_VERSION}, ${data.keys.length > 0 ? Buffer.from(data.keys, 'base64').length / 4 : 0} features kept. Do not edit: re-run the script (same sets → same file).
 */
import type { IntentModelData } from './intent-features.js';

/** sha256 (16 hex) of the training sets, intent-features.ts and the hyper-parameters this file was trained from. */
export const TRAINING_FINGERPRINT = '${trainingFingerprint()}';

export const INTENT_MODEL: IntentModelData = {
  classes: ${JSON.stringify(data.classes).replace(/"/g, "'").replace(/,/g, ', ')},
  signals: '${data.signals}',
  scale: ${data.scale},
  keys:
${lines(data.keys)},
  weights:
${lines(data.weights)},
};
`;
  writeFileSync(path.join(repoRoot, OUT), text);
  console.log(`wrote ${OUT}: ${examples.length} examples, ${text.length} bytes`);
}

async function debug(foldName: string): Promise<void> {
  const cric = namesFromQueues(loadCricSqlite(CRIC_DB));
  const sets = await loadAll([cric, null]);
  const withRules = signalOption();
  const trainEx = sets.filter((s) => s.set !== foldName).flatMap((s) => examplesOf(s.set, s.collected, withRules));
  const model = loadModel(train(trainEx, { ...HYPER, signals: withRules }));
  for (const { item, signals } of sets.find((s) => s.set === foldName)?.collected ?? []) {
    for (const s of signals) {
      const c = classifyIntent(model, s);
      const gold = baseIntent(item.intent);
      const over = arbitrate(model, s);
      if (process.argv.includes('--overrides') ? over : gold !== s.intent || c.intent !== s.intent)
        console.log(
          `${gold === s.intent ? ' ' : 'R'}${gold === c.intent ? ' ' : 'C'} gold=${gold} rules=${s.intent} clf=${c.intent} ${c.p.toFixed(2)} fb=${isFallback(s.reason)} code=${s.code?.how ?? '-'} | ${item.question}`,
        );
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const fold = process.argv.indexOf('--debug');
  if (fold >= 0) await debug(process.argv[fold + 1] ?? 'routing5');
  else if (process.argv.includes('--loso')) await loso();
  else await write();
}
