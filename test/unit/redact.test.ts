import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readItems, scoreRedaction } from '../../src/cli/eval-secrets.js';
import { redact, redactDeep } from '../../src/logs/index.js';
import { needShared, sharedPath } from '../support/shared.js';

const secretsDev = needShared('eval/secrets-dev.jsonl');
const failuresDev = needShared('eval/failures-dev');
const extra = new URL('../fixtures/logs/secrets-extra.jsonl', import.meta.url);

function score(file: string) {
  const items = readItems(file);
  return scoreRedaction(items, new Map(items.map((it) => [it.id, redact(it.text)])));
}

describe('redact', () => {
  it.skipIf(secretsDev.missing)(`meets the targets on secrets-dev: recall 1.0, over-redaction ≤ 0.02${secretsDev.note}`, () => {
    const s = score(sharedPath('eval/secrets-dev.jsonl'));
    expect(s.surviving).toEqual([]);
    expect(s.recall).toBe(1);
    expect(s.overRedaction).toBeLessThanOrEqual(0.02);
  });

  it('removes the secrets of the project’s own extra cases and keeps their identifiers', () => {
    const s = score(extra.pathname);
    expect(s.surviving).toEqual([]);
    expect(s.lost).toEqual([]);
  });

  it('decides by context: a 32-hex value is a secret after signing_secret and an md5 elsewhere', () => {
    const out = redact('SLACK_SIGNING_SECRET=743669c181526d9a6231aaa5d828c73e\n# md5 d103fac2abc971d6aaafa2f02294af98');
    expect(out).toContain('SLACK_SIGNING_SECRET=[REDACTED:secret]');
    expect(out).toContain('md5 d103fac2abc971d6aaafa2f02294af98');
  });

  it('keeps PEM BEGIN/END lines and drops the body, also when the END line is missing', () => {
    const out = redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1x2y3z4A5B6C7D8E9F0G1H2I3J4K5L6\nabcdEFGHijklMNOPqrstUVWXyz0123456789ab\nthat is all');
    expect(out).toBe('-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:pem]\nthat is all');
  });

  it('is idempotent and leaves already-masked values and job fields alone', () => {
    const text = "Authorization: Bearer <redacted> prodDBlockToken=NULL destinationDBlockToken=dst:CERN-PROD_DATADISK password: '[REDACTED:password]'";
    expect(redact(text)).toBe(text);
    const once = redact('curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345" https://x.cern.ch');
    expect(redact(once)).toBe(once);
  });

  it.skipIf(failuresDev.missing)(`leaves the pilot logs of the diagnosis set unchanged (no false positives in real log lines)${failuresDev.note}`, () => {
    for (const id of ['6544471063', '6583389412', '6596620174']) {
      const log = readFileSync(sharedPath(`eval/failures-dev/${id}/pilotlog.txt`), 'utf8');
      expect(redact(log)).toBe(log);
    }
  });

  it('redacts every string of a nested value', () => {
    expect(redactDeep({ a: ['token=abcdef0123456789abcdef'], b: 3 })).toEqual({ a: ['token=[REDACTED:token]'], b: 3 });
  });
});
