/**
 * Whether the documentation answers a question: the signals the docs agent already computes,
 * gathered in one place (see abstentionSignals), and the decision made from them. The decision is
 * a logistic regression learned on the project's tuning sets (answerable vs unanswerable
 * questions; see scripts/train-abstention.ts and abstention-weights.ts) with a threshold that
 * favours answering: a wrong "not in my documents" costs the user more than a weak quote under a
 * "the closest it says is" lead. A name no passage mentions still declines outright (see vetoed). The hand-set rules it replaces are kept (rulesDecline) for
 * comparison and for an operator who sets an explicit score threshold.
 */
import type { Passage } from '../../src/contracts/documents.js';
import { analyseQuery, type Glossary, keysOf } from '../../src/index/index.js';
import { type AbstentionModel, unanswerableProbability } from './abstention-model.js';
import { ABSTENTION_MODEL } from './abstention-weights.js';
import type { AskedKind } from './answer-intent.js';
import { type Selection, strongIdentifiers } from './extractive.js';
import type { Foreign } from './foreign.js';

/** What the agent knows about a question and its retrieved passages before it answers. */
export interface AbstentionSignals {
  /** Relevance (0–1) of the best passage. */
  top: number;
  /** How far the best passage stands above the second (0 with one passage). */
  gap: number;
  /** Share (0–1) of the question's weighted words the best sentence of the top 3 passages and its neighbours state. */
  coverage: number;
  /** Share (0–1) of the question's weighted words that any retrieved passage states (glossary synonyms count). */
  stated: number;
  /** top + COVERAGE_WEIGHT × coverage: the evidence the old threshold rule compares. */
  evidence: number;
  /** evidence minus the threshold for the question's length (see thresholdFor); ≥ 0 cleared it. */
  margin: number;
  /** Whether the best quote holds the kind of fact asked for (true when no kind is asked). */
  holdsAsked: boolean;
  /** Whether the question names an exact identifier (an option, a file, a code). */
  identifierAsked: boolean;
  /** Whether one of the top 3 passages states such an identifier of the question. */
  identifierFound: boolean;
  /** Share (0–1) of the question's weighted words the whole documentation never uses (see foreign.ts). */
  foreignShare: number;
  /** Those words. */
  foreign: string[];
  /** Names the question asks about that no retrieved passage mentions (see unmentioned.ts). */
  unmentioned: string[];
  /** The user's own topical words (weight 1 after stop words). */
  words: number;
  /** The kinds of fact asked for (see answer-intent.ts). */
  asked: AskedKind[];
  /** Score of the best quote (0 when none). */
  quoteScore: number;
}

export interface SignalInput {
  question: string;
  passages: readonly Passage[];
  /** The quote selection over the top passages (null when nothing was retrieved). */
  probe: Selection | null;
  foreign: Foreign;
  unmentioned: readonly string[];
  /** The score threshold for this question (see thresholdFor). */
  threshold: number;
  glossary: Glossary;
}

/** How much a fifth of coverage adds to the best passage's relevance (the old rule's evidence). */
export const COVERAGE_WEIGHT = 0.2;
/** The old foreign-words rule: this share of foreign words below this evidence declines. */
export const FOREIGN_SHARE = 0.14;
export const FOREIGN_EVIDENCE = 0.5;

export function abstentionSignals(input: SignalInput): AbstentionSignals {
  const { question, passages, probe, foreign, unmentioned, threshold, glossary } = input;
  const scores = passages.map((p) => p.score).sort((a, b) => b - a);
  const top = Math.max(0, scores[0] ?? 0);
  const second = Math.max(0, scores[1] ?? 0);
  const query = analyseQuery(question, glossary);
  const statedBy = (ps: readonly Passage[]): number => {
    const keys = new Set(ps.flatMap((p) => keysOf(`${p.title} ${p.section ?? ''} ${p.text}`)));
    let total = 0;
    let got = 0;
    for (const t of query.terms) {
      total += t.weight;
      if (keys.has(t.key) || t.alternatives.some((a) => a.keys.length > 0 && a.keys.every((k) => keys.has(k)))) got += t.weight;
    }
    return total > 0 ? got / total : 0;
  };
  const coverage = probe?.coverage ?? 0;
  const evidence = top + COVERAGE_WEIGHT * coverage;
  return {
    top,
    gap: top - second,
    coverage,
    stated: statedBy(passages),
    evidence,
    margin: evidence - threshold,
    holdsAsked: probe?.holdsAsked ?? false,
    identifierAsked: strongIdentifiers(question).some((t) => !/^\d+$/.test(t)),
    identifierFound: probe?.identifierFound ?? false,
    foreignShare: foreign.share,
    foreign: [...foreign.words],
    unmentioned: [...unmentioned],
    words: query.terms.filter((t) => t.weight >= 1).length,
    asked: [...(probe?.asked ?? [])],
    quoteScore: Math.max(0, ...(probe?.quotes.map((q) => q.score) ?? [])),
  };
}

/**
 * The hand-set rules the model replaces: a name no passage mentions; words the documentation never
 * uses (share ≥ 0.14) below an evidence of 0.5; evidence below the threshold unless a passage
 * names an identifier of the question; nothing retrieved.
 */
export function rulesDecline(s: AbstentionSignals): boolean {
  if (s.top <= 0) return true;
  if (s.unmentioned.length > 0) return true;
  if (s.evidence < FOREIGN_EVIDENCE && s.foreignShare >= FOREIGN_SHARE) return true;
  return !(s.margin >= 0 || s.identifierFound);
}

export { type AbstentionModel, unanswerableProbability } from './abstention-model.js';

const KINDS: readonly AskedKind[] = ['number', 'identifier', 'contact', 'steps', 'definition', 'reason', 'location'];

/** The model's inputs, in order (the weights module lists the same names). */
export const FEATURE_NAMES: readonly string[] = [
  'top',
  'gap',
  'coverage',
  'stated',
  'margin',
  'holdsAsked',
  'identifierAsked',
  'identifierFound',
  'identifierMissing',
  'foreignShare',
  'foreignAny',
  'logWords',
  'quoteScore',
  'kinds',
  ...KINDS.map((k) => `asks:${k}`),
];

const flag = (b: boolean): number => (b ? 1 : 0);

/** The signals as the model's numbers (see FEATURE_NAMES). */
export function featureVector(s: AbstentionSignals): number[] {
  return [
    s.top,
    s.gap,
    s.coverage,
    s.stated,
    s.margin,
    flag(s.holdsAsked),
    flag(s.identifierAsked),
    flag(s.identifierFound),
    flag(s.identifierAsked && !s.identifierFound),
    s.foreignShare,
    flag(s.foreign.length > 0),
    Math.log1p(s.words),
    s.quoteScore,
    s.asked.length,
    ...KINDS.map((k) => flag(s.asked.includes(k))),
  ];
}

export interface AbstentionDecision {
  decline: boolean;
  /** The model's probability that the question is unanswerable. */
  probability: number;
  /** What the hand-set rules would have said. */
  rules: boolean;
}

/**
 * A name the question asks about that no retrieved passage mentions declines outright (the model
 * is learned on the other questions): on every tuning set 50 of the 52 questions it fired on were
 * unanswerable, a veto a linear model can only approximate. Nothing retrieved leaves nothing to quote.
 */
export function vetoed(s: AbstentionSignals): boolean {
  return s.top <= 0 || s.unmentioned.length > 0;
}

export function decideAbstention(s: AbstentionSignals, model: AbstentionModel = ABSTENTION_MODEL): AbstentionDecision {
  const rules = rulesDecline(s);
  const probability = unanswerableProbability(featureVector(s), model);
  return { decline: vetoed(s) || probability >= model.threshold, probability, rules };
}
