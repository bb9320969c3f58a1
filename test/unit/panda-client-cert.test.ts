import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AskPandaError } from '../../src/errors.js';
import { createMonitorClient } from '../../src/panda/index.js';

/** A monitor behind TLS that requires a client certificate signed by a test CA (made with openssl). */
describe('monitor client with a client certificate or X.509 proxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-x509-'));
  const path = (name: string): string => join(dir, name);
  let server: Server;
  let url: string;

  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  beforeAll(async () => {
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Test CA');
    writeFileSync(path('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '1',
      '-extfile',
      'san.ext',
    );
    openssl('req', ...ec, '-keyout', 'user.key', '-out', 'user.csr', '-subj', '/CN=Jane Doe');
    openssl('x509', '-req', '-in', 'user.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'user.pem', '-days', '1');
    writeFileSync(path('x509up'), `${readFileSync(path('user.pem'), 'utf8')}${readFileSync(path('user.key'), 'utf8')}`);
    server = createServer(
      {
        key: readFileSync(path('server.key')),
        cert: readFileSync(path('server.pem')),
        ca: readFileSync(path('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const body = JSON.stringify({ job: { pandaid: 1, jobstatus: 'failed', produsername: peer.subject?.CN ?? null }, files: [] });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('presents the certificate and key files', async () => {
    const client = createMonitorClient({ baseUrl: url, certFile: path('user.pem'), keyFile: path('user.key'), caFile: path('ca.pem') });
    try {
      expect((await client.getJob(1)).job.produsername).toBe('Jane Doe');
    } finally {
      await client.close();
    }
  });

  it('presents an X.509 proxy file (certificate and key in one PEM)', async () => {
    const client = createMonitorClient({ baseUrl: url, proxyFile: path('x509up'), caFile: path('ca.pem') });
    try {
      expect((await client.getJob(1)).job.produsername).toBe('Jane Doe');
    } finally {
      await client.close();
    }
  });

  it('fails clearly without a certificate', async () => {
    const client = createMonitorClient({ baseUrl: url, caFile: path('ca.pem'), retries: 0 });
    try {
      const error = (await client.getJob(1).catch((e: unknown) => e)) as AskPandaError;
      expect(error).toBeInstanceOf(AskPandaError);
      expect(error.code).toBe('upstream_unreachable');
      expect(error.message).toMatch(new RegExp(`^The monitor at ${url.replace(/\./g, '\\.')} could not be reached when fetching job 1 \\(.+\\)\\.$`));
    } finally {
      await client.close();
    }
  });
});
