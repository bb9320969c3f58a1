import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReply, leadingVerdict } from '../../src/cli/conversation-checks.js';
import { runConversationEval } from '../../src/cli/eval-conversations.js';
import { DEMO_DIR } from '../../src/cli/panda-wiring.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'askpanda-conversations-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('conversation checks (score_conversations.py semantics)', () => {
  it('takes the earliest verdict word of the first 80 characters', () => {
    expect(leadingVerdict('No. The input file is missing everywhere, a retry fails the same way.')).toBe('no');
    expect(leadingVerdict('Maybe: it could help, but not at the same site.')).toBe('maybe');
    expect(leadingVerdict('Probably yes, not...')).toBe('yes');
    expect(leadingVerdict('The job ran out of memory.')).toBeNull();
  });

  it('fails a reply that repeats the previous one, is too long or lacks a name', () => {
    const prev = 'Job 1 failed with pilot error 1099 at SITE_A: no replica of the input file.';
    expect(checkReply(prev, prev, { not_repeat: true })).toEqual(['repeats the previous reply']);
    expect(checkReply('x'.repeat(20), null, { max_chars: 10 })).toEqual(['20 chars > 10']);
    expect(checkReply('queues: AGLT2_TEST', null, { include_names: ['AGLT2'] })).toEqual(['missing name AGLT2']);
    expect(checkReply('queues: AGLT2, BNL', null, { include_names: ['AGLT2'], exclude_names: ['AGLT2_TEST'] })).toEqual([]);
  });
});

describe('eval conversations', () => {
  it('plays every dialogue as one thread through the core and writes one reply per turn', async () => {
    const file = join(dir, 'dialogues.jsonl');
    const out = join(dir, 'pred.jsonl');
    const dialogues = [
      {
        id: 'd1',
        kind: 'job-other',
        turns: [{ user: 'why did job 6601000006 fail?' }, { user: 'and job 6601000011?', checks: { include_all: ['6601000011', '1235'] } }],
      },
      { id: 'd2', kind: 'queue-other', turns: [{ user: 'hello' }, { user: 'what is the status of AGLT2?' }] },
    ];
    await writeFile(file, `${dialogues.map((d) => JSON.stringify(d)).join('\n')}\n`);
    const { predictions, score } = await runConversationEval(file, { pandaDir: DEMO_DIR, out });
    const written = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; replies: string[] });
    expect(written).toEqual(predictions);
    expect(written.map((p) => [p.id, p.replies.length])).toEqual([
      ['d1', 2],
      ['d2', 2],
    ]);
    // The user view is plain text: no Markdown bold marks, no ANSI colours.
    for (const reply of written.flatMap((p) => p.replies)) {
      expect(reply).not.toMatch(/\*\*|\x1b\[/);
      expect(reply.length).toBeGreaterThan(0);
    }
    expect(score.dialogues).toBe(2);
    expect(score.byKind['job-other']).toEqual({ pass: 1, total: 1 });
  });

  it('says clearly when the panda directory or the dialogue file is missing', async () => {
    await expect(runConversationEval(join(dir, 'none.jsonl'), { pandaDir: DEMO_DIR })).rejects.toThrow(/could not be read/);
    await expect(runConversationEval(join(dir, 'none.jsonl'), { pandaDir: join(dir, 'absent') })).rejects.toThrow(/does not exist/);
  });
});
