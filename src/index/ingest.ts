/**
 * Incremental ingest of documentation: files, directories (recursively) and URLs. Only sources
 * whose content hash changed are re-chunked and re-embedded; files that vanished from an ingested
 * directory are removed from the index.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { InputError, UpstreamError } from '../errors.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { openCatalog } from './catalog.js';
import { type ChunkOptions, chunkSections, DEFAULT_CHUNK_OPTIONS } from './chunk.js';
import { htmlToMarkdown } from './html.js';
import type { ChunkInput } from './schema.js';
import { splitSections } from './sections.js';
import type { IndexedDocumentStore, SourceUpdate } from './types.js';

export const DOC_EXTENSIONS = ['.txt', '.md', '.markdown', '.rst', '.html', '.htm'];

export interface DocIngesterOptions {
  store: IndexedDocumentStore;
  /** Catalog file (`<dataDir>/index/catalog.json`). */
  catalogFile: string;
  chunk?: ChunkOptions;
  logger?: Logger;
  /** For URLs (tests inject one; the global fetch otherwise). */
  fetch?: typeof fetch;
}

export interface IngestReport {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
  chunks: number;
  seconds: number;
}

interface LoadedSource {
  origin: string;
  source: string;
  text: string;
  url?: string;
  /** Name used to detect the format. */
  name: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (DOC_EXTENSIONS.includes(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out.sort();
}

/** Turns one loaded source into chunks. */
export function chunkDocument(doc: { name: string; text: string; source: string; url?: string }, options: ChunkOptions = {}): ChunkInput[] {
  let text = doc.text;
  let name = doc.name;
  let title = basename(doc.source)
    .replace(/\.[a-z]+$/i, '')
    .replace(/[_-]+/g, ' ');
  if (/\.html?$/i.test(name) || /^\s*(<!doctype html|<html)/i.test(text)) {
    const html = htmlToMarkdown(text);
    text = html.markdown;
    title = html.title ?? title;
    name = `${name}.md`;
  }
  return chunkSections(splitSections(name, text, title), options).map((c) => ({
    text: c.text,
    context: c.context,
    title: c.title,
    section: c.section || undefined,
    page: c.page,
    url: doc.url,
    source: doc.source,
    kind: 'doc' as const,
  }));
}

export function createDocIngester(options: DocIngesterOptions) {
  const { store } = options;
  const logger = options.logger ?? silentLogger();
  const chunkOptions = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunk };
  const settings = `chunker-v2:${chunkOptions.targetChars}:${chunkOptions.maxChars}:${chunkOptions.overlapChars}`;
  const doFetch = options.fetch ?? fetch;

  async function loadUrl(url: string, signal?: AbortSignal): Promise<LoadedSource> {
    let response: Response;
    try {
      response = await doFetch(url, { signal, headers: { accept: 'text/html, text/markdown, text/plain;q=0.9' } });
    } catch (error) {
      throw new UpstreamError('upstream_unreachable', `Document ${url} could not be fetched: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw new UpstreamError('upstream_error', `Document ${url} could not be fetched: HTTP ${response.status}`, { status: response.status });
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const path = new URL(url).pathname;
    const name = type.includes('html') ? 'page.html' : type.includes('markdown') ? 'page.md' : basename(path) || 'page.txt';
    return { origin: url, source: url, text, url, name };
  }

  return {
    /** Ingests the given files, directories and URLs; returns what changed. */
    async ingest(sources: readonly string[], signal?: AbortSignal): Promise<IngestReport> {
      const started = performance.now();
      const catalog = openCatalog(options.catalogFile, store.generation);
      const report: IngestReport = { added: [], updated: [], removed: [], unchanged: 0, chunks: 0, seconds: 0 };
      const seen = new Set<string>();
      const updates: SourceUpdate[] = [];
      const hashes = new Map<string, { hash: string; source: string }>();
      const consider = (doc: LoadedSource): void => {
        seen.add(doc.origin);
        const hash = createHash('sha256').update(settings).update('\0').update(doc.text).digest('hex');
        const previous = catalog.get(doc.origin);
        if (previous?.hash === hash) {
          report.unchanged += 1;
          return;
        }
        (previous ? report.updated : report.added).push(doc.source);
        updates.push({ origin: doc.origin, chunks: chunkDocument(doc, chunkOptions) });
        hashes.set(doc.origin, { hash, source: doc.source });
      };
      const removed: string[] = [];
      for (const spec of sources) {
        if (/^https?:\/\//i.test(spec)) {
          consider(await loadUrl(spec, signal));
          continue;
        }
        const path = resolve(spec);
        if (!existsSync(path)) {
          if (catalog.get(path)) removed.push(path);
          else throw new InputError(`Document source ${spec} does not exist.`);
          continue;
        }
        if (statSync(path).isDirectory()) {
          for (const file of walk(path)) {
            consider({ origin: file, source: relative(path, file).split(sep).join('/'), text: readFileSync(file, 'utf8'), name: file });
          }
          for (const origin of catalog.origins()) if (origin.startsWith(path + sep) && !seen.has(origin)) removed.push(origin);
        } else {
          consider({ origin: path, source: basename(path), text: readFileSync(path, 'utf8'), name: path });
        }
      }
      if (updates.length > 0) report.chunks = await store.replaceSources(updates, signal);
      if (removed.length > 0) await store.removeSources(removed);
      for (const u of updates) {
        const h = hashes.get(u.origin);
        if (h) catalog.set(u.origin, { hash: h.hash, chunks: u.chunks.length, kind: 'doc', source: h.source, updatedAt: new Date().toISOString() });
      }
      for (const origin of removed) {
        report.removed.push(catalog.get(origin)?.source ?? origin);
        catalog.delete(origin);
      }
      catalog.save();
      report.seconds = (performance.now() - started) / 1000;
      logger.info(
        { added: report.added.length, updated: report.updated.length, removed: report.removed.length, unchanged: report.unchanged, chunks: report.chunks },
        'documents ingested',
      );
      return report;
    },
  };
}

export type DocIngester = ReturnType<typeof createDocIngester>;
