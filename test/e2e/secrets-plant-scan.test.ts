/**
 * Plant and scan: secrets of every kind are planted in a job record, a task's jobs, a pilot log,
 * user messages and a support thread; the bot then answers through every outgoing path — chat
 * replies (user and expert view, task table), MCP results (text and structured), `/v1`, `job
 * --json`, the CLI job header, the LLM prompts (a model that repeats its whole prompt), memory,
 * the stored analyses, the discussion index and the log — and no planted secret may survive in any
 * output or in any file of the data directory. Files there are private (0600, directories 0700).
 */
// Loaded first on purpose (see test/unit/mcp-demo-core.ts).
import 'discord.js';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { privateUmask, secureDataDir } from '../../src/cli/data-dir.js';
import { register as registerIngest } from '../../src/cli/ingest-discussions.js';
import { register as registerJob } from '../../src/cli/job.js';
import { createMcpToolbox } from '../../src/cli/mcp-toolbox.js';
import { createServices, type Services } from '../../src/cli/services.js';
import { loadConfig } from '../../src/config.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Reply } from '../../src/contracts/reply.js';
import type { Core } from '../../src/core/pipeline.js';
import { createHttpAuth } from '../../src/http/auth.js';
import { registerOpenAiCompat } from '../../src/http/openai-compat.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { redact, secretSurvives } from '../../src/logs/index.js';
import { replyToMarkdown } from '../../src/wire/markdown.js';
import { toToolResult } from '../../src/mcp/server.js';
import { type FakeServer, startFakeOpenAI } from '../fakes/llm/index.js';
import { runInProcess } from '../support/cli.js';

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const JOB = 6601000005;
const TASK = 46200001;

const b64 = (n: number, seed: string): string => {
  let out = '';
  let x = [...seed].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += abc[(x >>> 16) % 64];
  }
  return out;
};

/** Every planted secret (the sensitive part only, as the evaluation defines it). */
const S = {
  jwt: `eyJraWQiOiJyc2ExIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJwbGFudGVkIiwiaXNzIjoiaHR0cHM6Ly9hdGxhcy1hdXRoLmNlcm4uY2gvIn0.${b64(86, 'jwt').replace(/[+/]/g, 'x')}`,
  urlPassword: 'Pl4nted~UrlPw9',
  accessToken: b64(40, 'access').replace(/[+/]/g, 'q'),
  refreshToken: `eyJhbGciOiJub25lIn0.eyJqdGkiOiJyZWZyZXNoLXBsYW50ZWQtdG9rZW4tMDAxIn0.`,
  pw: 'PwFieldS3cret77',
  bearer: b64(48, 'bearer').replace(/[+/]/g, 'z'),
  pemCert: [b64(64, 'c1'), b64(64, 'c2'), b64(40, 'c3')],
  pemKey: [b64(64, 'k1'), b64(64, 'k2'), b64(64, 'k3'), `${b64(30, 'k4')}==`],
  glpat: `glpat-${b64(20, 'gl').replace(/[+/]/g, 'g')}`,
  aws: 'AKIAPLANTEDKEY7Q2XZ4',
  sshpass: 'Ssh!Pass2Planted',
  userPassword: 'Hunter2!Planted',
  userToken: `ghp_${b64(36, 'ghp').replace(/[+/]/g, 'h')}`,
  threadSecret: `xoxb-11823080616-8807888877799-${b64(24, 'xoxb').replace(/[+/]/g, 'x')}`,
  taskBearer: b64(44, 'task').replace(/[+/]/g, 't'),
  base64Pem: Buffer.from(`-----BEGIN RSA PRIVATE KEY-----\n${b64(64, 'bp1')}\n${b64(64, 'bp2')}\n-----END RSA PRIVATE KEY-----\n`).toString('base64'),
};
const ALL_SECRETS: string[] = Object.values(S).flatMap((v) => (Array.isArray(v) ? v : [v]));

let work = '';
let pandaDir = '';
let dataDir = '';
let llm: FakeServer;
let services: Services;
let core: Core;
let http: HttpServer;
let v1 = '';
let env: Record<string, string> = {};
const logLines: string[] = [];
/** Every text the bot sent anywhere, labelled by path. */
const outputs: Array<{ path: string; text: string }> = [];
const record = (path: string, value: unknown) => outputs.push({ path, text: typeof value === 'string' ? value : JSON.stringify(value) });

function plant(): void {
  const jobFile = join(pandaDir, String(JOB), 'job.json');
  const raw = JSON.parse(readFileSync(jobFile, 'utf8')) as { job: Record<string, unknown> };
  raw.job.piloterrordiag = `${String(raw.job.piloterrordiag)} (server said: Authorization: Bearer ${S.jwt})`;
  raw.job.exeerrordiag = `stage-in via https://atlpilo1:${S.urlPassword}@dcache.example.org/pnfs failed; refresh_token=${S.refreshToken}`;
  raw.job.jobparameters = `--inDS mc23.EVNT --pw=${S.pw} --access_token ${S.accessToken} pw=${S.pw}`;
  raw.job.transformation = `https://oauth2:${S.glpat}@gitlab.cern.ch/atlas/trf.git`;
  writeFileSync(jobFile, JSON.stringify(raw));

  const logFile = join(pandaDir, String(JOB), 'pilotlog.txt');
  const stamp = '2025-03-12 08:22:21,455';
  const line = (level: string, msg: string) => `${stamp} | ${level.padEnd(8)} | pilot.control.data               | _stage_in                 | ${msg}`;
  const planted = [
    line('ERROR', `stage-in failed, proxy dump follows (X509_USER_PROXY=/tmp/x509up_u1000) aws=${S.aws}`),
    '-----BEGIN CERTIFICATE-----',
    ...S.pemCert,
    '-----END CERTIFICATE-----',
    '-----BEGIN RSA PRIVATE KEY-----',
    ...S.pemKey,
    '-----END RSA PRIVATE KEY-----',
    line(
      'ERROR',
      `retry with: sshpass -p '${S.sshpass}' scp file atlpilo1@lxplus.cern.ch: ; curl -H "Authorization: Bearer ${S.bearer}" https://pandaserver.cern.ch`,
    ),
    line('ERROR', `X509_PROXY_B64=${S.base64Pem}`),
    line('ERROR', `File transfer timed out during stage-in: token=${S.accessToken}`),
  ].join('\n');
  const log = readFileSync(logFile, 'utf8');
  writeFileSync(logFile, `${log.trimEnd()}\n${planted}\n`);

  const taskFile = join(pandaDir, 'tasks', `${TASK}.json`);
  const task = JSON.parse(readFileSync(taskFile, 'utf8')) as { jobs: unknown };
  const jobs = (Array.isArray(task.jobs) ? task.jobs : (task.jobs as { jobs: Array<Record<string, unknown>> }).jobs) as Array<Record<string, unknown>>;
  let n = 0;
  for (const j of jobs) {
    if (j.jobstatus !== 'failed' || n >= 40) continue;
    j.piloterrordiag = `Server returned 401 for Authorization: Bearer ${S.taskBearer} (${String(j.piloterrordiag ?? '')})`;
    n++;
  }
  writeFileSync(taskFile, JSON.stringify(task));
}

function message(text: string, thread: string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  const eventId = `${thread}-${Math.random().toString(36).slice(2)}`;
  return {
    platform: 'slack',
    workspace: 'T1',
    channel: 'C1',
    thread,
    messageId: eventId,
    user: 'U1',
    text,
    isDirect: false,
    mentionsBot: true,
    eventId,
    receivedAt: new Date(),
    ...extra,
  };
}

async function chat(text: string, thread: string, extra: Partial<IncomingMessage> = {}): Promise<Reply> {
  const reply = await core.handle(message(text, thread, extra));
  if (!reply) throw new Error('no reply');
  record(`chat ${text.slice(0, 40)}`, reply);
  record(`chat markdown ${text.slice(0, 40)}`, replyToMarkdown(reply, { images: 'alt' }));
  return reply;
}

async function cli(register: typeof registerJob, args: string[]): Promise<string> {
  // A one-shot command builds (and closes) its own services, as in its own process.
  const own = createServices({ loaded: loadConfig(env, { 'panda.dir': pandaDir }), logger: services.logger });
  const out = await runInProcess(register, () => own, args);
  record(`cli ${args.join(' ')}`, out);
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [join(dir, e.name), ...filesUnder(join(dir, e.name))] : [join(dir, e.name)],
  );
}

beforeAll(async () => {
  privateUmask();
  work = mkdtempSync(join(tmpdir(), 'askpanda-plant-'));
  pandaDir = join(work, 'panda');
  dataDir = join(work, 'data');
  cpSync(DEMO, pandaDir, { recursive: true });
  plant();
  secureDataDir(dataDir);
  // A model that repeats its whole prompt back: anything unredacted in a prompt would come back in the answer.
  llm = await startFakeOpenAI({
    fallback: (request) => {
      const messages = (request.body.messages ?? []) as Array<{ content?: unknown }>;
      return { text: messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n') };
    },
  });
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
  const logger = createLogger({ level: 'debug', redact, destination: sink });
  env = {
    ASKPANDA_DATA_DIR: dataDir,
    ASKPANDA_LLM_ANSWER: 'openai:gpt-4.1-mini',
    ASKPANDA_LLM_ANALYSIS: 'openai:gpt-4.1-mini',
    ASKPANDA_LLM_MAX_RETRIES: '0',
    OPENAI_API_KEY: 'sk-test-plant-and-scan-key-000000000000',
    OPENAI_BASE_URL: `${llm.url}/v1`,
  };
  services = createServices({ loaded: loadConfig(env, { 'panda.dir': pandaDir }), logger });
  ({ core } = createCoreWiring(services));
  http = createHttpServer({ host: '127.0.0.1', port: 0, logger });
  registerOpenAiCompat(http, {
    auth: createHttpAuth({ tokens: ['owui:plant-token-1234567890'], host: '127.0.0.1' }),
    handle: (m) => core.handle(m),
    render: (reply) => replyToMarkdown(reply, { images: 'inline' }),
    logger,
  });
  const { port } = await http.listen();
  v1 = `http://127.0.0.1:${port}/v1/chat/completions`;
}, 120_000);

afterAll(async () => {
  await http?.close();
  await llm?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('plant and scan: no secret leaves, none is stored', () => {
  it('answers through every path', async () => {
    // Chat: user view, expert button, task table, a user pasting secrets, a follow-up in that thread.
    await chat(`why did job ${JOB} fail?`, 't-job');
    await chat('', 't-job', { action: { id: 'expert', value: String(JOB) } });
    await chat(`how many jobs of task ${TASK} failed, and why?`, 't-task');
    await chat(`my grid password is ${S.userPassword} and my token is ${S.userToken} - why did job 6601000006 fail? sshpass -p '${S.sshpass}' works`, 't-user');
    await chat('and what should I do now?', 't-user');
    await chat(`/panda-job ${JOB}`, 't-slash', { command: { name: '/panda-job', args: String(JOB) } });

    // MCP tools: text and structured content.
    const toolbox = createMcpToolbox({ core, router: services.router(), kb: services.kb(), logger: services.logger });
    for (const [name, reply] of [
      ['analyze_job user', await toolbox.callTool('analyze_job', { pandaid: JOB, view: 'user' })],
      ['analyze_job expert', await toolbox.callTool('analyze_job', { pandaid: JOB, view: 'expert' })],
      ['task_summary', await toolbox.callTool('task_summary', { jeditaskid: TASK })],
      ['ask', await toolbox.ask(`my password is ${S.userPassword}, why did job ${JOB} fail?`, 'conv-1')],
    ] as const)
      record(`mcp ${name}`, toToolResult(reply, 12_000, 24_000));

    // The OpenAI-compatible endpoint.
    const res = await fetch(v1, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer plant-token-1234567890' },
      body: JSON.stringify({ model: 'askpanda', messages: [{ role: 'user', content: `token=${S.userToken} why did job ${JOB} fail?` }] }),
    });
    expect(res.status).toBe(200);
    record('/v1', await res.text());

    // One-shot CLI: job header, --json, --expert.
    await cli(registerJob, ['job', String(JOB)]);
    await cli(registerJob, ['job', String(JOB), '--json']);
    await cli(registerJob, ['job', String(JOB), '--expert']);

    // A support thread pasted with a token, ingested into the discussion index.
    const thread = {
      platform: 'slack',
      channel: { id: 'C0PLANT01', name: 'user-help', private: false },
      thread_id: 'p001',
      permalink: 'https://example.test/slack/C0PLANT01/p001',
      messages: [
        {
          id: 'p001-0',
          user: 'UASK',
          user_display: 'asker',
          ts: '2026-03-02T10:00:00Z',
          text: `my bot fails with SLACK_BOT_TOKEN=${S.threadSecret}, why?`,
          reactions: [],
        },
        {
          id: 'p001-1',
          user: 'UEXP',
          user_display: 'expert',
          ts: '2026-03-02T10:01:00Z',
          text: 'Rotate the token and use the signing secret from the app config.',
          reactions: [{ name: 'heavy_check_mark', users: ['UASK'] }],
        },
      ],
    };
    const exportFile = join(work, 'threads.jsonl');
    writeFileSync(exportFile, `${JSON.stringify(thread)}\n`);
    await cli(registerIngest, ['ingest-discussions', '--from', exportFile]);
    expect(outputs.length).toBeGreaterThan(10);
  }, 240_000);

  it('no planted secret survives in any reply, tool result, CLI output, LLM prompt or log line', () => {
    expect(llm.requests.length).toBeGreaterThan(0);
    // The planted secrets did reach the prompts' builders: they arrive redacted.
    expect(llm.requests.some((r) => JSON.stringify(r.body).includes('[REDACTED:pem]'))).toBe(true);
    const scanned = [
      ...outputs,
      ...llm.requests.map((r, i) => ({ path: `llm prompt ${i}`, text: JSON.stringify(r.body) })),
      { path: 'log', text: logLines.join('') },
    ];
    const leaks: string[] = [];
    for (const { path, text } of scanned) for (const secret of ALL_SECRETS) if (secretSurvives(secret, text)) leaks.push(`${path}: ${secret.slice(0, 12)}…`);
    expect(leaks).toEqual([]);
    // The answers are still useful: the job and its error are named.
    expect(outputs.find((o) => o.path.startsWith('chat why did job'))?.text).toContain(String(JOB));
  });

  it('no planted secret survives in any file of the data directory (memory, analyses, caches, index)', () => {
    const files = filesUnder(dataDir).filter((f) => statSync(f).isFile());
    expect(files.some((f) => f.endsWith('memory.sqlite'))).toBe(true);
    expect(files.some((f) => f.includes('job-analyses.sqlite'))).toBe(true);
    const leaks: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      const text = `${bytes.toString('utf8')}\n${bytes.toString('latin1')}`;
      for (const secret of ALL_SECRETS) if (secretSurvives(secret, text)) leaks.push(`${file.slice(dataDir.length)}: ${secret.slice(0, 12)}…`);
    }
    expect(leaks).toEqual([]);
  });

  it('data files are 0600 and directories 0700', () => {
    const open = filesUnder(dataDir)
      .map((f) => ({ f, mode: statSync(f).mode & 0o777 }))
      .filter(({ mode }) => (mode & 0o077) !== 0)
      .map(({ f, mode }) => `${f.slice(dataDir.length)} ${mode.toString(8)}`);
    expect(open).toEqual([]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});
