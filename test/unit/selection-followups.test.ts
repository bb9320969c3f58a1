import { describe, expect, it } from 'vitest';
import { createRuleRouter } from '../../agents/selection/index.js';
import type { Turn } from '../../src/contracts/conversation.js';

const at = '2026-01-01T00:00:00Z';
const none = { pandaid: null, jeditaskid: null, queue: null, site: null, error_code: null, error_component: null };

function historyOf(intent: Turn['intent'], text: string, entities = {}): Turn[] {
  return [
    { role: 'user', text, at, intent, entities: { ...none, ...entities } },
    { role: 'assistant', text: 'an answer', at, intent, entities: { ...none, ...entities } },
  ];
}

describe('rule router follow-ups', () => {
  const router = createRuleRouter();

  it('continues the previous intent for short follow-ups', async () => {
    for (const text of ['explain it better', 'Can you explain that more simply?', 'and in Rucio?', 'tell me more', 'what do you mean?', 'an example?']) {
      const route = await router.route(text, historyOf('docs', 'what is PanDA?'));
      expect(route.intent, text).toBe('docs');
      expect(route.source).toBe('memory');
    }
    const queue = await router.route('and for DE?', historyOf('queue', 'which queues use rucio as copytool?'));
    expect(queue.intent).toBe('queue');
    const code = await router.route(
      'explain it better',
      historyOf('error_code', 'what does pilot error 1150 mean?', { error_code: 1150, error_component: 'pilot' }),
    );
    expect(code.intent).toBe('error_code');
    expect(code.entities.error_code).toBe(1150);
  });

  it('does not continue small talk, and routes on its own text without history', async () => {
    expect((await router.route('explain it better', historyOf('chitchat', 'hello'))).intent).not.toBe('docs');
    expect((await router.route('explain it better', [])).source).toBe('rules');
    expect((await router.route('and in Rucio, how do I list replicas of a dataset?', historyOf('docs', 'what is PanDA?'))).intent).toBe('docs');
  });
});

describe('rule router: error summaries and retry follow-ups', () => {
  const router = createRuleRouter();
  it('routes "top errors at <site>" to the queue agent with the site', async () => {
    const route = await router.route('what are the top errors at CERN in the last 6 hours?', []);
    expect(route.intent).toBe('queue');
    expect(route.entities.site).toBe('CERN');
  });
  it('carries a job over to "would a retry help?"', async () => {
    const route = await router.route('would a retry help?', historyOf('job', 'why did job 6601000006 fail?', { pandaid: 6601000006 }));
    expect(route.intent).toBe('job');
    expect(route.entities.pandaid).toBe(6601000006);
  });
});

describe('follow-ups read by word family against the thread', () => {
  const router = createRuleRouter();
  const task = historyOf('task', 'how many jobs of task 45128833 failed?', { jeditaskid: 45128833 });
  const job = historyOf('job', 'why did job 6601000006 fail?', { pandaid: 6601000006 });
  const queue = historyOf('queue', 'what is the maxrss of AGLT2?', { queue: 'AGLT2' });

  it('task acts: worst site, top error, example job, in any wording', async () => {
    const cases: Array<[string, string]> = [
      ['is there a hotspot site?', 'top-site'],
      ['where do most of them fail?', 'top-site'],
      ['what broke most often?', 'top-error'],
      ["what's killing them?", 'top-error'],
      ['send me a pandaid I can look at', 'example-job'],
      ['which job should I look at?', 'example-job'],
    ];
    for (const [text, act] of cases) {
      const route = await router.route(text, task);
      expect([route.intent, route.followUp?.act, route.entities.jeditaskid], text).toEqual(['task', act, 45128833]);
    }
  });

  it('job acts: log line, code, plainer words, retry; thanks and how-tos are not acts', async () => {
    const cases: Array<[string, string]> = [
      ['where do you see that?', 'evidence'],
      ['can I see the actual error message?', 'evidence'],
      ["what's that error number about?", 'code'],
      ['tl;dr?', 'simpler'],
      ['could you explain that to a summer student?', 'simpler'],
      ['if I submit it again will it pass?', 'retry'],
    ];
    for (const [text, act] of cases) {
      const route = await router.route(text, job);
      expect([route.intent, route.followUp?.act, route.entities.pandaid], text).toEqual(['job', act, 6601000006]);
    }
    expect((await router.route('thanks, I understand now', job)).intent).toBe('chitchat');
    expect((await router.route('where can I find the pilot documentation?', job)).followUp).toBeUndefined();
  });

  it('queue follow-ups name the field by a synonym and keep the queue; a plain-word queue after "same for" is a queue', async () => {
    const cases: Array<[string, string]> = [
      ['and its max work dir size?', 'what is the maxwdir of AGLT2?'],
      ['how long can jobs run there?', 'what is the maxtime of AGLT2?'],
      ['and the rss limit?', 'what is the maxrss of AGLT2?'],
      ['which cloud is it in?', 'what is the cloud of AGLT2?'],
      ['how big can the input be?', 'what is the maxinputsize of AGLT2?'],
      ['what copy tool does it use?', 'what is the copytools of AGLT2?'],
    ];
    for (const [text, question] of cases) {
      const route = await router.route(text, queue);
      expect([route.intent, route.followUp?.question], text).toEqual(['queue', question]);
    }
    // The meaning of a field is asked of the documentation, not of the thread's queue.
    for (const text of ['what does maxwdir mean?', "what's corepower for?", 'meaning of the rss limit?']) {
      const route = await router.route(text, queue);
      expect([route.intent, route.followUp], text).toEqual(['docs', undefined]);
    }
    const names = { queues: ['AGLT2', 'BEIJING'], sites: ['AGLT2', 'BEIJING-LCG2'] };
    const other = createRuleRouter({ names: async () => names });
    const route = await other.route('same for beijing', queue);
    expect([route.intent, route.entities.queue, route.followUp?.question]).toEqual(['queue', 'BEIJING', 'what is the maxrss of BEIJING?']);
  });

  it('asks back for the ID of the asker’s one job or task, but keeps how-tos and general questions documentation', async () => {
    for (const text of ['is my task ok?', 'can you check on my jedi task', 'the jobs in my task keep failing with memory errors'])
      expect((await router.route(text, [])).intent, text).toBe('task');
    for (const text of ['a job of mine failed', 'got a failed job, help?', 'job failed again :(', 'what does the error on my job mean?'])
      expect((await router.route(text, [])).intent, text).toBe('job');
    for (const text of ['How do I find out why my jobs fail?', 'what is the global share of my analysis tasks', 'how do I retry my task?'])
      expect((await router.route(text, [])).intent, text).toBe('docs');
  });
});
