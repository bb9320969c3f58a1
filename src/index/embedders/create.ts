/** Builds the embedder named by a model spec (`ASKPANDA_LLM_EMBEDDINGS`); `none`/`offline` → null (lexical only). */
import type { Embedder } from '../../contracts/llm.js';
import { ConfigError } from '../../errors.js';
import { isNoModel, keyProblem, readSpec, vendorKey } from '../../llm/vendors.js';
import { EMBEDDER_TABLE, type EmbedderRow, type EmbedderSettings } from './vendors.js';

export type { EmbedderSettings };

/** The spec read by the table's rule (the one `config check` applies), then built by its row. */
export async function createEmbedder(settings: EmbedderSettings): Promise<Embedder | null> {
  const { spec } = settings;
  if (isNoModel(spec)) return null;
  const read = readSpec(EMBEDDER_TABLE, spec, 'embeddings');
  if ('problem' in read) throw new ConfigError(`ASKPANDA_LLM_EMBEDDINGS: ${spec} ${read.problem}`);
  const row: EmbedderRow = EMBEDDER_TABLE[read.vendor];
  const keys = settings.apiKeys ?? {};
  const missing = keyProblem(row, spec, keys);
  if (missing) throw new ConfigError(`ASKPANDA_LLM_EMBEDDINGS: ${missing}`);
  const endpoint = row.baseUrl ? settings.endpoints?.[row.baseUrl.setting] : undefined;
  const baseUrl = read.baseUrl ?? (typeof endpoint === 'string' ? endpoint : undefined);
  return row.load({ model: read.model, apiKey: vendorKey(row, keys), baseUrl, settings });
}
