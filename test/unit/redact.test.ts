import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readItems, scoreRedaction } from '../../src/cli/eval-secrets.js';
import { redact, redactDeep, redactLines } from '../../src/logs/index.js';
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

  it('redacts a PEM block kept line by line whole, also its short last line and a tail whose BEGIN was cut', () => {
    const body = ['MIIEpAIBAAKCAQEA1x2y3z4A5B6C7D8E9F0G1H2I3J4K5L6M7N8O9P0Q1R2S3T4', 'abcdEFGHijklMNOPqrst==', 'that is all'];
    expect(redactLines(['-----BEGIN RSA PRIVATE KEY-----', ...body])).toEqual([
      '-----BEGIN RSA PRIVATE KEY-----',
      '[REDACTED:pem]',
      '[REDACTED:pem]',
      'that is all',
    ]);
    expect(redactLines(['x', 'Zm9vYmFyYmF6cXV4MTIz==', '-----END RSA PRIVATE KEY-----'])).toEqual(['x', '[REDACTED:pem]', '-----END RSA PRIVATE KEY-----']);
    const lines = redactDeep([
      { n: 7, text: '-----BEGIN CERTIFICATE-----' },
      { n: 8, text: 'MIIC9DCCAcygAwIBAgIQkJQPhy5qOa3MzNrPE' },
      { n: 9, text: '-----END CERTIFICATE-----' },
    ]);
    expect(lines.map((l) => l.text)).toEqual(['-----BEGIN CERTIFICATE-----', '[REDACTED:pem]', '-----END CERTIFICATE-----']);
  });

  it('finds credentials of common tools and credential files, and leaves look-alikes alone', () => {
    expect(redact("sshpass -p 'Xy7!abcQ' ssh host")).toBe("sshpass -p '[REDACTED:password]' ssh host");
    expect(redact('mysql -u reader -pS3cretPw db')).toBe('mysql -u reader -p[REDACTED:password] db');
    expect(redact('docker run -p 8080:80 image')).toBe('docker run -p 8080:80 image');
    expect(redact('machine host.cern.ch login jdoe password Zq9xWv3t')).toBe('machine host.cern.ch login jdoe password [REDACTED:password]');
    expect(redact('db.cern.ch:5432:panda:reader:Pq8rS7tU')).toBe('db.cern.ch:5432:panda:reader:[REDACTED:password]');
    expect(redact('"auth": "YXRsYXNib3Q6UzNjcmV0UGFzcw=="')).toBe('"auth": "[REDACTED:token]"');
    expect(redact('X509_USER_PROXY=/tmp/x509up_u1000')).toBe('X509_USER_PROXY=/tmp/x509up_u1000');
    expect(redact("acopytools={'pr': ['rucio'], 'pw': ['rucio']}")).toBe("acopytools={'pr': ['rucio'], 'pw': ['rucio']}");
    expect(redact("mysqldump -u root -p'Xy7!abc' db")).toBe("mysqldump -u root -p'[REDACTED:password]' db");
    expect(redact("curl -u user:'p w!' https://x.cern.ch")).toBe("curl -u user:'[REDACTED:password]' https://x.cern.ch");
    expect(redact('--password=$ecret9X and PASS=$DB_PASS')).toBe('--password=[REDACTED:password] and PASS=$DB_PASS');
    expect(redact('glpat-abcdefghij0123456789.01.1a2b3c4d5')).toBe('[REDACTED:gitlab_token]');
  });

  it('reads commands the way people paste them: quoted inside ssh/sh -c, in backticks, in argument lists, behind sshpass', () => {
    expect(redact('ssh db01 "mysqldump -u root -pS3cr%t9x panda > /tmp/p.sql"')).toBe('ssh db01 "mysqldump -u root -p[REDACTED:password] panda > /tmp/p.sql"');
    expect(redact("sh -c 'redis-cli -a Zq8!vR2p ping'")).toBe("sh -c 'redis-cli -a [REDACTED:password] ping'");
    expect(redact('I ran `mysql -u x -pQ7#abcde -h db` and got denied')).toBe('I ran `mysql -u x -p[REDACTED:password] -h db` and got denied');
    expect(redact('subprocess.run(["mysql", "-u", "x", "-pQ7#abcde"])')).toBe('subprocess.run(["mysql", "-u", "x", "-p[REDACTED:password]"])');
    expect(redact('"args": ["--db-host", "db01", "--password", "Q7#abcde"]')).toBe('"args": ["--db-host", "db01", "--password", "[REDACTED:password]"]');
    expect(redact('sshpass -p Xy7!abcQ ssh -p 2222 u@h')).toBe('sshpass -p [REDACTED:password] ssh -p 2222 u@h');
    expect(redact('mysql -u x -p Q7#abcde -h db')).toBe('mysql -u x -p [REDACTED:password] -h db');
    expect(redact('mysql -u x -p panda')).toBe('mysql -u x -p panda');
    expect(redact('curl -ujdoe:Q7#abcde https://h/x')).toBe('curl -ujdoe:[REDACTED:password] https://h/x');
    expect(redact('gpg --batch --passphrase Q7#abcde -d s.gpg')).toBe('gpg --batch --passphrase [REDACTED:password] -d s.gpg');
    const warning = 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.';
    expect(redact(warning)).toBe(warning);
    expect(redact('X-Rucio-Auth-Token: jdoe-/DC=ch/OU=Organic Units/CN=jdoe-unknown-0123456789abcdef0123456789abcdef\nnext')).toBe(
      'X-Rucio-Auth-Token: [REDACTED:rucio_token]\nnext',
    );
    expect(redact('"auth": "dGFuYWthOjAqeXAqaUlPNQ=="')).toBe('"auth": "[REDACTED:token]"');
  });
});
