import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractWindows } from '../../src/logs/index.js';
import { pilotLineOn, readyToTransfer } from '../support/pilot-log.js';
import { needShared, sharedPath } from '../support/shared.js';

const cases = new URL(`file://${sharedPath('eval/failures-dev/')}`);
const dev = needShared('eval/failures-dev');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

async function* chunks(text: string, size = 97): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const line = pilotLineOn('2025-05-01');

describe('failure windows', () => {
  const ids = dev.missing ? [] : readdirSync(cases).filter((d) => /^\d+$/.test(d));
  if (dev.missing) it.skip(`every failures-dev case: the windows contain every label evidence line${dev.note}`, () => {});
  it.each(ids)('case %s: the windows contain every label evidence line, within the budget', async (id) => {
    const label = JSON.parse(readFileSync(new URL(`${id}/label.json`, cases), 'utf8')) as { evidence_lines: string[] };
    const { job } = JSON.parse(readFileSync(new URL(`${id}/job.json`, cases), 'utf8')) as { job: Record<string, unknown> };
    const codes = ['piloterrorcode', 'exeerrorcode', 'transexitcode', 'jobdispatchererrorcode'].map((f) => Number(job[f])).filter((c) => c);
    let context = '';
    for (const file of readdirSync(new URL(`${id}/`, cases)).filter((f) => f === 'pilotlog.txt' || f === 'payload.stdout')) {
      const ex = await extractWindows(file, createReadStream(new URL(`${id}/${file}`, cases)), { codes, budget: 6000 });
      expect(ex.context.length).toBeLessThanOrEqual(6000);
      context += `${ex.context}\n`;
    }
    for (const evidence of label.evidence_lines) expect(norm(context)).toContain(norm(evidence));
  });

  it('reports line numbers, collapses repeats and keeps first and last occurrence', async () => {
    const lines = [line('10:00:00', 'INFO', 'pilot.control.job', 'retrieve', 'received job: 6500000001')];
    for (let i = 0; i < 240; i++)
      lines.push(
        line(
          '10:00:01',
          'WARNING',
          'pilot.util.filehandling',
          'write_json',
          `exception caught (${i}) in write_json: [Errno 5] Input/output error: '/pool/x/pilot_heartbeat.json'`,
        ),
      );
    lines.push(line('10:05:00', 'WARNING', 'pilot.util.monitoring', 'check_work_dir', 'job work dir does not exist: /pool/x/PanDA_Pilot-6500000001'));
    const ex = await extractWindows('pilotlog.txt', chunks(`${lines.join('\n')}\n`), { codes: [100] });
    expect(ex.context).toContain('     2 | 2025-05-01 10:00:01,123 | WARNING');
    expect(ex.context).toContain('… 238 similar lines …');
    expect(ex.context).toContain('   241 | ');
    expect(ex.context).toContain('   242 | 2025-05-01 10:05:00,123 | WARNING  | pilot.util.monitoring');
    expect(ex.windows[0]?.agreesWith).toEqual([100]);
  });

  it('scores a transfer retried and then successful low, and the real failure first', async () => {
    const text = [
      line('10:00:00', 'WARNING', 'pilot.copytool.rucio', 'copy_in', 'exception caught during stage-in: Connection reset by peer'),
      line('10:00:05', 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
      line('10:00:06', 'ERROR', 'pilot.util.tracereport', 'send', 'tracing failed: timed out'),
      line(
        '11:00:00',
        'WARNING',
        'pilot.copytool.rucio',
        'copy_out',
        'exception caught during stage-out: Checksum mismatch. Source: 1bceef85 Destination: 5d0e21c7',
      ),
      line(
        '11:00:01',
        'CRITICAL',
        'pilot.api.data',
        'transfer',
        "[PilotException('Checksum mismatch. Source: 1bceef85 Destination: 5d0e21c7')]:failed to transfer files using copytools=['rucio']",
      ),
    ].join('\n');
    const ex = await extractWindows('pilotlog.txt', chunks(text, 13), { codes: [1137] });
    expect(ex.windows[0]?.anchor.n).toBe(5);
    const retried = ex.windows.find((w) => w.anchor.n === 1);
    expect(retried?.score ?? 0).toBeLessThan(20);
  });

  it('marks every step of a transfer that failed and then went through as recovered, whatever its wording, and no later failure', async () => {
    const text = [
      readyToTransfer(line, '10:00:00', 'stage-in', 'AOD.1._000001.pool.root.1'),
      // no transfer words in the message: the phase comes from the pilot's transfer code that wrote it
      line('10:00:02', 'ERROR', 'pilot.api.data', 'transfer', 'attempt 1/2 failed: [Errno 110] Connection timed out'),
      line('10:00:03', 'WARNING', 'pilot.copytool.xrdcp', 'copy_in', 'xrdcp exited with 54: [ERROR] Socket timeout - will retry with the next replica'),
      line('10:00:30', 'INFO', 'pilot.copytool.rucio', '_download_item', 'File AOD.1._000001.pool.root.1 successfully downloaded'),
      line('10:00:31', 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
      line(
        '10:30:00',
        'ERROR',
        'pilot.control.payload',
        'execute_payloads',
        'execute payloads caught an exception (cannot recover): The read operation timed out',
      ),
      readyToTransfer(line, '11:00:00', 'stage-out', 'log.tgz'),
      line('11:00:02', 'ERROR', 'pilot.api.data', 'transfer', 'upload attempt 1/1 failed: HTTP 503 Service Unavailable'),
    ].join('\n');
    const ex = await extractWindows('pilotlog.txt', chunks(text, 29), { codes: [1305] });
    const at = (n: number) => ex.windows.find((w) => w.anchor.n === n);
    const early = ex.windows.filter((w) => w.anchor.n === 2 || w.anchor.n === 3);
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((w) => w.recovered === true && w.score < 0)).toBe(true);
    expect(at(6)?.recovered).toBeUndefined();
    // the stage-out never finished: its failure stays evidence
    expect(at(8)?.recovered).toBeUndefined();
  });

  it('a message that comes back in a later transfer is recovered only if that transfer went through too', async () => {
    const text = [
      readyToTransfer(line, '10:00:00', 'stage-in', 'AOD.1._000001.pool.root.1'),
      line('10:00:02', 'ERROR', 'pilot.api.data', 'transfer', 'transfer of AOD.1._000001.pool.root.1 failed: Connection timed out'),
      line('10:00:31', 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
      readyToTransfer(line, '11:00:00', 'stage-out', 'AOD.2._000001.pool.root.1'),
      line('11:00:02', 'ERROR', 'pilot.api.data', 'transfer', 'transfer of AOD.2._000001.pool.root.1 failed: Connection timed out'),
    ].join('\n');
    const ex = await extractWindows('pilotlog.txt', chunks(text, 31), { codes: [1152] });
    const w = ex.windows.find((x) => x.anchor.n === 2);
    expect(w?.repeats).toBe(1);
    expect(w?.recovered).toBeUndefined();
    // the same two transfers, both finished: the message is no evidence at all
    const done = `${text}\n${line('11:00:40', 'INFO', 'pilot.control.data', '_stage_out', 'stage-out finished correctly')}`;
    const ok = await extractWindows('pilotlog.txt', chunks(done, 31), { codes: [1305] });
    expect(ok.windows.find((x) => x.anchor.n === 2)?.recovered).toBe(true);
  });

  it('puts a later failure agreeing with the job code above an earlier unrelated ERROR', async () => {
    const text = [
      line('10:00:06', 'ERROR', 'pilot.util.tracereport', 'send', 'tracing failed: timed out'),
      line('10:30:00', 'ERROR', 'pilot.util.https', 'request2', 'failed to contact server: Connection refused'),
      line('11:00:00', 'WARNING', 'pilot.workflow.generic', 'interrupt', 'caught signal: SIGTERM in FRAME='),
      '  File "/srv/pilot3/pilot.py", line 657, in <module>',
    ].join('\n');
    const ex = await extractWindows('pilotlog.txt', chunks(text, 13), { codes: [1201] });
    expect(ex.windows[0]?.anchor.n).toBe(3);
    expect(ex.windows[0]?.lines.map((l) => l.n)).toContain(4);
  });

  it('finds payload errors in plain (non-pilot) output and quotes redacted text', async () => {
    const text =
      'setup ok\nMyAlg   ERROR   Failed to find branch X in tree CollectionTree\nexport TOKEN=abcdef0123456789abcdef\n--- user script exited with 1 ---\n';
    const ex = await extractWindows('payload.stdout', chunks(text), { codes: [1305] });
    expect(ex.pilotFormat).toBe(false);
    expect(ex.context).toContain('     2 | MyAlg   ERROR   Failed to find branch X in tree CollectionTree');
    expect(ex.context).not.toContain('abcdef0123456789abcdef');
  });
});

describe('newline finder', () => {
  it('the WebAssembly SIMD finder agrees with Buffer.indexOf on every slice boundary', async () => {
    const { findNewlines, indexOfFinder } = await import('../../src/logs/newlines.js');
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const text = Buffer.alloc(2_100_000);
    for (let i = 0; i < text.length; i++) text[i] = rnd() % 9 === 0 ? 10 : 97 + (rnd() % 26);
    for (const [start, end] of [
      [0, text.length],
      [3, 1_048_579],
      [17, 33],
      [1_048_575, 2_097_155],
    ] as const) {
      const a = new Int32Array(end - start + 1);
      const b = new Int32Array(end - start + 1);
      const na = findNewlines(text, start, end, a, 0);
      const nb = indexOfFinder(text, start, end, b, 0);
      expect(na).toBe(nb);
      expect(a.subarray(0, na).findIndex((v, i) => v !== b[i])).toBe(-1);
    }
  });
});
