import type { DiscussionPlatform, DiscussionSource } from '../../src/contracts/discussions.js';

/**
 * A channel-history reader whose module (and platform SDK) is imported on its first read, so a bot
 * that never ingests that platform's channels never loads its SDK. A failed load is tried again next time.
 */
export function lazyHistory(platform: DiscussionPlatform, load: () => Promise<DiscussionSource>): DiscussionSource {
  let loading: Promise<DiscussionSource> | undefined;
  const source = (): Promise<DiscussionSource> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    platform,
    readThreads: async (channelId, options) => (await source()).readThreads(channelId, options),
    channelInfo: async (channelId, signal) => (await source()).channelInfo(channelId, signal),
  };
}
