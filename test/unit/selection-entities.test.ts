import { describe, expect, it } from 'vitest';
import { createRuleRouter } from '../../agents/selection/index.js';
import type { Turn } from '../../src/contracts/conversation.js';

const names = {
  queues: ['AGLT2', 'CERN-PROD_EOS', 'LRZ-LMU_MUC', 'DESY-HH', 'Vega_MCORE', 'praguelcg2_Karolina_MCORE', 'CERN', 'ALL', 'RAL', 'NIKHEF'],
  sites: ['DESY-HH', 'BNL-ATLAS', 'GreatLakesT2', 'CERN-PROD', 'praguelcg2'],
};
const known = createRuleRouter({ names: async () => names });
const shapesOnly = createRuleRouter();

const route = (text: string, history: Turn[] = []) => known.route(text, history);

describe('selection: IDs and monitor links', () => {
  it('reads a 10-digit number as a PanDA job and an 8-digit one as a JEDI task', async () => {
    expect((await route('6724011223 - failed again, why??')).entities.pandaid).toBe(6724011223);
    const task = await route('45611002 has been pending forever, why?');
    expect(task.entities.jeditaskid).toBe(45611002);
    expect(task.intent).toBe('task');
  });

  it('treats "my pathena job 45633004" as a task because the ID has 8 digits', async () => {
    const r = await route('my pathena job 45633004 only got through 60% of its input files');
    expect(r.intent).toBe('task');
    expect(r.entities).toMatchObject({ pandaid: null, jeditaskid: 45633004, error_code: null });
  });

  it.each([
    ['https://bigpanda.cern.ch/job?pandaid=6731234567 what went wrong', 'job', 6731234567],
    ['see https://bigpanda.cern.ch/job/6731234568/ please', 'job', 6731234568],
    ['<https://bigpanda.cern.ch/jobs/?pandaid=6731234569|this job> died', 'job', 6731234569],
    ['https://bigpanda.cern.ch/task/45712346/ why so many failures?', 'task', 45712346],
    ['https://bigpanda.cern.ch/tasks/?jeditaskid=45712347 progress?', 'task', 45712347],
    ['bigpanda.cern.ch/task/45900005 - help', 'task', 45900005],
  ] as const)('turns the monitor link in %j into a %s ID', async (text, intent, id) => {
    const r = await route(text);
    expect(r.intent).toBe(intent);
    expect(intent === 'job' ? r.entities.pandaid : r.entities.jeditaskid).toBe(id);
  });

  it('accepts other lengths only after an explicit keyword', async () => {
    expect((await route('pandaid 123456789 failed')).entities.pandaid).toBe(123456789);
    expect((await route('task 1234567 is stuck')).entities.jeditaskid).toBe(1234567);
    expect((await route('we processed 123456789 events in total')).entities.pandaid).toBeNull();
  });

  it('keeps both IDs and follows what is asked about', async () => {
    const inTask = await route('what happened to job 6727789900 in task 45400001?');
    expect(inTask.intent).toBe('job');
    expect(inTask.entities).toMatchObject({ pandaid: 6727789900, jeditaskid: 45400001 });
    const example = await route('task 45712355: most jobs failed, e.g. 6731234579');
    expect(example.intent).toBe('task');
    expect(example.entities).toMatchObject({ pandaid: 6731234579, jeditaskid: 45712355 });
  });

  it('reads a bare number as the answer to the assistant asking "which job?"', async () => {
    const history: Turn[] = [
      { role: 'user', text: 'why did my job fail?', at: '2025-01-01T00:00:00Z' },
      { role: 'assistant', text: 'Which job? Please give me its PanDA ID.', at: '2025-01-01T00:00:01Z' },
    ];
    const r = await route('123456789', history);
    expect(r.intent).toBe('job');
    expect(r.entities.pandaid).toBe(123456789);
    expect(r.reason).toMatch(/answering/);
    expect((await route('123456789')).entities.pandaid).toBeNull();
  });

  it('carries the job of an earlier turn over to "why did it fail?"', async () => {
    const history: Turn[] = [{ role: 'user', text: 'status of 6731234567', at: '2025-01-01T00:00:00Z', intent: 'job', entities: { pandaid: 6731234567 } }];
    const r = await route('and why did it fail?', history);
    expect(r).toMatchObject({ intent: 'job', source: 'memory', entities: { pandaid: 6731234567 } });
  });
});

describe('selection: error codes and components', () => {
  it.each([
    ['pilot error 1098 - meaning?', 1098, 'pilot'],
    ['explain piloterrorcode 1351', 1351, 'pilot'],
    ['trf exit code 11 - what is that?', 11, 'trf'],
    ['what does it mean when the athena transform exits with code 66?', 66, 'trf'],
    ['transExitCode 8 ?', 8, 'trf'],
    ['ddm error 200 - what does it mean?', 200, 'ddm'],
    ['taskbuffer error 102, what is that?', 102, 'taskbuffer'],
    ['jobdispatcher error 100 what is it', 100, 'jobdispatcher'],
    ['sup error 1 meaning', 1, 'sup'],
    ['brokerage error 100 meaning', 100, 'brokerage'],
    ['what is exeErrorCode 68', 68, 'exe'],
    ['1325?? what kind of error is that', 1325, null],
    ['what is error 1201', 1201, null],
    ['piolt eror 1324 explanation please', 1324, 'pilot'],
  ] as const)('%j → code %i, component %s', async (text, code, component) => {
    const r = await route(text);
    expect(r.intent).toBe('error_code');
    expect(r.entities.error_code).toBe(code);
    expect(r.entities.error_component).toBe(component);
  });

  it('keeps a code found next to a job ID as an entity of the job question', async () => {
    const r = await route('check job 6728890011 please, exit code 139');
    expect(r.intent).toBe('job');
    expect(r.entities).toMatchObject({ pandaid: 6728890011, error_code: 139, error_component: 'trf' });
  });

  it('does not read quantities as error codes', async () => {
    for (const text of [
      'which queues have maxrss above 4000?',
      'my task only got through 60% of its files',
      'top 10 errors at BNL in the last 6 hours',
      'queues with maxtime above 200000',
    ]) {
      expect((await route(text)).entities.error_code, text).toBeNull();
    }
  });
});

describe('selection: queue and site names', () => {
  it('returns known names in CRIC spelling whatever the case typed', async () => {
    expect((await route('is lrz-lmu_muc online?')).entities.queue).toBe('LRZ-LMU_MUC');
    expect((await route("what's the status of the queue vega_mcore")).entities.queue).toBe('Vega_MCORE');
    expect((await route('maxrss for PRAGUELCG2_KAROLINA_MCORE?')).entities.queue).toBe('praguelcg2_Karolina_MCORE');
  });

  it('decides site versus queue from the wording and from CRIC', async () => {
    const site = await route('which panda queues belong to the DESY-HH site?');
    expect(site.entities).toMatchObject({ site: 'DESY-HH', queue: null });
    expect((await route('is DESY-HH online?')).entities).toMatchObject({ queue: 'DESY-HH', site: null });
    expect((await route('queues at bnl-atlas')).entities).toMatchObject({ site: 'BNL-ATLAS', queue: null });
  });

  it('recognises unknown names by their shape when CRIC is not available', async () => {
    expect((await shapesOnly.route('what copytool does SWT2_CPB use?', [])).entities.queue).toBe('SWT2_CPB');
    expect((await shapesOnly.route('corepower of ANALY_FOO_BAR', [])).entities.queue).toBe('ANALY_FOO_BAR');
    expect((await shapesOnly.route("what's the maxtime of NIKHEF", [])).entities.queue).toBe('NIKHEF');
    expect((await shapesOnly.route('is foo_bar online', [])).entities.queue).toBe('FOO_BAR');
    expect((await shapesOnly.route('which queues does the site BNL-ATLAS have', [])).entities.site).toBe('BNL-ATLAS');
  });

  it('does not take environment variables, data formats or ordinary words for queues', async () => {
    for (const text of [
      'how do I set X509_USER_PROXY for prun?',
      'how do I make a DAOD_PHYS with pathena?',
      'how does stage-in work in the pilot',
      'how do I install panda-client',
    ]) {
      const r = await shapesOnly.route(text, []);
      expect([r.entities.queue, r.entities.site], text).toEqual([null, null]);
    }
  });

  it('drops a lab name that is also a queue when the question is not about queues', async () => {
    const r = await route('how do I book a meeting room at CERN?');
    expect(r.intent).toBe('out_of_scope');
    expect(r.entities.queue).toBeNull();
    expect((await route('what is the status of queue CERN')).entities.queue).toBe('CERN');
  });

  it('falls back to name shapes when the name source fails', async () => {
    const failing = createRuleRouter({
      names: async () => {
        throw new Error('CRIC unreachable');
      },
    });
    const r = await failing.route('container options for CERN-PROD_EOS?', []);
    expect(r).toMatchObject({ intent: 'queue', entities: { queue: 'CERN-PROD_EOS' } });
  });
});
