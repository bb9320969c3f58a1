/** Documentation knowledge: LanceDB store, chunking, ingest, embedders, hybrid search, docqa evaluation. */
export { type Associate, type AssociationOptions, DEFAULT_ASSOCIATION_OPTIONS, TermAssociations } from './associations.js';
export { openCatalog, type Catalog, type CatalogEntry } from './catalog.js';
export { type Chunk, type ChunkOptions, chunkSections, DEFAULT_CHUNK_OPTIONS } from './chunk.js';
export { cleanPdfText, looksLikePdfText } from './clean.js';
export {
  type AnswerMetrics,
  type DocqaItem,
  type DocqaMetrics,
  type DocqaPrediction,
  firstHitRank,
  isAnswerable,
  normText,
  predictDocqa,
  readDocqaFile,
  scoreAnswers,
  scoreRetrieval,
} from './docqa-eval.js';
export { createEmbedder, type EmbedderSettings } from './embedders/create.js';
export { DEFAULT_GLOSSARY_PATH, EMPTY_GLOSSARY, type Glossary, loadGlossary, parseGlossary } from './glossary.js';
export { htmlToMarkdown } from './html.js';
export { chunkDocument, createDocIngester, DOC_EXTENSIONS, type DocIngester, type IngestReport } from './ingest.js';
export {
  associatedTerms,
  DEFAULT_RANK_WEIGHTS,
  feedbackTerms,
  type LanceStoreOptions,
  openLanceStore,
  type RankWeights,
  searchFilter,
  statesContact,
  statesQuantity,
} from './lance-store.js';
export { keysOf, lexicalFeatures, proseShare, TermStats } from './lexical-score.js';
export { createLlmReranker } from './llm-rerank.js';
export { type AnalysedQuery, analyseQuery, type QueryTerm } from './query.js';
export { reciprocalRankFusion } from './rrf.js';
export type { ChunkInput } from './schema.js';
export { type Section, splitSections } from './sections.js';
export { toIndexText } from './tokenize.js';
export type { IndexedDocumentStore, Reranker, SourceUpdate } from './types.js';
export { INDEX_REBUILDING_TEXT, IndexUnavailableError } from './unavailable.js';
