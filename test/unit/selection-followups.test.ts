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
