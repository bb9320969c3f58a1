/** Pseudo-relevance feedback (RM3) words: what the best candidates share, not the question's own words. */
import { describe, expect, it } from 'vitest';
import { analyseQuery, EMPTY_GLOSSARY, feedbackTerms, keysOf, TermStats } from '../../src/index/index.js';

describe('feedback terms', () => {
  const docs = [
    'Secrets are set with set_secret and read by jobs from panda_secrets.json in the work directory.',
    'Use set_secret to store a key-value secret; jobs read panda_secrets.json when useSecrets is given.',
    'The sandbox holds the user files sent with the task.',
  ];
  const stats = new TermStats();
  for (const d of [...docs, 'Jobs run on worker nodes.', 'The pilot runs jobs.', 'Tasks hold jobs.']) stats.add(keysOf(d));

  it('adds words the top passages share, weighted 0–1, never the question words', () => {
    const q = analyseQuery('pass an API token to my jobs without the sandbox', EMPTY_GLOSSARY);
    const terms = feedbackTerms(
      q,
      docs.slice(0, 2).map((d, i) => ({ keys: keysOf(d), weight: 1 - i * 0.1 })),
      stats,
      5,
    );
    const keys = terms.map((t) => t.key);
    expect(keys).toContain('secret');
    expect(keys).not.toContain('job');
    expect(keys).not.toContain('sandbox');
    expect(terms[0]?.weight).toBe(1);
    for (const t of terms) expect(t.weight).toBeGreaterThan(0);
  });

  it('adds nothing when the candidates share no word', () => {
    const q = analyseQuery('what is a pilot', EMPTY_GLOSSARY);
    expect(
      feedbackTerms(
        q,
        [
          { keys: keysOf('alpha beta'), weight: 1 },
          { keys: keysOf('gamma delta'), weight: 1 },
        ],
        stats,
        5,
      ),
    ).toEqual([]);
  });
});
