/**
 * The job answer a person reads: cause before code, the decisive lines in the user view, one retry
 * verdict (tied to PanDA's retry rules and the job's and task's history), the LLM checked against
 * the evidence. Cases are built in a temp directory and read through the real file source.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/console/render.js';
import { signatureVerdict, whyMarkdown } from '../../agents/data/task-render.js';
import type { TaskTriage } from '../../agents/data/task-triage.js';
import { isDestructive, safeAdvice } from '../../agents/logs/advice-filter.js';
import { diagnose } from '../../agents/logs/diagnose.js';
import { earlierAttempts } from '../../agents/logs/history.js';
import { analyseOffline, createJobAgent, renderExpertView, renderUserView } from '../../agents/logs/index.js';
import type { JobRecord } from '../../src/contracts/panda.js';
import type { Reply } from '../../src/contracts/reply.js';
import { adviceContradicts, CATEGORIES, codesFromJob, createKnowledgeBase, inferAdvice, RETRY_LABELS, retryVerdict } from '../../src/knowledge/index.js';
import { runFailureEval, scoreCase } from '../../src/cli/eval-failures.js';
import { createFileSource } from '../../src/panda/index.js';
import { pilotMessage as pilotMessageOf } from '../../src/logs/index.js';
import { createFakeLlm } from '../doubles/fake-llm.js';
import { pilotLineOn, readyToTransfer, receivedJob } from '../support/pilot-log.js';

const kb = createKnowledgeBase();
const tmp = mkdtempSync(join(tmpdir(), 'job-diagnosis-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let nextId = 7200000001;

const pilotLine = pilotLineOn('2026-03-02');

const QUIET_PILOT = [
  receivedJob(pilotLine),
  pilotLine('10:00:05', 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
  pilotLine('10:00:06', 'ERROR', 'pilot.util.tracereport', 'send', 'tracing failed: [Errno 110] Connection timed out'),
  pilotLine(
    '10:05:00',
    'INFO',
    'pilot.user.atlas.memory',
    'memory_usage',
    'max memory (maxPSS) used by the payload is within the allowed limit: 812000 kB <= 4096000 kB (subresource=SCORE)',
  ),
  pilotLine('10:09:00', 'WARNING', 'pilot.control.payload', 'perform_initial_payload_error_analysis', 'main payload execution returned non-zero exit code: 1'),
];

interface CaseSpec {
  job?: Record<string, unknown>;
  pilot?: string[];
  payload?: string[];
}

/** Writes one case folder (failures-dev format) and returns its directory and id. */
function makeCase(spec: CaseSpec): { dir: string; id: number } {
  const id = nextId++;
  const dir = join(tmp, String(id));
  mkdirSync(join(dir, String(id)), { recursive: true });
  const job = {
    pandaid: id,
    jeditaskid: 47000001,
    jobstatus: 'failed',
    computingsite: 'ANALY_DESY-HH',
    prodsourcelabel: 'user',
    transformation: 'http://pandaserver.cern.ch:25085/trf/user/runGen-00-00-02',
    jobname: `user.someone.47000001.${id}`,
    attemptnr: 1,
    maxattempt: 5,
    corecount: 1,
    minramcount: 2000,
    maxpss: 812000,
    maxrss: 900000,
    piloterrorcode: 1305,
    piloterrordiag: 'Failed to execute payload',
    transexitcode: '1',
    exeerrorcode: 0,
    exeerrordiag: '',
    creationtime: '2026-03-02 09:00:00',
    modificationtime: '2026-03-02 10:10:00',
    ...spec.job,
  };
  writeFileSync(join(dir, String(id), 'job.json'), JSON.stringify({ job, files: [], dsfiles: [] }));
  writeFileSync(join(dir, String(id), 'pilotlog.txt'), `${(spec.pilot ?? QUIET_PILOT).join('\n')}\n`);
  if (spec.payload) writeFileSync(join(dir, String(id), 'payload.stdout'), `${spec.payload.join('\n')}\n`);
  return { dir, id };
}

async function userView(spec: CaseSpec): Promise<{ reply: Reply; shown: string; text: string }> {
  const { dir, id } = makeCase(spec);
  const reply = await createJobAgent({ panda: createFileSource(dir), kb }).answer({
    text: `why did job ${id} fail?`,
    route: { intent: 'job', entities: { pandaid: id }, confidence: 1, by: 'rules' },
    message: { workspace: 'local' },
    history: [],
  } as never);
  const shown = renderReply(reply, { color: false, width: 100 });
  return { reply, shown, text: shown.replace(/\s+/g, ' ') };
}

const diagnosisOf = (reply: Reply) => (reply.data as { diagnosis: ReturnType<typeof diagnose> }).diagnosis;

describe('one source of truth: explanation, what to do and retry never disagree', () => {
  it('every knowledge-base entry, rendered without logs, says one retry verdict', () => {
    let checked = 0;
    for (const entry of kb.all()) {
      if (entry.code === 0) continue;
      const job = {
        pandaid: 7299999999,
        jobstatus: 'failed',
        attemptnr: 1,
        maxattempt: 3,
        prodsourcelabel: 'managed',
        piloterrorcode: 0,
        piloterrordiag: '',
        exeerrorcode: 0,
        exeerrordiag: '',
        transexitcode: '0',
      } as unknown as JobRecord;
      const codes = codesFromJob(job, kb).concat([
        {
          component: entry.component,
          field: 'x',
          code: entry.code,
          diag: entry.message ?? '',
          errorKey: `${entry.component}:${entry.code}`,
          monitorKey: '',
          entry,
        },
      ]);
      const d = diagnose(job, codes, []);
      const reply = renderUserView({ diagnosis: d, llm: null, model: null, context: '', notices: [], createdAt: '' }, { jobUrl: null });
      const markdown = reply.blocks.flatMap((b) => (b.kind === 'markdown' ? [b.text] : [])).join('\n');
      const whatHappened = d.explanation;
      const todo = d.todo.join(' ');
      expect(adviceContradicts(whatHappened, d.retry), `${entry.component}:${entry.code} explanation vs ${d.retry}`).toEqual([]);
      expect(adviceContradicts(todo, d.retry), `${entry.component}:${entry.code} todo vs ${d.retry}`).toEqual([]);
      expect(markdown).toContain(`**Retry:** ${RETRY_LABELS[d.retry]}`);
      for (const other of Object.values(RETRY_LABELS).filter((l) => l !== RETRY_LABELS[d.retry])) expect(markdown).not.toContain(other);
      expect(d.retryHelps).toBe(d.verdict.helps);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('every category reaches the renderer with advice that fits its verdict', async () => {
    const seen = new Set<string>();
    for (const entry of kb.all()) {
      if (seen.has(entry.category) || entry.code === 0) continue;
      seen.add(entry.category);
      // The payload categories follow who wrote the code: a production job for the software's, a user job otherwise.
      const prodsourcelabel = entry.category === 'payload-software' ? 'managed' : 'user';
      const job = { pandaid: 7299999998, jobstatus: 'failed', attemptnr: 2, maxattempt: 2, prodsourcelabel } as unknown as JobRecord;
      const d = diagnose(job, [{ component: entry.component, field: 'x', code: entry.code, diag: '', errorKey: '', monitorKey: '', entry }], []);
      const text = renderReply(renderUserView({ diagnosis: d, llm: null, model: null, context: '', notices: [], createdAt: '' }, { jobUrl: null }), {
        color: false,
        width: 100,
      });
      expect(d.category).toBe(entry.category);
      expect(adviceContradicts(text.replace(/\*\*Retry:\*\*.*$/m, ''), d.retry), `${entry.component}:${entry.code}`).toEqual([]);
      expect(text).toContain('the last one: PanDA will not retry it automatically');
    }
    expect([...seen].sort()).toEqual(CATEGORIES.filter((c) => seen.has(c)).sort());
    expect(seen.size).toBeGreaterThanOrEqual(13);
  });
});

describe('cause before code', () => {
  it('a 1305 whose payload lost the CVMFS mount is a site problem: retry elsewhere, not "fix your code"', async () => {
    const { reply, text } = await userView({
      payload: [
        'Setting up release',
        'Traceback (most recent call last):',
        '  File "/srv/run.py", line 12, in <module>',
        "OSError: [Errno 107] Transport endpoint is not connected: '/cvmfs/atlas.cern.ch/repo/sw'",
        '--- user script exited with 1 ---',
      ],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retry, d.retryHelps, d.cause.from]).toEqual(['site-infrastructure', 'avoid_site', true, 'evidence']);
    expect(text).toContain('Transport endpoint is not connected');
    expect(text).not.toMatch(/fix (?:your|the) code/i);
    expect(text).toContain(RETRY_LABELS.avoid_site);
  });

  it('Frontier unreachable in a 1305 is a conditions-service outage: retry', async () => {
    const { reply } = await userView({
      job: { prodsourcelabel: 'managed', transformation: 'Reco_tf.py' },
      payload: ['IOVDbSvc            ERROR   Frontier: connection to http://frontier.example:8000/atlr failed: Connection refused', 'Transform exit code 65'],
    });
    expect([diagnosisOf(reply).category, diagnosisOf(reply).retryHelps]).toEqual(['transient-network', true]);
  });

  it('a user exception shows the exception and its last frame, not "user script exited with 1"', async () => {
    const { reply, shown } = await userView({
      payload: [
        'Traceback (most recent call last):',
        '  File "/srv/workDir/run_analysis.py", line 14, in <module>',
        '    main()',
        '  File "/srv/workDir/MyAnalysis/selection.py", line 88, in process',
        "    pt = event['jet_pt_nominal']",
        "KeyError: 'jet_pt_nominal'",
        '--- user script exited with 1 ---',
      ],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retry]).toEqual(['payload-user-error', 'no_retry']);
    const view = shown.split('Category   :')[0] ?? '';
    expect(view).toContain("KeyError: 'jet_pt_nominal'");
    expect(view).toContain('File "/srv/workDir/MyAnalysis/selection.py", line 88, in process');
    expect(d.decisive.map((l) => l.text)).not.toContain('--- user script exited with 1 ---');
  });
});

describe('short logs and job-control lines', () => {
  it('a payload.stdout of a few hundred bytes goes into the context whole', async () => {
    const payload = ['hostname wn042', 'setting up', 'reading input.txt', 'ERROR: no events selected, check the cut file', '--- user script exited with 2 ---'];
    const { dir, id } = makeCase({ payload });
    const panda = createFileSource(dir);
    const { job } = await panda.getJob(id);
    const offline = await analyseOffline({ panda, kb }, job);
    for (const line of payload) expect(offline.context).toContain(line);
    expect(offline.extractions.find((e) => e.source === 'payload.stdout')?.whole).toBe(true);
  });

  it('bash "Killed" with memory far below the limit is a kill from outside, not a crash', async () => {
    const { reply, text } = await userView({
      job: { transexitcode: '137' },
      payload: ['Processing events...', 'Event 1200 processed', '/srv/runGen.sh: line 212: 48121 Killed                  python3 run_analysis.py'],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retryHelps]).toEqual(['killed-by-system', true]);
    expect(text).toContain('line 212: 48121 Killed');
    expect(text).not.toMatch(/software crash/i);
  });

  it('bash "Terminated" (SIGTERM from outside, exit 143) is evidence of a kill from outside, quoted in the user view', async () => {
    const { reply, text } = await userView({
      job: { transexitcode: '143' },
      payload: ['Processing event 310 of 5000', 'bash: line 1: 48121 Terminated              python3 run_analysis.py', '--- user script exited with 143 ---'],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retryHelps]).toEqual(['killed-by-system', true]);
    expect(text).toContain('48121 Terminated python3 run_analysis.py');
    expect(text).toContain('Processing event 310 of 5000');
  });

  it('the same kill with memory at the limit, or an OOM line, is memory', async () => {
    const atLimit = await userView({
      job: { transexitcode: '137', maxpss: 4000000 },
      payload: ['Processing events...', 'Killed'],
    });
    expect(diagnosisOf(atLimit.reply).category).toBe('resource-limit-memory');
    const oom = await userView({
      job: { transexitcode: '137' },
      payload: ['Processing events...', 'Memory cgroup out of memory: Killed process 48121 (python3) total-vm:8123456kB', 'Killed'],
    });
    expect([diagnosisOf(oom.reply).category, diagnosisOf(oom.reply).retry]).toEqual(['resource-limit-memory', 'retry_more_memory']);
    expect(oom.text).toContain('Memory cgroup out of memory');
    expect(oom.text).toContain('increase_memory');
  });

  it('"Segmentation fault" from bash job control in a production job is a software crash', async () => {
    const { reply, text } = await userView({
      job: { prodsourcelabel: 'managed', transformation: 'Reco_tf.py', transexitcode: '139' },
      payload: ['AthenaEventLoopMgr  INFO  start processing event #8123', 'bash: line 1: 31337 Segmentation fault      (core dumped) athena.py jobOptions.py'],
    });
    expect([diagnosisOf(reply).category, diagnosisOf(reply).retry]).toEqual(['payload-software', 'no_retry']);
    expect(text).toContain('Segmentation fault');
  });

  it('a looping job shows the last "files were last touched" line, not the first', async () => {
    const pilot = [receivedJob(pilotLine)];
    for (let m = 3; m < 9; m++)
      pilot.push(
        pilotLine(
          `10:${String(m + 10)}:00`,
          'INFO',
          'pilot.util.loopingjob',
          'looping_job',
          `files were last touched 0h ${m}m 1s ago (current time: 1772000000)`,
        ),
      );
    pilot.push(pilotLine('12:30:00', 'INFO', 'pilot.util.loopingjob', 'looping_job', 'files were last touched 2h 13m 2s ago (current time: 1772009000)'));
    pilot.push(
      pilotLine('12:30:01', 'CRITICAL', 'pilot.util.loopingjob', 'kill_looping_job', 'pilot has decided to kill looping job 1 at 2026-03-02T12:30:01+00:00'),
    );
    const { text } = await userView({ job: { piloterrorcode: 1150, piloterrordiag: 'Looping job killed by pilot', transexitcode: '0' }, pilot });
    expect(text).toContain('files were last touched 2h 13m 2s ago');
    expect(text).not.toContain('files were last touched 0h 3m 1s ago');
    expect(text).toContain('pilot has decided to kill looping job');
  });
});

describe('the decisive lines: what proves the cause, not a step the pilot recovered from', () => {
  /** A stage-in whose first try failed and whose second went through, then the payload. */
  const recoveredStageIn = (first: string) => [
    receivedJob(pilotLine),
    readyToTransfer(pilotLine, '10:00:01', 'stage-in', 'AOD.1._000001.pool.root.1'),
    first,
    pilotLine('10:00:40', 'INFO', 'pilot.copytool.rucio', '_download_item', 'File AOD.1._000001.pool.root.1 successfully downloaded from SITE_DATADISK'),
    pilotLine('10:00:41', 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
    ...QUIET_PILOT.slice(3),
  ];
  const TRANSIENT = [
    pilotLine(
      '10:00:10',
      'WARNING',
      'pilot.api.data',
      'transfer_files',
      'copy of AOD.1._000001.pool.root.1 failed: [Errno 104] Connection reset by peer (will retry)',
    ),
    pilotLine(
      '10:00:10',
      'ERROR',
      'pilot.copytool.rucio',
      'copy_in',
      'Server responded with an error: [3012] Operation expired on davs://se.example.org:443/atlas',
    ),
    pilotLine('10:00:10', 'ERROR', 'pilot.api.data', 'transfer', 'copytool rucio failed: timeout after 600 s talking to se.example.org'),
  ];

  for (const first of TRANSIENT) {
    it(`a killed payload shows where it stopped and the kill, never the recovered stage-in line (${pilotMessageOf(first).slice(0, 40)}…)`, async () => {
      const { reply, shown } = await userView({
        job: { transexitcode: '137' },
        pilot: recoveredStageIn(first),
        payload: [
          '=== start ===',
          'Processing event 5706 of 10000',
          '/srv/payload.sh: line 89: 20174 Killed                  python3 analysis.py',
          '--- user script exited with 137 ---',
        ],
      });
      const d = diagnosisOf(reply);
      expect([d.category, d.retryHelps]).toEqual(['killed-by-system', true]);
      const view = shown.split('Category   :')[0] ?? '';
      expect(view).toContain('Processing event 5706 of 10000');
      expect(view).toContain('20174 Killed');
      expect(view).not.toContain(pilotMessageOf(first).slice(0, 30));
      expect(d.decisive.every((l) => l.source !== 'pilotlog.txt' || !/stage-in|copy|copytool/.test(l.text))).toBe(true);
    });
  }

  it('a short payload output whose message has no ERROR keyword: its last words before the exit are quoted', async () => {
    const { reply, shown } = await userView({
      job: { transexitcode: '2' },
      pilot: recoveredStageIn(TRANSIENT[0] as string),
      payload: [
        '=== start ===',
        'setup ok',
        "no input files matched 'data/*.root', nothing to do",
        'giving up: empty input list',
        '--- user script exited with 2 ---',
      ],
    });
    const view = shown.split('Category   :')[0] ?? '';
    expect(view).toContain("no input files matched 'data/*.root', nothing to do");
    expect(view).toContain('giving up: empty input list');
    expect(view).not.toContain('(will retry)');
    expect(diagnosisOf(reply).category).toBe('payload-user-error');
  });

  it('a killed payload quotes one exit report at most, and the reply does not repeat the code message as "Reported"', async () => {
    const { reply, shown } = await userView({
      job: { transexitcode: '137', exeerrorcode: 137 },
      payload: ['Event loop started', 'Processing event 4505 of 10000', 'bash: line 1: 42201 Killed                  ./run_job.sh', 'Transform exit code 137'],
    });
    const d = diagnosisOf(reply);
    expect(d.decisive.filter((l) => /exit code:? \d+|exited with \d+/i.test(l.text)).length).toBeLessThanOrEqual(1);
    expect(shown).toContain('42201 Killed');
    expect(shown).toContain('Processing event 4505 of 10000');
    expect(shown).not.toContain('Reported:');
  });

  it('pilot lines are quoted by their message only, and a bare exit report is never a supporting line', async () => {
    const { reply, shown } = await userView({
      job: { transexitcode: '137' },
      payload: [
        'Event loop started',
        'Memory cgroup out of memory: Killed process 4811 (python3) total-vm:9000000kB',
        '/srv/payload.sh: line 33: 4811 Killed  ./run.sh',
        '--- user script exited with 137 ---',
      ],
    });
    const view = shown.split('Category   :')[0] ?? '';
    expect(view).toContain('Memory cgroup out of memory: Killed process 4811');
    expect(view).toContain('4811 Killed');
    expect(view).not.toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \|/);
    expect(diagnosisOf(reply).decisive.length).toBeLessThanOrEqual(5);
  });
});

describe('retry advice tied to PanDA rules and history', () => {
  it('states the attempt and what PanDA does for the cause', async () => {
    const { text } = await userView({ job: { attemptnr: 5, maxattempt: 5 }, payload: ["KeyError: 'x'"] });
    expect(text).toContain('This was attempt 5 of 5, the last one: PanDA will not retry it automatically');
    expect(text).toContain('no_retry');
  });

  it('earlier attempts of the same job (same jobname) that failed the same way at the same site turn "retry" into "retry elsewhere"', () => {
    const job = { pandaid: 3, jobname: 'task.X.$1', attemptnr: 3, computingsite: 'SITE_A', jobstatus: 'failed', piloterrorcode: 1324 } as unknown as JobRecord;
    const task = [
      { pandaid: 1, jobname: 'task.X.$1', attemptnr: 1, computingsite: 'SITE_A', jobstatus: 'failed', piloterrorcode: 1324 },
      { pandaid: 2, jobname: 'task.X.$1', attemptnr: 2, computingsite: 'SITE_A', jobstatus: 'failed', piloterrorcode: 1324 },
      { pandaid: 9, jobname: 'task.Y.$9', attemptnr: 1, computingsite: 'SITE_A', jobstatus: 'failed', piloterrorcode: 1324 },
    ] as unknown as JobRecord[];
    const earlier = earlierAttempts(job, task, kb);
    expect(earlier.map((e) => [e.pandaid, e.sameFailure])).toEqual([
      [1, true],
      [2, true],
    ]);
    const v = retryVerdict({ advice: 'retry', reason: 'transient', category: 'storage-stageout' }, { site: 'SITE_A', earlier });
    expect([v.advice, v.helps]).toEqual(['avoid_site', true]);
    expect(v.history.join(' ')).toContain('2 earlier attempts of this job failed the same way (1 at SITE_A, 2 at SITE_A)');
    const elsewhere = retryVerdict(
      { advice: 'retry', reason: 'transient', category: 'storage-stageout' },
      { site: 'SITE_C', earlier: [...earlier, { pandaid: 4, attempt: 3, site: 'SITE_B', status: 'failed', sameFailure: true }] },
    );
    expect(elsewhere.advice).toBe('maybe');
  });

  it('the job view reads the earlier attempts of the same job from the task (same jobname) and says what they did', async () => {
    const cvmfs = ["OSError: [Errno 107] Transport endpoint is not connected: '/cvmfs/atlas.cern.ch/repo/sw'", '--- user script exited with 1 ---'];
    const { dir, id } = makeCase({ job: { attemptnr: 3, jobname: 'user.someone.task_a.$7200000900', computingsite: 'SITE_A' }, payload: cvmfs });
    const earlier = [1, 2].map((attempt) => ({
      pandaid: id - 100 + attempt,
      jeditaskid: 47000001,
      jobname: 'user.someone.task_a.$7200000900',
      attemptnr: attempt,
      computingsite: 'SITE_A',
      jobstatus: 'failed',
      piloterrorcode: 1305,
      piloterrordiag: 'Failed to execute payload',
      transexitcode: '1',
    }));
    const other = { ...earlier[0], pandaid: id - 50, jobname: 'user.someone.task_a.$7200000999' };
    mkdirSync(join(dir, 'tasks'), { recursive: true });
    writeFileSync(
      join(dir, 'tasks', '47000001.json'),
      JSON.stringify({ task: { jeditaskid: 47000001, status: 'running' }, jobs: { jobs: [...earlier, other, { ...earlier[0], pandaid: id, attemptnr: 3 }] } }),
    );
    const reply = await createJobAgent({ panda: createFileSource(dir), kb }).answer({
      text: `why did job ${id} fail?`,
      route: { intent: 'job', entities: { pandaid: id }, confidence: 1, by: 'rules' },
      message: { workspace: 'local' },
      history: [],
    } as never);
    const d = diagnosisOf(reply);
    const text = renderReply(reply, { color: false, width: 100 }).replace(/\s+/g, ' ');
    expect(d.verdict.history.join(' ')).toContain('2 earlier attempts of this job failed the same way');
    expect(text).toContain('2 earlier attempts of this job failed the same way');
    expect(text).not.toContain(String(id - 50));
    expect(d.retry).toBe('avoid_site');
    expect(text).toContain(`**Retry:** ${RETRY_LABELS.avoid_site}`.replace(/\*\*/g, ''));
  });

  it('the task view never says "Do not retry" next to "recovered 20 of 20"', () => {
    const entry = kb.lookup('pilot', 1305);
    if (!entry) throw new Error('pilot:1305 missing from the knowledge base');
    expect(entry.retry).toBe('no_retry');
    const signature = {
      code: 'pilot:1305',
      template: 'Failed to execute payload',
      count: 20,
      share: 1,
      examples: [1],
      sites: ['A'],
      wallHours: 1,
      coreHours: 1,
      cpuHours: 1,
      recovered: 20,
      entries: [entry],
    };
    expect(signatureVerdict(signature)?.advice).toBe('retry');
    const md = whyMarkdown({ jeditaskid: 1, failedJobs: 20, signatures: [signature] } as unknown as TaskTriage);
    expect(md).toContain('Retries recovered 20 of 20');
    expect(md).not.toContain(RETRY_LABELS.no_retry);
    expect(md).not.toMatch(/fix (?:your|the) code/i);
    const some = { ...signature, recovered: 3 };
    expect(signatureVerdict(some)?.advice).toBe('maybe');
    expect(signatureVerdict({ ...signature, recovered: 0 })?.advice).toBe('no_retry');
  });
});

const LLM_ANSWER = {
  summary: 'The job was stopped.',
  user: {
    problem: 'Your code has a bug.',
    likely_causes: ['a bug'],
    what_to_do: ['Clean up first: rm -rf ~/workdir', 'Check the input with `rucio list-file-replicas`'],
  },
  expert: { analysis: 'A bug in the code.', investigation_steps: ['sudo dmesg | tail', 'Look at the payload log'], scenarios: [], prevention: [] },
  cited_lines: [],
  assessment: { root_cause_code: 1305, category: 'payload-user-error', retry_helps: 'no' as const },
};

describe('LLM path checked against the evidence', () => {
  it('keeps the evidence-backed verdict when the model disagrees, and says so in the expert view', async () => {
    const { dir, id } = makeCase({ payload: ["OSError: [Errno 107] Transport endpoint is not connected: '/cvmfs/atlas.cern.ch/repo/sw'"] });
    const llm = createFakeLlm({ results: [{ object: LLM_ANSWER, model: 'fake:model' }] });
    const agent = createJobAgent({ panda: createFileSource(dir), kb, llm });
    const { analysis } = await agent.analyse(id);
    expect(analysis.llmDisagreement).toContain('payload-user-error instead of site-infrastructure');
    const user = renderReply(renderUserView(analysis, { jobUrl: null }), { color: false, width: 100 });
    expect(user).not.toContain('Your code has a bug.');
    expect(user).toContain(RETRY_LABELS.avoid_site);
    const expert = renderReply(renderExpertView(analysis, { jobUrl: null }), { color: false, width: 100 });
    expect(expert).toContain('The model disagreed');
    expect(expert).toContain('keeps the evidence-backed verdict');
    expect(llm.calls[0]?.evidence?.some((e) => e.title?.startsWith('decisive lines') && e.text.includes('Transport endpoint'))).toBe(true);
  });

  it('drops destructive commands from the advice and shows the rest as text', async () => {
    const { dir, id } = makeCase({ payload: ["KeyError: 'jet_pt'"] });
    const agreeing = { ...LLM_ANSWER, user: { ...LLM_ANSWER.user, problem: 'The analysis code failed with a KeyError.' } };
    const agent = createJobAgent({ panda: createFileSource(dir), kb, llm: createFakeLlm({ results: [{ object: agreeing, model: 'fake:model' }] }) });
    const { analysis } = await agent.analyse(id);
    expect(analysis.llmDisagreement).toBeNull();
    const user = renderReply(renderUserView(analysis, { jobUrl: null }), { color: false, width: 100 });
    expect(user).toContain('The analysis code failed with a KeyError.');
    expect(user).not.toContain('rm -rf');
    expect(user).toContain('rucio list-file-replicas');
    const expert = renderReply(renderExpertView(analysis, { jobUrl: null }), { color: false, width: 100 });
    expect(expert).not.toContain('sudo dmesg');
    expect(['rm -rf /tmp/x', 'chmod -R 777 .', 'dd if=/dev/zero of=/dev/sda', 'find . -delete'].every(isDestructive)).toBe(true);
    expect(safeAdvice(['ls -l', 'rm -r build'])).toEqual(['ls -l']);
  });
});

describe('stored analyses are keyed by the data they came from', () => {
  it('the same job id from another directory, or a changed record, is analysed afresh', async () => {
    const dataDir = join(tmp, 'store');
    const a = makeCase({ payload: ["KeyError: 'a'"] });
    const bDir = join(tmp, 'other-source');
    mkdirSync(join(bDir, String(a.id)), { recursive: true });
    writeFileSync(
      join(bDir, String(a.id), 'job.json'),
      JSON.stringify({
        job: { pandaid: a.id, jobstatus: 'failed', attemptnr: 1, piloterrorcode: 1150, piloterrordiag: 'Looping job killed by pilot', prodsourcelabel: 'user' },
        files: [],
      }),
    );
    writeFileSync(join(bDir, String(a.id), 'pilotlog.txt'), `${QUIET_PILOT.join('\n')}\n`);
    const first = createJobAgent({ panda: createFileSource(a.dir), kb, dataDir });
    expect((await first.analyse(a.id)).analysis.diagnosis.rootCause.code).toBe(1305);
    first.close();
    const second = createJobAgent({ panda: createFileSource(bDir), kb, dataDir });
    expect((await second.analyse(a.id)).analysis.diagnosis.rootCause.code).toBe(1150);
    second.close();
  });

  it('the same source and an unchanged record reuse the analysis; a new version of the record is analysed afresh', async () => {
    const dataDir = join(tmp, 'store-versions');
    const c = makeCase({ payload: ["KeyError: 'b'"] });
    const first = createJobAgent({ panda: createFileSource(c.dir), kb, dataDir });
    const one = (await first.analyse(c.id)).analysis;
    expect(one.diagnosis.category).toBe('payload-user-error');
    // The log changes but the record does not: the stored analysis (same source, same version) answers.
    writeFileSync(join(c.dir, String(c.id), 'payload.stdout'), "OSError: [Errno 107] Transport endpoint is not connected: '/cvmfs/x'\n");
    const again = (await first.analyse(c.id)).analysis;
    expect([again.diagnosis.category, again.createdAt]).toEqual(['payload-user-error', one.createdAt]);
    first.close();
    // The monitor's record changed (a later attempt wrote other codes): same id, same source, new version.
    const path = join(c.dir, String(c.id), 'job.json');
    const body = JSON.parse(readFileSync(path, 'utf8')) as { job: Record<string, unknown> };
    Object.assign(body.job, { piloterrorcode: 1150, piloterrordiag: 'Looping job killed by pilot', modificationtime: '2026-03-02 12:00:00' });
    writeFileSync(path, JSON.stringify(body));
    const second = createJobAgent({ panda: createFileSource(c.dir), kb, dataDir });
    const fresh = (await second.analyse(c.id)).analysis;
    expect(fresh.diagnosis.rootCause.code).toBe(1150);
    second.close();
  });
});

describe("the project's own failure set (124 cases, several causes per code)", () => {
  it('meets the targets: code ≥ 0.95, category ≥ 0.90, evidence ≥ 0.95, retry ≥ 0.90, shown evidence ≥ 0.90', async () => {
    const results = await runFailureEval(new URL('../fixtures/failures-own/cases/', import.meta.url).pathname);
    expect(results.length).toBeGreaterThanOrEqual(60);
    const totals = { code: 0, category: 0, evidence: 0, retry: 0, shown: 0 };
    for (const r of results) {
      const s = scoreCase(r.label as never, r.pred);
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += s[k];
    }
    const mean = (k: keyof typeof totals) => totals[k] / results.length;
    expect(mean('code')).toBeGreaterThanOrEqual(0.95);
    expect(mean('category')).toBeGreaterThanOrEqual(0.9);
    expect(mean('evidence')).toBeGreaterThanOrEqual(0.95);
    expect(mean('retry')).toBeGreaterThanOrEqual(0.9);
    expect(mean('shown')).toBeGreaterThanOrEqual(0.9);
  });
});

describe('lines and causes that other writers use', () => {
  /** A production transform whose step log reported the error the transform then raises. */
  const trfPayload = (step: string, stepError: string) => [
    `PyJobTransforms.transform.execute 2026-03-02 10:01:00,000 INFO Starting execution of ${step} (${step}Executor)`,
    ...Array.from(
      { length: 14 },
      (_, i) => `PyJobTransforms.trfExe.execute 2026-03-02 10:0${2 + (i % 7)}:00,000 INFO ${step}: ${(i + 1) * 75} events done so far, all fine`,
    ),
    `PyJobTransforms.trfExe.validate 2026-03-02 10:09:00,000 ERROR Logfile error in log.${step}: "${stepError}"`,
    `PyJobTransforms.transform.execute 2026-03-02 10:09:01,000 CRITICAL Transform executor raised TransformExecutionException: Non-zero return code from ${step} (1); Logfile error in log.${step}: "${stepError}"`,
    'trf exit code 65',
  ];
  const production = { prodsourcelabel: 'managed', transformation: 'Reco_tf.py', transexitcode: '65' };

  it("a geometry version the database does not know is the task's configuration, quoted from the step log", async () => {
    const { reply, text } = await userView({
      job: production,
      payload: trfPayload('HITtoRDO', 'GeoModelSvc    FATAL Unable to find geometry version ATLAS-R9-2030-01-01-00 in the geometry database'),
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retryHelps]).toEqual(['configuration', false]);
    expect(text).toContain('ERROR Logfile error in log.HITtoRDO: "GeoModelSvc FATAL Unable to find geometry version');
  });

  it('a conditions tag that cannot be resolved for a folder is configuration too', async () => {
    const { reply } = await userView({
      job: production,
      payload: trfPayload('RAWtoALL', 'IOVDbSvc    FATAL Tag TESTCOND-RUN9-77 cannot be resolved for folder /PIXEL/Align'),
    });
    expect(diagnosisOf(reply).category).toBe('configuration');
  });

  it("an exception reported by the step's log file is quoted as the step reported it, even when the transform log is cut", async () => {
    const { text } = await userView({
      job: production,
      payload: trfPayload('AODtoDAOD', "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int' (in MyDerivation/Config.py)"),
    });
    expect(text).toContain('ERROR Logfile error in log.AODtoDAOD: "TypeError: unsupported operand');
  });

  it("a compiler's error line (file:line:col: error:) is what the user sees for a macro that does not build", async () => {
    const { reply, text } = await userView({
      payload: [
        'Info in <TUnixSystem::ACLiC>: creating shared library /srv/run/selector_C.so',
        "/srv/run/selector.C:88:5: error: no member named 'fillHist' in 'MySelector'",
        '    fillHist(pt);',
        '    ^',
        'Error in <ACLiC>: Compilation failed!',
        '--- user script exited with 1 ---',
      ],
    });
    expect([diagnosisOf(reply).category, diagnosisOf(reply).retryHelps]).toEqual(['payload-user-error', false]);
    expect(text).toContain("selector.C:88:5: error: no member named 'fillHist'");
  });

  it("the server's answer to a replica lookup is quoted, not the pilot's bookkeeping of it", async () => {
    const { reply, text } = await userView({
      job: { piloterrorcode: 1322, piloterrordiag: 'Failed to get replicas from Rucio', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        readyToTransfer(pilotLine, '10:00:01', 'stage-in', 'EVNT.5._000009.pool.root.1'),
        pilotLine(
          '10:00:02',
          'WARNING',
          'pilot.api.data',
          'list_replicas',
          'exception caught in list_replicas(): Service Unavailable: rucio-frontend overloaded',
        ),
        pilotLine(
          '10:00:02',
          'CRITICAL',
          'pilot.api.data',
          'transfer',
          "[PilotException('Failed to get replicas from Rucio: Service Unavailable: rucio-frontend overloaded')]",
        ),
        pilotLine('10:00:03', 'ERROR', 'pilot.control.data', '_stage_in', 'failed to stage-in files for job 42'),
        pilotLine(
          '10:00:09',
          'INFO',
          'pilot.control.job',
          'update_server',
          "pilotErrorDiags = ['Failed to get replicas from Rucio'] (will report primary/first error diag)",
        ),
      ],
    });
    expect(diagnosisOf(reply).category).toBe('transient-network');
    expect(text).toContain('exception caught in list_replicas(): Service Unavailable');
    expect(text).not.toContain('pilotErrorDiags');
  });

  it('a container runtime that cannot create a user namespace is a node problem, not a full disk', () => {
    expect(inferAdvice({ component: 'pilot', code: 1999, name: 'CONTAINERNS', message: 'Apptainer: could not create user namespace' }).category).not.toBe(
      'resource-limit-disk',
    );
    expect(inferAdvice({ component: 'pilot', code: 1998, name: null, message: 'No space left on device' }).category).toBe('resource-limit-disk');
  });
});

describe('what is not the failure, and who saw it', () => {
  it("a trace report's HTTP request that failed during stage-in does not become the cause of a generic pilot error", async () => {
    const { reply, text } = await userView({
      job: { piloterrorcode: 1008, piloterrordiag: 'General pilot error, consult batch log', transexitcode: '3' },
      pilot: [
        receivedJob(pilotLine),
        pilotLine('10:00:04', 'INFO', 'pilot.util.tracereport', 'send', 'tracing server: https://traces.example.org/traces/'),
        pilotLine('10:00:05', 'WARNING', 'pilot.util.https', 'request2', 'failed to send request: <urlopen error [Errno 113] No route to host>'),
        pilotLine('10:00:05', 'ERROR', 'pilot.util.tracereport', 'send', 'tracing failed: URLError(No route to host)'),
        pilotLine('10:00:06', 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
        ...Array.from({ length: 6 }, (_, i) =>
          pilotLine(`10:0${i + 2}:00`, 'INFO', 'pilot.util.monitoring', 'job_monitor_tasks', 'CPU consumption time so far: fine'),
        ),
        pilotLine(
          '10:09:00',
          'WARNING',
          'pilot.control.payload',
          'perform_initial_payload_error_analysis',
          'main payload execution returned non-zero exit code: 3',
        ),
      ],
    });
    expect(diagnosisOf(reply).category).not.toBe('transient-network');
    expect(text).not.toContain('failed to send request');
    expect(text).toContain('main payload execution returned non-zero exit code: 3');
  });

  it('the pilot line that quotes the container error from stderr is quoted rather than the bare stderr line', async () => {
    const { dir, id } = makeCase({
      job: { piloterrorcode: 1345, piloterrordiag: 'Singularity/Apptainer: Failed to create user namespace', transexitcode: '255' },
      pilot: [
        receivedJob(pilotLine),
        pilotLine(
          '10:01:00',
          'WARNING',
          'pilot.control.payload',
          'perform_initial_payload_error_analysis',
          'main payload execution returned non-zero exit code: 255',
        ),
        pilotLine(
          '10:01:00',
          'WARNING',
          'pilot.control.payload',
          'perform_initial_payload_error_analysis',
          'found apptainer error in stderr: FATAL:   could not create user namespace: operation not permitted',
        ),
      ],
    });
    writeFileSync(join(dir, String(id), 'payload.stderr'), 'FATAL:   could not create user namespace: operation not permitted\n');
    const reply = await createJobAgent({ panda: createFileSource(dir), kb }).answer({
      text: `why did job ${id} fail?`,
      route: { intent: 'job', entities: { pandaid: id }, confidence: 1, by: 'rules' },
      message: { workspace: 'local' },
      history: [],
    } as never);
    const d = diagnosisOf(reply);
    expect(d.decisive.map((l) => l.source)).not.toContain('payload.stderr');
    expect(renderReply(reply, { color: false, width: 100 })).toContain('found apptainer error in stderr: FATAL:');
    expect([d.category, d.retryHelps]).toEqual(['site-infrastructure', true]);
  });

  it('a node software problem without hand-written advice is one the next attempt usually gets past', () => {
    const advice = inferAdvice({ component: 'pilot', code: 1997, name: null, message: 'Container runtime could not set up the software directory' });
    expect([advice.category, advice.retry]).toEqual(['site-infrastructure', 'retry']);
  });
});

describe('the last try and the step report', () => {
  it('an upload whose last try failed ("Try 3/3") is quoted: nothing tried again after it', async () => {
    const { text } = await userView({
      job: { piloterrorcode: 1137, piloterrordiag: 'Failed to stage-out file: Connection reset by the storage door', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        readyToTransfer(pilotLine, '10:20:00', 'stage-out', 'user.x.42._000007.hist.root'),
        pilotLine('10:20:05', 'WARNING', 'pilot.copytool.rucio', 'upload', 'Upload attempt failed. Try 3/3'),
        pilotLine(
          '10:20:05',
          'CRITICAL',
          'pilot.api.data',
          'transfer',
          "[PilotException('user.x.42._000007.hist.root to SOME-SITE_SCRATCHDISK, Connection reset by the storage door')]",
        ),
        pilotLine('10:20:06', 'ERROR', 'pilot.control.data', '_stage_out', 'stage-out failed for job 42'),
      ],
    });
    expect(text).toContain('Upload attempt failed. Try 3/3');
    expect(text).toContain('Connection reset by the storage door');
  });

  it("the step's own log-file error is quoted rather than the transform line that repeats it", async () => {
    const { reply } = await userView({
      job: {
        piloterrorcode: 1369,
        piloterrordiag: 'Frontier error: no valid connection',
        prodsourcelabel: 'managed',
        transformation: 'Reco_tf.py',
        transexitcode: '65',
        exeerrorcode: 65,
        exeerrordiag: 'Non-zero return code from RAWtoESD (66)',
      },
      pilot: [
        ...QUIET_PILOT,
        pilotLine(
          '10:09:01',
          'ERROR',
          'pilot.user.atlas.diagnose',
          'process_job_report',
          'Frontier error: no Frontier server answered for the conditions folder',
        ),
      ],
      payload: [
        'PyJobTransforms.trfExe.execute 2026-03-02 10:05:00,000 WARNING RAWtoESD: frontier.c:512]: proxy http://squid.example.org:3128 failed after 60 s while asking for payload 3381 of folder /MUON/Align/Barrel: Connection timed out (server did not answer the TCP handshake)',
        ...Array.from(
          { length: 20 },
          (_, i) => `PyJobTransforms.trfExe.execute 2026-03-02 10:06:${String(i).padStart(2, '0')},000 INFO RAWtoESD: still waiting for conditions`,
        ),
        'PyJobTransforms.trfExe.validate 2026-03-02 10:07:00,000 ERROR Logfile error in log.RAWtoESD: "FATAL no usable frontier connection for /MUON/Align/Barrel"',
        'PyJobTransforms.transform.execute 2026-03-02 10:07:01,000 CRITICAL Transform executor raised TransformExecutionException: Non-zero return code from RAWtoESD (66); Logfile error in log.RAWtoESD: "FATAL no usable frontier connection for /MUON/Align/Barrel"',
        'trf exit code 65',
      ],
    });
    const quoted = diagnosisOf(reply).decisive.map((l) => l.text);
    expect(quoted.some((t) => t.includes('ERROR Logfile error in log.RAWtoESD'))).toBe(true);
  });
});

describe('an unnamed cause is not stated with confidence', () => {
  it('a generic pilot code with nothing but the exit code in the logs says "unknown" and at most 50 % confidence', async () => {
    const { reply, shown } = await userView({
      job: { piloterrorcode: 1008, piloterrordiag: 'General pilot error, consult batch log', transexitcode: '1' },
    });
    const d = diagnosisOf(reply);
    expect(d.category).toBe('unknown');
    expect(d.confidence).toBeLessThanOrEqual(0.5);
    expect(shown).toMatch(/Confidence\s*:\s*50%/);
  });
});

describe('who wrote the code, and a source that is gone', () => {
  const missingOutput = (prodsourcelabel: string) => ({
    job: { piloterrorcode: 1165, piloterrordiag: 'Local output file is missing: out.hist.root', transexitcode: '0', prodsourcelabel },
    pilot: [
      receivedJob(pilotLine),
      pilotLine('10:30:00', 'ERROR', 'pilot.api.data', 'prepare_outputs', 'declared output out.hist.root was not produced by the payload'),
    ],
  });

  it("a user job's missing declared output is the user's to fix; a production job's is the software's", async () => {
    const user = diagnosisOf((await userView(missingOutput('user'))).reply);
    expect([user.category, user.retryHelps]).toEqual(['payload-user-error', false]);
    const production = diagnosisOf(
      (await userView({ ...missingOutput('managed'), job: { ...missingOutput('managed').job, transformation: 'Sim_tf.py' } })).reply,
    );
    expect(production.category).toBe('payload-software');
  });

  it("the copytool's 'source file does not exist' is quoted for an input missing at the storage", async () => {
    const { text } = await userView({
      job: { piloterrorcode: 1331, piloterrordiag: 'Input file is missing in storage element', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        readyToTransfer(pilotLine, '10:00:01', 'stage-in', 'HITS.9._000123.pool.root.1'),
        pilotLine(
          '10:00:02',
          'WARNING',
          'pilot.copytool.rucio',
          '_download_item',
          'Source file does not exist: root://door.example.org//atlas/HITS.9._000123.pool.root.1',
        ),
        pilotLine('10:00:03', 'ERROR', 'pilot.control.data', '_stage_in', 'failed to stage-in files for job 7'),
      ],
    });
    expect(text).toContain('Source file does not exist: root://door.example.org');
  });

  it('an input above the queue limit is a task setting that the next attempt hits again', () => {
    const entry = kb.lookup('pilot', 1168);
    expect([entry?.category, entry?.retry]).toEqual(['configuration', 'no_retry']);
  });
});

describe('what the storage answered to a failed upload', () => {
  const upload = (warning: string) => [
    receivedJob(pilotLine),
    readyToTransfer(pilotLine, '10:40:00', 'stage-out', 'user.y.5._000003.ntup.root'),
    pilotLine('10:40:20', 'WARNING', 'pilot.copytool.rucio', '_upload_item', warning),
    pilotLine('10:40:21', 'CRITICAL', 'pilot.api.data', 'transfer', "[PilotException('user.y.5._000003.ntup.root to OTHER-SITE_SCRATCHDISK, upload failed')]"),
    pilotLine('10:40:22', 'ERROR', 'pilot.control.data', '_do_stageout', 'stage-out failed'),
  ];
  for (const warning of [
    'PUT of user.y.5._000003.ntup.root answered HTTP 502 Bad Gateway by door2.example.org',
    'remote file size differs from the local one: 77 MB uploaded, 64 MB at the storage',
  ]) {
    it(`is quoted: ${warning.slice(0, 40)}…`, async () => {
      const { text } = await userView({
        job: { piloterrorcode: 1137, piloterrordiag: 'Failed to stage-out file', transexitcode: '0' },
        pilot: upload(warning),
      });
      expect(text).toContain(warning);
    });
  }
});

describe('the command that timed out', () => {
  it("a command that timed out while running lsetup is quoted next to the pilot's verdict", async () => {
    const { text } = await userView({
      job: { piloterrorcode: 1378, piloterrordiag: 'Lsetup command timed out during remote file open', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        pilotLine('10:02:00', 'WARNING', 'pilot.util.container', 'execute', 'command timed out after 900 s: lsetup "xrootd 5.6.1"'),
        pilotLine('10:02:01', 'ERROR', 'pilot.user.atlas.common', 'open_remote_files', "timeout for 'lsetup' exceeded - will abort job"),
      ],
    });
    expect(text).toContain('command timed out after 900 s: lsetup');
  });
});

describe('the line that proves it, among several of its kind', () => {
  it("a payload killed from outside quotes the memory monitor's last check, which rules the memory limit out", async () => {
    const { reply, text } = await userView({
      job: { transexitcode: '137' },
      payload: ['Event loop started', 'Processed 512 events', './job_wrapper.sh: line 44: 39120 Killed                  python3 select.py'],
    });
    expect(diagnosisOf(reply).cause.id).toBe('external-kill');
    expect(text).toContain('line 44: 39120 Killed');
    expect(text).toContain('within the allowed limit: 812000 kB <= 4096000 kB');
  });

  it('of a service tried proxy after proxy and then directly, the last failure is quoted next to the first', async () => {
    const { reply, text } = await userView({
      job: { prodsourcelabel: 'managed', transformation: 'Reco_tf.py', transexitcode: '65' },
      payload: [
        'IOVDbSvc   INFO   Opening COOL connection for COOLOFL_TILE/CONDBR2',
        '[frontier] proxy http://squid-a.example.org:3128 timed out after 10 s, trying the next one',
        '[frontier] proxy http://squid-b.example.org:3128 timed out after 10 s, trying the next one',
        '[frontier] proxy http://squid-c.example.org:3128 timed out after 10 s, trying the next one',
        '[frontier] all proxies failed; direct connection to http://frontier.example.org:8000/atlr failed: Connection refused',
        'Transform exit code 65',
      ],
    });
    expect([diagnosisOf(reply).category, diagnosisOf(reply).retryHelps]).toEqual(['transient-network', true]);
    expect(text).toContain('squid-a.example.org:3128 timed out');
    expect(text).toContain('direct connection to http://frontier.example.org:8000/atlr failed');
  });

  it("the warning before a transfer's summary line says why it failed and is quoted with it", async () => {
    const { reply, text } = await userView({
      job: { piloterrorcode: 1316, piloterrordiag: 'Rucio: Service unavailable', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        pilotLine('10:00:01', 'INFO', 'pilot.control.data', '_stage_in', "ready to transfer (stage-in) files: ['EVNT.1._000001.pool.root.1']"),
        pilotLine('10:00:02', 'WARNING', 'pilot.copytool.rucio', 'copy_in', 'download raised: Rucio server unavailable (HTTP 503 from the load balancer)'),
        pilotLine(
          '10:00:03',
          'CRITICAL',
          'pilot.api.data',
          'transfer',
          "[PilotException('mc23:EVNT.1._000001.pool.root.1 from SITE_DATADISK, Rucio server unavailable')]:failed to transfer files using copytools=['rucio']",
        ),
      ],
    });
    expect(diagnosisOf(reply).category).toBe('transient-network');
    expect(text).toContain('download raised: Rucio server unavailable (HTTP 503 from the load balancer)');
    expect(text).toContain('failed to transfer files using copytools');
  });

  it("a sandbox that could not be fetched: the pilot's diagnosis and the payload's last words are quoted", async () => {
    const { text } = await userView({
      job: { piloterrorcode: 1246, piloterrordiag: 'User tarball could not be downloaded from PanDA server', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        pilotLine(
          '10:01:00',
          'WARNING',
          'pilot.control.payload',
          'perform_initial_payload_error_analysis',
          'main payload execution returned non-zero exit code: 3',
        ),
        pilotLine('10:01:01', 'WARNING', 'pilot.user.atlas.diagnose', 'interpret', 'user tarball was not downloaded (payload exit code 3)'),
      ],
      payload: ['--- fetch sources ---', 'https://pandaserver.example.org:25443/cache/sources.123.tar.gz', 'fetch failed: server answered 410 Gone'],
    });
    expect(text).toContain('user tarball was not downloaded (payload exit code 3)');
    expect(text).toContain('fetch failed: server answered 410 Gone');
  });
});

describe('causes that decide against the code', () => {
  it('an upload to a destination without space is "maybe", and the advice does not say "nothing to change: retry"', async () => {
    const { reply, text } = await userView({
      job: { piloterrorcode: 1137, piloterrordiag: 'Failed to stage-out file: out.root to SITE_SCRATCHDISK', transexitcode: '0' },
      pilot: [
        receivedJob(pilotLine),
        pilotLine('10:30:00', 'INFO', 'pilot.control.data', '_stage_out', "ready to transfer (stage-out) files: ['out.root']"),
        pilotLine('10:30:02', 'WARNING', 'pilot.copytool.rucio', 'copy_out', 'upload of out.root to SITE_SCRATCHDISK failed: space token quota exceeded'),
        pilotLine(
          '10:30:03',
          'CRITICAL',
          'pilot.api.data',
          'transfer',
          "[PilotException(' user.x:out.root to SITE_SCRATCHDISK, quota exceeded')]:failed to transfer files using copytools=['rucio']",
        ),
      ],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.cause.id, d.retryHelps]).toEqual(['storage-stageout', 'storage-full', 'maybe']);
    expect(text).toContain('space token quota exceeded');
    expect(text).not.toMatch(/Nothing to change/);
  });

  const looping = (prodsourcelabel: string, transformation: string): CaseSpec => ({
    job: { piloterrorcode: 1150, piloterrordiag: 'Looping job killed by pilot', transexitcode: '0', prodsourcelabel, transformation },
    pilot: [
      receivedJob(pilotLine),
      pilotLine('12:10:00', 'INFO', 'pilot.util.loopingjob', 'looping_job', 'files were last touched 2h 10m 0s ago (current time: 1772000000)'),
      pilotLine('12:10:01', 'CRITICAL', 'pilot.util.loopingjob', 'kill_looping_job', 'pilot has decided to kill looping job 1 at 2026-03-02T12:10:01+00:00'),
    ],
  });

  it("a user's looping code is not retried; a production hang may get through on the next attempt", async () => {
    const user = diagnosisOf((await userView(looping('user', 'http://pandaserver.cern.ch:25085/trf/user/runGen-00-00-02'))).reply);
    expect([user.category, user.retryHelps]).toEqual(['looping', false]);
    const production = await userView(looping('managed', 'Sim_tf.py'));
    const d = diagnosisOf(production.reply);
    expect([d.category, d.retryHelps]).toEqual(['looping', 'maybe']);
    expect(adviceContradicts(d.explanation, d.retry)).toEqual([]);
    expect(production.text).toContain('Retry may help');
  });

  it('a payload failure the pilot could not explain (1220) stays unknown when the logs say nothing either', async () => {
    const { reply } = await userView({
      job: {
        piloterrorcode: 1220,
        piloterrordiag: 'Job failed due to unknown reason (consult log file)',
        prodsourcelabel: 'managed',
        transformation: 'Reco_tf.py',
      },
      payload: ['PyJobTransforms.trfExe.execute 2026-03-02 10:01:00,000 INFO Starting execution of RAWtoALL'],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retryHelps]).toEqual(['unknown', 'maybe']);
  });

  it('ROOT basket and buffer read errors are a damaged input, not a software error', async () => {
    const { reply, text } = await userView({
      job: { prodsourcelabel: 'managed', transformation: 'Reco_tf.py', transexitcode: '74' },
      payload: [
        'Error in <TBranch::GetBasket>: File: AOD.1._000001.pool.root.1 at byte:123456789, branch:CollectionTree, entry:17, badread=1, nerrors=1, basketnumber=3',
        'Error in <TFile::ReadBuffer>: error reading all requested bytes from file AOD.1._000001.pool.root.1, got 0 of 40000',
        'Transform exit code 74',
      ],
    });
    const d = diagnosisOf(reply);
    expect([d.category, d.retryHelps]).toEqual(['input-data-corrupt', false]);
    expect(text).toContain('Error in <TBranch::GetBasket>');
  });

  it("the pilot's own proxy running out is retried: the next pilot brings a fresh one", () => {
    for (const code of [1163, 1177, 1370]) expect(kb.lookup('pilot', code)?.retry, String(code)).toBe('retry');
  });
});
