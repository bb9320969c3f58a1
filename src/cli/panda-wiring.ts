/**
 * Chooses the PanDA and CRIC sources from the configuration (composition root):
 * - `panda.dir` set (ASKPANDA_PANDA_DIR / --panda-dir): the file-backed source over that directory;
 * - no monitor configured (default URL, no credentials, `panda.demo` true): the bundled demo data;
 * - otherwise the monitor's HTTP API with a cache in `<dataDir>/cache/panda`.
 * CRIC follows: an explicit file, the directory's `cric/pandaqueues.json`, or HTTP with a TTL and an
 * offline snapshot in `<dataDir>/cric/pandaqueues.json`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../config.js';
import type { CricSource, PandaSource } from '../contracts/panda.js';
import type { Logger } from '../log.js';
import { createCricClient } from '../panda/cric-client.js';
import { createFileSource } from '../panda/file-source.js';
import { createMonitorClient } from '../panda/monitor-client.js';

/** The demo directory shipped with the project. */
export const DEMO_DIR = fileURLToPath(new URL('../../resources/demo', import.meta.url));

export type PandaMode = 'dir' | 'demo' | 'http';

export function pandaMode(loaded: LoadedConfig): PandaMode {
  const { panda } = loaded.config;
  if (panda.dir) return 'dir';
  const configured = loaded.origins['panda.url'] !== undefined || panda.token || panda.tokenFile || panda.certFile || panda.proxyFile;
  return !configured && panda.demo ? 'demo' : 'http';
}

export interface PandaWiring {
  mode: PandaMode;
  panda(): PandaSource;
  cric(): CricSource;
  /** One line saying where PanDA data comes from (printed once at start-up). */
  description(): string;
}

export function createPandaWiring(loaded: LoadedConfig, logger: Logger): PandaWiring {
  const { config } = loaded;
  const mode = pandaMode(loaded);
  const log = logger.child({ component: 'panda' });
  const dir = mode === 'dir' ? resolve(config.panda.dir as string) : mode === 'demo' ? DEMO_DIR : undefined;
  let panda: PandaSource | undefined;
  let cric: CricSource | undefined;

  const description = (): string => {
    if (mode === 'demo')
      return `No PanDA monitor configured: using the demo data in ${DEMO_DIR} (set ASKPANDA_PANDA_URL and ASKPANDA_PANDA_TOKEN, or ASKPANDA_PANDA_DIR, for real data).`;
    if (mode === 'dir') return `PanDA data from the directory ${dir}.`;
    return `PanDA data from the monitor at ${config.panda.url}.`;
  };

  return {
    mode,
    description,
    panda() {
      if (panda) return panda;
      log.info({ mode }, description());
      const common = { maxLogBytes: config.panda.maxLogBytes };
      if (dir) panda = createFileSource(dir, { ...common, description: mode === 'demo' ? 'the demo data' : `the directory ${dir}` });
      else {
        panda = createMonitorClient({
          ...common,
          baseUrl: config.panda.url,
          authScheme: config.panda.authScheme,
          token: config.panda.token,
          tokenFile: config.panda.tokenFile,
          certFile: config.panda.certFile,
          keyFile: config.panda.keyFile,
          proxyFile: config.panda.proxyFile,
          timeoutMs: config.panda.timeoutMs,
          retries: config.panda.retries,
          maxConcurrency: config.panda.maxConcurrency,
          cacheDir: join(config.dataDir, 'cache', 'panda'),
          logger: log,
        });
      }
      return panda;
    },
    cric() {
      if (cric) return cric;
      const cricLog = logger.child({ component: 'cric' });
      const dirFile = dir ? join(dir, 'cric', 'pandaqueues.json') : undefined;
      const explicitUrl = loaded.origins['cric.url'] !== undefined;
      if (config.cric.file) cric = createCricClient({ file: config.cric.file, logger: cricLog });
      else if (dirFile && existsSync(dirFile) && !explicitUrl) cric = createCricClient({ file: dirFile, logger: cricLog });
      else {
        cric = createCricClient({
          url: config.cric.url,
          snapshotFile: join(config.dataDir, 'cric', 'pandaqueues.json'),
          ttlSeconds: config.cric.ttlSeconds,
          certFile: config.panda.certFile,
          keyFile: config.panda.keyFile,
          proxyFile: config.panda.proxyFile,
          timeoutMs: config.panda.timeoutMs,
          retries: config.panda.retries,
          logger: cricLog,
        });
      }
      return cric;
    },
  };
}
