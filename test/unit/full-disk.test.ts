/**
 * A full data disk never fails an answer (#17.4): the analysis cache and the conversation memory are
 * best-effort. Stores that throw what a full disk throws (ENOSPC, SQLITE_FULL) under the real core,
 * router and job agent on the demo data.
 */
// Loaded first on purpose (see test/unit/mcp-demo-core.ts).
import 'discord.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobAgent } from '../../agents/logs/index.js';
import type { AnalysisStore } from '../../agents/logs/store.js';
import { createServices } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import type { ConversationStore } from '../../src/contracts/conversation.js';
import type { FeedbackStore } from '../../src/contracts/feedback.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { createCore } from '../../src/core/pipeline.js';
import { silentLogger } from '../../src/log.js';
import { createMemoryDeduper } from '../../src/state/dedupe.js';
import { createLocalLock } from '../../src/state/lock.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { createFakeLlm } from '../doubles/fake-llm.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-full-disk-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const sqliteFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('a full data disk', () => {
  it('never fails an answer: analysis cache, memory and feedback writes fail, the job is still explained', async () => {
    const services = createServices({ loaded: loadConfig({ ASKPANDA_DATA_DIR: dataDir }), logger: silentLogger() });
    const writes = { analyses: 0, memory: 0, feedback: 0 };
    const analyses: AnalysisStore = {
      get: () => null,
      bySignature: () => {
        throw sqliteFull();
      },
      put: () => {
        writes.analyses += 1;
        throw sqliteFull();
      },
      close: () => undefined,
    };
    const memory: ConversationStore = {
      load: async () => [],
      append: async () => {
        writes.memory += 1;
        throw enospc();
      },
      feedback: async () => undefined,
      forget: async () => undefined,
      close: async () => undefined,
    };
    const feedback = {
      recordAnswer: async () => {
        writes.feedback += 1;
        throw sqliteFull();
      },
      rate: async () => null,
      rated: async () => [],
      close: async () => undefined,
    } as unknown as FeedbackStore;
    // An analysis LLM, so the cache's signature lookup is asked too (its answer is not usable: offline diagnosis).
    const llm = createFakeLlm({ id: 'fake:analysis', results: [{ text: 'not the expected structure' }, { text: 'still not' }] });
    const jobAgent = createJobAgent({ panda: services.panda(), kb: services.kb(), llm, store: analyses, logger: silentLogger() });
    const core = createCore({
      router: services.router(),
      agents: [jobAgent],
      memory,
      deduper: createMemoryDeduper(),
      lock: createLocalLock(),
      logger: silentLogger(),
      feedback,
    });
    const message: IncomingMessage = {
      platform: 'test',
      workspace: 'w',
      channel: 'c',
      thread: 'full-disk',
      user: 'u',
      text: 'why did job 6601000005 fail?',
      isDirect: true,
      mentionsBot: true,
      eventId: 'full-disk-1',
      receivedAt: new Date(),
    };
    const reply = await core.handle(message);
    const text = replyToMarkdown(reply ?? { blocks: [] });
    expect(text).toMatch(/Job 6601000005 failed: pilot error 1151/);
    expect(text).not.toMatch(/went wrong/i);
    // Every write was tried and failed; none of it reached the user.
    expect(writes).toEqual({ analyses: 1, memory: 1, feedback: 1 });
    jobAgent.close();
  });
});
