import { describe, expect, it } from 'vitest';
import { createErrorCodeAgent, parseErrorQuestion } from '../../agents/error-codes/index.js';
import type { Reply } from '../../src/contracts/reply.js';
import type { Entities } from '../../src/contracts/routing.js';
import { createKnowledgeBase, type ErrorCodeEntry } from '../../src/knowledge/index.js';
import { agentRequest } from '../doubles/agent-request.js';
import { needShared, sharedPath } from '../support/shared.js';

const descriptions = needShared('data/error-codes/pilot_error_codes_and_descriptions.json');
const pilotDescriptions = sharedPath('data/error-codes/pilot_error_codes_and_descriptions.json');
const kb = createKnowledgeBase({ extraDescriptionFiles: descriptions.missing ? [] : [pilotDescriptions] });
const agent = createErrorCodeAgent({ kb });

function ask(text: string, entities: Partial<Entities> = {}, view?: 'user' | 'expert'): Promise<Reply> {
  const request = agentRequest(text, 'error_code', {
    entities,
    view,
    message: { workspace: 'local', channel: 'c1', user: 'u1', eventId: 'e1', receivedAt: new Date(0) },
  });
  return agent.answer(request);
}

/** What a user reads: every block flattened to text. */
function rendered(reply: Reply): string {
  return reply.blocks
    .map((b) => {
      switch (b.kind) {
        case 'fields':
          return b.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
        case 'table':
          return [b.caption ?? '', b.columns.join(' | '), ...b.rows.map((r) => r.join(' | '))].join('\n');
        case 'evidence':
          return b.lines.map((l) => l.text).join('\n');
        case 'citations':
          return b.items.map((i) => i.title).join('\n');
        default:
          return b.text;
      }
    })
    .join('\n');
}

const entriesOf = (reply: Reply) => (reply.data?.entries ?? []) as ErrorCodeEntry[];

describe('error-codes agent', () => {
  it('serves the error_code intent and describes itself', () => {
    expect(agent.intents).toEqual(['error_code']);
    expect(agent.description).toMatch(/error codes/);
  });

  it('explains pilot error 1150 with the looping explanation, category and retry advice', async () => {
    const reply = await ask('what does pilot error 1150 mean?', { error_code: 1150, error_component: 'pilot' });
    const text = rendered(reply);
    expect(reply.intent).toBe('error_code');
    expect(reply.blocks[0]).toEqual({ kind: 'heading', text: 'Pilot error 1150 (LOOPINGJOB)' });
    expect(text).toMatch(/looping job/i);
    expect(text).toContain('Category: Looping job (no progress) (looping)');
    expect(text).toMatch(/Retry advice: .*\(no_retry\)/);
    expect(text).toContain('Default message: Looping job killed by pilot');
    expect(reply.summary).toMatch(/looping/);
    expect(reply.summary).toContain('no_retry');
    expect(entriesOf(reply).map((e) => `${e.component}:${e.code}`)).toEqual(['pilot:1150']);
  });

  it('parses the question itself when the route carries no entities', async () => {
    const reply = await ask('what does pilot error 1150 mean?');
    expect(reply.blocks[0]).toEqual({ kind: 'heading', text: 'Pilot error 1150 (LOOPINGJOB)' });
    const exit = await ask('exit code 65?');
    expect(rendered(exit)).toContain('Transform exit code 65 (TRF_EXEC_FAIL)');
  });

  it('answers "exit code 65?" as the transform code', async () => {
    const reply = await ask('exit code 65?', { error_code: 65, error_component: 'trf' });
    const text = rendered(reply);
    expect(text).toContain('Non-zero exit code from transform substep executor');
    expect(text).toContain('(payload-software)');
    expect(text).toMatch(/log\.<step>/);
  });

  it('answers a code of several components for each, labelled, most common first', async () => {
    const reply = await ask('error 100', { error_code: 100 });
    const text = rendered(reply);
    expect(text).toContain('Error code 100 exists in 5 components');
    const headings = reply.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
    expect(headings.slice(1, 4)).toEqual([
      'PanDA server: job dispatcher error 100 (EC_Watcher)',
      'PanDA server: task buffer error 100 (EC_Kill)',
      'PanDA server: data service (DDM) error 100 (EC_Setupper)',
    ]);
    expect(text).toMatch(/Lost heartbeat/);
    expect(text).toContain('Historical code');
    expect(entriesOf(reply)).toHaveLength(5);
  });

  it('answers "error 1305" without a component for the pilot', async () => {
    const reply = await ask('error 1305', { error_code: 1305 });
    expect(reply.blocks[0]).toEqual({ kind: 'heading', text: 'Pilot error 1305 (PAYLOADEXECUTIONFAILURE)' });
    expect(rendered(reply)).toMatch(/transexitcode/);
  });

  it('says when the named component lacks the code and answers for the ones that have it', async () => {
    const reply = await ask('trf exit code 1150', { error_code: 1150, error_component: 'trf' });
    const text = rendered(reply);
    expect(text).toContain('1150 is not a transform (payload exit code) error code; it exists for: pilot.');
    expect(text).toContain('Pilot error 1150 (LOOPINGJOB)');
  });

  it('reads executor codes through the transform table and mentions other components', async () => {
    const exe = rendered(await ask('exe error 65', { error_code: 65, error_component: 'exe' }));
    expect(exe).toContain('from the trf table');
    expect(exe).toContain('TRF_EXEC_FAIL');
    const pilot100 = rendered(await ask('jobdispatcher error 100', { error_code: 100, error_component: 'jobdispatcher' }));
    expect(pilot100).toMatch(/Code 100 also exists for taskbuffer \(EC_Kill\)/);
  });

  it('answers an unknown code with one sentence and the closest known codes', async () => {
    const reply = await ask('pilot error 1999?', { error_code: 1999, error_component: 'pilot' });
    const text = rendered(reply);
    expect(text).toMatch(/^1999 is not a known pilot error code in Ask PanDA's knowledge base\./);
    expect(text).toContain('Closest known codes');
    expect(reply.data).toMatchObject({ found: false, code: 1999 });
    expect(reply.data?.nearest).toHaveLength(3);
  });

  it('looks up an error message when no code is given', async () => {
    const reply = await ask("what does 'lost heartbeat' mean?");
    const text = rendered(reply);
    expect(text).toContain('The closest match in the error-code knowledge base is PanDA server: job dispatcher error 100 (EC_Watcher).');
    expect(reply.data).toMatchObject({ found: true, code: 100 });
    const nothing = await ask('hello there');
    expect(rendered(nothing)).toMatch(/found no error code/);
  });

  it.skipIf(descriptions.missing)(`adds the long description in the expert view${descriptions.note}`, async () => {
    const user = rendered(await ask('pilot error 1150', { error_code: 1150, error_component: 'pilot' }));
    const expert = rendered(await ask('pilot error 1150', { error_code: 1150, error_component: 'pilot' }, 'expert'));
    expect(user).not.toContain('More detail:');
    expect(expert).toContain('More detail: The LOOPINGJOB error');
  });
});

describe('parseErrorQuestion', () => {
  it.each([
    ['what does pilot error 1150 mean?', 1150, 'pilot'],
    ['exit code 65?', 65, 'trf'],
    ['error 1305', 1305, null],
    ['ddm error 200', 200, 'ddm'],
    ['dataservice code: 201', 201, 'ddm'],
    ['runGen failed with 5318', 5318, 'wnscript'],
    ['job 6715819744 had piloterrorcode 1099', 1099, 'pilot'],
    ['what is a looping job', null, null],
  ])('%s → %s %s', (text, code, component) => {
    expect(parseErrorQuestion(text)).toEqual({ code, component });
  });
});
