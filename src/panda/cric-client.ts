/**
 * CricSource over CRIC's pandaqueue query JSON (HTTP, refreshed on a TTL, with an offline
 * snapshot file), or over a CRIC JSON file.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CricSource, QueueRecord } from '../contracts/panda.js';
import { AskPandaError, UpstreamError } from '../errors.js';
import type { Logger } from '../log.js';
import { type CricQueue, parseCricQueues } from './cric-schema.js';
import { createHttpTransport, type HttpTransportOptions } from './http.js';

export interface CricClientOptions extends Omit<HttpTransportOptions, 'where'> {
  /** The pandaqueue query URL, e.g. https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json */
  url?: string;
  /** A CRIC JSON file read instead of HTTP (`ASKPANDA_CRIC_FILE`, demo, --panda-dir). */
  file?: string;
  /** Offline snapshot: written after every successful fetch, read when CRIC cannot be reached. */
  snapshotFile?: string;
  ttlSeconds?: number;
  logger?: Logger;
  now?: () => number;
}

export interface CricClient extends CricSource {
  listQueues(signal?: AbortSignal): Promise<CricQueue[]>;
  refresh(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

async function readCricFile(path: string): Promise<CricQueue[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new UpstreamError('upstream_error', `The CRIC file ${path} could not be read (${(error as Error).message}).`, { cause: error });
  }
  try {
    return parseCricQueues(raw);
  } catch (error) {
    throw new UpstreamError('upstream_error', `The CRIC file ${path} is not a CRIC pandaqueue answer (${(error as Error).message.split('\n')[0]}).`, {
      cause: error,
    });
  }
}

export function createCricClient(options: CricClientOptions): CricClient {
  const now = options.now ?? Date.now;
  const ttlMs = (options.ttlSeconds ?? 6 * 3600) * 1000;
  const log = options.logger;
  let queues: CricQueue[] | undefined;
  let loadedAt = 0;
  let fileMtime = 0;

  if (options.file) {
    const file = resolve(options.file);
    const reload = async (): Promise<CricQueue[]> => {
      const mtime = existsSync(file) ? statSync(file).mtimeMs : 0;
      if (!queues || mtime !== fileMtime) {
        queues = await readCricFile(file);
        fileMtime = mtime;
      }
      return queues;
    };
    return {
      description: `CRIC snapshot file ${file}`,
      listQueues: () => reload(),
      async getQueue(name) {
        const wanted = name.trim().toLowerCase();
        return (await reload()).find((q) => q.name.toLowerCase() === wanted) ?? null;
      },
      async refresh() {
        queues = undefined;
        await reload();
      },
      close: async () => undefined,
    };
  }

  if (!options.url) throw new UpstreamError('not_configured', 'CRIC is not configured: set ASKPANDA_CRIC_URL or ASKPANDA_CRIC_FILE.');
  const url = new URL(options.url);
  const where = `CRIC at ${url.origin}`;
  const http = createHttpTransport({ ...options, where, tokenVariable: options.tokenVariable ?? 'X509_USER_PROXY (or ASKPANDA_PANDA_CERT/KEY)' });
  const snapshot = options.snapshotFile ? resolve(options.snapshotFile) : undefined;
  let inflight: Promise<CricQueue[]> | undefined;

  async function fetchNow(signal?: AbortSignal): Promise<CricQueue[]> {
    const raw = await http.getJson(url, 'the PanDA queue list', signal);
    let parsed: CricQueue[];
    try {
      parsed = parseCricQueues(raw);
    } catch (error) {
      throw new UpstreamError('upstream_error', `${where} sent an unreadable PanDA queue list (${(error as Error).message.split('\n')[0]}).`, { cause: error });
    }
    queues = parsed;
    loadedAt = now();
    if (snapshot) {
      await mkdir(dirname(snapshot), { recursive: true });
      const temp = `${snapshot}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(raw));
      await rename(temp, snapshot);
    }
    return parsed;
  }

  async function load(signal?: AbortSignal): Promise<CricQueue[]> {
    if (queues && now() - loadedAt < ttlMs) return queues;
    if (!queues && snapshot && existsSync(snapshot)) {
      const age = now() - statSync(snapshot).mtimeMs;
      if (age < ttlMs) {
        queues = await readCricFile(snapshot);
        loadedAt = now() - age;
        return queues;
      }
    }
    inflight ??= fetchNow(signal).finally(() => {
      inflight = undefined;
    });
    try {
      return await inflight;
    } catch (error) {
      if (!(error instanceof AskPandaError)) throw error;
      if (queues) {
        log?.warn({ err: error }, 'CRIC refresh failed; using the queues loaded earlier');
        loadedAt = now() - ttlMs + Math.min(ttlMs, 60_000); // try again in a minute, not on every call
        return queues;
      }
      if (snapshot && existsSync(snapshot)) {
        log?.warn({ err: error, snapshot }, 'CRIC unreachable; using the offline snapshot');
        queues = await readCricFile(snapshot);
        loadedAt = now() - ttlMs + Math.min(ttlMs, 60_000);
        return queues;
      }
      throw error;
    }
  }

  return {
    description: `CRIC at ${url.origin}${snapshot ? ` (snapshot ${snapshot})` : ''}`,
    listQueues: (signal) => load(signal),
    async getQueue(name, signal) {
      const wanted = name.trim().toLowerCase();
      return (await load(signal)).find((q) => q.name.toLowerCase() === wanted) ?? null;
    },
    async refresh(signal) {
      await fetchNow(signal);
    },
    close: () => http.close(),
  };
}

export type { CricQueue, QueueRecord };
