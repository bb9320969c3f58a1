import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/core/normalize.js';

describe('normalizeText', () => {
  it('strips Slack, Discord and @name mentions', () => {
    expect(normalizeText('<@U0123ABCD> why did job 6715819744 fail?')).toBe('why did job 6715819744 fail?');
    expect(normalizeText('<@!123456789012345678> hi')).toBe('hi');
    expect(normalizeText('@askpanda: what is PanDA?', { botNames: ['askpanda'] })).toBe('what is PanDA?');
  });

  it('turns BigPanDA links into ids', () => {
    expect(normalizeText('see https://bigpanda.cern.ch/job?pandaid=6715819744 please')).toBe('see job 6715819744 please');
    expect(normalizeText('<https://bigpanda.cern.ch/job/6715819744/|link> failed')).toBe('job 6715819744 failed');
    expect(normalizeText('what about https://bigpanda.cern.ch/task/45500125/ ?')).toBe('what about task 45500125 ?');
    expect(normalizeText('https://bigpanda.cern.ch/jobs/?jeditaskid=45500125&jobstatus=failed')).toBe('task 45500125');
  });

  it('collapses whitespace and bounds the length', () => {
    expect(normalizeText('  a \t b\n\n\n\nc ')).toBe('a b\n\nc');
    expect(normalizeText('x'.repeat(20_000)).length).toBe(8000);
  });
});
