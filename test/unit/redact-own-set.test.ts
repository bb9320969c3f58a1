/**
 * The project's own redaction corpus (test/fixtures/secrets-own, ≥ 300 items written by
 * make_secrets_own.py from the list of kinds): `askpanda eval secrets` is run on it as a
 * user would, and its predictions are scored here independently of the CLI's own scorer, with the
 * measures of ../shared/eval/score_discussions.py `redact`:
 * - a secret survives if the text still holds it whole or any 16-character slice of it (shorter
 *   secrets must be gone whole); recall = secrets that do not survive / all secrets;
 * - over-redaction = keep strings no longer present verbatim / all keep strings;
 * - a missing prediction counts as the unredacted text.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT as ROOT, SPAWNED_CLI_TIMEOUT_MS, spawnCli } from '../support/cli.js';

const DIR = join(ROOT, 'test/fixtures/secrets-own');
const CORPUS = join(DIR, 'secrets-own.jsonl');
const WINDOW = 16;

interface Item {
  id: string;
  text: string;
  secrets: string[];
  keep: string[];
  kinds: string[];
}

const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

function survives(secret: string, text: string): boolean {
  if (text.includes(secret)) return true;
  if (secret.length <= WINDOW) return false;
  for (let i = 0; i + WINDOW <= secret.length; i++) if (text.includes(secret.slice(i, i + WINDOW))) return true;
  return false;
}

function score(items: Item[], predictions: Array<{ id: string; text: string }>) {
  const predicted = new Map(predictions.map((p) => [p.id, p.text]));
  let secrets = 0;
  let removed = 0;
  let keep = 0;
  let lost = 0;
  const failures: string[] = [];
  const byKind = new Map<string, [number, number]>();
  for (const item of items) {
    const text = predicted.get(item.id) ?? item.text;
    for (const s of item.secrets) {
      secrets++;
      const gone = !survives(s, text);
      if (gone) removed++;
      else failures.push(`${item.id} secret ${s.slice(0, 6)}… survives`);
      for (const kind of item.kinds.length ? item.kinds : ['?']) {
        const k = byKind.get(kind) ?? [0, 0];
        byKind.set(kind, [k[0] + (gone ? 1 : 0), k[1] + 1]);
      }
    }
    for (const k of item.keep) {
      keep++;
      if (!text.includes(k)) {
        lost++;
        failures.push(`${item.id} keep ${JSON.stringify(k)} lost`);
      }
    }
  }
  return { recall: removed / secrets, overRedaction: lost / keep, missing: items.filter((i) => !predicted.has(i.id)).length, failures, byKind };
}

const out = mkdtempSync(join(tmpdir(), 'askpanda-secrets-own-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const evalSecrets = (file: string, pred: string) => spawnCli(['eval', 'secrets', file, '--out', pred], { ASKPANDA_DATA_DIR: out, ASKPANDA_LOG_LEVEL: 'error' });

describe('the project’s own redaction corpus', () => {
  const items = readJsonl<Item>(CORPUS);

  it('has at least 300 items covering every kind the issue lists, GitLab token families and password flags in many variants', () => {
    expect(items.length).toBeGreaterThanOrEqual(300);
    const kinds = new Set(items.flatMap((i) => i.kinds));
    for (const kind of [
      'gitlab_token',
      'password_flag',
      'github_token',
      'slack_token',
      'rucio_token',
      'jwt',
      'x509_proxy',
      'private_key',
      'password_config',
      'netrc',
      'pgpass',
      'docker_auths',
      'htpasswd',
      'git_credentials',
      'env_token',
    ])
      expect(kinds, kind).toContain(kind);
    const gitlab = items.filter((i) => i.kinds.includes('gitlab_token')).flatMap((i) => i.secrets);
    for (const prefix of ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-', 'gloas-', 'glcbt-', 'glimt-', 'glagent-', 'glffct-', 'glft-', 'GR1348941'])
      expect(
        gitlab.some((s) => s.startsWith(prefix)),
        prefix,
      ).toBe(true);
    expect(items.filter((i) => i.kinds.includes('password_flag')).length).toBeGreaterThanOrEqual(100);
    expect(items.filter((i) => i.secrets.length === 0).length).toBeGreaterThanOrEqual(30);
  });

  it.skipIf(spawnSync('python3', ['--version']).status !== 0)('is what its generator writes (fixed seed)', () => {
    const generated = spawnSync('python3', [join(DIR, 'make_secrets_own.py')], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(generated.status).toBe(0);
    expect(generated.stdout).toBe(readFileSync(CORPUS, 'utf8'));
  });

  it(
    '`askpanda eval secrets` on it: recall 1.0 and over-redaction ≤ 0.02, scored independently of the CLI',
    async () => {
      const pred = join(out, 'pred.jsonl');
      const run = await evalSecrets(CORPUS, pred);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('redaction_recall: 1.0000');
      const s = score(items, readJsonl<{ id: string; text: string }>(pred));
      expect(s.missing).toBe(0);
      expect(s.failures).toEqual([]);
      expect(s.recall).toBe(1);
      expect(s.overRedaction).toBeLessThanOrEqual(0.02);
      expect(s.byKind.get('gitlab_token')?.[1]).toBeGreaterThanOrEqual(60);
    },
    SPAWNED_CLI_TIMEOUT_MS,
  );
});
