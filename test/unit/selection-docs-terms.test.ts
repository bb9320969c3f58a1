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
    'what does MAXRSS mean in the monitor?',
    'what does --nGBPerJob do',
    'what is the taskbuffer',
  ])('"%s" is a docs question with no queue', (text) => {
    const r = route(text);
    expect(r.intent).toBe('docs');
    expect(r.entities.queue).toBeNull();
    expect(r.entities.site).toBeNull();
  });

  it.each([
    ['what is the maxrss of AGLT2?', 'AGLT2'],
    ['is BNL_PROD online?', 'BNL_PROD'],
    ['what does BNL_PRD do?', 'BNL_PROD'],
    ['what is the status of queue FOO_BAR', 'FOO_BAR'],
    ['what is the copytool of CERN-PROD_EOS', 'CERN-PROD_EOS'],
  ])('"%s" stays a queue question (%s: known, close to a CRIC name, or pointed at)', (text, queue) => {
    const r = route(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each([
    ['is tokyo onlin?', 'TOKYO'],
    ['is Vega in test mode?', 'Vega'],
    ['how much memory does UAM allow per job', 'UAM'],
    ["what's the maxtime of nikhef", 'NIKHEF'],
    ['copytool at triumf?', 'TRIUMF'],
    ['what is the memory limit at ifae', 'IFAE'],
    ['tell me about praguelcg2', 'praguelcg2'],
  ])('"%s" asks about a queue CRIC did not name (%s)', (text, queue) => {
    const r = createRuleRouter().routeWith(text, [], { queues: [], sites: [] });
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each(['is it online?', 'is rucio online?'])('"%s" names no queue', (text) => {
    expect(route(text).entities.queue).toBeNull();
  });

  it.each(['good morning askpanda', 'hello ask panda', 'nice work, bot', 'thanks, that solved it', 'hey panda, how is it going?', 'hello, can you help me?'])(
    '"%s" is small talk addressed to the bot',
    (text) => {
      expect(route(text).intent).toBe('chitchat');
    },
  );

  it.each(['hey, what is the best laptop to buy?', 'thanks! btw what is 2+2?', "what's a good python IDE"])(
    '"%s" is out of scope despite the greeting or acronym',
    (text) => {
      expect(route(text).intent).toBe('out_of_scope');
    },
  );

  it.each([
    'what does ENABLE_ZIP_STAGEOUT do for the copytool?',
    'what does the use_lan_for_stagein flag change in the queue settings?',
    'what is HPC-API used for in harvester?',
    'what is SE-CE and how does the pilot talk to it?',
  ])('"%s" defines the term itself: docs, even with queue words around it', (text) => {
    const r = route(text);
    expect(r.intent).toBe('docs');
    expect(r.entities.queue).toBeNull();
  });

  it.each([
    'what does DBThing do?',
    'what is the fooseed parameter?',
    'how do I change option barlimit in prun?',
    'what is the difference between XCORE and YCORE queues?',
  ])('"%s" names a setting or a kind, not a queue: docs', (text) => {
    const r = createRuleRouter().routeWith(text, [], { queues: [], sites: [] });
    expect(r.intent).toBe('docs');
    expect(r.entities.queue).toBeNull();
  });

  it.each([
    ['what copytool does XYZ_PROD use?', 'XYZ_PROD'],
    ['what is the maxtime of CERN-HPC?', 'CERN-HPC'],
  ])('"%s" asks a field of the named queue (%s), not what the name means', (text, queue) => {
    const r = route(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each([
    ['SOMEQUEUE is in test mode?', 'SOMEQUEUE'],
    ['can abc-lcg2-xyz run 8-core jobs?', 'ABC-LCG2-XYZ'],
    ['container options of ch-someplace', 'CH-SOMEPLACE'],
  ])('"%s" names a queue by its shape when CRIC does not know it (%s)', (text, queue) => {
    const r = createRuleRouter().routeWith(text, [], { queues: [], sites: [] });
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each([
    ['does somesite support gpus', 'SOMESITE'],
    ['what copytool does somesite use', 'SOMESITE'],
    ['is somesite using apptainer', 'SOMESITE'],
  ])('"%s": a known name typed in lower case, next to a verb, in a question about a queue property (%s)', (text, queue) => {
    const r = createRuleRouter().routeWith(text, [], { queues: ['SOMESITE'], sites: [] });
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each([
    ['is abcd-lcg2 in downtime?', 'ABCD-LCG2'],
    ['what pilot version does somewhereprod run?', 'SOMEWHEREPROD'],
  ])('"%s" asks about one queue CRIC did not list (%s)', (text, queue) => {
    const r = createRuleRouter().routeWith(text, [], { queues: [], sites: [] });
    expect(r).toMatchObject({ intent: 'queue', entities: { queue } });
  });

  it.each(['which queues use xrootd as copytool?', 'how do I find the queues that are offline?', 'list sites with gpus'])(
    '"%s" asks for queue data: queue',
    (text) => {
      expect(createRuleRouter().routeWith(text, [], { queues: [], sites: [] }).intent).toBe('queue');
    },
  );

  it('"is the Somecity queue online?" asks the state of one queue even when its name is not recognised', () => {
    expect(createRuleRouter().routeWith('is the Somecity queue online?', [], { queues: [], sites: [] }).intent).toBe('queue');
    expect(createRuleRouter().routeWith('how do I know if a queue is online?', [], { queues: [], sites: [] }).intent).toBe('docs');
  });

  it('"what\'s the timefloor of abc-defg" names a hyphenated queue CRIC did not list', () => {
    const r = createRuleRouter().routeWith("what's the timefloor of abc-defg", [], { queues: [], sites: [] });
    expect(r).toMatchObject({ intent: 'queue', entities: { queue: 'ABC-DEFG' } });
  });

  it.each(['which copytool should I use for xrootd reads?', "what's the difference between mintime and maxtime?", 'what does the field pledgedcpu hold?'])(
    '"%s" is a docs question: protocols and CRIC field names are vocabulary, not queues',
    (text) => {
      const r = createRuleRouter().routeWith(text, [], { queues: [], sites: [] });
      expect(r.intent).toBe('docs');
      expect(r.entities.queue).toBeNull();
    },
  );

  it.each([
    ['what does it mean when a queue is in brokeroff?', null],
    ['how does the brokerage choose between AGLT2 and BNL_PROD?', 'AGLT2'],
    ['why does jedi skip queues in test status?', null],
    ['what does the pilot do at STAGEOUT?', null],
    ['why do some sites run without containers?', null],
    ['how do queues in brokeroff behave?', null],
    ['what is a SATELLITE site?', null],
  ])('"%s" asks how PanDA behaves: docs (entities as named, no preposition taken for a queue)', (text, queue) => {
    const r = route(text);
    expect(r.intent).toBe('docs');
    expect(r.entities.queue).toBe(queue);
  });

  it.each(['what does stage-in-timeout do', 'is the pilot-wrapper-v2 script documented?', 'which centos7-gcc8-opt builds exist?'])(
    '"%s" names no queue (ordinary or platform compounds)',
    (text) => {
      expect(createRuleRouter().routeWith(text, [], { queues: [], sites: [] }).entities.queue).toBeNull();
    },
  );

  it.each([
    'guten morgen, bist du online?',
    'hey, anyone there?',
    'morning! hope you are having a good week',
    'hallo askpanda',
    'gm bot',
    'vielen dank!',
    'gracias bot',
    'hi! how was your weekend?',
    'glad to meet you',
    'bonjour le bot',
    'how r u',
    'are you trained on the docs?',
    "what's your favourite colour?",
    'you are a lifesaver, honestly',
    'great, problem solved',
    'that reply was not helpful',
    "what's new?",
    'do you speak italian?',
    'you are too slow today',
    'bye for now',
  ])('"%s" is small talk (greetings and presence checks, in English and other languages)', (text) => {
    expect(route(text).intent).toBe('chitchat');
  });

  it.each([
    ['is there a list somewhere that explains trf exit code 65?', 'docs'],
    ['where do I find what pilot error 1305 means?', 'docs'],
    ['does the retry module resubmit jobs that hit pilot error 1305?', 'docs'],
    ['what does trf exit code 65 mean?', 'error_code'],
    ['should I retry after pilot error 1305?', 'error_code'],
    ['rc=139 from athena, what is it?', 'error_code'],
  ])('"%s": where codes are documented and how retry rules work are docs; one code\'s meaning is error_code', (text, intent) => {
    expect(route(text).intent).toBe(intent);
  });

  it.each([
    ['why might my jobs end up in the closed state?', 'docs'],
    ['what could cause my jobs to go to holding?', 'docs'],
    ['why are my jobs stuck in activated?', 'job_search'],
    ['why would my job fail with lost heartbeat?', 'job'],
    ['what happens to my jobs if their queue goes offline?', 'docs'],
    ['what happened to my task?', 'task'],
  ])('"%s": a hypothetical question about jobs in general is docs, the asker\'s jobs are not (%s)', (text, intent) => {
    expect(route(text).intent).toBe(intent);
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
