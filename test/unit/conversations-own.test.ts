/**
 * Our own conversation set (test/fixtures/conversations-own, written from the kinds of issue 14 with
 * wording of our own: paraphrases of every follow-up act, CRIC field synonyms, ask-back phrasings),
 * played through the real offline core over the conversations-dev panda-dir, scored with the
 * reference checks. Guards the follow-up rules against fitting one set of lines.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConversationEval } from '../../src/cli/eval-conversations.js';
import { needShared, sharedPath } from '../support/shared.js';

const need = needShared('eval/conversations-dev/panda-dir');
const DIALOGUES = fileURLToPath(new URL('../fixtures/conversations-own/dialogues.jsonl', import.meta.url));

describe.skipIf(need.missing)(`own conversation set${need.note}`, () => {
  it('passes at least 95% of the dialogues and at least 80% of every kind', async () => {
    const { score } = await runConversationEval(DIALOGUES, { pandaDir: sharedPath('eval/conversations-dev/panda-dir') });
    const failed = score.lines.filter((l) => !/: ok$/.test(l));
    expect(score.dialogues).toBeGreaterThanOrEqual(60);
    expect(score.dialoguePass, failed.join('\n')).toBeGreaterThanOrEqual(0.95);
    for (const [kind, { pass, total }] of Object.entries(score.byKind))
      expect(pass / total, `${kind}: ${pass}/${total}\n${failed.join('\n')}`).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
