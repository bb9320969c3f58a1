/**
 * The document store the docs agent reads (`<dataDir>/index`): opened with the configured embedder,
 * the start-up sources (the demo primer when none are configured) ingested under the data
 * directory's index lease, so processes sharing the directory index one after the other.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { DocumentStore, Passage, SearchOptions } from '../contracts/documents.js';
import {
  createDocIngester,
  createEmbedder,
  type IndexedDocumentStore,
  IndexUnavailableError,
  type IngestReport,
  loadGlossary,
  openLanceStore,
} from '../index/index.js';
import type { Logger } from '../log.js';
import { runExclusive, type State } from '../state/index.js';

export const DEMO_DOCS_DIR = fileURLToPath(new URL('../../resources/demo/docs', import.meta.url));

export interface DocStoreHandle {
  store: IndexedDocumentStore;
  ingest(sources: readonly string[]): Promise<IngestReport>;
}

/** Opens the store in `<dataDir>/index` with the configured embedder (none → lexical only). */
export async function openDocStore(
  config: Config,
  apiKeys: Partial<Record<string, string>>,
  logger: Logger,
  dataDir = config.dataDir,
): Promise<DocStoreHandle> {
  const embedder = await createEmbedder({
    spec: config.llm.embeddings,
    transformersCacheDir: config.llm.transformersCacheDir ?? join(resolve(dataDir), 'models'),
    transformersAllowRemote: config.llm.transformersAllowRemote,
    apiKeys,
    endpoints: config.llm,
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
  apiKeys: Partial<Record<string, string>>;
  logger: Logger;
  state: State;
  dataDir?: string;
}): Promise<IndexedDocumentStore> {
  const { config, apiKeys, logger, state } = options;
  return withIndexLease(state, logger, async () => {
    const handle = await openDocStore(config, apiKeys, logger, options.dataDir);
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

/**
 * The documentation index as the running bot holds it, healing itself: when the index directory is
 * deleted or corrupted while the bot runs, searches fail with `IndexUnavailableError` (the docs agent
 * says the index is being rebuilt), `problem()` reports it for /healthz, and the index is rebuilt —
 * by the leader only (replicas may share the directory), under the index lease, from the start-up
 * sources (writes merge by chunk id, so a rebuild that runs twice stores each chunk once). Other
 * replicas re-open the index once it reads again.
 */
export interface DocIndex {
  /** What the docs agent searches. */
  readonly store: DocumentStore;
  /** The current store (opened and brought up to date on first use; a new one after a rebuild). */
  current(): Promise<IndexedDocumentStore>;
  /** Checks the index (files present, one row readable) and returns why it cannot answer, or null; starts a rebuild when needed. */
  check(): Promise<string | null>;
  /** The last known problem (null while the index works or before it was opened). */
  problem(): string | null;
  /** Resolves when no rebuild is running (tests, shutdown). */
  settled(): Promise<void>;
  /** Who may rebuild (the leader); every process when not set. */
  setLeader(isLeader: () => boolean): void;
  /** Called after each rebuild (e.g. to re-ingest the support channels, whose threads were in the index too). */
  onRebuilt(listener: () => void): void;
  close(): Promise<void>;
}

export interface DocIndexOptions {
  config: Config;
  apiKeys: Partial<Record<string, string>>;
  logger: Logger;
  state: () => Promise<State>;
  dataDir?: string;
}

const short = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 160) ?? 'unknown error';

export function createDocIndex(options: DocIndexOptions): DocIndex {
  const { config, apiKeys, logger } = options;
  const dataDir = options.dataDir ?? config.dataDir;
  const dir = join(resolve(dataDir), 'index');
  const log = logger.child({ component: 'docs-index' });
  let opened: Promise<IndexedDocumentStore> | null = null;
  /** The open store once opening finished (null before, and after opening failed). */
  let ready: IndexedDocumentStore | null = null;
  let openFailed: string | null = null;
  let problem: string | null = null;
  let rebuilding: Promise<void> | null = null;
  let isLeader: () => boolean = () => true;
  const rebuiltListeners: Array<() => void> = [];

  const use = (store: IndexedDocumentStore): IndexedDocumentStore => {
    ready = store;
    openFailed = null;
    opened = Promise.resolve(store);
    return store;
  };
  const open = (): Promise<IndexedDocumentStore> => {
    opened ??= (async () => openStartupDocStore({ config, apiKeys, logger, state: await options.state(), dataDir }))().then(use, (error: unknown) => {
      opened = null;
      openFailed = `the index could not be opened (${short(error)})`;
      throw error;
    });
    return opened;
  };

  const filesPresent = (): boolean => existsSync(join(dir, 'store.json')) && existsSync(join(dir, 'chunks.lance'));

  /** Why the index cannot answer, read from disk (null when it answers). */
  async function diagnose(store: IndexedDocumentStore | null): Promise<string | null> {
    if (!existsSync(dir)) return 'the index directory is missing';
    if (!filesPresent()) return 'the index files are missing';
    if (!store) return openFailed ?? 'the index could not be opened';
    try {
      await store.check();
      return null;
    } catch (error) {
      return `the index cannot be read (${short(error)})`;
    }
  }

  /** The held store when it reads, else a fresh handle on a complete directory (another process rebuilt it), else null. */
  async function reopen(): Promise<IndexedDocumentStore | null> {
    if (ready && !(await diagnose(ready))) return ready;
    // Opening a directory without its files would create an empty index in it: only a complete one is re-opened.
    if (!filesPresent()) return null;
    try {
      const fresh = (await openDocStore(config, apiKeys, logger, dataDir)).store;
      await ready?.close().catch(() => undefined);
      return use(fresh);
    } catch (error) {
      openFailed = `the index could not be opened (${short(error)})`;
      return null;
    }
  }

  async function rebuildNow(reason: string): Promise<void> {
    await withIndexLease(await options.state(), logger, async () => {
      // Another process may have rebuilt it while this one waited for the lease.
      const current = await reopen();
      if (current && !(await diagnose(current))) return;
      await ready?.close().catch(() => undefined);
      ready = null;
      log.warn({ reason, dir }, 'docs index unavailable: clearing it and re-indexing the start-up sources');
      // The directory's contents, not the directory: it may be a mounted volume.
      if (existsSync(dir)) for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
      const handle = await openDocStore(config, apiKeys, logger, dataDir);
      const sources = startupSources(config);
      const report = sources.length > 0 ? await handle.ingest(sources) : null;
      use(handle.store);
      log.info({ chunks: report?.chunks ?? 0 }, 'docs index rebuilt');
      for (const listener of rebuiltListeners) listener();
    });
  }

  /** Records the problem and, on the leader, starts one rebuild (a failed one is retried on the next check). */
  function unavailable(reason: string): void {
    if (problem !== reason) log.warn({ reason }, 'docs index unavailable');
    problem = reason;
    if (rebuilding || !isLeader()) return;
    rebuilding = rebuildNow(reason)
      .then(async () => {
        problem = await diagnose(ready);
      })
      .catch((error: unknown) => log.error({ err: error }, 'docs index rebuild failed; will retry'))
      .finally(() => {
        rebuilding = null;
      });
  }

  /** Re-checks a known problem (a replica that is not the leader sees the leader's rebuild here). */
  async function recheck(): Promise<string | null> {
    if (rebuilding) return problem;
    const reason = await diagnose(await reopen());
    if (reason) unavailable(reason);
    else problem = null;
    return problem;
  }

  const store: DocumentStore = {
    async search(query: string, searchOptions?: SearchOptions): Promise<Passage[]> {
      if (problem && (await recheck())) throw new IndexUnavailableError(problem);
      let current: IndexedDocumentStore;
      try {
        current = await open();
      } catch (error) {
        unavailable(openFailed ?? `the index could not be opened (${short(error)})`);
        throw new IndexUnavailableError(problem ?? 'unavailable', error);
      }
      try {
        return await current.search(query, searchOptions);
      } catch (error) {
        if (searchOptions?.signal?.aborted) throw error;
        const reason = await diagnose(current);
        if (!reason) throw error;
        unavailable(reason);
        throw new IndexUnavailableError(reason, error);
      }
    },
    async stats(): Promise<Record<string, number>> {
      return (await open()).stats();
    },
  };

  return {
    store,
    current: open,
    async check() {
      if (problem) return recheck();
      // Still opening (start-up indexing can take minutes): nothing to report yet.
      if (!ready && !openFailed) return null;
      const reason = await diagnose(ready);
      if (reason) unavailable(reason);
      return problem;
    },
    problem: () => problem,
    async settled() {
      while (rebuilding) await rebuilding;
    },
    setLeader(fn) {
      isLeader = fn;
    },
    onRebuilt(listener) {
      rebuiltListeners.push(listener);
    },
    async close() {
      // An opening in progress (start-up indexing) finishes first, so no write outlives the close.
      await opened?.catch(() => undefined);
      await this.settled();
      await ready?.close().catch(() => undefined);
    },
  };
}
