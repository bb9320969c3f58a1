/** The term-association table built from the indexed documentation: words written near a rare word. */
import { describe, expect, it } from 'vitest';
import { analyseQuery, associatedTerms, EMPTY_GLOSSARY, keysOf, TermAssociations, TermStats } from '../../src/index/index.js';

/** A tiny corpus: the build job is always described with "compile"; other chunks fill the statistics. */
const CORPUS = [
  'The build job will compile the user sources once per site before the run jobs start.',
  'To compile only once, the build job output is shared by the run jobs at the site.',
  'A failed compile step fails the build job and the task is not started.',
  'Use --noBuild to skip the build job when the sources need no compile step.',
  'Jobs read their input files from the storage element of the site.',
  'The monitor shows tasks, jobs and sites with their states.',
  'Each task is split into jobs by the server.',
  'A pilot runs on a worker node and fetches jobs from the server.',
  'Output files of jobs are uploaded to the storage element.',
  'Rucio keeps replicas of datasets on storage elements.',
  'The pilot reports the heartbeat of the job to the server.',
  'Sites are grouped into clouds for brokerage.',
];

function table(corpus = CORPUS, options = {}): TermAssociations {
  const stats = new TermStats();
  const chunks = corpus.map((text) => keysOf(text));
  for (const keys of chunks) stats.add(keys);
  return new TermAssociations(chunks, stats, { maxDfShare: 0.5, ...options });
}

describe('term associations', () => {
  it('a paraphrase naming only "compile" is expanded to the documentation word "build"', () => {
    const associations = table();
    expect(associations.related('compil', 3).map((a) => a.key)).toContain('build');
    const q = analyseQuery('how do I avoid compiling my code at every site?', EMPTY_GLOSSARY);
    const expansion = associatedTerms(q, associations, 1, 8);
    expect(expansion.map((e) => e.key)).toContain('build');
    for (const e of expansion) {
      expect(e.weight).toBeGreaterThan(0);
      expect(e.weight).toBeLessThanOrEqual(1);
    }
    // Never the question's own words.
    expect(expansion.map((e) => e.key)).not.toContain('site');
  });

  it('is deterministic: the same corpus gives the same associates in the same order', () => {
    const a = table().related('compil', 5);
    const b = table([...CORPUS]).related('compil', 5);
    expect(a).toEqual(b);
    expect(a[0]?.weight).toBe(1);
  });

  it('has no associates for unknown words, words of a single chunk, or words near everything', () => {
    const associations = table();
    expect(associations.related('babysit', 3)).toEqual([]);
    expect(associations.related('heartbeat', 3)).toEqual([]);
    // "job" is in most chunks: too common to say anything about a question.
    expect(table(CORPUS, { maxDfShare: 0.2 }).related('job', 3)).toEqual([]);
  });

  it('costs little at index time: the table of 2,500 chunks of 120 words builds well under a second', () => {
    // Letters-only made-up words ("wordbcd"), 3,000 of them, spread over the chunks.
    const letters = (n: number): string => String(n).replace(/\d/g, (d) => 'abcdefghij'[Number(d)] ?? '');
    const words = Array.from({ length: 3000 }, (_, i) => `word${letters(i)}`);
    const chunks = Array.from({ length: 2500 }, (_, c) => keysOf(Array.from({ length: 120 }, (_, k) => words[(c * 31 + k * 17) % words.length]).join(' ')));
    const stats = new TermStats();
    for (const keys of chunks) stats.add(keys);
    const started = performance.now();
    const associations = new TermAssociations(chunks, stats);
    const built = performance.now() - started;
    expect(associations.df(chunks[0]?.[0] ?? '')).toBeGreaterThan(0);
    expect(built).toBeLessThan(1500);
  });
});
