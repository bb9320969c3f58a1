import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiscussionsEval, runDiscussionsEval } from '../../src/cli/eval-discussions.js';
import { silentLogger } from '../../src/log.js';
import { needShared, sharedPath } from '../support/shared.js';

const DEV = sharedPath('eval/discussions-dev');
const dev = needShared('eval/discussions-dev');

describe.skipIf(dev.missing)(`askpanda eval discussions on discussions-dev${dev.note}`, () => {
  it('meets the targets and writes both prediction files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'askpanda-dpred-'));
    try {
      const r = await runDiscussionsEval(DEV, silentLogger(), join(out, 'pred'));
      expect(r.ingest.precision).toBeGreaterThanOrEqual(0.95);
      expect(r.ingest.recall).toBeGreaterThanOrEqual(0.95);
      expect(r.ingest.privateUnflagged).toBe(0);
      expect(r.ingest.secretsSurviving).toBe(0);
      expect(r.qa.privateLeaks).toBe(0);
      expect(r.qa.nonIngestibleReturned).toBe(0);
      expect(r.qa.hitAt5).toBeGreaterThanOrEqual(0.9);
      const ingest = readFileSync(join(out, 'pred.ingest.jsonl'), 'utf8').trim().split('\n');
      const qa = readFileSync(join(out, 'pred.qa.jsonl'), 'utf8').trim().split('\n');
      expect(ingest).toHaveLength(60);
      expect(qa).toHaveLength(30);
      expect(JSON.parse(ingest[0] as string)).toHaveProperty('stored_text');
      expect(formatDiscussionsEval(r)).toMatch(/precision: 1\.0000[\s\S]*gold hit@5/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
