/**
 * Features of the learned intent arbiter (intent-classifier.ts): the message with its entities
 * replaced by placeholders (<PANDAID>, <TASKID>, <CODE>, <QUEUE>, <SITE>, <URL>, <OPT>, <IDENT>),
 * its word unigrams and bigrams and character 3–5-grams, plus what the rule router found and
 * decided. A feature is a 32-bit hash of its name; the training script (scripts/train-intent-
 * classifier.ts) and the classifier use this one function, so training and routing agree. The stored
 * model's format (IntentModelData) is here too, so the weights module imports nothing that imports it.
 */
import type { Intent } from '../../src/contracts/routing.js';
import { DOCS_DEFAULT, OUT_OF_SCOPE_DEFAULT } from './intent.js';
import { escapeRe } from './text.js';

/** Bumped whenever the features change (the weights module records the version it was trained with). */
export const FEATURE_VERSION = 1;

/** What the rules saw and decided for one message: the input of the arbiter. */
export interface IntentSignals {
  /** The message as typed (Unicode-folded). */
  text: string;
  /** The rules' intent, reason and confidence before the arbiter. */
  intent: Intent;
  reason: string;
  confidence: number;
  /** Kinds of the IDs found ('job', 'task'), in order. */
  ids: string[];
  /** The error code found and how it was found ('component', 'generic', 'bare'). */
  code: { component: string | null; how: string } | null;
  /** Queue and site names found (CRIC spelling when known). */
  names: Array<{ kind: 'queue' | 'site'; name: string; known: boolean }>;
  /** No code found, but one number could be one (error-codes.ts codeCandidate). */
  codeCandidate: boolean;
  /** A word only the grid/PanDA world uses (vocabulary.ts PANDA_STRONG). */
  pandaWord: boolean;
}

const URL_RE = /\bhttps?:\/\/([^\s/]+)(\/[^\s]*)?/gi;

/** A URL as its host's first label and its path words ("atlas-cric … /api/atlas/pandaqueue/query" → "<URL> cric api atlas pandaqueue query"). */
function urlShape(_m: string, host: string, path: string | undefined): string {
  const hostWord = host.toLowerCase().includes('bigpanda') ? 'bigpanda' : host.toLowerCase().includes('cric') ? 'cric' : 'host';
  const words = (path ?? '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3 && w.length <= 20)
    .slice(0, 6);
  return ` <URL> ${hostWord} ${words.join(' ')} `;
}

/** The message with entities as placeholders, lower case except the placeholders. */
export function normaliseMessage(signals: Pick<IntentSignals, 'text' | 'names'>): string {
  let text = signals.text.replace(URL_RE, urlShape);
  const names = [...signals.names].sort((a, b) => b.name.length - a.name.length);
  for (const n of names) text = text.replace(new RegExp(`(?<![\\w-])${escapeRe(n.name)}(?![\\w-])`, 'gi'), n.kind === 'queue' ? ' <QUEUE> ' : ' <SITE> ');
  text = text
    .replace(/(?<![\w-])--?[a-zA-Z][\w-]*/g, ' <OPT> ')
    .replace(/(?<![\w<])\d{10}(?!\w)/g, ' <PANDAID> ')
    .replace(/(?<![\w<])\d{8}(?!\w)/g, ' <TASKID> ')
    .replace(/(?<![\w.<])\d{1,4}(?![\w.]?\d)/g, ' <CODE> ')
    .replace(/(?<![\w<])\d+(?:\.\d+)*/g, ' <NUM> ')
    .replace(/(?<![<\w-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w>-])/g, ' <IDENT> ')
    .replace(/(?<![<\w-])(?=[A-Z0-9-]*[0-9-])[A-Z][A-Z0-9-]{2,}(?![\w>-])/g, ' <IDENT> ');
  return text
    .replace(/[^<>A-Za-z0-9\u00c0-\u024f\u0400-\u04ff?!' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.startsWith('<') && w.endsWith('>') ? w : w.toLowerCase()))
    .join(' ');
}

/** The rule's reason without its numbers, names and quoted parts (a rule's identity, not its values). */
export function reasonTemplate(reason: string): string {
  return reason
    .replace(/"[^"]*"|\([^)]*\)/g, '')
    .replace(/\b[\w.-]*\d[\w.-]*\b/g, 'N')
    .replace(/\b[A-Z][\w.-]*[A-Z_-][\w.-]*\b/g, 'X')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The rules chose one of their defaults (intent.ts): no specific rule matched. */
export function isFallback(reason: string): boolean {
  return reason === DOCS_DEFAULT || reason === OUT_OF_SCOPE_DEFAULT;
}

/** The feature names of one message (duplicates kept: the classifier counts them once). */
export function featureNames(signals: IntentSignals): string[] {
  const words = normaliseMessage(signals).split(' ').filter(Boolean);
  const out: string[] = ['bias'];
  const padded = ['<s>', ...words, '</s>'];
  for (const w of words) out.push(`w:${w}`);
  for (let i = 0; i + 1 < padded.length; i++) out.push(`b:${padded[i]} ${padded[i + 1]}`);
  for (const w of words) {
    if (w.startsWith('<') || w.length < 3) continue;
    const g = `^${w}$`;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= g.length; i++) out.push(`c:${g.slice(i, i + n)}`);
  }
  out.push(`len:${Math.min(words.length, 12) >> 1}`);
  out.push(`r:intent=${signals.intent}`, `r:reason=${reasonTemplate(signals.reason)}`, `r:conf=${Math.round(signals.confidence * 10)}`);
  if (isFallback(signals.reason)) out.push('r:fallback');
  for (const kind of new Set(signals.ids)) out.push(`e:id=${kind}`);
  if (signals.code) out.push(`e:code=${signals.code.how}`, `e:component=${signals.code.component ?? 'none'}`);
  for (const n of signals.names) out.push(`e:${n.kind}${n.known ? '' : ':shape'}`);
  if (signals.codeCandidate) out.push('e:code=candidate');
  if (signals.pandaWord) out.push('e:panda-word');
  return out;
}

/** FNV-1a, 32 bits: the key a feature's weights are stored under. */
export function featureHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Which of the rules' signals are features: all (decision and entities), entities only, or none (text only). */
export type SignalFeatures = 'all' | 'entities' | 'none';

/** The distinct feature hashes of one message. */
export function featureKeys(signals: IntentSignals, signalFeatures: SignalFeatures = 'all'): number[] {
  const names = featureNames(signals).filter((f) => signalFeatures === 'all' || !(f.startsWith('r:') || (signalFeatures === 'none' && f.startsWith('e:'))));
  return [...new Set(names.map(featureHash))];
}

/** A trained model as the weights module stores it. */
export interface IntentModelData {
  classes: readonly string[];
  /** Which of the rules' signals are features besides the text. */
  signals: SignalFeatures;
  /** Weights are stored as integers: weight = stored / scale. */
  scale: number;
  /** base64 of the sorted Uint32 feature hashes (little endian). */
  keys: string;
  /** base64 of Int16 weights, `classes.length` per key, in key order (little endian). */
  weights: string;
}
