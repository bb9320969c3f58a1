/**
 * The learned intent arbiter: a multinomial logistic regression over the features of
 * intent-features.ts, trained by scripts/train-intent-classifier.ts on the project's labelled
 * routing sets (weights in intent-weights.ts). It decides intent only; entities stay the rules'.
 * It overrides the rules only where they fell back to a default and it is confident, and only to
 * an intent the message's entities allow (`job` needs a job ID, `task` a task ID, `error_code` a code).
 */
import type { Intent } from '../../src/contracts/routing.js';
import { featureKeys, type IntentModelData, type IntentSignals, isFallback, type SignalFeatures } from './intent-features.js';
import { INTENT_MODEL } from './intent-weights.js';

export interface IntentModel {
  classes: readonly string[];
  signals: SignalFeatures;
  /** feature hash → row of weights (one per class) */
  rows: Map<number, Float64Array>;
}

export interface IntentScores {
  /** The most probable intent and its probability. */
  intent: string;
  p: number;
  probs: Record<string, number>;
}

/** When the arbiter may override the rules. */
export interface ArbiterPolicy {
  /** Minimum probability of the classifier's intent. */
  minP: number;
  /** Override only where the rules fell back to their default. */
  fallbackOnly: boolean;
  /** A message with a PanDA-only word (PANDA_STRONG) is never moved to out_of_scope. */
  pandaWordInScope: boolean;
  /** Intents the arbiter never moves a message to from the rules' default intent (`docs` from out_of_scope: no PanDA word, no docs question). */
  never: Partial<Record<string, readonly string[]>>;
}

export const DEFAULT_POLICY: ArbiterPolicy = {
  minP: 0.6,
  fallbackOnly: true,
  pandaWordInScope: true,
  never: { out_of_scope: ['docs'], docs: ['out_of_scope'] },
};

function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export function loadModel(data: IntentModelData): IntentModel {
  const keyBytes = bytes(data.keys);
  const weightBytes = bytes(data.weights);
  const keys = new DataView(keyBytes.buffer, keyBytes.byteOffset, keyBytes.byteLength);
  const weights = new DataView(weightBytes.buffer, weightBytes.byteOffset, weightBytes.byteLength);
  const c = data.classes.length;
  const rows = new Map<number, Float64Array>();
  for (let i = 0; i * 4 < keyBytes.byteLength; i++) {
    const row = new Float64Array(c);
    for (let j = 0; j < c; j++) row[j] = weights.getInt16((i * c + j) * 2, true) / data.scale;
    rows.set(keys.getUint32(i * 4, true), row);
  }
  return { classes: data.classes, signals: data.signals, rows };
}

/** Class probabilities for feature keys (softmax of the summed weight rows). */
export function scoreKeys(model: IntentModel, keys: number[]): number[] {
  const z = new Array<number>(model.classes.length).fill(0);
  for (const k of keys) {
    const row = model.rows.get(k);
    if (row) for (let j = 0; j < z.length; j++) z[j] = (z[j] ?? 0) + (row[j] ?? 0);
  }
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export function classifyIntent(model: IntentModel, signals: IntentSignals): IntentScores {
  const probs = scoreKeys(model, featureKeys(signals, model.signals));
  let best = 0;
  for (let j = 1; j < probs.length; j++) if ((probs[j] ?? 0) > (probs[best] ?? 0)) best = j;
  return { intent: model.classes[best] ?? 'docs', p: probs[best] ?? 0, probs: Object.fromEntries(model.classes.map((c, j) => [c, probs[j] ?? 0])) };
}

/** The intents the message's entities allow: no `job` without a job ID, no `task` without a task ID, no `error_code` without a code. */
export function allowedIntent(intent: string, signals: IntentSignals): boolean {
  if (intent === 'job') return signals.ids.includes('job');
  if (intent === 'task') return signals.ids.includes('task');
  if (intent === 'error_code') return signals.code !== null || signals.codeCandidate;
  // A queue question names its queue or site; a message with no PanDA word only one CRIC knows ("and desy-zn?").
  if (intent === 'queue') return signals.names.some((n) => n.known || signals.intent !== 'out_of_scope');
  return true;
}

/** The arbiter's intent when it overrides the rules, else null. */
export function arbitrate(model: IntentModel, signals: IntentSignals, policy: ArbiterPolicy = DEFAULT_POLICY): { intent: Intent; p: number } | null {
  if (policy.fallbackOnly && !isFallback(signals.reason)) return null;
  const scores = classifyIntent(model, signals);
  if (scores.intent === signals.intent || scores.p < policy.minP || !allowedIntent(scores.intent, signals)) return null;
  if (policy.never[signals.intent]?.includes(scores.intent)) return null;
  if (policy.pandaWordInScope && scores.intent === 'out_of_scope' && signals.pandaWord) return null;
  return { intent: scores.intent, p: scores.p };
}

/** Overrides the rules' intent for one message (or not: null). */
export type IntentArbiter = (signals: IntentSignals) => { intent: Intent; p: number } | null;

/** An arbiter over a model and a policy. */
export function createArbiter(model: IntentModel, policy: ArbiterPolicy = DEFAULT_POLICY): IntentArbiter {
  return (signals) => arbitrate(model, signals, policy);
}

let committed: IntentModel | null = null;

/** The arbiter of the committed weights (intent-weights.ts), loaded on first use. */
export function learnedArbiter(policy: ArbiterPolicy = DEFAULT_POLICY): IntentArbiter {
  return (signals) => {
    committed ??= loadModel(INTENT_MODEL);
    return arbitrate(committed, signals, policy);
  };
}
