/**
 * The one table of LLM vendors: which roles each serves (chat: router/answer/analysis; embeddings)
 * and the API keys it needs. Config validation (`askpanda config check`), the provider factory and
 * the embedder factory all read it, so a spec is accepted exactly when it can be built.
 * Adding a vendor: a row here, its provider file, and its case in `create.ts` (or embedders/create.ts).
 */
export const VENDOR_TABLE = {
  openai: { chat: true, embeddings: true, keys: ['OPENAI_API_KEY'], example: 'openai:gpt-4.1-mini' },
  'openai-compatible': { chat: true, embeddings: true, keys: [], example: 'openai-compatible:http://127.0.0.1:8000/v1#llama-3.1-8b' },
  anthropic: { chat: true, embeddings: false, keys: ['ANTHROPIC_API_KEY'], example: 'anthropic:claude-sonnet-4-5' },
  gemini: { chat: true, embeddings: false, keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], example: 'gemini:gemini-2.5-flash' },
  mistral: { chat: true, embeddings: false, keys: ['MISTRAL_API_KEY'], example: 'mistral:mistral-small-latest' },
  ollama: { chat: true, embeddings: true, keys: [], example: 'ollama:llama3.1' },
  transformers: { chat: false, embeddings: true, keys: [], example: 'transformers:Xenova/all-MiniLM-L6-v2' },
} as const satisfies Record<string, { chat: boolean; embeddings: boolean; keys: readonly string[]; example: string }>;

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
