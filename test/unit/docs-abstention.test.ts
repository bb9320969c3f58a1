import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AbstentionModel,
  type AbstentionSignals,
  abstentionSignals,
  decideAbstention,
  FEATURE_NAMES,
  featureVector,
  rulesDecline,
} from '../../agents/docs/abstention.js';
import { ABSTENTION_MODEL } from '../../agents/docs/abstention-weights.js';
import { selectQuotes } from '../../agents/docs/extractive.js';
import { foreignWords } from '../../agents/docs/foreign.js';
import { unmentionedNames } from '../../agents/docs/unmentioned.js';
import { createDocsAgent, NOT_FOUND } from '../../agents/docs/index.js';
import type { DocumentStore, Passage } from '../../src/contracts/documents.js';
import type { Reply } from '../../src/contracts/reply.js';
import { createDocIngester, EMPTY_GLOSSARY, type IndexedDocumentStore, loadGlossary, openLanceStore } from '../../src/index/index.js';
import { fitAll, readSignals, renderWeights, WEIGHTS_FILE } from '../../scripts/abstention-fit.js';
import { agentRequest } from '../doubles/agent-request.js';

const passage = (id: string, text: string, score: number, section = id): Passage => ({ id, text, kind: 'doc', source: `${id}.md`, title: id, section, score });

const base: AbstentionSignals = {
  top: 0.6,
  gap: 0.1,
  coverage: 0.5,
  stated: 1,
  evidence: 0.7,
  margin: 0.3,
  holdsAsked: true,
  identifierAsked: false,
  identifierFound: false,
  foreignShare: 0,
  foreign: [],
  unmentioned: [],
  words: 5,
  asked: [],
  quoteScore: 0.5,
};

describe('abstention signals', () => {
  const passages = [
    passage('spool', 'The courier daemon keeps spool files for seven days. Set `--spoolDays` to change how long they are kept.', 0.8),
    passage('courier', 'The courier daemon forwards messages from the queue to the archive.', 0.5),
  ];

  it('are computed from the passages, the quote selection and the foreign-word check as documented', () => {
    const question = 'how long does the courier keep spool files with --spoolDays on the parrot?';
    const probe = selectQuotes(question, passages, 1, EMPTY_GLOSSARY);
    const s = abstentionSignals({
      question,
      passages,
      probe,
      foreign: { words: ['parrot'], share: 0.2 },
      unmentioned: [],
      threshold: 0.38,
      glossary: EMPTY_GLOSSARY,
    });
    expect(s.top).toBe(0.8);
    expect(s.gap).toBeCloseTo(0.3, 10);
    expect(s.coverage).toBe(probe.coverage);
    // Every word but "parrot" is stated somewhere in the passages.
    expect(s.stated).toBeGreaterThan(0.7);
    expect(s.stated).toBeLessThan(1);
    expect(s.evidence).toBeCloseTo(0.8 + 0.2 * probe.coverage, 10);
    expect(s.margin).toBeCloseTo(s.evidence - 0.38, 10);
    expect(s.identifierAsked).toBe(true);
    expect(s.identifierFound).toBe(true);
    expect(s.foreignShare).toBe(0.2);
    expect(s.foreign).toEqual(['parrot']);
    expect(s.asked).toContain('number');
    expect(s.quoteScore).toBeGreaterThan(0);
  });

  it('do not count a plural acronym the glossary knows as a name no passage mentions', () => {
    const near = [passage('nodes', 'Each worker node needs outbound network access to reach the courier.', 0.6)];
    expect(unmentionedNames('do the WNs at our site need outbound network for the courier?', near, loadGlossary())).toEqual([]);
    expect(unmentionedNames('do the Zorblax nodes need outbound network for the courier?', near, loadGlossary())).toEqual(['Zorblax']);
  });

  it('do not count the first half of a contraction as a word the documentation never uses', async () => {
    const nowhere: DocumentStore = { search: async () => [], stats: async () => ({}) };
    const near = [passage('courier', 'The courier daemon forwards messages to the archive.', 0.5)];
    const foreign = await foreignWords('the courier couldn\u2019t forward my parcel', near, nowhere, EMPTY_GLOSSARY);
    expect(foreign.words).toEqual(['parcel']);
  });

  it('with nothing retrieved are empty, and the question is declined', () => {
    const s = abstentionSignals({
      question: 'anything?',
      passages: [],
      probe: null,
      foreign: { words: [], share: 0 },
      unmentioned: [],
      threshold: 0.38,
      glossary: EMPTY_GLOSSARY,
    });
    expect(s).toMatchObject({ top: 0, gap: 0, coverage: 0, stated: 0, holdsAsked: false, quoteScore: 0 });
    expect(decideAbstention(s).decline).toBe(true);
    expect(rulesDecline(s)).toBe(true);
  });

  it('become one number per named feature, the names the weights module was fitted on', () => {
    expect(featureVector(base)).toHaveLength(FEATURE_NAMES.length);
    expect(ABSTENTION_MODEL.features).toEqual(FEATURE_NAMES);
    expect(ABSTENTION_MODEL.weights).toHaveLength(FEATURE_NAMES.length);
  });
});

describe('abstention decision', () => {
  // A model that reads only the share of foreign words (standardised around 0.1).
  const foreignOnly: AbstentionModel = {
    features: FEATURE_NAMES,
    mean: FEATURE_NAMES.map((f) => (f === 'foreignShare' ? 0.1 : 0)),
    scale: FEATURE_NAMES.map(() => 1),
    weights: FEATURE_NAMES.map((f) => (f === 'foreignShare' ? 40 : 0)),
    bias: 0,
    threshold: 0.5,
  };

  it('declines when the model finds the question unanswerable and answers otherwise', () => {
    expect(decideAbstention({ ...base, foreignShare: 0.3, foreign: ['refund'] }, foreignOnly).decline).toBe(true);
    expect(decideAbstention({ ...base, foreignShare: 0 }, foreignOnly).decline).toBe(false);
  });

  it('declines a question naming something no passage mentions whatever the model says', () => {
    const d = decideAbstention({ ...base, unmentioned: ['Zorblax'] }, foreignOnly);
    expect(d).toMatchObject({ decline: true, rules: true });
  });

  it('keeps the old rules for comparison: evidence below the threshold declines unless an identifier was found', () => {
    expect(rulesDecline({ ...base, margin: -0.05 })).toBe(true);
    expect(rulesDecline({ ...base, margin: -0.05, identifierAsked: true, identifierFound: true })).toBe(false);
    expect(rulesDecline({ ...base, evidence: 0.45, foreignShare: 0.2, foreign: ['refund'] })).toBe(true);
    expect(rulesDecline(base)).toBe(false);
  });
});

describe('docs agent with the learned abstention', () => {
  let root: string;
  let store: IndexedDocumentStore;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'askpanda-abstention-'));
    const docs = join(root, 'docs');
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'courier.md'),
      [
        '# The courier service',
        '',
        '## Spool files',
        '',
        'The courier daemon keeps spool files on the local disk for seven days before it deletes them. The retention can be changed with the spoolDays setting in courier.cfg.',
        '',
        '## Forwarding',
        '',
        'The courier forwards every message from the inbound queue to the archive service. When the archive is down, messages wait in the spool and are retried every ten minutes.',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(docs, 'archive.md'),
      [
        '# The archive service',
        '',
        '## Storage',
        '',
        'The archive service stores forwarded messages in compressed monthly volumes. Old volumes are moved to tape after one year.',
        '',
      ].join('\n'),
    );
    store = await openLanceStore({ dir: join(root, 'index'), glossary: loadGlossary() });
    await createDocIngester({ store, catalogFile: join(root, 'index', 'catalog.json') }).ingest([docs]);
  });
  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  const agent = () => createDocsAgent({ store, glossary: loadGlossary(), abstention: 'learned' });
  const markdown = (reply: Reply): string => reply.blocks.map((b) => (b.kind === 'markdown' ? b.text : '')).join('\n');
  const ask = (text: string) => agent().answer(agentRequest(text, 'docs'));

  it('declines a question whose words the documentation never uses, naming the closest sections', async () => {
    const reply = await ask('what discount do students get on the yearly courier archive subscription?');
    expect(reply.data).toMatchObject({ found: false });
    // The model declined it (not a name no passage mentions).
    const abstention = reply.data?.abstention as { probability: number; signals: AbstentionSignals } | undefined;
    expect(abstention?.signals.top).toBeGreaterThan(0);
    expect(abstention?.signals.unmentioned).toEqual([]);
    expect(abstention?.signals.foreign).toEqual(expect.arrayContaining(['discount', 'students']));
    expect(abstention?.probability).toBeGreaterThanOrEqual(ABSTENTION_MODEL.threshold);
    expect(markdown(reply)).toContain(NOT_FOUND);
    expect(markdown(reply)).toContain('The closest sections, which do not answer it:');
  });

  it('answers a paraphrased question the documentation does answer', async () => {
    const reply = await ask('how many days are the queued files of the courier kept around before removal?');
    expect(reply.data).toMatchObject({ found: true });
    expect(markdown(reply)).toContain('seven days');
    expect((reply.data?.abstention as { signals: AbstentionSignals } | undefined)?.signals.top).toBeGreaterThan(0);
  });
});

describe('abstention weights', () => {
  it('are what scripts/train-abstention.ts writes from the stored signals (re-run it after changing the signals or the fit)', () => {
    const rows = readSignals();
    expect(renderWeights(fitAll(rows), rows)).toBe(readFileSync(WEIGHTS_FILE, 'utf8'));
  });
});
