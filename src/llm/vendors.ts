/**
 * The one table of LLM vendors: which roles each serves (chat: router/answer/analysis; embeddings),
 * the API keys it needs and how its chat provider is built. Config validation (`askpanda config
 * check`), the provider factory (`create.ts`) and the embedder factory all read it, so a spec is
 * accepted exactly when it can be built.
 *
 * Adding a chat vendor: its provider file in `src/llm/` and one row here whose `chat` loads it (the
 * import runs at the first call, so the SDK is loaded only when used). `keys` are required (the first
 * one set is used), `optionalKeys` are passed when set; `baseUrl` names the `LlmSettings` field that
 * overrides the vendor's endpoint. An embeddings vendor also needs its case in `src/index/embedders/create.ts`.
 */
import type { LlmProvider } from '../contracts/llm.js';

/** What a vendor row's `chat` loader receives. */
export interface ChatBuild {
  model: string;
  apiKey?: string;
  baseUrl?: string;
}

/** The `LlmSettings` fields that override a vendor's endpoint. */
export type BaseUrlSetting = 'openaiBaseUrl' | 'anthropicBaseUrl' | 'geminiBaseUrl' | 'mistralBaseUrl' | 'ollamaHost';

export interface VendorRow {
  chat: boolean;
  embeddings: boolean;
  keys: readonly string[];
  optionalKeys?: readonly string[];
  baseUrl?: BaseUrlSetting;
  example: string;
  /** Builds the bare chat provider (absent for embeddings-only vendors). */
  load?: (build: ChatBuild) => Promise<LlmProvider>;
}

export const VENDOR_TABLE = {
  openai: {
    chat: true,
    embeddings: true,
    keys: ['OPENAI_API_KEY'],
    baseUrl: 'openaiBaseUrl',
    example: 'openai:gpt-4.1-mini',
    load: async (b) => (await import('./openai.js')).createOpenAiProvider(b),
  },
  'openai-compatible': {
    chat: true,
    embeddings: true,
    keys: [],
    optionalKeys: ['OPENAI_API_KEY'],
    example: 'openai-compatible:http://127.0.0.1:8000/v1#llama-3.1-8b',
    load: async (b) => (await import('./openai.js')).createOpenAiProvider({ ...b, flavour: 'openai-compatible' }),
  },
  anthropic: {
    chat: true,
    embeddings: false,
    keys: ['ANTHROPIC_API_KEY'],
    baseUrl: 'anthropicBaseUrl',
    example: 'anthropic:claude-sonnet-4-5',
    load: async (b) => (await import('./anthropic.js')).createAnthropicProvider(b),
  },
  gemini: {
    chat: true,
    embeddings: false,
    keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    baseUrl: 'geminiBaseUrl',
    example: 'gemini:gemini-2.5-flash',
    load: async (b) => (await import('./gemini.js')).createGeminiProvider(b),
  },
  mistral: {
    chat: true,
    embeddings: false,
    keys: ['MISTRAL_API_KEY'],
    baseUrl: 'mistralBaseUrl',
    example: 'mistral:mistral-small-latest',
    load: async (b) => (await import('./mistral.js')).createMistralProvider(b),
  },
  ollama: {
    chat: true,
    embeddings: true,
    keys: [],
    optionalKeys: ['OLLAMA_API_KEY'],
    baseUrl: 'ollamaHost',
    example: 'ollama:llama3.1',
    load: async (b) => (await import('./ollama.js')).createOllamaProvider(b),
  },
  transformers: { chat: false, embeddings: true, keys: [], example: 'transformers:Xenova/all-MiniLM-L6-v2' },
} as const satisfies Record<string, VendorRow>;

export type VendorName = keyof typeof VENDOR_TABLE;
export type SpecRole = 'chat' | 'embeddings';

const names = Object.keys(VENDOR_TABLE) as VendorName[];

/** Vendors serving a role, in table order. */
export function vendorsFor(role: SpecRole): VendorName[] {
  return names.filter((n) => VENDOR_TABLE[n][role]);
}

/** `http(s)://server/v1#model` of an openai-compatible spec, or null. */
export function compatibleSpec(rest: string): { baseUrl: string; model: string } | null {
  const hash = rest.lastIndexOf('#');
  const baseUrl = hash > 0 ? rest.slice(0, hash) : '';
  const model = hash > 0 ? rest.slice(hash + 1) : '';
  return /^https?:\/\//.test(baseUrl) && model ? { baseUrl, model } : null;
}

/** Why a spec cannot serve the role, or null when it can (`offline`/`none` always can). */
export function specProblem(spec: string, role: SpecRole): string | null {
  const trimmed = spec.trim();
  if (trimmed === 'offline' || trimmed === 'none') return null;
  const colon = trimmed.indexOf(':');
  const vendor = trimmed.slice(0, colon) as VendorName;
  const allowed = vendorsFor(role);
  if (colon <= 0 || !trimmed.slice(colon + 1))
    return `must be "offline" or "<provider>:<model>" with provider one of ${allowed.join(', ')} (example: ${VENDOR_TABLE[allowed[0] as VendorName].example})`;
  if (!Object.hasOwn(VENDOR_TABLE, vendor)) return `names no provider "${vendor}"; use one of ${allowed.join(', ')}`;
  if (!VENDOR_TABLE[vendor][role])
    return `${vendor} does not serve ${role === 'chat' ? 'chat (router, answer, analysis)' : 'embeddings'}; use one of ${allowed.join(', ')}`;
  if (vendor === 'openai-compatible' && !compatibleSpec(trimmed.slice(colon + 1)))
    return `needs a base URL and a model (example: ${VENDOR_TABLE['openai-compatible'].example})`;
  return null;
}
