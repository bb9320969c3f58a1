/** Builds the embedder named by a model spec (`ASKPANDA_LLM_EMBEDDINGS`); `none`/`offline` → null (lexical only). */
import type { Embedder } from '../../contracts/llm.js';
import { ConfigError } from '../../errors.js';
import { specProblem } from '../../llm/vendors.js';

export interface EmbedderSettings {
  /** `none`, `offline`, `transformers:<model id or dir>`, `openai:<model>`, `openai-compatible:<model>`, `ollama:<model>`. */
  spec: string;
  transformersCacheDir?: string;
  transformersAllowRemote?: boolean;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  ollamaHost?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export async function createEmbedder(settings: EmbedderSettings): Promise<Embedder | null> {
  const { spec } = settings;
  if (spec === 'none' || spec === 'offline' || spec === '') return null;
  const at = spec.indexOf(':');
  const provider = spec.slice(0, at);
  const model = spec.slice(at + 1);
  switch (provider) {
    case 'transformers': {
      const { createTransformersEmbedder } = await import('./transformers.js');
      return createTransformersEmbedder({ model, cacheDir: settings.transformersCacheDir, allowRemote: settings.transformersAllowRemote });
    }
    case 'openai':
    case 'openai-compatible': {
      if (provider === 'openai' && !settings.openaiApiKey && !settings.openaiBaseUrl) {
        throw new ConfigError('ASKPANDA_LLM_EMBEDDINGS: openai embeddings need OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server)');
      }
      const { createOpenAiEmbedder } = await import('./openai.js');
      return createOpenAiEmbedder({
        model,
        apiKey: settings.openaiApiKey,
        baseURL: settings.openaiBaseUrl,
        timeoutMs: settings.timeoutMs,
        maxRetries: settings.maxRetries,
      });
    }
    case 'ollama': {
      const { createOllamaEmbedder } = await import('./ollama.js');
      return createOllamaEmbedder({ model, host: settings.ollamaHost });
    }
    default:
      throw new ConfigError(`ASKPANDA_LLM_EMBEDDINGS: ${spec} ${specProblem(spec, 'embeddings') ?? 'names no embeddings provider'}`);
  }
}
