import { createOfflineProvider } from '../../src/llm/index.js';
import { llmProviderContract } from '../contract/llm-provider.js';

llmProviderContract({
  name: 'offline',
  scripted: false,
  async setup() {
    return { provider: createOfflineProvider(), requests: () => [], close: async () => {} };
  },
});
