import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta } from '../contracts/llm.js';

/**
 * A provider whose vendor module (and SDK) is imported on first use: the SDKs take seconds to
 * load, and a bot configured for one vendor should not pay for the other four at start-up.
 */
export function createLazyProvider(id: string, load: () => Promise<LlmProvider>): LlmProvider {
  let loading: Promise<LlmProvider> | undefined;
  const provider = () => {
    loading ??= load();
    return loading;
  };
  return {
    id,
    async generate<T>(request: GenerateRequest<T>): Promise<GenerateResult<T>> {
      return (await provider()).generate(request);
    },
    async *stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
      yield* (await provider()).stream(request);
    },
  };
}
