/** Embeddings from Ollama's native `/api/embed`. */
import { Ollama } from 'ollama';
import type { Embedder } from '../../contracts/llm.js';
import { LlmError } from '../../errors.js';

export interface OllamaEmbedderOptions {
  model: string;
  host?: string;
}

export async function createOllamaEmbedder(options: OllamaEmbedderOptions): Promise<Embedder> {
  const client = new Ollama({ host: options.host ?? 'http://127.0.0.1:11434' });
  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    try {
      const response = await client.embed({ model: options.model, input: texts });
      return response.embeddings.map((e) => Float32Array.from(e));
    } catch (error) {
      throw new LlmError('llm_error', `Ollama at ${options.host ?? '127.0.0.1:11434'} failed to embed with ${options.model}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const [probe] = await embed(['dimension probe']);
  return { id: `ollama:${options.model}`, dimension: probe?.length ?? 0, embed };
}
