import { describe, expect, it } from 'vitest';
import { discussionsJob } from '../../src/maintenance/jobs.js';

const signal = new AbortController().signal;

describe('support-channel maintenance job', () => {
  it('is a docs job (the leader alone writes the index) and reports what the sync did', async () => {
    const job = discussionsJob({
      cron: '*/15 * * * *',
      sync: async () => [
        { threads: 10, ingested: 6, written: 2, removed: 1 },
        { threads: 0, ingested: 0, written: 0, removed: 0, error: 'HTTP 403 not_in_channel' },
      ],
    });
    expect(job.name.startsWith('docs')).toBe(true);
    const result = await job.run(signal);
    expect(result.summary).toBe('2 channels (1 failed): 10 threads, 6 resolved, 2 written, 1 removed');
    expect(result.figures).toMatchObject({ channels: 2, failed: 1, written: 2 });
  });

  it('says when no channel is configured, and fails when every channel failed', async () => {
    expect((await discussionsJob({ cron: '* * * * *', sync: async () => null }).run(signal)).summary).toBe('no support channels configured');
    const failing = discussionsJob({ cron: '* * * * *', sync: async () => [{ threads: 0, ingested: 0, written: 0, removed: 0, error: 'unreachable' }] });
    await expect(failing.run(signal)).rejects.toThrow(/every channel failed: unreachable/);
  });
});
