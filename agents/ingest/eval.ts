/**
 * `eval discussions`: ingests a thread export into a discussion index, answers the questions by
 * searching discussions from the channel each was asked in, and scores both against the labels.
 */
import type { DocumentStore } from '../../src/contracts/documents.js';
import type { DiscussionIndex } from '../../src/index/discussions.js';
import { type ExportedThread, toDiscussionThread } from './export-format.js';
import { createDiscussionIngester, type IngestDecision } from './pipeline.js';
import { type IngestPrediction, type QaPrediction, scoreIngest, scoreQa, type ThreadQuestion } from './score.js';

export interface DiscussionsEvalResult {
  ingestPredictions: IngestPrediction[];
  qaPredictions: QaPrediction[];
  decisions: IngestDecision[];
  ingest: ReturnType<typeof scoreIngest>;
  qa: ReturnType<typeof scoreQa>;
}

export async function evaluateDiscussions(options: {
  threads: readonly ExportedThread[];
  questions: readonly ThreadQuestion[];
  index: DiscussionIndex;
  store: DocumentStore;
  /** Answers a question as the bot would in that channel (e.g. the docs agent); default: the top thread's answer summary. */
  answer?: (question: ThreadQuestion) => Promise<string>;
}): Promise<DiscussionsEvalResult> {
  const { threads, questions, index, store } = options;
  const ingester = createDiscussionIngester({ index });
  const { decisions } = await ingester.ingest(threads.map(toDiscussionThread));
  const ingestPredictions: IngestPrediction[] = decisions.map((d) => ({
    thread_id: d.threadId,
    ingested: Boolean(d.prepared),
    private: d.private,
    stored_text: d.prepared ? index.storedText(d.prepared) : '',
  }));
  const prepared = new Map(decisions.flatMap((d) => (d.prepared ? [[d.threadId, d.prepared] as const] : [])));
  const qaPredictions: QaPrediction[] = [];
  for (const q of questions) {
    const passages = await store.search(q.question, {
      kinds: ['discussion'],
      limit: 10,
      askedInChannel: { platform: q.asked_in_channel.platform, id: q.asked_in_channel.id },
    });
    const ids = [...new Set(passages.map((p) => p.threadId).filter((t): t is string => Boolean(t)))].slice(0, 5);
    const top = ids[0] ? prepared.get(ids[0]) : undefined;
    const answer = options.answer ? await options.answer(q) : top ? top.answerSummary : '';
    qaPredictions.push({ id: q.id, threads: ids, answer });
  }
  return {
    ingestPredictions,
    qaPredictions,
    decisions,
    ingest: scoreIngest(threads, ingestPredictions),
    qa: scoreQa(questions, threads, qaPredictions),
  };
}
