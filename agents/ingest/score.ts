/** The discussions scorer (port of ../shared/eval/score_discussions.py: ingest and qa). */
import { z } from 'zod';
import type { ExportedThread } from './export-format.js';
import { secretSurvives } from '../../src/logs/index.js';

export const questionSchema = z.object({
  id: z.string(),
  question: z.string(),
  asked_in_channel: z.object({ id: z.string(), private: z.boolean(), platform: z.string(), name: z.string().optional() }),
  gold_thread_id: z.string().nullable(),
  answer_keywords: z.array(z.string()).default([]),
  must_not_use: z.string().optional(),
  leak_keywords: z.array(z.string()).default([]),
});
export type ThreadQuestion = z.infer<typeof questionSchema>;

export interface IngestPrediction {
  thread_id: string;
  ingested: boolean;
  private: boolean;
  stored_text: string;
}
export interface QaPrediction {
  id: string;
  threads: string[];
  answer: string;
}

interface Label {
  should_ingest?: boolean;
  category?: string;
  secrets?: string[];
}
const labelOf = (t: ExportedThread): Label => (t.label ?? {}) as Label;
const round = (x: number): number => Math.round(x * 10000) / 10000;

export function scoreIngest(threads: readonly ExportedThread[], preds: readonly IngestPrediction[]) {
  const p = new Map(preds.map((x) => [x.thread_id, x]));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let privateUnflagged = 0;
  let leaks = 0;
  let total = 0;
  const perCat: Record<string, [number, number]> = {};
  const errors: string[] = [];
  for (const t of threads) {
    const pr = p.get(t.thread_id);
    const ing = pr?.ingested ?? false;
    const label = labelOf(t);
    const gold = label.should_ingest === true;
    const cat = label.category ?? '?';
    const c = perCat[cat] ?? [0, 0];
    perCat[cat] = c;
    c[0] += ing ? 1 : 0;
    c[1] += 1;
    if (ing && gold) tp++;
    else if (ing) fp++;
    else if (gold) fn++;
    else tn++;
    if (ing !== gold) errors.push(`${t.thread_id} (${cat}) ${ing ? 'ingested' : 'skipped'}`);
    if (ing && t.channel.private && pr?.private === false) privateUnflagged++;
    if (ing && pr) {
      for (const s of label.secrets ?? []) {
        total++;
        if (secretSurvives(s, pr.stored_text)) leaks++;
      }
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    precision: round(precision),
    recall: round(recall),
    f1: precision + recall ? round((2 * precision * recall) / (precision + recall)) : 0,
    tp,
    fp,
    fn,
    tn,
    privateUnflagged,
    secretsSurviving: leaks,
    secretsTotal: total,
    byCategory: Object.fromEntries(
      Object.entries(perCat)
        .sort()
        .map(([k, v]) => [k, `${v[0]}/${v[1]}`]),
    ),
    errors,
  };
}

export function scoreQa(questions: readonly ThreadQuestion[], threads: readonly ExportedThread[], preds: readonly QaPrediction[], k = 5) {
  const p = new Map(preds.map((x) => [x.id, x]));
  const byId = new Map(threads.map((t) => [t.thread_id, t]));
  let hits = 0;
  let nGold = 0;
  let kwHit = 0;
  let kwTotal = 0;
  let ineligible = 0;
  const leaks: string[] = [];
  const misses: string[] = [];
  for (const q of questions) {
    const got = (p.get(q.id)?.threads ?? []).slice(0, k);
    const answer = (p.get(q.id)?.answer ?? '').toLowerCase();
    for (const tid of got) {
      const t = byId.get(tid);
      if (!t) continue;
      if (t.channel.private && t.channel.id !== q.asked_in_channel.id) leaks.push(`${q.id} -> ${tid}`);
      if (labelOf(t).should_ingest !== true) ineligible++;
    }
    if (q.gold_thread_id !== null) {
      nGold++;
      if (got.includes(q.gold_thread_id)) hits++;
      else misses.push(q.id);
      for (const kw of q.answer_keywords) {
        kwTotal++;
        if (answer.includes(kw.toLowerCase())) kwHit++;
      }
    } else {
      for (const kw of q.leak_keywords) if (answer.includes(kw.toLowerCase())) leaks.push(`${q.id} answer mentions ${JSON.stringify(kw)}`);
    }
  }
  return {
    hitAt5: nGold ? round(hits / nGold) : 0,
    nGold,
    answerKeywordRecall: kwTotal ? round(kwHit / kwTotal) : null,
    privateLeaks: leaks.length,
    leakDetails: leaks.slice(0, 20),
    nonIngestibleReturned: ineligible,
    misses,
  };
}
