/**
 * Builds providers from `provider:model` specs. Keys come only from the `apiKeys` map the config
 * layer passes (read from the environment there); base URLs from the config's overrides.
 *
 *   offline                                  the deterministic offline provider (the default)
 *   openai:gpt-4.1-mini                      OPENAI_API_KEY, OPENAI_BASE_URL optional (Azure, proxies)
 *   openai-compatible:http://host:8000/v1#m  vLLM, llama.cpp, Ollama /v1; OPENAI_API_KEY optional
 *   anthropic:claude-sonnet-4-5              ANTHROPIC_API_KEY
 *   gemini:gemini-2.5-flash                  GEMINI_API_KEY (or GOOGLE_API_KEY)
 *   mistral:mistral-small-latest             MISTRAL_API_KEY
 *   ollama:llama3.1                          native /api/chat at OLLAMA_HOST; OLLAMA_API_KEY optional
 */
import type { LlmProvider, LlmRole } from '../contracts/llm.js';
import { ConfigError, LlmError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { createBreaker, createLimiter, type Breaker, type Limiter } from './guards.js';
import { createLazyProvider } from './lazy.js';
import { createOfflineProvider } from './offline.js';
import { createReliableProvider } from './reliable.js';
import { type BaseUrlSetting, CHAT_ROLES, isNoModel, keyProblem, readSpec, VENDOR_TABLE, type VendorName, type VendorRow, vendorKey } from './vendors.js';

/** The chat vendors (router, answer, analysis), from the vendor table. */
export const VENDORS = Object.keys(VENDOR_TABLE) as VendorName[];
export type Vendor = VendorName;

/**
 * The subset of `config.llm` this layer reads (the config layer passes it; nothing reads env here),
 * with each vendor's endpoint setting declared in its row (`openaiBaseUrl`, …, `ollamaHost`).
 */
export interface LlmSettings extends Partial<Record<BaseUrlSetting, string>> {
  router?: string;
  answer?: string;
  analysis?: string;
  embeddings?: string;
  timeoutMs?: number;
  maxRetries?: number;
  maxConcurrency?: number;
  breakerFailures?: number;
  breakerCooldownSeconds?: number;
  maxInputTokens?: number;
}

export type ApiKeys = Partial<Record<string, string>>;

export interface LlmFactoryOptions {
  settings?: LlmSettings;
  apiKeys?: ApiKeys;
  logger?: Logger;
  /** First retry backoff step in ms (tests use a few ms). */
  backoffMs?: number;
}

export interface ParsedSpec {
  vendor: Vendor | 'offline';
  model: string;
  /** Only for openai-compatible: the server's base URL. */
  baseUrl?: string;
}

/** Reads a chat spec with the vendor table's rule (`readSpec`), the one `config check` applies. */
export function parseSpec(spec: string): ParsedSpec {
  if (isNoModel(spec)) return { vendor: 'offline', model: 'offline' };
  const read = readSpec(VENDOR_TABLE, spec, CHAT_ROLES);
  if ('problem' in read) throw new ConfigError(`LLM spec "${spec}" ${read.problem}`);
  return read;
}

/** The bare vendor provider (no retries or fallback): what the reliability wrapper wraps. Built from the vendor's row. */
export function createVendorLlm(spec: string, options: LlmFactoryOptions = {}): LlmProvider {
  const parsed = parseSpec(spec);
  if (parsed.vendor === 'offline') return createOfflineProvider();
  const s = options.settings ?? {};
  const keys = options.apiKeys ?? {};
  const row: VendorRow = VENDOR_TABLE[parsed.vendor];
  const missing = keyProblem(row, spec, keys);
  if (missing) throw new LlmError('not_configured', missing);
  const apiKey = vendorKey(row, keys);
  const load = row.load;
  const baseUrl = parsed.baseUrl ?? (row.baseUrl ? s[row.baseUrl.setting as BaseUrlSetting] : undefined);
  const id = parsed.baseUrl ? `${parsed.vendor}:${parsed.baseUrl}#${parsed.model}` : `${parsed.vendor}:${parsed.model}`;
  return createLazyProvider(id, () => load({ model: parsed.model, apiKey, baseUrl }));
}

export interface LlmRegistry {
  /** The provider for a spec, wrapped for reliability (memoised; `offline` is returned bare). */
  forSpec(spec: string): LlmProvider;
  /** The provider configured for a role (`router`, `answer`, `analysis`). */
  forRole(role: Exclude<LlmRole, 'embeddings'>): LlmProvider;
}

/**
 * One registry per process: providers are memoised per spec, and the concurrency limiter and
 * circuit breaker are shared by every role that uses the same provider.
 */
export function createLlmRegistry(options: LlmFactoryOptions = {}): LlmRegistry {
  const s = options.settings ?? {};
  const logger = options.logger ?? silentLogger();
  const offline = createOfflineProvider();
  const providers = new Map<string, LlmProvider>();
  const limiters = new Map<string, Limiter>();
  const breakers = new Map<string, Breaker>();

  function forSpec(spec: string): LlmProvider {
    const existing = providers.get(spec);
    if (existing) return existing;
    const inner = createVendorLlm(spec, options);
    if (inner.id === 'offline') return offline;
    const vendor = parseSpec(spec).vendor;
    if (!limiters.has(vendor)) limiters.set(vendor, createLimiter(s.maxConcurrency ?? 4));
    if (!breakers.has(inner.id)) breakers.set(inner.id, createBreaker(s.breakerFailures ?? 5, (s.breakerCooldownSeconds ?? 60) * 1000));
    const provider = createReliableProvider(inner, {
      fallback: offline,
      logger,
      limiter: limiters.get(vendor) as Limiter,
      breaker: breakers.get(inner.id) as Breaker,
      timeoutMs: s.timeoutMs ?? 60_000,
      maxRetries: s.maxRetries ?? 2,
      maxInputTokens: s.maxInputTokens ?? 12_000,
      backoffMs: options.backoffMs,
    });
    providers.set(spec, provider);
    return provider;
  }

  return {
    forSpec,
    forRole(role) {
      return forSpec(s[role] ?? 'offline');
    },
  };
}

/** A one-off reliable provider for a spec (tests, scripts); prefer a shared registry in the bot. */
export function createLlm(spec: string, options: LlmFactoryOptions = {}): LlmProvider {
  return createLlmRegistry(options).forSpec(spec);
}

/** The provider configured for `role`; a missing API key throws an LlmError naming the variable. */
export function createLlmForRole(role: Exclude<LlmRole, 'embeddings'>, settings: LlmSettings, apiKeys: ApiKeys, logger?: Logger): LlmProvider {
  return createLlmRegistry({ settings, apiKeys, logger }).forRole(role);
}
