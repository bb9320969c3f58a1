/**
 * Sentence embeddings with @huggingface/transformers (ONNX runtime on the CPU): a hub model id
 * (e.g. `Xenova/all-MiniLM-L6-v2`) found in the cache directory, or a local model directory.
 * Remote downloads are off unless `allowRemote` is set. Mean pooling + L2 normalisation.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Embedder } from '../../contracts/llm.js';
import { LlmError } from '../../errors.js';

export interface TransformersEmbedderOptions {
  /** Hub model id or a path to a model directory (config.json, tokenizer.json, onnx/model.onnx). */
  model: string;
  cacheDir?: string;
  allowRemote?: boolean;
  /** ONNX weights variant; `fp32` loads onnx/model.onnx. */
  dtype?: 'fp32' | 'q8' | 'fp16';
}

export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const { env, pipeline } = await import('@huggingface/transformers');
  const local = existsSync(resolve(options.model));
  env.allowRemoteModels = options.allowRemote === true && !local;
  env.allowLocalModels = true;
  if (options.cacheDir) env.cacheDir = resolve(options.cacheDir);
  let modelId = options.model;
  if (local) {
    env.localModelPath = dirname(resolve(options.model));
    modelId = basename(resolve(options.model));
  } else if (options.cacheDir) {
    env.localModelPath = resolve(options.cacheDir);
  }
  let extractor: Awaited<ReturnType<typeof pipeline<'feature-extraction'>>>;
  try {
    extractor = await pipeline('feature-extraction', modelId, { dtype: options.dtype ?? 'fp32' });
  } catch (error) {
    const hint = env.allowRemoteModels ? '' : ' (remote downloads are off: set ASKPANDA_TRANSFORMERS_REMOTE=true or give a local model directory)';
    throw new LlmError('not_configured', `Embedding model ${options.model} could not be loaded${hint}: ${(error as Error).message}`, { cause: error });
  }
  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    const output = await extractor(texts, { pooling: 'mean', normalize: true });
    const [rows, dim] = output.dims as [number, number];
    const data = output.data as Float32Array;
    const out: Float32Array[] = [];
    for (let i = 0; i < rows; i += 1) out.push(Float32Array.from(data.subarray(i * dim, (i + 1) * dim)));
    return out;
  };
  const [probe] = await embed(['dimension probe']);
  const dimension = probe?.length ?? 0;
  return {
    id: `transformers:${options.model}`,
    dimension,
    embed: (texts) => embed(texts),
  };
}
