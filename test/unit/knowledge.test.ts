import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { CATEGORIES, codesFromJob, createKnowledgeBase, inferAdvice, normaliseComponent, retryHelps } from '../../src/knowledge/index.js';
import { needShared } from '../support/shared.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');
const tables = needShared('data/error-codes');
const failuresDev = needShared('eval/failures-dev');
const codesDir = path.join(shared, 'data/error-codes');
const pilotDescriptions = path.join(codesDir, 'pilot_error_codes_and_descriptions.json');
const trfDescriptions = path.join(codesDir, 'trf_error_codes_and_descriptions.json');
const TABLES = ['pilot.json', 'trf.json', 'panda-server.json', 'wnscripts.json', 'bigmon-legacy.json'];

interface SourceRow {
  component: string;
  code: number;
  name: string | null;
  message: string | null;
}
const readRows = (file: string): SourceRow[] => JSON.parse(readFileSync(path.join(codesDir, file), 'utf8')).entries;
const readJob = (pandaid: string) => JSON.parse(readFileSync(path.join(shared, 'eval/failures-dev', pandaid, 'job.json'), 'utf8')).job;

const kb = createKnowledgeBase({ extraDescriptionFiles: tables.missing ? [] : [pilotDescriptions, trfDescriptions] });
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('knowledge base contents', () => {
  it.skipIf(tables.missing).each(TABLES)(`holds every code of %s under its normalised component${tables.note}`, (file) => {
    const rows = readRows(file);
    expect(rows.length).toBeGreaterThan(0);
    const missing = rows.filter((r) => {
      const component = normaliseComponent(r.component);
      return !component || !kb.lookup(component, r.code);
    });
    expect(missing).toEqual([]);
  });

  it.skipIf(tables.missing)(`carries names and default messages of current pilot and transform codes over unchanged${tables.note}`, () => {
    for (const row of readRows('pilot.json')) {
      const entry = kb.lookup('pilot', row.code);
      expect([entry?.name, entry?.message, entry?.status]).toEqual([row.name, row.message, 'current']);
    }
    const trf251 = kb.lookup('trf', 251);
    expect(trf251?.name).toBe('TRF_EXTERNAL');
    expect(trf251?.aliases?.[0]).toContain('TRF_UNEXPECTED_OTHER_EXCEPTION');
  });

  it('uses legacy monitor texts only where no newer entry exists', () => {
    expect(kb.lookup('pilot', 1008)?.message).toBe('General pilot error, consult batch log');
    expect(kb.lookup('pilot', 1098)?.message).toBe('Not enough local space');
    expect(kb.lookup('pilot', 1098)?.status).toBe('current');
    const legacy = kb.lookup('pilot', 1097);
    expect(legacy?.status).toBe('legacy');
    expect(legacy?.message).toBe('Get function can not be called for staging input file');
    expect(kb.lookup('jobdispatcher', 100)?.name).toBe('EC_Watcher');
    expect(kb.lookup('transformation', 2)?.message).toBe('Payload core dump');
    expect(kb.lookup('executor', 10010)?.status).toBe('legacy');
    expect(kb.lookup('taskbuffer', 110)?.status).toBe('legacy');
  });

  it('normalises component names of all sources', () => {
    expect(kb.lookup('dataservice', 200)?.component).toBe('ddm');
    expect(kb.lookup('sup', 2)?.component).toBe('supervisor');
    expect(kb.lookup('transform', 65)?.component).toBe('trf');
    const legacyWn = kb.lookup('wnscript-legacy', 20);
    expect(legacyWn?.status).toBe('legacy');
    expect(legacyWn?.name).toContain('EC_CMTFailed');
    expect(legacyWn?.name).toContain('EC_PoolCatalog');
    expect(kb.lookup('wnscript', 5406)?.scripts).toEqual(['runAthena']);
    expect(kb.lookup('nonsense', 1)).toBeNull();
  });

  it('gives every entry a valid category, retry advice and a reason', () => {
    const retries = new Set(['retry', 'no_retry', 'retry_more_memory', 'avoid_site', 'maybe']);
    expect(kb.size).toBe(kb.all().length);
    for (const entry of kb.all()) {
      expect(CATEGORIES).toContain(entry.category);
      expect(retries.has(entry.retry)).toBe(true);
      expect(entry.retryReason.length).toBeGreaterThan(10);
    }
  });

  it('explains at least 60 of the codes users meet most in plain language', () => {
    const explained = kb.all().filter((e) => e.explanation && e.adviceSource === 'curated');
    expect(explained.length).toBeGreaterThanOrEqual(60);
    const common: Array<[string, number]> = [
      ['pilot', 1099],
      ['pilot', 1100],
      ['pilot', 1104],
      ['pilot', 1137],
      ['pilot', 1150],
      ['pilot', 1151],
      ['pilot', 1152],
      ['pilot', 1201],
      ['pilot', 1204],
      ['pilot', 1212],
      ['pilot', 1213],
      ['pilot', 1235],
      ['pilot', 1305],
      ['pilot', 1324],
      ['pilot', 1378],
      ['pilot', 1163],
      ['trf', 65],
      ['trf', 66],
      ['trf', 68],
      ['trf', 137],
      ['jobdispatcher', 100],
      ['taskbuffer', 100],
      ['wnscript', 5318],
    ];
    for (const [component, code] of common) expect(kb.lookup(component, code)?.explanation, `${component}:${code}`).toMatch(/\w+ \w+.*\./);
  });

  it('answers 1150 as a looping job that should not be retried as is', () => {
    const entry = kb.lookup('pilot', 1150);
    expect(entry?.category).toBe('looping');
    expect(entry?.retry).toBe('no_retry');
    expect(entry?.explanation).toMatch(/looping/i);
  });

  it('classifies memory, walltime, stage-out and lost-heartbeat codes', () => {
    expect(kb.lookup('pilot', 1235)).toMatchObject({ category: 'resource-limit-memory', retry: 'retry_more_memory' });
    expect(kb.lookup('pilot', 1213)).toMatchObject({ category: 'resource-limit-walltime', retry: 'maybe' });
    expect(kb.lookup('pilot', 1137)).toMatchObject({ category: 'storage-stageout', retry: 'retry' });
    expect(kb.lookup('pilot', 1201)).toMatchObject({ category: 'killed-by-system', retry: 'retry' });
    expect(kb.lookup('jobdispatcher', 100)?.retry).toBe('retry');
  });

  it('lists a code defined by several components for each of them, current ones first', () => {
    const all100 = kb.lookupCode(100).map((e) => `${e.component}:${e.status}`);
    expect(all100.slice(0, 3)).toEqual(['jobdispatcher:current', 'taskbuffer:current', 'ddm:current']);
    expect(all100).toContain('exe:legacy');
    expect(kb.lookupCode(1).map((e) => e.component)).toEqual(['trf', 'supervisor']);
    expect(kb.lookupCode(987654)).toEqual([]);
  });

  it('offers the closest known codes for an unknown one', () => {
    expect(kb.nearest(1387, { component: 'pilot', limit: 2 }).map((e) => e.code)).toEqual([1386, 1385]);
  });
});

describe('extra descriptions', () => {
  it.skipIf(tables.missing)(`fills description from the seed's pilot and trf description files${tables.note}`, () => {
    const pilot = JSON.parse(readFileSync(pilotDescriptions, 'utf8')) as Record<string, string>;
    const trf = JSON.parse(readFileSync(trfDescriptions, 'utf8')) as Record<string, string>;
    expect(kb.lookup('pilot', 1150)?.description).toBe(pilot['1150']?.trim());
    expect(kb.lookup('trf', 65)?.description).toBe(trf['65']?.trim());
    for (const code of Object.keys(pilot)) expect(kb.lookup('pilot', Number(code))?.description, code).toBeTruthy();
    expect(createKnowledgeBase().lookup('pilot', 1150)?.description).toBeUndefined();
  });

  it('accepts component:path and rejects files it cannot attribute or parse', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-desc-'));
    temps.push(dir);
    const anonymous = path.join(dir, 'descriptions.json');
    writeFileSync(anonymous, JSON.stringify({ 100: 'The pilot stopped sending heartbeats.' }));
    const withPrefix = createKnowledgeBase({ extraDescriptionFiles: [`jobdispatcher:${anonymous}`] });
    expect(withPrefix.lookup('jobdispatcher', 100)?.description).toBe('The pilot stopped sending heartbeats.');
    expect(() => createKnowledgeBase({ extraDescriptionFiles: [anonymous] })).toThrow(ConfigError);
    const broken = path.join(dir, 'pilot_broken.json');
    writeFileSync(broken, '{"1150": ');
    expect(() => createKnowledgeBase({ extraDescriptionFiles: [broken] })).toThrow(/pilot_broken\.json/);
  });
});

describe('search', () => {
  it('finds "lost heartbeat"', () => {
    const hits = kb.search("what does 'lost heartbeat' mean?", 3);
    expect(hits[0]?.entry).toMatchObject({ component: 'jobdispatcher', code: 100 });
  });

  it('finds codes by message words and returns nothing for stopwords only', () => {
    expect(kb.search('looping job', 3)[0]?.entry.code).toBe(1150);
    expect(kb.search('CVMFS is not responding', 3)[0]?.entry.code).toBe(1377);
    expect(kb.search('what does it mean', 3)).toEqual([]);
  });
});

describe('codesFromJob', () => {
  it.skipIf(failuresDev.missing)(`reads every non-zero code of a payload failure, including the string transexitcode${failuresDev.note}`, () => {
    const codes = codesFromJob(readJob('6596620174'), kb);
    expect(codes.map((c) => c.errorKey)).toEqual(['pilot:1305', 'exe:65', 'trf:65']);
    expect(codes.map((c) => c.monitorKey)).toEqual(['pilot:1305', 'executor:65', 'transform:65']);
    expect(codes[1]?.diag).toContain('Non-zero return code from RAWtoALL');
    expect(codes[1]?.entry?.name).toBe('TRF_EXEC_FAIL');
    expect(codes[2]?.entry?.component).toBe('trf');
  });

  it.skipIf(failuresDev.missing)(`reads server codes with their diag${failuresDev.note}`, () => {
    const [code] = codesFromJob(readJob('6583389412'), kb);
    expect(code).toMatchObject({ component: 'jobdispatcher', code: 100, errorKey: 'jobdispatcher:100' });
    expect(code?.diag).toMatch(/^lost heartbeat/);
    expect(code?.entry?.name).toBe('EC_Watcher');
  });

  it('resolves wn-script codes in exeerrorcode and skips empty or non-numeric fields', () => {
    const codes = codesFromJob({ piloterrorcode: 1305, exeerrorcode: 5318, transexitcode: '', ddmerrorcode: null, superrorcode: 'n/a' }, kb);
    expect(codes.map((c) => c.errorKey)).toEqual(['pilot:1305', 'exe:5318']);
    expect(codes[1]?.entry?.component).toBe('wnscript');
  });
});

describe('rules for codes without hand-written advice', () => {
  it('infers categories from names and messages', () => {
    const infer = (component: 'pilot' | 'trf' | 'exe' | 'wnscript', code: number, name: string | null, message: string | null) =>
      inferAdvice({ component, code, name, message });
    expect(infer('trf', 0, 'OK', 'Successful exit')).toMatchObject({ category: 'unknown', retry: 'no_retry' });
    expect(infer('trf', 153, 'TRF_SIG_SIGXFSZ', 'Transform received signal SIGXFSZ').category).toBe('resource-limit-disk');
    expect(infer('pilot', 1185, null, 'Put error: Error running adler32 on the file in job workdir').category).toBe('storage-stageout');
    expect(infer('pilot', 1171, null, 'Get error: adler32 mismatch on input file').category).toBe('input-data-corrupt');
    expect(infer('exe', 10711, null, 'StoreGateSvc retrieve(default): No valid proxy for object').category).toBe('payload-software');
    expect(infer('exe', 63500, null, 'Transform execution timeout').category).toBe('resource-limit-walltime');
    expect(infer('wnscript', 146, 'EC_WGET', null).category).toBe('transient-network');
    expect(infer('pilot', 9999, 'SOMETHING', 'Entirely unexplained')).toMatchObject({ category: 'unknown', retry: 'maybe', rule: 'fallback' });
  });

  it('maps retry advice onto the diagnosis set retry_helps', () => {
    expect([retryHelps('retry'), retryHelps('avoid_site'), retryHelps('no_retry'), retryHelps('retry_more_memory'), retryHelps('maybe')]).toEqual([
      true,
      true,
      false,
      'maybe',
      'maybe',
    ]);
  });
});

describe('knowledge files', () => {
  it('refuses advice for a code that does not exist', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-res-'));
    temps.push(dir);
    copyFileSync(path.join(repoRoot, 'resources/knowledge/codes.json'), path.join(dir, 'codes.json'));
    const why = 'Invented for this test only.';
    writeFileSync(path.join(dir, 'advice.yaml'), `codes:\n  pilot:\n    4242: {category: unknown, retry: maybe, why: "${why}"}\nwnscriptByName: {}\n`);
    expect(() => createKnowledgeBase({ resourceDir: dir })).toThrow(/pilot:4242/);
  });

  it.skipIf(tables.missing)(`regenerates codes.json byte for byte from the shared tables${tables.note}`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-build-'));
    temps.push(dir);
    const out = path.join(dir, 'codes.json');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/build-knowledge.ts'), '--out', out], { cwd: repoRoot });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(repoRoot, 'resources/knowledge/codes.json'), 'utf8'));
  });
});
