/**
 * The learned intent arbiter beside the rules: what the classifier says of messages no rule was
 * written for (another language, another tool, a queue property without the word "queue"), when it
 * may overrule the rules (only their defaults, only to an intent the entities allow), and that the
 * committed weights are the ones the training script writes from the current sets and features.
 */
import { describe, expect, it } from 'vitest';
import { allowedIntent, classifyIntent, createArbiter, loadModel } from '../../agents/selection/intent-classifier.js';
import { featureNames, type IntentSignals, normaliseMessage } from '../../agents/selection/intent-features.js';
import { INTENT_MODEL, TRAINING_FINGERPRINT } from '../../agents/selection/intent-weights.js';
import { createRuleRouter } from '../../agents/selection/index.js';
import type { KnownNames } from '../../agents/selection/names.js';
import { trainingFingerprint } from '../../scripts/train-intent-classifier.js';

const names: KnownNames = { queues: ['TRIUMF', 'DESY-ZN', 'BNL_PROD_INTEL'], sites: ['TRIUMF-LCG2', 'DESY-ZN'] };
const model = loadModel(INTENT_MODEL);

/** What the rules saw and decided for a message (the arbiter's input), recorded without overruling them. */
function signalsOf(text: string): IntentSignals {
  let seen: IntentSignals | null = null;
  createRuleRouter({
    arbiter: (s) => {
      seen = s;
      return null;
    },
  }).routeWith(text, [], names);
  if (!seen) throw new Error(`the rules did not reach an intent decision for "${text}"`);
  return seen;
}

const classify = (text: string): string => classifyIntent(model, signalsOf(text)).intent;

describe('the intent classifier on messages written for no rule', () => {
  it('a code asked about in German is an error-code question', () => {
    expect(classify('was heißt pilot fehler 1234 bei meinem lauf?')).toBe('error_code');
  });

  it('a greeting in Polish is small talk', () => {
    expect(classify('dzień dobry, dzięki za pomoc!')).toBe('chitchat');
  });

  it('a ROOT plotting question is out of scope', () => {
    expect(classify('how do i draw two histograms on one canvas in ROOT with a legend')).toBe('out_of_scope');
  });

  it('a queue property asked without the word "queue" is a queue question', () => {
    expect(classify('what is the max memory per core at TRIUMF?')).toBe('queue');
  });
});

describe('features: entities become placeholders', () => {
  it('IDs, codes, names, options, identifiers and links are replaced', () => {
    const text = normaliseMessage({
      text: 'job 6712345678 of task 41234567 failed 1099 at DESY-ZN with --nFilesPerJob and MY_VAR, see https://bigpanda.cern.ch/job/',
      names: [{ kind: 'queue', name: 'DESY-ZN', known: true }],
    });
    expect(text).toBe('job <PANDAID> of task <TASKID> failed <CODE> at <QUEUE> with <OPT> and <IDENT> see <URL> bigpanda job');
  });

  it('the message words, bigrams and character n-grams are features', () => {
    const features = featureNames(signalsOf('hello there'));
    expect(features).toEqual(expect.arrayContaining(['w:hello', 'b:hello there', 'c:^hel']));
  });
});

describe('the arbiter overrules only the rules defaults, and only to an intent the entities allow', () => {
  const always = createArbiter(model, { minP: 0, fallbackOnly: true, pandaWordInScope: true, never: {} });

  it('a rule that matched is kept', () => {
    const s = signalsOf('what does pilot error 1099 mean?');
    expect(s.intent).toBe('error_code');
    expect(always(s)).toBeNull();
  });

  it('job, task and error_code need their ID or code', () => {
    const s = signalsOf('how tall is the eiffel tower');
    expect(allowedIntent('job', s)).toBe(false);
    expect(allowedIntent('task', s)).toBe(false);
    expect(allowedIntent('error_code', s)).toBe(false);
    expect(allowedIntent('chitchat', s)).toBe(true);
  });

  it('an error code the classifier found is an entity of the route', () => {
    const r = createRuleRouter().routeWith('was heißt pilot fehler 1234 bei meinem lauf?', [], names);
    expect(r.intent).toBe('error_code');
    expect(r.entities.error_code).toBe(1234);
  });

  it('the rules alone stay available (arbiter: null)', () => {
    const text = 'dzień dobry, dzięki za pomoc!';
    expect(createRuleRouter({ arbiter: null }).routeWith(text, [], names).reason).not.toMatch(/classifier/);
  });
});

describe('the committed weights', () => {
  it('were written by scripts/train-intent-classifier.ts from the current training sets and features (re-run it after changing either)', () => {
    expect(TRAINING_FINGERPRINT).toBe(trainingFingerprint());
  });
});
