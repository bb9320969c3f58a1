/**
 * The one table of chat LLM vendors (router, answer, analysis): the API keys each needs and how its
 * provider is built; and the rules every vendor table (this one, the embeddings table in
 * `src/index/embedders/vendors.ts`) is read by. Config validation (`askpanda config check`, start-up),
 * `parseSpec` and the provider factory (`create.ts`) all read the rows, so a spec is accepted exactly
 * when it can be built — its API key included.
 *
 * Adding a chat vendor: its provider file in `src/llm/` and one row here whose `load` imports it (the
 * import runs at the first call, so the SDK is loaded only when used). `keys` are required (the first
 * one set is used), `optionalKeys` are passed when set; `baseUrl` declares the setting (config field and
 * environment variable) that overrides the vendor's endpoint; `urlInSpec` vendors take the server in the
 * spec (`<url>#<model>`).
 */
import type { LlmProvider } from '../contracts/llm.js';

/** What a vendor row's `load` receives. */
export interface ChatBuild {
  model: string;
  apiKey?: string;
  baseUrl?: string;
}

/**
 * A vendor's endpoint override, declared by its row: the `config.llm` field (and `LlmSettings` field),
 * its environment variable, an example and a default. The config schema makes one setting of each.
 */
export interface BaseUrlColumn {
  setting: string;
  env: string;
  example: string;
  default?: string;
}

/** What every vendor row, chat or embeddings, declares for spec checks, API keys and its endpoint setting. */
export interface VendorKeys {
  /** The setting that overrides the vendor's endpoint (absent: the SDK's default, or `urlInSpec`). */
  baseUrl?: BaseUrlColumn;
  /** Required: one of them must be set (the first set is used). */
  keys: readonly string[];
  /** Passed when set. */
  optionalKeys?: readonly string[];
  /** What else to use when the key is missing (shown with the missing key). */
  keyHint?: string;
  /** The server is part of the spec: `<vendor>:http(s)://host/v1#<model>`. */
  urlInSpec?: boolean;
  example: string;
}

export interface VendorRow extends VendorKeys {
  /** Builds the bare chat provider. */
  load: (build: ChatBuild) => Promise<LlmProvider>;
}

export const VENDOR_TABLE = {
  openai: {
    keys: ['OPENAI_API_KEY'],
    keyHint: 'openai-compatible:<url>#<model> for a server without keys',
    baseUrl: { setting: 'openaiBaseUrl', env: 'OPENAI_BASE_URL', example: 'http://127.0.0.1:8000/v1' },
    example: 'openai:gpt-4.1-mini',
    load: async (b) => (await import('./openai.js')).createOpenAiProvider(b),
  },
  'openai-compatible': {
    keys: [],
    optionalKeys: ['OPENAI_API_KEY'],
    urlInSpec: true,
    example: 'openai-compatible:http://127.0.0.1:8000/v1#llama-3.1-8b',
    load: async (b) => (await import('./openai.js')).createOpenAiProvider({ ...b, flavour: 'openai-compatible' }),
  },
  anthropic: {
    keys: ['ANTHROPIC_API_KEY'],
    baseUrl: { setting: 'anthropicBaseUrl', env: 'ANTHROPIC_BASE_URL', example: 'https://api.anthropic.com' },
    example: 'anthropic:claude-sonnet-4-5',
    load: async (b) => (await import('./anthropic.js')).createAnthropicProvider(b),
  },
  gemini: {
    keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    baseUrl: { setting: 'geminiBaseUrl', env: 'GEMINI_BASE_URL', example: 'https://generativelanguage.googleapis.com' },
    example: 'gemini:gemini-2.5-flash',
    load: async (b) => (await import('./gemini.js')).createGeminiProvider(b),
  },
  mistral: {
    keys: ['MISTRAL_API_KEY'],
    baseUrl: { setting: 'mistralBaseUrl', env: 'MISTRAL_BASE_URL', example: 'https://api.mistral.ai' },
    example: 'mistral:mistral-small-latest',
    load: async (b) => (await import('./mistral.js')).createMistralProvider(b),
  },
  ollama: {
    keys: [],
    optionalKeys: ['OLLAMA_API_KEY'],
    baseUrl: { setting: 'ollamaHost', env: 'OLLAMA_HOST', example: 'http://127.0.0.1:11434', default: 'http://127.0.0.1:11434' },
    example: 'ollama:llama3.1',
    load: async (b) => (await import('./ollama.js')).createOllamaProvider(b),
  },
} as const satisfies Record<string, VendorRow>;

export type VendorName = keyof typeof VENDOR_TABLE;

type SettingOf<R> = R extends { baseUrl: { setting: infer S extends string } } ? S : never;
/** The `LlmSettings`/`config.llm` fields that override a chat vendor's endpoint, from the rows. */
export type BaseUrlSetting = SettingOf<(typeof VENDOR_TABLE)[VendorName]>;

/** The endpoint settings a list of tables declares, once each (a setting may serve several rows). */
export function baseUrlColumnsOf(...tables: Array<Record<string, VendorKeys>>): BaseUrlColumn[] {
  const columns = new Map<string, BaseUrlColumn>();
  for (const row of tables.flatMap((t) => Object.values(t)))
    if (row.baseUrl && !columns.has(row.baseUrl.setting)) columns.set(row.baseUrl.setting, row.baseUrl);
  return [...columns.values()];
}

/** What the chat table serves, as `config check` and `parseSpec` name it. */
export const CHAT_ROLES = 'chat (router, answer, analysis)';

/** A spec read against a table: the vendor, the model and (for `urlInSpec` vendors) the server. */
export interface VendorSpec<V extends string = string> {
  vendor: V;
  model: string;
  baseUrl?: string;
}

/** `http(s)://server/v1#model`, or null. */
function urlAndModel(rest: string): { baseUrl: string; model: string } | null {
  const hash = rest.lastIndexOf('#');
  const baseUrl = hash > 0 ? rest.slice(0, hash) : '';
  const model = hash > 0 ? rest.slice(hash + 1) : '';
  return /^https?:\/\//.test(baseUrl) && model ? { baseUrl, model } : null;
}

/** `offline`/`none`/empty: no model (the offline provider, or lexical search only). */
export const isNoModel = (spec: string): boolean => ['offline', 'none', ''].includes(spec.trim());

/**
 * Reads `<vendor>:<model>` against a table: the spec, or why the table cannot build it. `serves`
 * names what the table is for in messages ("chat (router, answer, analysis)", "embeddings").
 */
export function readSpec<T extends Record<string, VendorKeys>>(table: T, spec: string, serves: string): VendorSpec<keyof T & string> | { problem: string } {
  const trimmed = spec.trim();
  const names = Object.keys(table);
  const colon = trimmed.indexOf(':');
  const vendor = trimmed.slice(0, colon);
  const rest = trimmed.slice(colon + 1);
  if (colon <= 0 || !rest)
    return { problem: `must be "offline" or "<provider>:<model>" with provider one of ${names.join(', ')} (example: ${table[names[0] as keyof T]?.example})` };
  if (!Object.hasOwn(table, vendor)) return { problem: `names no provider "${vendor}" for ${serves}; use one of ${names.join(', ')}` };
  const row = table[vendor as keyof T] as VendorKeys;
  if (!row.urlInSpec) return { vendor: vendor as keyof T & string, model: rest };
  const server = urlAndModel(rest);
  return server ? { vendor: vendor as keyof T & string, ...server } : { problem: `needs a base URL and a model (example: ${row.example})` };
}

/** The API key a row's vendor is called with: the first required one set, else an optional one set. */
export function vendorKey(row: VendorKeys, apiKeys: Partial<Record<string, string>>): string | undefined {
  return [...row.keys, ...(row.optionalKeys ?? [])].map((k) => apiKeys[k]).find(Boolean);
}

/** Why a spec's row cannot be called with these keys (a required key missing: `<spec> needs an API key: …`), or null. */
export function keyProblem(row: VendorKeys, spec: string, apiKeys: Partial<Record<string, string>>): string | null {
  if (row.keys.length === 0 || row.keys.some((k) => apiKeys[k])) return null;
  return `${spec.trim()} needs an API key: set ${row.keys.join(' or ')} in the environment${row.keyHint ? ` (or use ${row.keyHint})` : ''}.`;
}

/**
 * The one check of a model spec against a table: its form and vendor (`readSpec`), then, when `apiKeys`
 * are given, its required key. Null when it can be built (`offline`/`none` always can).
 */
export function modelSpecProblem(table: Record<string, VendorKeys>, spec: string, serves: string, apiKeys?: Partial<Record<string, string>>): string | null {
  if (isNoModel(spec)) return null;
  const read = readSpec(table, spec, serves);
  if ('problem' in read) return `${spec.trim()} ${read.problem}`;
  return apiKeys ? keyProblem(table[read.vendor] as VendorKeys, spec, apiKeys) : null;
}

/** Every API key variable a table reads (required and optional), in table order. */
export function keyVariablesOf(table: Record<string, VendorKeys>): string[] {
  return [...new Set(Object.values(table).flatMap((row) => [...row.keys, ...(row.optionalKeys ?? [])]))];
}
