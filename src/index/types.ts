import type { DocumentStore, Passage } from '../contracts/documents.js';
import type { ChunkInput } from './schema.js';

/** Re-orders passages for a question (e.g. with an LLM); must return a subset of what it was given. */
export interface Reranker {
  rerank(question: string, passages: Passage[], signal?: AbortSignal): Promise<Passage[]>;
}

export interface SourceUpdate {
  /** File path or URL: the unit of replacement. */
  origin: string;
  chunks: readonly ChunkInput[];
}

/** The DocumentStore plus the write side used by ingesters (documents now, discussions later). */
export interface IndexedDocumentStore extends DocumentStore {
  /** Changes whenever the table is rebuilt from scratch (e.g. another embedder): catalogs keyed to an older one are void. */
  readonly generation: string;
  readonly embedderId: string | null;
  /** Replaces every chunk of each origin in one commit. Returns the number of chunks written. */
  replaceSources(updates: readonly SourceUpdate[], signal?: AbortSignal): Promise<number>;
  removeSources(origins: readonly string[]): Promise<void>;
  /** Reads one row from disk: rejects when the index files are gone or corrupt. */
  check(): Promise<void>;
  close(): Promise<void>;
}
