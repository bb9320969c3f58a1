/**
 * Queue questions people write without the router's words: a CRIC or BigPanDA link that names the
 * queue, a name that opens the message as its topic, and CRIC's own vocabulary (push/pull workflow,
 * Harvester, pilot version) asked of a named queue. Each holds with CRIC's names and with shapes only.
 */
import { describe, expect, it } from 'vitest';
import { createRuleRouter } from '../../agents/selection/index.js';
import { nameInLink } from '../../agents/selection/link-names.js';
import type { KnownNames } from '../../agents/selection/names.js';

const names: KnownNames = { queues: ['Zorya_bigmem', 'QRX-PROD', 'Helix'], sites: ['QRX-LCG2'] };
const router = createRuleRouter({ arbiter: null });
const withNames = (text: string) => router.routeWith(text, [], names);
const shapesOnly = (text: string) => router.routeWith(text, [], null);

describe('a link that names a queue or site', () => {
  it.each([
    ['https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json&pandaqueue=QRX-PROD', { kind: 'queue', name: 'QRX-PROD' }],
    ['https://atlas-cric.cern.ch/atlas/pandaqueue/detail/Zorya_bigmem/', { kind: 'queue', name: 'Zorya_bigmem' }],
    ['https://atlas-cric.cern.ch/atlas/site/detail/QRX-LCG2/', { kind: 'site', name: 'QRX-LCG2' }],
    ['https://bigpanda.cern.ch/jobs/?computingsite=QRX-PROD&jobstatus=failed', { kind: 'queue', name: 'QRX-PROD' }],
    ['https://bigpanda.cern.ch/site/Helix/', { kind: 'queue', name: 'Helix' }],
  ])('%s names %o', (url, expected) => {
    expect(nameInLink(url)).toEqual(expected);
  });

  it('a job link, another host or a list of queues names none', () => {
    expect(nameInLink('https://bigpanda.cern.ch/job?pandaid=6812345678')).toBeNull();
    expect(nameInLink('https://example.org/docs/?queue=FOO')).toBeNull();
    expect(nameInLink('https://bigpanda.cern.ch/jobs/?computingsite=A|B')).toBeNull();
  });

  it('a pasted CRIC link and a property asked of it is a queue question about that queue, in CRIC spelling', () => {
    const text = 'opened https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json&pandaqueue=zorya_bigmem and got lost - which copytool is set?';
    expect(withNames(text)).toMatchObject({ intent: 'queue', entities: { queue: 'Zorya_bigmem' } });
    expect(shapesOnly(text)).toMatchObject({ intent: 'queue', entities: { queue: 'ZORYA_BIGMEM' } });
  });

  it('a monitor link with a property question routes to the queue; without one the link changes nothing', () => {
    expect(shapesOnly('is https://bigpanda.cern.ch/site/XYZ_MCORE/ still online?')).toMatchObject({ intent: 'queue', entities: { queue: 'XYZ_MCORE' } });
    const plain = 'how do I read https://bigpanda.cern.ch/site/XYZ_MCORE/ pages?';
    expect(shapesOnly(plain).entities.queue).toBeNull();
  });
});

describe('a name that opens the message as its topic', () => {
  it.each(['helix: pull or push?', 'HELIX - is it served by harvester?', 're helix, which pilot version?'])('"%s" asks about the queue', (text) => {
    expect(withNames(text)).toMatchObject({ intent: 'queue', entities: { queue: 'Helix' } });
    expect(shapesOnly(text)).toMatchObject({ intent: 'queue', entities: { queue: 'HELIX' } });
  });

  it('a greeting before a comma is not a topic', () => {
    const r = shapesOnly('ciao, is the pull workflow documented somewhere?');
    expect(r.entities.queue).toBeNull();
  });
});

describe('CRIC vocabulary asked of a named queue', () => {
  it('"does NAME go through harvester?" names the queue; how harvester works in general stays docs', () => {
    expect(shapesOnly('does MOCK_HPC go through harvester?')).toMatchObject({ intent: 'queue', entities: { queue: 'MOCK_HPC' } });
    expect(shapesOnly('what is an HPC-CE and how does harvester talk to it?').intent).toBe('docs');
    expect(shapesOnly('how does harvester choose between push and pull?').intent).toBe('docs');
  });
});
