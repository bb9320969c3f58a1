import { describe, expect, it } from 'vitest';
import { lazyHistory } from '../../adapters/shared/lazy-history.js';
import type { DiscussionSource } from '../../src/contracts/discussions.js';

describe('a platform history reader loaded on first use', () => {
  const real: DiscussionSource = {
    platform: 'slack',
    readThreads: async () => [],
    channelInfo: async (id) => ({ id, name: 'panda-support', private: false }) as Awaited<ReturnType<DiscussionSource['channelInfo']>>,
  };

  it('imports nothing until a read, then once; a failed load is tried again', async () => {
    let loads = 0;
    let failNext = true;
    const source = lazyHistory('slack', async () => {
      loads += 1;
      if (failNext) {
        failNext = false;
        throw new Error('SDK not installed');
      }
      return real;
    });
    expect(loads).toBe(0);
    expect(source.platform).toBe('slack');
    await expect(source.channelInfo('C1')).rejects.toThrow('SDK not installed');
    expect((await source.channelInfo('C1')).name).toBe('panda-support');
    expect(await source.readThreads('C1')).toEqual([]);
    expect(loads).toBe(2);
  });
});
