/** Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, llama.cpp, TEI, Ollama's /v1). */
import OpenAI from 'openai';
import type { Embedder } from '../../contracts/llm.js';
import { LlmError } from '../../errors.js';

export interface OpenAiEmbedderOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export async function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const client = new OpenAI({
    apiKey: options.apiKey ?? 'unused',
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
  });
  const embed = async (texts: string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    try {
      const response = await client.embeddings.create({ model: options.model, input: texts, encoding_format: 'float' }, { signal });
      return [...response.data].sort((a, b) => a.index - b.index).map((d) => Float32Array.from(d.embedding));
    } catch (error) {
      throw new LlmError(
        'llm_error',
        `Embeddings endpoint ${options.baseURL ?? 'api.openai.com'} failed for model ${options.model}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  const [probe] = await embed(['dimension probe']);
  return { id: `openai:${options.model}`, dimension: probe?.length ?? 0, embed };
}
