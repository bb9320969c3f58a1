/**
 * A log attached to the question (Slack file_share, issue 20) is read as the named job's log: the
 * analysis quotes the lines the user attached even when the job's own copy is missing.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobAgent } from '../../agents/logs/index.js';
import type { Reply } from '../../src/contracts/reply.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { createFileSource } from '../../src/panda/index.js';
import { agentRequest } from '../doubles/agent-request.js';

const DEMO = new URL('../../resources/demo/6601000005/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'attached-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const evidence = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'evidence' ? b.lines.map((l) => l.text) : []));

describe('a log attached to the question', () => {
  it('is analysed as the job’s pilot log when the job’s own copy is missing', async () => {
    // The job record without its log, as when the monitor's log tarball is gone.
    mkdirSync(join(dir, '6601000005'));
    copyFileSync(join(DEMO, 'job.json'), join(dir, '6601000005', 'job.json'));
    const agent = createJobAgent({ panda: createFileSource(dir), kb: createKnowledgeBase() });
    const without = await agent.answer(agentRequest('why did job 6601000005 fail?', 'job', { entities: { pandaid: 6601000005 } }));
    expect(evidence(without).some((l) => l.includes('File transfer timed out during stage-in'))).toBe(false);

    const log = readFileSync(join(DEMO, 'pilotlog.txt'), 'utf8');
    const reply = await agent.answer(
      agentRequest('why did job 6601000005 fail? log attached', 'job', {
        entities: { pandaid: 6601000005 },
        message: { files: [{ name: 'my-job.log', mimeType: 'text/plain', size: log.length, text: log }] },
      }),
    );
    expect(evidence(reply).some((l) => l.includes('File transfer timed out during stage-in'))).toBe(true);
  });
});
