/**
 * The document store the docs agent reads (`<dataDir>/index`): opened with the configured embedder,
 * the start-up sources (the demo primer when none are configured) ingested under the data
 * directory's index lease, so processes sharing the directory index one after the other.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { DocumentStore, Passage, SearchOptions } from '../contracts/documents.js';
import { createDocIngester, createEmbedder, type IndexedDocumentStore, type IngestReport, loadGlossary, openLanceStore } from '../index/index.js';
import type { Logger } from '../log.js';
import { runExclusive, type State } from '../state/index.js';

export const DEMO_DOCS_DIR = fileURLToPath(new URL('../../resources/demo/docs', import.meta.url));

export interface DocStoreHandle {
  store: IndexedDocumentStore;
  ingest(sources: readonly string[]): Promise<IngestReport>;
}

/** Opens the store in `<dataDir>/index` with the configured embedder (none → lexical only). */
export async function openDocStore(config: Config, apiKeys: { OPENAI_API_KEY?: string }, logger: Logger, dataDir = config.dataDir): Promise<DocStoreHandle> {
  const embedder = await createEmbedder({
    spec: config.llm.embeddings,
    transformersCacheDir: config.llm.transformersCacheDir ?? join(resolve(dataDir), 'models'),
    transformersAllowRemote: config.llm.transformersAllowRemote,
    openaiApiKey: apiKeys.OPENAI_API_KEY,
    openaiBaseUrl: config.llm.openaiBaseUrl,
    ollamaHost: config.llm.ollamaHost,
    timeoutMs: config.llm.timeoutMs,
    maxRetries: config.llm.maxRetries,
  });
  const dir = join(resolve(dataDir), 'index');
  const log = logger.child({ component: 'docs-index' });
  const store = await openLanceStore({ dir, embedder, glossary: loadGlossary(), logger: log });
  const ingester = createDocIngester({ store, catalogFile: join(dir, 'catalog.json'), logger: log });
  return { store, ingest: (sources) => ingester.ingest(sources) };
}

/** The sources ingested at start-up: the configured ones, or the demo primer. */
export function startupSources(config: Config): string[] {
  return config.docs.sources.length > 0 ? config.docs.sources : existsSync(DEMO_DOCS_DIR) ? [DEMO_DOCS_DIR] : [];
}

/** How long the index lease lives without renewal (renewed while indexing; a crashed holder frees it after this). */
const INDEX_LEASE_TTL_MS = 30_000;

/**
 * Runs `work` holding the data directory's index lease (SQLite in the data directory, or Redis with
 * replicas): two processes starting together on one data directory index one after the other, and
 * the second finds every source unchanged. Writes also merge by chunk id, so a chunk is never stored twice.
 */
export async function withIndexLease<T>(state: State, logger: Logger, work: () => Promise<T>): Promise<T> {
  const log = logger.child({ component: 'docs-index' });
  return runExclusive(state.lease('docs-index', INDEX_LEASE_TTL_MS), work, {
    ttlMs: INDEX_LEASE_TTL_MS,
    onWait: (holder) => log.info({ holder }, 'another process is indexing this data directory; waiting for it'),
  });
}

/** Opens the store and brings the start-up sources up to date (only changed files are re-indexed), under the index lease. */
export async function openStartupDocStore(options: {
  config: Config;
  apiKeys: { OPENAI_API_KEY?: string };
  logger: Logger;
  state: State;
}): Promise<IndexedDocumentStore> {
  const { config, apiKeys, logger, state } = options;
  return withIndexLease(state, logger, async () => {
    const handle = await openDocStore(config, apiKeys, logger);
    const sources = startupSources(config);
    if (sources.length > 0) await handle.ingest(sources);
    return handle.store;
  });
}

/** A DocumentStore that waits for the real one (opened and ingested in the background). */
export function deferredDocumentStore(open: () => Promise<DocumentStore>): DocumentStore {
  return {
    async search(query: string, options?: SearchOptions): Promise<Passage[]> {
      return (await open()).search(query, options);
    },
    async stats(): Promise<Record<string, number>> {
      return (await open()).stats();
    },
  };
}
