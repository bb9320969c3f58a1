import { afterEach, describe, expect, it } from 'vitest';
import { analyseQuery, keysOf, lexicalFeatures, loadGlossary, TermStats } from '../../src/index/index.js';
import { smallDocsIndex } from '../support/small-docs-index.js';

const index = smallDocsIndex('paraphrase');
afterEach(() => index.close());
const search = (files: Record<string, string>, question: string): Promise<string[]> => index.sections(files, question, { glossary: loadGlossary() });

const FILLER = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} describes brokerage, sites and the monitor in general terms.`).join('\n');

describe('paraphrased questions', () => {
  it('a section whose heading names a synonym of the asked word ranks first', async () => {
    // The user says "token"; the documentation calls it a secret (glossary synonym) in the heading.
    const sections = await search(
      {
        'pages.md': `## Monitoring pages\nJobs can read a token from the page; jobs see the token and their jobs too.\n${FILLER}\n`,
        'store.md': `## Using secrets\nJobs can read a token that the user stored in advance.\n${FILLER}\n`,
      },
      'how can my jobs get an API token?',
    );
    expect(sections[0]).toContain('Using secrets');
  });

  it('a heading holding a synonym of a question word counts as naming it, at the synonym credit', () => {
    const stats = new TermStats();
    for (const text of ['Using secrets in jobs', 'Monitoring pages of jobs', 'Brokerage of tasks to sites']) stats.add(keysOf(text));
    const q = analyseQuery('where do I put a password for my jobs?', loadGlossary());
    const body = keysOf('Jobs read it at run time.');
    const secrets = lexicalFeatures(q, stats, body, keysOf('Using secrets'));
    const pages = lexicalFeatures(q, stats, body, keysOf('Monitoring pages'));
    expect(secrets.heading).toBeGreaterThan(0);
    expect(pages.heading).toBe(0);
    expect(secrets.headFit).toBeGreaterThan(pages.headFit);
  });

  it('an acronym spelled like a stop word ("DID") stays a term, matched by its glossary expansion', () => {
    const q = analyseQuery('what is a DID in rucio?', loadGlossary());
    const did = q.terms.find((t) => t.key === 'did');
    expect(did?.alternatives.some((a) => a.keys.join(' ').includes('identifi'))).toBe(true);
    expect(q.expansionText).toContain('identifier');
    // The same word in lower case is question filler, not a term.
    expect(analyseQuery('how did rucio pick the replica?', loadGlossary()).terms.map((t) => t.key)).not.toContain('did');
  });

  it('a plain-English word reaches the passage written in the grid vocabulary (glossary groups)', async () => {
    // "stuck" → the job states the documentation names; "compile" → the build job.
    const stuck = await search(
      {
        'states.md': `## Job states\nA job stays activated until a pilot picks it up from the queue.\n${FILLER}\n`,
        'monitor.md': `## Monitor pages\nThe monitor lists my jobs: jobs per task, jobs per site and jobs per user.\n${FILLER}\n`,
      },
      'why are my jobs stuck?',
    );
    expect(stuck[0]).toContain('Job states');
    const build = await search(
      {
        'build.md': `## Skipping the build\nThe build job runs once per site; --noBuild skips it.\n${FILLER}\n`,
        'run.md': `## Running jobs\nJobs run at each site once the task is submitted.\n${FILLER}\n`,
      },
      'can I avoid the extra compile step that runs at each site?',
    );
    expect(build[0]).toContain('Skipping the build');
  });

  it("a user's words reach the passage in the documentation's term (groups written from the manual)", async () => {
    // "went silent" is what the manual calls a lost heartbeat; "moved to another site" is a reassignment.
    const silent = await search(
      {
        'heartbeat.md': `## Lost heartbeat\nA pilot sends a heartbeat every 30 minutes; after 6 hours without one the server kills the job.\n${FILLER}\n`,
        'pilot.md': `## Pilot\nThe pilot runs on the worker node and reports the job state to the server.\n${FILLER}\n`,
      },
      'my pilot went silent, what does the server do?',
    );
    expect(silent[0]).toContain('Lost heartbeat');
    const moved = await search(
      {
        'reassign.md': `## Reassignment\nWaiting jobs are reassigned by JEDI at most 3 times.\n${FILLER}\n`,
        'sites.md': `## Sites\nEach site runs jobs; jobs at a site wait for CPUs of the site.\n${FILLER}\n`,
      },
      'why did my waiting jobs go to another site?',
    );
    expect(moved[0]).toContain('Reassignment');
  });

  it('"install" and "set up" are one glossary group, either way round', () => {
    const installed = analyseQuery('how do I install the panda client?', loadGlossary()).terms.find((t) => t.key === 'install');
    expect(installed?.alternatives.some((a) => a.keys.join(' ') === 'setup')).toBe(true);
    const setUp = analyseQuery('how do I set up the panda client?', loadGlossary());
    expect(setUp.expansionText.split(' ')).toContain('install');
  });
});
