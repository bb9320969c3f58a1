import { describe, expect, it } from 'vitest';
import { errorReply, errorText } from '../../src/errors.js';
import { pandaErrors } from '../../src/panda/panda-errors.js';

const where = 'the monitor at https://bigpanda.cern.ch';

describe('errorReply: the one sentence users see for an error', () => {
  it('says what the monitor did, with the reference under which it was logged', () => {
    const cases: Array<[Error, RegExp]> = [
      [
        pandaErrors.notFound('job 6601000006', `on ${where}`),
        /^Job 6601000006 was not found on the monitor at https:\/\/bigpanda\.cern\.ch \(ref ab12cd34\)\.$/,
      ],
      [
        pandaErrors.unauthorized('job 6601000006', where, 403, 'ASKPANDA_PANDA_TOKEN'),
        /^The monitor .* rejected the credentials .*HTTP 403.* check ASKPANDA_PANDA_TOKEN \(ref ab12cd34\)\.$/,
      ],
      [pandaErrors.timeout('job 6601000006', where, 30_000), /^The monitor .* did not answer within 30 s when fetching job 6601000006 \(ref ab12cd34\)\.$/],
      [
        pandaErrors.tooLarge('job 6601000006', where, 8 * 1024 ** 2),
        /^The monitor .*'s answer for job 6601000006 is larger than the 8 MB cap \(ref ab12cd34\)\.$/,
      ],
      [
        pandaErrors.unreachable('job 6601000006', where, Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
        /could not be reached when fetching job 6601000006 \(ECONNREFUSED\) \(ref ab12cd34\)\.$/,
      ],
    ];
    for (const [error, expected] of cases) {
      const reply = errorReply(error, { ref: 'ab12cd34' });
      expect(reply.blocks).toEqual([{ kind: 'notice', level: 'error', text: expect.stringMatching(expected) }]);
      expect(reply.summary).toBe((reply.blocks[0] as { text: string }).text);
      expect(reply.correlationId).toBe('ab12cd34');
    }
  });

  it('never shows the detail of an unexpected error', () => {
    const secret = new TypeError('cannot read x of undefined at /srv/app/token=abc');
    expect(errorText(secret, { ref: 'ff00ff00' })).toBe('Sorry, something went wrong while answering (ref ff00ff00). The error was logged.');
    expect(errorText(secret, { doing: 'running the analyze_job tool' })).toBe(
      'Sorry, something went wrong while running the analyze_job tool. The error was logged.',
    );
    expect(errorReply(secret, { intent: 'job' })).toMatchObject({ intent: 'job' });
  });

  it('turns a cancelled request into a timeout sentence', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(errorText(abort)).toBe('The request was cancelled or timed out.');
  });
});
