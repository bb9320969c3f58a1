import { describe, expect, it } from 'vitest';
import { ID_RANGES, idArgument, idsOfKind, isPlausibleId, kindOfDigits, monitorLinkId, replaceLinks, scanIds } from '../../src/contracts/ids.js';

describe('PanDA job and JEDI task id ranges', () => {
  it('takes 9 to 11 digits for a job and 7 to 8 for a task, today 10 and 8', () => {
    expect(isPlausibleId('job', 6_601_000_006)).toBe(true);
    expect(isPlausibleId('job', 5_512_883_304)).toBe(true);
    expect(isPlausibleId('job', 987_654_321)).toBe(true);
    expect(isPlausibleId('job', 12_345)).toBe(false);
    expect(isPlausibleId('job', 12_345_678)).toBe(false);
    expect(isPlausibleId('job', 123_456_789_012)).toBe(false);
    expect(isPlausibleId('task', 46_200_001)).toBe(true);
    expect(isPlausibleId('task', 4_100_000)).toBe(true);
    expect(isPlausibleId('task', 999_999)).toBe(false);
    expect(isPlausibleId('task', 6_601_000_006)).toBe(false);
    expect(ID_RANGES.job.currentDigits).toBe(10);
    expect(ID_RANGES.task.currentDigits).toBe(8);
  });

  it('tells the kind from the length; the ranges do not overlap', () => {
    expect(kindOfDigits('6601000006')).toBe('job');
    expect(kindOfDigits('46200001')).toBe('task');
    expect(kindOfDigits('4620001')).toBe('task');
    expect(kindOfDigits('12345')).toBeNull();
    expect(kindOfDigits('0046200001')).toBeNull();
    expect(isPlausibleId('task', ID_RANGES.job.min)).toBe(false);
    expect(ID_RANGES.task.max).toBeLessThan(ID_RANGES.job.min);
  });
});

describe('reading ids from chat text', () => {
  it('finds a too-short job id after a job word: still a job question', () => {
    const { mentions } = scanIds('why did job 12345 fail?');
    expect(mentions).toMatchObject([{ kind: 'job', id: 12345, via: 'job' }]);
    expect(isPlausibleId('job', mentions[0]?.id ?? 0)).toBe(false);
  });

  it('reads bare numbers only at the current lengths', () => {
    expect(scanIds('6601000006 failed').mentions).toMatchObject([{ kind: 'job', id: 6601000006, via: 'bare' }]);
    expect(scanIds('what about 46200001?').mentions).toMatchObject([{ kind: 'task', id: 46200001, via: 'bare' }]);
    expect(scanIds('it wrote 123456789 bytes and 1234567 events').mentions).toEqual([]);
    expect(scanIds('error 1150 at 12:30').mentions).toEqual([]);
  });

  it('lets the current length win over the word and the word decide otherwise', () => {
    expect(scanIds('job 46200001').mentions[0]).toMatchObject({ kind: 'task' });
    expect(scanIds('task 6601000006').mentions[0]).toMatchObject({ kind: 'job' });
    expect(scanIds('jeditaskid=4620001').mentions[0]).toMatchObject({ kind: 'task', id: 4620001 });
    expect(scanIds('pandaid: 987654321').mentions[0]).toMatchObject({ kind: 'job', id: 987654321 });
  });

  it('turns monitor links into ids and drops other links', () => {
    expect(monitorLinkId('https://bigpanda.cern.ch/job?pandaid=6715819744')).toEqual({ kind: 'job', id: 6715819744 });
    expect(monitorLinkId('https://bigpanda.cern.ch/job/6715819744/')).toEqual({ kind: 'job', id: 6715819744 });
    expect(monitorLinkId('https://bigpanda.cern.ch/jobs/?jeditaskid=45500125&jobstatus=failed')).toEqual({ kind: 'task', id: 45500125 });
    expect(monitorLinkId('https://bigpanda.cern.ch/task/45500125/')).toEqual({ kind: 'task', id: 45500125 });
    expect(monitorLinkId('https://example.org/docs/123')).toBeNull();
    expect(replaceLinks('see https://bigpanda.cern.ch/task/45500125/ and https://x.org/a').replace(/\s+/g, ' ').trim()).toBe('see task 45500125 and');
    expect(idsOfKind('look at https://bigpanda.cern.ch/job?pandaid=6715819744 and job 6601000006', 'job')).toEqual([6715819744, 6601000006]);
  });
});

describe('reading an id argument (slash command, CLI, button, MCP)', () => {
  it('takes the number or a monitor link, whatever its range', () => {
    expect(idArgument(' 6715819744 ')).toBe(6715819744);
    expect(idArgument('https://bigpanda.cern.ch/job?pandaid=6715819744')).toBe(6715819744);
    expect(idArgument('12345')).toBe(12345);
    expect(idArgument('job 6601000006.')).toBe(6601000006);
  });

  it('refuses words, numbers glued to words and over-long numbers', () => {
    expect(idArgument('nope')).toBeNull();
    expect(idArgument('<!channel>')).toBeNull();
    expect(idArgument('12abc')).toBeNull();
    expect(idArgument('1234567890123')).toBeNull();
  });
});
