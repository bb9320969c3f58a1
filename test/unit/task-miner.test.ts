import { describe, expect, it } from 'vitest';
import { lineTemplate, templateLine } from '../../src/logs/index.js';
import { createTemplateMiner, templateText } from '../../agents/data/template-miner.js';

const maskDiag = (text: string) => templateLine(text, { smallNumbers: false });

describe('diag masking', () => {
  it('masks ids, GUIDs, file names, hosts, paths, URLs and times but keeps small codes', () => {
    expect(maskDiag('lost heartbeat : 2025-10-05 03:12:44')).toBe('lost heartbeat : <TIME>');
    expect(maskDiag('Failed to stage-in file: EVNT.39212615._000123.pool.root.1 from dcdoor16.usatlas.bnl.gov:1094')).toBe(
      'Failed to stage-in file: <FILE> from <HOST>',
    );
    expect(maskDiag('guid 0A1B2C3D-1111-2222-3333-444455556666 missing in /srv/job/work/PoolFileCatalog.xml')).toBe('guid <GUID> missing in <PATH>');
    expect(maskDiag('replica root://eosatlas.cern.ch//eos/atlas/x.root not found')).toBe('replica <URL> not found');
    expect(maskDiag('Non-zero return code from EVNTtoHITS (139)')).toBe('Non-zero return code from EVNTtoHITS (139)');
    expect(maskDiag('job has exceeded the memory limit 4123456 kB > 4000000 kB')).toBe('job has exceeded the memory limit <NUM> kB > <NUM> kB');
    expect(maskDiag('checksum mismatch adler32 0a1b2c3d vs ffee0011')).toBe('checksum mismatch adler32 <HEX> vs <HEX>');
  });
});

describe('one templater for job log lines and task diags', () => {
  it('gives a job log line and a task diag of the same failure the same placeholders', () => {
    const line = '2025-10-05 03:12:44,123 | ERROR    | stagein failed: EVNT.39212615._000123.pool.root.1 from dcdoor16.usatlas.bnl.gov:1094 after 3 attempts';
    expect(lineTemplate(line)).toBe('stagein failed: <FILE> from <HOST> after <NUM> attempts');
    expect(templateLine('stagein failed: EVNT.39212615._000124.pool.root.2 from dcdoor17.usatlas.bnl.gov:1094 after 3 attempts', { smallNumbers: false })).toBe(
      'stagein failed: <FILE> from <HOST> after 3 attempts',
    );
  });

  it('makes lines that differ only in ids, times, paths and counts equal', () => {
    const a = lineTemplate('2025-10-05 03:12:44,123 | WARNING  | worker node042 lost heartbeat at 2025-10-05T03:12:44Z in /srv/job/123/work (pid 4412)');
    const b = lineTemplate('2025-10-06 11:02:01,999 | WARNING  | worker node117 lost heartbeat at 2025-10-06T11:02:01Z in /srv/job/987/work (pid 77)');
    expect(a).toBe(b);
    expect(a).toBe('worker node<NUM> lost heartbeat at <TIME> in <PATH> (pid <NUM>)');
  });
});

describe('Drain-style template miner', () => {
  it('groups messages that differ in variable tokens and generalises the differing positions', () => {
    const miner = createTemplateMiner();
    const a = miner.add('Failed to stage-in file: None of the requested files have been downloaded.');
    const b = miner.add('Failed to stage-in file: None of the requested files have been downloaded.');
    const c = miner.add('Transform failed at step EVNTtoHITS attempt 2');
    const d = miner.add('Transform failed at step HITtoRDO attempt 3');
    const e = miner.add('Payload exceeded maximum allowed memory');
    expect(a.id).toBe(b.id);
    expect(c.id).toBe(d.id);
    expect(templateText(c)).toBe('Transform failed at step <*> attempt <*>');
    expect(c.size).toBe(2);
    expect(new Set([a.id, c.id, e.id]).size).toBe(3);
    expect(miner.clusters()).toHaveLength(3);
  });

  it('keeps messages of different shapes apart and matches without changing clusters', () => {
    const miner = createTemplateMiner({ similarity: 0.6 });
    miner.add('copy failed: connection refused by host dcache.example.org');
    miner.add('copy failed: connection reset by host se01.example.org');
    const other = miner.add('checksum mismatch after upload');
    const [first] = miner.clusters();
    expect(first && templateText(first)).toBe('copy failed: connection <*> by host <HOST>');
    expect(miner.match('copy failed: connection timeout by host x.example.org')?.id).toBe(first?.id);
    expect(miner.match('something else entirely happened')).toBeNull();
    expect(other.size).toBe(1);
    expect(miner.clusters().reduce((s, c) => s + c.size, 0)).toBe(3);
  });
});
