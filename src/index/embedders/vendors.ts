/**
 * The one table of embedding vendors (`ASKPANDA_LLM_EMBEDDINGS`): the API keys each needs, the
 * setting that overrides its endpoint and how its embedder is built. Config validation (`askpanda
 * config check`, start-up) and `createEmbedder` read the same rows with the same rules as the chat
 * vendors (`readSpec`, `keyProblem` in src/llm/vendors.ts), so a spec is accepted exactly when it can
 * be built. Adding an embedding vendor: its embedder file here and one row whose `load` imports it.
 */
import type { Embedder } from '../../contracts/llm.js';
import { VENDOR_TABLE, type VendorKeys } from '../../llm/vendors.js';

/** What `createEmbedder` is given: the spec and the settings the rows may read. */
export interface EmbedderSettings {
  /** `none`, `offline`, or `<vendor>:<model>` with a vendor of `EMBEDDER_TABLE`. */
  spec: string;
  /** Vendor API keys by variable name (the config layer reads them from the environment). */
  apiKeys?: Partial<Record<string, string>>;
  transformersCacheDir?: string;
  transformersAllowRemote?: boolean;
  /** The endpoint settings by name (`config.llm`): each row's `baseUrl.setting` is read from here. */
  endpoints?: Partial<Record<string, unknown>>;
  timeoutMs?: number;
  maxRetries?: number;
}

/** What a row's `load` receives. */
export interface EmbedBuild {
  model: string;
  apiKey?: string;
  baseUrl?: string;
  settings: EmbedderSettings;
}

export interface EmbedderRow extends VendorKeys {
  load: (build: EmbedBuild) => Promise<Embedder>;
}

const openAiEmbedder = async (b: EmbedBuild): Promise<Embedder> =>
  (await import('./openai.js')).createOpenAiEmbedder({
    model: b.model,
    apiKey: b.apiKey,
    baseURL: b.baseUrl,
    timeoutMs: b.settings.timeoutMs,
    maxRetries: b.settings.maxRetries,
  });

export const EMBEDDER_TABLE = {
  transformers: {
    keys: [],
    example: 'transformers:Xenova/all-MiniLM-L6-v2',
    load: async (b) =>
      (await import('./transformers.js')).createTransformersEmbedder({
        model: b.model,
        cacheDir: b.settings.transformersCacheDir,
        allowRemote: b.settings.transformersAllowRemote,
      }),
  },
  openai: {
    keys: ['OPENAI_API_KEY'],
    keyHint: 'openai-compatible:<url>#<model> for a server without keys',
    // The endpoint setting of the chat row (OPENAI_BASE_URL serves both).
    baseUrl: VENDOR_TABLE.openai.baseUrl,
    example: 'openai:text-embedding-3-small',
    load: openAiEmbedder,
  },
  'openai-compatible': {
    keys: [],
    optionalKeys: ['OPENAI_API_KEY'],
    urlInSpec: true,
    example: 'openai-compatible:http://127.0.0.1:8080/v1#bge-small-en-v1.5',
    load: openAiEmbedder,
  },
  ollama: {
    keys: [],
    baseUrl: VENDOR_TABLE.ollama.baseUrl,
    example: 'ollama:nomic-embed-text',
    load: async (b) => (await import('./ollama.js')).createOllamaEmbedder({ model: b.model, host: b.baseUrl }),
  },
} as const satisfies Record<string, EmbedderRow>;
