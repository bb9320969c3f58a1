/**
 * Routing mechanisms as a user meets them: identifiers and acronyms asked about are documentation
 * terms; a queue or site typed in lower case, mistyped, or named only by the property asked of it
 * is a queue question; everyday requests that use grid words are out of scope; small talk in other
 * languages is small talk; a code asked about on its own is an error-code question.
 */
import { describe, expect, it } from 'vitest';
import { createRuleRouter } from '../../agents/selection/index.js';
import type { KnownNames } from '../../agents/selection/names.js';

const names: KnownNames = {
  queues: ['TRIUMF', 'NIKHEF', 'AGLT2', 'BNL_PROD_INTEL', 'DESY-HH', 'praguelcg2'],
  sites: ['TRIUMF-LCG2', 'DESY-HH', 'BNL-ATLAS'],
};
const router = createRuleRouter();
const withNames = (text: string) => router.routeWith(text, [], names);
const shapesOnly = (text: string) => router.routeWith(text, [], null);

describe('acronyms and identifiers in a question are documentation terms', () => {
  it.each([
    'UTILITY_BEFORE_PAYLOAD vs UTILITY_WITH_PAYLOAD - when does the pilot start each kind of utility?',
    'PILOT_MAXNPROC - who sets it and can my payload read it?',
    'what are copy_in and copy_out in the pilot copytool api?',
    'is the is_cvmfs flag in queuedata still used by the pilot?',
    'what is allow_lan in queuedata?',
  ])('"%s" goes to the docs with no queue', (text) => {
    for (const r of [withNames(text), shapesOnly(text)]) {
      expect(r.intent).toBe('docs');
      expect(r.entities.queue).toBeNull();
    }
  });

  it('an everyday word next to a queue field is not a queue ("at least", "PQs sit behind")', () => {
    expect(shapesOnly('queues in the DE cloud with maxrss of at least 64000?').entities.queue).toBeNull();
    const behind = shapesOnly('which PQs sit behind the TECHNION-HEP site?');
    expect(behind.intent).toBe('queue');
    expect(behind.entities.queue).toBeNull();
    expect(behind.entities.site).toBe('TECHNION-HEP');
  });

  it('a queue-kind word alone (ANALY) is not a queue name', () => {
    const r = shapesOnly('which ANALY queues are in test status?');
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBeNull();
  });
});

describe('queue questions that name a queue in lower case, mistyped, or by the property asked', () => {
  it.each([
    ['status of triumf pls', 'TRIUMF'],
    ['does bnl_prod_intel have arm queues?', 'BNL_PROD_INTEL'],
    ['status of tirumf', 'TRIUMF'],
    ['what is the copytool at nikef?', 'NIKHEF'],
    ['which tier is agl2?', 'AGLT2'],
    ['max memory at desyhh', 'DESY-HH'],
    ['where is nikhef located?', 'NIKHEF'],
  ])('"%s" → queue %s in CRIC spelling', (text, queue) => {
    const r = withNames(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each([
    'which cloud is ific in?',
    'does goegrid support containers?',
    'hpc2n memory limit?',
    "what's the status of the taiwan queue?",
    'is desy-zn a T2?',
    "what's the maxrss for jobs on mwt2_ucore",
    'show me HPC queues whose maxtime is longer than 3 days',
  ])('"%s" is a queue question without a CRIC name list', (text) => {
    expect(shapesOnly(text).intent).toBe('queue');
  });

  it("a possessive or a verb's subject is no queue unless a queue property is asked", () => {
    expect(shapesOnly("what's ific's copytool?").entities.queue).toBe('IFIC');
    for (const text of ["wat's that error exactly", 'which site is breaking my task', 'which site is killing the jobs of my task?']) {
      const r = shapesOnly(text);
      expect(r.intent).not.toBe('queue');
      expect(r.entities.queue).toBeNull();
    }
    expect(shapesOnly('which site is breaking my task').intent).toBe('task');
  });

  it('the holder of queues is a site', () => {
    expect(shapesOnly('which panda queues belong to lbnl_dsd_itb?').entities).toMatchObject({ queue: null, site: 'LBNL_DSD_ITB' });
    expect(shapesOnly('how many queues does wuppertalprod run').entities).toMatchObject({ queue: null, site: 'WUPPERTALPROD' });
  });
});

describe('everyday requests that use grid words are out of scope', () => {
  it.each([
    'can you book a meeting room for 3pm tomorrow?',
    'what are the stock prices of NVIDIA today?',
    'can you write my thesis introduction?',
    'help me write a cover letter for a job at CERN',
    'how do I clear memory on my laptop?',
    "what's a good cloud storage for photos?",
    'how do I set up a cron job on my mac?',
    'which airline has the best pilots?',
    "what's the status of my amazon order?",
    'how do I configure CRAB for a CMS analysis?',
    'how do I submit an expense report?',
  ])('"%s" is out of scope', (text) => {
    expect(shapesOnly(text).intent).toBe('out_of_scope');
  });

  it('the same everyday words with a grid term stay documentation questions', () => {
    expect(shapesOnly('how do I run prun from my laptop?').intent).toBe('docs');
    expect(shapesOnly('how do I install my grid certificate on my mac?').intent).toBe('docs');
  });
});

describe('small talk in several languages and about the bot', () => {
  it.each([
    'danke schön!',
    'vielen Dank für die Hilfe',
    'merci beaucoup pour ton aide',
    'muchas gracias',
    'dziękuję bardzo',
    'wer bist du?',
    'qui es-tu ?',
    '¿quién eres?',
    'salut, ça va ?',
    'buenos días, ¿cómo estás?',
    'bis später',
    'grazie, molto utile',
    'спасибо!',
    'do you remember what we talked about yesterday?',
    'what kinds of questions can I ask you?',
    'what languages do you speak?',
    'see you tomorrow',
  ])('"%s" is chitchat', (text) => {
    expect(shapesOnly(text).intent).toBe('chitchat');
  });
});

describe('error codes', () => {
  it.each([
    ['1346?? never seen that one', 1346],
    ['1213 - is that a site problem or mine?', 1213],
    ['is 1305 a site issue?', 1305],
    ['got 1201 on a few jobs, what is it', 1201],
  ])('"%s" asks about code %i', (text, code) => {
    const r = shapesOnly(text);
    expect(r.intent).toBe('error_code');
    expect(r.entities.error_code).toBe(code);
  });

  it('a code the job or task failed with is an entity next to the ID', () => {
    expect(shapesOnly('tsk 44205313 keeps failing w/ 1331').entities).toMatchObject({ jeditaskid: 44205313, error_code: 1331 });
    expect(shapesOnly('my job 6880629100 keeps failing on UNIBE-LHEP-UBELIX with 1201').entities).toMatchObject({ pandaid: 6880629100, error_code: 1201 });
    expect(shapesOnly('job 6760000005, pilot error 1324, retry?').entities).toMatchObject({ pandaid: 6760000005, error_code: 1324, error_component: 'pilot' });
    // A count is not a code.
    expect(shapesOnly('task 44205313 failed with 3 retries').entities.error_code).toBeNull();
  });
});

describe('a job ID given as an example in a general question', () => {
  it.each([
    "what do the job states mean, e.g. 6712345678 was 'holding' for a day",
    'how does retry work, for example job 6812345678 was retried 3 times?',
    'how do I find the log of a job like 6812345678?',
  ])('"%s" is a docs question that keeps the ID', (text) => {
    const r = shapesOnly(text);
    expect(r.intent).toBe('docs');
    expect(r.entities.pandaid).not.toBeNull();
  });

  it('the same ID asked about is a job question', () => {
    expect(shapesOnly('why did 6812345678 fail?').intent).toBe('job');
    expect(shapesOnly('job 6812345678 was holding for a day, why?').intent).toBe('job');
  });
});

describe('queue questions phrased like documentation or job questions', () => {
  const demo: KnownNames = { queues: ['NERSC_Perlmutter_MCORE', 'GoeGrid', 'FZK-LCG2'], sites: ['GoeGrid'] };
  const route = (text: string) => router.routeWith(text, [], demo);

  it.each([
    ['What Harvester instance manages NERSC_Perlmutter_GPU?', 'NERSC_Perlmutter_GPU'],
    ['Is GoeGrid_NHR a high memory queue?', 'GoeGrid_NHR'],
  ])('"%s": another queue of a site CRIC knows is a queue, not a docs term', (text, queue) => {
    const r = route(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it.each([
    'what is the maximum input size for jobs at FZK-LCG2?',
    'what memory do jobs get on the glasgow queue',
    'can my jobs use more than 2GB at lancaster?',
    'Does IFIC have a GPU queue?',
    'what are the resource types in the US cloud?',
  ])('"%s" is a queue question', (text) => {
    expect(route(text).intent).toBe('queue');
  });
});

describe('how-to questions about jobs are documentation questions', () => {
  it.each([
    'how do I retry my failed jobs in a task?',
    'what should I do if my job is stuck in transferring for days?',
    'my job 6812345678 was killed by the pilot for looping - what is the looping job check in general?',
    'where is the documentation on job retries? my job 6812345678 was retried',
    'What does the "closed" status mean? I saw it on 6812345678',
  ])('"%s" goes to the docs', (text) => {
    expect(shapesOnly(text).intent).toBe('docs');
  });

  it.each([
    ['job 6812345678 failed with 1305. how do I fix it?', 'job'],
    ['6812345678 is stuck. what does that mean?', 'job'],
    ['I have job 6812345678. How do I get the logs?', 'job'],
    ['My task 44123456 has failed jobs. How do I retry them?', 'task'],
    ['how can I list my failed jobs from today?', 'job_search'],
  ])('"%s" is still about that %s', (text, intent) => {
    expect(shapesOnly(text).intent).toBe(intent);
  });
});

describe('physics, careers and the accelerator are out of scope; chatting with the bot is chitchat', () => {
  it.each([
    'what is the measured higgs mass?',
    'is the beam on in the LHC right now?',
    'how do I apply for a CERN summer student job?',
    'can you monitor my website uptime?',
    "what's the priority queue data structure in python?",
  ])('"%s" is out of scope', (text) => {
    expect(shapesOnly(text).intent).toBe('out_of_scope');
  });

  it('a physics question about running work stays in scope', () => {
    expect(shapesOnly('how do I run higgs analysis jobs on the grid?').intent).toBe('docs');
  });

  it.each(['testing 1 2 3', 'how old are you?', 'can we chat?', 'tell me about you', "that's not what I asked"])('"%s" is chitchat', (text) => {
    expect(shapesOnly(text).intent).toBe('chitchat');
  });

  it('"why does the pilot return 1324?" asks about the code', () => {
    expect(shapesOnly('why does the pilot return 1324?').entities).toMatchObject({ error_code: 1324, error_component: 'pilot' });
    expect(shapesOnly('why does the pilot return 1324?').intent).toBe('error_code');
  });
});

describe('queue names CRIC did not tell the router about, in the ways people write them', () => {
  it.each([
    ["is SAMPA set up for containers, what's its container_type?", 'SAMPA'],
    ['does CYFRONET_EOS run payloads with apptainer or singularity', 'CYFRONET_EOS'],
    ['is pic_marenostrum5 an analysis or a production queue', 'PIC_MARENOSTRUM5'],
    ['does unige-baobab pass any extra container_options to the pilot?', 'UNIGE-BAOBAB'],
    ['ca-iaas-t3 - how many cores per job (corecount)?', 'CA-IAAS-T3'],
    ['what about SLAC_ES?', 'SLAC_ES'],
    ['is SiGNET-NSC_MCORE brokeroff? none of my jobs go there', 'SiGNET-NSC_MCORE'],
  ])('"%s" → queue %s', (text, queue) => {
    const r = shapesOnly(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue?.toLowerCase()).toBe(queue.toLowerCase());
  });

  it('a known name that is also a word counts when the question asks which site it is part of', () => {
    const r = router.routeWith('which site is NSC part of?', [], { queues: ['NSC'], sites: [] });
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe('NSC');
  });

  it('a state word after "my job is" is not a queue', () => {
    expect(shapesOnly('my job is stuck in holding state, id 6760000006').entities.queue).toBeNull();
  });
});

describe('two codes compared, and yes/no questions about what jobs get', () => {
  it.each(['what is the difference between pilot error 1099 and 1098?', '1099 vs 1098?'])('"%s" asks about code 1099', (text) => {
    const r = shapesOnly(text);
    expect(r.intent).toBe('error_code');
    expect(r.entities.error_code).toBe(1099);
  });

  it.each([
    'can my job use more than one core?',
    'do my jobs get retried automatically when they fail?',
    'will my jobs run faster with more cores?',
    'do failed jobs count against my quota?',
  ])('"%s" is a docs question', (text) => {
    expect(shapesOnly(text).intent).toBe('docs');
  });

  it.each(['is my job still running?', 'why did my job fail?', 'my task is stuck'])('"%s" is about the asker\'s own job or task', (text) => {
    expect(['job', 'task']).toContain(shapesOnly(text).intent);
  });
});

describe('a job ID as the argument of a how-to about a tool, or a question about the ID itself', () => {
  it.each([
    'how can I query job 6812345678 with the panda client API?',
    'what curl command gives me the JSON for pandaid 6812345678?',
    'which pbook command kills job 6812345678?',
    'is 6812345678 a pandaid or a task id?',
  ])('"%s" is a docs question that keeps the ID', (text) => {
    const r = shapesOnly(text);
    expect(r.intent).toBe('docs');
    expect(r.entities.pandaid).toBe(6812345678);
  });

  it.each(['how do I get the logs of job 6812345678?', 'how can I kill job 6812345678?'])('"%s" is about the job', (text) => {
    expect(shapesOnly(text).intent).toBe('job');
  });
});

describe('names that open like a known site, and the kind of resource a site is', () => {
  const demo: KnownNames = { queues: ['CERN-T0', 'CERN-GPU', 'GoeGrid'], sites: ['GoeGrid'] };
  it('"max walltime at cern-arm?" asks about a CERN queue CRIC did not list', () => {
    const r = router.routeWith('max walltime at cern-arm?', [], demo);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe('CERN-ARM');
  });
  it('"what kind of resource is goegrid, grid or hpc?" asks about GoeGrid', () => {
    const r = router.routeWith('what kind of resource is goegrid, grid or hpc?', [], demo);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe('GoeGrid');
  });
});

describe('a code named by its component alone, or pointed back at', () => {
  it.each([
    ['pilot 1305, any idea?', 1305, 'pilot'],
    ['the pilot keeps reporting 1099 for us, site issue?', 1099, 'pilot'],
    ['got 1212 back from the pilot, what now', 1212, 'pilot'],
    ['taskbuffer 102 meaning', 102, 'taskbuffer'],
    ['dataservice error 200?', 200, 'ddm'],
    ['many 1103 overnight at several T2s, what does that code mean?', 1103, null],
  ])('"%s" asks what code %i means', (text, code, component) => {
    for (const r of [withNames(text), shapesOnly(text)]) {
      expect(r.intent).toBe('error_code');
      expect(r.entities.error_code).toBe(code);
      expect(r.entities.error_component).toBe(component);
    }
  });

  it('a pilot version or a count next to "pilot" is not a code', () => {
    for (const text of ['which pilot version is 3.10 at AGLT2', 'we run 500 pilots per hour', 'pilot 3 vs pilot 2 differences']) {
      expect(shapesOnly(text).entities.error_code, text).toBeNull();
    }
  });
});

describe('how the system decides is a documentation question, even with "my task" as the reason', () => {
  it.each([
    'who decides how many of my tasks can run at the same time?',
    'how is the priority of analysis jobs computed? mine keep sliding down',
    'how does jedi choose the site for a user task',
    'what determines which share a production task is put in',
    'how does brokerage pick sites for user analysis jobs?',
  ])('"%s" goes to the docs', (text) => {
    expect(withNames(text).intent).toBe('docs');
  });

  it('"user" before a word that describes jobs is not a user name to search by', () => {
    expect(withNames('how does panda order user analysis jobs?').intent).toBe('docs');
    expect(withNames('failed jobs of user jdoe at AGLT2').intent).toBe('job_search');
  });

  it('a status question about the own task still asks for its ID', () => {
    expect(withNames('how is my task doing?').intent).toBe('task');
    expect(withNames('who killed my job?').intent).toBe('job');
  });
});

describe('client tools: what a command does, and its options, are documentation', () => {
  it('"pbook retry - does it …" is about the command, not a job to retry', () => {
    expect(withNames('pbook retry: does it resubmit the finished jobs too?').intent).toBe('docs');
    expect(withNames('would a retry help?').intent).toBe('job');
  });

  it('an option question that names a queue is a how-to; the queue stays an entity', () => {
    const r = withNames('what pathena flag keeps my jobs off AGLT2?');
    expect(r.intent).toBe('docs');
    expect(r.entities.queue).toBe('AGLT2');
  });
});

describe('small talk with the bot named, phrases over their first word, purchases', () => {
  it.each(['good evening panda', 'evening panda!', 'tack så mycket', 'are you a bot or a person?'])('"%s" is small talk', (text) => {
    expect(withNames(text).intent).toBe('chitchat');
  });

  it('asking the bot to buy hardware is out of scope', () => {
    expect(withNames('can you buy two new storage servers for our site?').intent).toBe('out_of_scope');
    expect(withNames('order 1 PB of disk from dell for the T2').intent).toBe('out_of_scope');
    expect(withNames('can you order the queues by corecount').intent).not.toBe('out_of_scope');
  });
});

describe('where a job ran, queues named in CRIC spelling, transforms, and the data of one own job', () => {
  const cricLike: KnownNames = { queues: ['TRIUMF', 'TOKYO', 'SAMPA', 'ifae', 'CERN'], sites: ['TRIUMF-LCG2', 'IFAE'] };
  const route = (text: string) => router.routeWith(text, [], cricLike);

  it('"at/on NAME" in a message with a job or task ID is the queue the work ran on', () => {
    expect(route('job 6843400112 died at tokyo after 2 hours, why').entities.queue).toBe('TOKYO');
    expect(route('task 45170001 keeps failing on SAMPA with 1099').entities).toMatchObject({ queue: 'SAMPA', jeditaskid: 45170001 });
    // Without a job or task, a plain word after "at" stays a word.
    expect(route('my jobs at cern fail').entities.queue).toBeNull();
  });

  it('a common-word name typed as CRIC spells it, in queue talk, is the queue', () => {
    expect(route('SAMPA walltime please')).toMatchObject({ intent: 'queue', entities: { queue: 'SAMPA' } });
    expect(route('ifae: which copy tools are set for stage-in there?')).toMatchObject({ intent: 'queue', entities: { queue: 'ifae' } });
  });

  it('an ATLAS transform (Reco_tf, Derivation_tf) is not a queue', () => {
    const r = shapesOnly('exit code 64 from Derivation_tf, what is it');
    expect(r).toMatchObject({ intent: 'error_code', entities: { error_code: 64, error_component: 'trf', queue: null } });
  });

  it('"where are the logs of my job?" asks for that job (its ID is asked back); codes given as examples of a list are docs', () => {
    expect(route('where are the logs for my failed job?').intent).toBe('job');
    expect(route('where is the log tarball of my failed task?').intent).toBe('task');
    expect(route('where can I find the logs of my jobs in general?').intent).toBe('docs');
    expect(route('trf codes such as 65, where are they listed').entities).toMatchObject({ error_code: 65, error_component: 'trf' });
    expect(route('trf codes such as 65, where are they listed').intent).toBe('docs');
  });
});

describe('a CRIC field asked of a name in any word order makes the name a queue, known to CRIC or not', () => {
  it.each([
    ['which workflow does ZZ_SITE_MCORE run, push or pull?', 'ZZ_SITE_MCORE'],
    ['what harvester instance serves zz-site_gpu', 'ZZ-SITE_GPU'],
    ['is zz_hpc3 an hpc resource or a grid one?', 'ZZ_HPC3'],
    ['is Zz_Bigmem unified or analysis type?', 'Zz_Bigmem'],
  ])('"%s" asks about the queue %s', (text, queue) => {
    const r = shapesOnly(text);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBe(queue);
  });

  it('a past participle after the field is not a name, and a term asked for its meaning stays a term', () => {
    expect(shapesOnly('what copytools are configured on ZZ_SITE_MCORE?').entities.queue).toBe('ZZ_SITE_MCORE');
    expect(shapesOnly('what does SCORE_HIMEM mean').intent).toBe('docs');
    expect(shapesOnly('is use_pcache an hpc thing?').entities.queue).toBeNull();
  });
});

describe('job and task state words, a number right after a failure verb, two codes set against each other', () => {
  it.each(['when does a job get the taskdone substatus?', 'what is the difference between tobroken and broken?', 'what does sub-status toabort mean'])(
    '"%s" is a documentation question about the state machine',
    (text) => {
      expect(shapesOnly(text).intent).toBe('docs');
    },
  );

  it('"failed 1305" names the code; "failed 3 times" does not', () => {
    expect(withNames('6844900111 crashed 1201 at TRIUMF').entities).toMatchObject({ pandaid: 6844900111, error_code: 1201 });
    expect(withNames('job 6844900111 failed 3 times').entities.error_code).toBeNull();
  });

  it('"1305 vs 1324: which is the looping one?" asks about the first code', () => {
    expect(shapesOnly('1305 vs 1324: which is the looping one?')).toMatchObject({ intent: 'error_code', entities: { error_code: 1305 } });
  });
});

describe('a name that is both a queue and a site, asked for the queues it holds, is the site', () => {
  const both: KnownNames = { queues: ['ZZ-SITE-HEP', 'ZZ-SITE-HEP_GPU'], sites: ['ZZ-SITE-HEP'] };
  it.each(['which queues belong to ZZ-SITE-HEP?', 'what queues does ZZ-SITE-HEP have that are online', 'list the queues of ZZ-SITE-HEP'])('"%s"', (text) => {
    const r = router.routeWith(text, [], both);
    expect(r.intent).toBe('queue');
    expect(r.entities).toMatchObject({ site: 'ZZ-SITE-HEP', queue: null });
  });
  it('"is ZZ-SITE-HEP online?" stays the queue', () => {
    expect(router.routeWith('is ZZ-SITE-HEP online?', [], both).entities).toMatchObject({ queue: 'ZZ-SITE-HEP', site: null });
  });
});

describe('determiners are words even when CRIC has a queue of that name; "which site is it" is queue talk', () => {
  const withAll: KnownNames = { queues: ['ALL', 'ZZFOO'], sites: ['ZZFOO-LCG2'] };
  it('"list all queues in the US cloud that are online" names no queue', () => {
    const r = router.routeWith('list all queues in the US cloud that are online', [], withAll);
    expect(r.intent).toBe('queue');
    expect(r.entities.queue).toBeNull();
  });
  it('"who runs ZZFOO, which site is it?" asks about the queue ZZFOO', () => {
    expect(router.routeWith('who runs ZZFOO, which site is it?', [], withAll)).toMatchObject({ intent: 'queue', entities: { queue: 'ZZFOO' } });
  });
});

describe('a code the jobs receive, or one given as an example, is an entity; "in general" keeps the question general', () => {
  it('"my jobs get 1150 sometimes" names 1150; "in general, …" stays docs', () => {
    const r = shapesOnly('in general, when should I raise --maxCpuCount? my jobs get 1150 now and then');
    expect(r.intent).toBe('docs');
    expect(r.entities.error_code).toBe(1150);
  });
  it('"e.g. is 65 there?" in a question about where codes are listed', () => {
    expect(shapesOnly('where are the transform codes documented, e.g. is 65 in the list?')).toMatchObject({ intent: 'docs', entities: { error_code: 65 } });
  });
  it('counts are not codes', () => {
    expect(shapesOnly('I got 500 jobs running at the moment').entities.error_code).toBeNull();
    expect(shapesOnly('we see 300 running jobs at AGLT2').entities.error_code).toBeNull();
  });
});
