/**
 * Acronyms, all-caps terms and snake_case/camelCase options in a how/what question are
 * documentation terms, not queue names — unless CRIC knows them (exactly or one typo away) or the
 * question points at them as a queue.
 */
import { describe, expect, it } from 'vitest';
import { createRuleRouter } from '../../agents/selection/index.js';
import { resolvesAgainstCric } from '../../agents/selection/docs-terms.js';
import { indexNames, type KnownNames } from '../../agents/selection/names.js';

const names: KnownNames = { queues: ['AGLT2', 'BNL_PROD', 'CERN-PROD_EOS', 'ANALY_MWT2_UCORE'], sites: ['BNL-ATLAS', 'MWT2'] };
const router = createRuleRouter();
const route = (text: string) => router.routeWith(text, [], names);

describe('documentation terms versus queue names', () => {
  it.each([
    'what does PANDAARCH hold?',
    'what is the max_walltime option used for?',
    'what does TRF_EXEC_VALIDATION_EVENTCOUNT mean?',
    'what is the HPO_CHECKPOINT setting?',
    'what does the STAGEIN_TIMEOUT parameter control?',
    'how do I configure harvester_id?',
    'what does nEventsPerJob do?',
    'how do I enable X509_CERT_DIR for the pilot?',
  ])('"%s" is a docs question with no queue', (text) => {
    const r = route(text);
    expect(r.intent).toBe('docs');
    expect(r.entities.queue).toBeNull();
    expect(r.entities.site).toBeNull();
  });

  it.each([
    ['what is the maxrss of AGLT2?', 'AGLT2'],
    ['is BNL_PROD online?', 'BNL_PROD'],
    ['what does BNL_PRD do?', 'BNL_PRD'],
    ['what is the status of queue FOO_BAR', 'FOO_BAR'],
    ['what is the copytool of CERN-PROD_EOS', 'CERN-PROD_EOS'],
  ])('"%s" stays a queue question (%s: known, close to a CRIC name, or pointed at)', (text, queue) => {
    const r = route(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it('resolves a token against CRIC exactly or within one typo (two for long names)', () => {
    const index = indexNames(names);
    expect(resolvesAgainstCric('bnl_prod', index)).toBe(true);
    expect(resolvesAgainstCric('BNL_PRD', index)).toBe(true);
    expect(resolvesAgainstCric('ANALY_MWT2_UCOR', index)).toBe(true);
    expect(resolvesAgainstCric('PANDAARCH', index)).toBe(false);
    expect(resolvesAgainstCric('MWT', index)).toBe(false);
  });
});
