/**
 * The docqa evaluation (same normalisation and metrics as ../shared/eval/score.py): retrieval —
 * rank = first passage containing an evidence phrase; hit@k, MRR@10, MRR per source / difficulty —
 * and answers — share of answer keywords the reply states, and how often the agent abstains.
 * Items without evidence (or `"answerable": false`) are questions the documents do not answer:
 * they count only for abstention.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DocumentStore } from '../contracts/documents.js';
import { InputError } from '../errors.js';

export const docqaItemSchema = z.object({
  id: z.string(),
  question: z.string(),
  source: z.string().default(''),
  evidence: z.array(z.string()).default([]),
  answer_keywords: z.array(z.string()).default([]),
  difficulty: z.string().default('unknown'),
  answerable: z.boolean().optional(),
});

export type DocqaItem = z.infer<typeof docqaItemSchema>;

export interface DocqaPrediction {
  id: string;
  passages: string[];
  /** The reply text a user reads (score.py answers). */
  answer?: string;
  /** True when the reply says the documents do not cover the question. */
  abstained?: boolean;
}

/** A question the documents answer (it has evidence and is not marked unanswerable). */
export const isAnswerable = (item: DocqaItem): boolean => item.answerable !== false && item.evidence.length > 0;

export interface AnswerMetrics {
  /** Answerable questions. */
  n: number;
  keywordRecall: number;
  /** Share of answerable questions whose answer states every keyword. */
  complete: number;
  recallByGroup: Record<string, number>;
  /** Answerable questions the agent wrongly declined. */
  falseAbstentions: number;
  /** Unanswerable questions, and how many of them the agent declined. */
  unanswerable: number;
  abstainedUnanswerable: number;
  /** Of all abstentions, the share on unanswerable questions (null: never abstained). */
  abstentionPrecision: number | null;
  /** Of unanswerable questions, the share declined (null: none in the set). */
  abstentionRecall: number | null;
}

export interface DocqaMetrics {
  n: number;
  hit: Record<number, number>;
  mrr: number;
  mrrByGroup: Record<string, number>;
  ranks: Record<string, number | null>;
}

const FOLD: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u00a0': ' ' };

export function normText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u00a0]/g, (c) => FOLD[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function readDocqaFile(file: string): DocqaItem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`Evaluation file ${file} could not be read: ${(error as Error).message}`, error);
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const parsed = docqaItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new InputError(`Evaluation file ${file} line ${i + 1} is not a docqa item: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

export function firstHitRank(passages: readonly string[], evidence: readonly string[]): number | null {
  const phrases = evidence.map(normText);
  for (let i = 0; i < passages.length; i += 1) {
    const t = normText(passages[i] ?? '');
    if (phrases.some((p) => t.includes(p))) return i + 1;
  }
  return null;
}

export function scoreRetrieval(all: readonly DocqaItem[], predictions: readonly DocqaPrediction[], ks: readonly number[] = [1, 3, 5, 10]): DocqaMetrics {
  const items = all.filter(isAnswerable);
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const kmax = Math.max(...ks);
  const hit: Record<number, number> = {};
  for (const k of ks) hit[k] = 0;
  let mrr = 0;
  const groups = new Map<string, number[]>();
  const ranks: Record<string, number | null> = {};
  for (const item of items) {
    const rank = firstHitRank((byId.get(item.id)?.passages ?? []).slice(0, kmax), item.evidence);
    ranks[item.id] = rank;
    for (const k of ks) if (rank !== null && rank <= k) hit[k] = (hit[k] ?? 0) + 1;
    const rr = rank ? 1 / rank : 0;
    mrr += rr;
    for (const g of [`source=${item.source}`, `difficulty=${item.difficulty}`]) groups.set(g, [...(groups.get(g) ?? []), rr]);
  }
  const n = items.length || 1;
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  for (const k of ks) hit[k] = round((hit[k] ?? 0) / n);
  const mrrByGroup: Record<string, number> = {};
  for (const [g, v] of [...groups.entries()].sort()) mrrByGroup[g] = round(v.reduce((a, b) => a + b, 0) / v.length);
  return { n: items.length, hit, mrr: round(mrr / n), mrrByGroup, ranks };
}

/** Asks the store every question; passages are the texts handed to an LLM, at most `maxChars` each. */
export async function predictDocqa(
  store: DocumentStore,
  items: readonly DocqaItem[],
  options: { limit?: number; maxChars?: number } = {},
): Promise<DocqaPrediction[]> {
  const limit = options.limit ?? 10;
  const maxChars = options.maxChars ?? 2000;
  const out: DocqaPrediction[] = [];
  for (const item of items) {
    const passages = await store.search(item.question, { limit, kinds: ['doc'] });
    out.push({ id: item.id, passages: passages.map((p) => p.text.slice(0, maxChars)) });
  }
  return out;
}

/** Keyword recall of the answers (as `score.py answers`) and the precision / recall of abstaining. */
export function scoreAnswers(all: readonly DocqaItem[], predictions: readonly DocqaPrediction[]): AnswerMetrics {
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const items = all.filter(isAnswerable);
  const groups = new Map<string, number[]>();
  let recall = 0;
  let complete = 0;
  let falseAbstentions = 0;
  for (const item of items) {
    const pred = byId.get(item.id);
    const answer = normText(pred?.answer ?? '');
    const keywords = item.answer_keywords.map(normText);
    const found = keywords.filter((k) => answer.includes(k)).length;
    const r = keywords.length > 0 ? found / keywords.length : 0;
    recall += r;
    if (keywords.length > 0 && found === keywords.length) complete += 1;
    if (pred?.abstained) falseAbstentions += 1;
    const g = `difficulty=${item.difficulty}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  const unanswerable = all.filter((i) => !isAnswerable(i));
  const abstainedUnanswerable = unanswerable.filter((i) => byId.get(i.id)?.abstained === true).length;
  const abstained = abstainedUnanswerable + falseAbstentions;
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  const n = items.length || 1;
  const recallByGroup: Record<string, number> = {};
  for (const [g, v] of [...groups.entries()].sort()) recallByGroup[g] = round(v.reduce((a, b) => a + b, 0) / v.length);
  return {
    n: items.length,
    keywordRecall: round(recall / n),
    complete: round(complete / n),
    recallByGroup,
    falseAbstentions,
    unanswerable: unanswerable.length,
    abstainedUnanswerable,
    abstentionPrecision: abstained > 0 ? round(abstainedUnanswerable / abstained) : null,
    abstentionRecall: unanswerable.length > 0 ? round(abstainedUnanswerable / unanswerable.length) : null,
  };
}
