import { afterEach, describe, expect, it } from 'vitest';
import { analyseQuery, EMPTY_GLOSSARY, statesContact, statesQuantity } from '../../src/index/index.js';
import { smallDocsIndex } from '../support/small-docs-index.js';

const index = smallDocsIndex('answer-type');
afterEach(() => index.close());
const sections = (files: Record<string, string>, question: string, weights?: { quantity?: number; contact?: number }): Promise<string[]> =>
  index.sections(files, question, weights ? { weights } : {});

const FILLER = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} describes brokerage, sites and the monitor in general terms.`).join('\n');

describe('answer-type prior', () => {
  it('recognises questions that ask for a quantity', () => {
    for (const q of [
      'how long can a job stay in sent status?',
      'how often is the heartbeat sent?',
      'is there a size limit on the sandbox?',
      'what priority do merge jobs get?',
    ])
      expect(analyseQuery(q, EMPTY_GLOSSARY).asksQuantity, q).toBe(true);
    for (const q of ['how do I exclude a site?', 'what does the pilot do with the log tarball?', 'which option selects the queue?'])
      expect(analyseQuery(q, EMPTY_GLOSSARY).asksQuantity, q).toBe(false);
  });

  it('recognises a number with a unit, not a bare number or a version', () => {
    for (const t of ['Sent jobs time out after 30 min.', 'limited to 50MB', 'retried at most 3 times', 'period of 2 * 1024 kB', '12 hours'])
      expect(statesQuantity(t), t).toBe(true);
    for (const t of ['see section 4.2', 'pilot 3.7 release', 'error code 1104', 'the job is done']) expect(statesQuantity(t), t).toBe(false);
  });

  it('a quantity question prefers the passage that states a number with a unit', async () => {
    const files = {
      'a.md': `## Job states\nA job in the sent status was sent to a pilot. A sent job that does not start times out.\n${FILLER}\n`,
      'b.md': `## Timeout rules\nA job times out after 30 min in the sent status, or after 4 hours in the defined status.\n${FILLER}\n`,
    };
    const question = 'how long can a job stay in sent status before it times out?';
    expect((await sections(files, question, { quantity: 0 }))[0]).toBe('Job states');
    expect((await sections(files, question))[0]).toBe('Timeout rules');
    // A question that does not ask for a quantity keeps the plain ranking.
    expect((await sections(files, 'why does a job in sent status time out?'))[0]).toBe('Job states');
  });

  it('a question about whom to contact prefers the passage that names an address or a list', async () => {
    expect(analyseQuery('the monitor shows weird numbers, who should I write to?', EMPTY_GLOSSARY).asksContact).toBe(true);
    expect(analyseQuery('does panda support secrets?', EMPTY_GLOSSARY).asksContact).toBe(false);
    expect(statesContact('Write to atlas-adc-support@cern.ch or use the mattermost channel.')).toBe(true);
    expect(statesContact('The monitor shows the numbers of jobs per task.')).toBe(false);
    const files = {
      'a.md': `## Task pages\nThe monitor pages show the numbers of jobs of your tasks.\n${FILLER}\n`,
      'b.md': `## Help\nIf the monitor pages show wrong numbers of jobs, write to the monitor experts at monitor-support@example.org.\n${FILLER}\n`,
    };
    const question = 'the monitor pages show weird numbers for my tasks, who should I write to?';
    expect((await sections(files, question, { contact: 0 }))[0]).toBe('Task pages');
    expect((await sections(files, question))[0]).toBe('Help');
  });
});
