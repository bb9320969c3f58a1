/**
 * Demo tasks in the file-source format: {"task": <`/task/N/?json`>, "jobs": <`/jobs/?jeditaskid=N&json&mode=nodrop`>}.
 * A large production task (~200 jobs, mixed states and attempts, several failure signatures, some
 * retried attempts that later finished) and a small user analysis task.
 */
import { queueInfo } from './cric.js';
import { jobRecord } from './job-record.js';
import { isoNoZone, monitorTime, type Rng } from './rng.js';
import { newJob } from './scenario.js';

interface Failure {
  weight: number;
  errors: NonNullable<Parameters<typeof jobRecord>[0]['errors']>;
  /** Queues where this failure happens (a site-local problem shows up as a cluster). */
  queues?: string[];
}

const FAILURES: Failure[] = [
  {
    weight: 5,
    errors: {
      piloterrorcode: 1099,
      piloterrordiag: 'Failed to stage-in file: None of the requested files have been downloaded.',
      error_category: 'File and Storage Issues',
    },
    queues: ['SWT2_CPB'],
  },
  {
    weight: 4,
    errors: {
      piloterrorcode: 1235,
      piloterrordiag: 'Payload exceeded maximum allowed memory',
      transexitcode: '137',
      error_category: 'Runtime Failures and Resource Violations',
    },
  },
  {
    weight: 3,
    errors: {
      piloterrorcode: 1305,
      piloterrordiag: 'Failed to execute payload',
      exeerrorcode: 65,
      exeerrordiag: 'Non-zero return code from EVNTtoHITS (139)',
      transexitcode: '65',
      error_category: 'Software and Environment Issues',
    },
  },
  {
    weight: 2,
    errors: { jobdispatchererrorcode: 100, jobdispatchererrordiag: 'lost heartbeat : 2025-10-05 03:12:44', error_category: 'Network and Communication Errors' },
    queues: ['UNI-FREIBURG'],
  },
  {
    weight: 2,
    errors: { piloterrorcode: 1201, piloterrordiag: 'Job killed by signal: SIGTERM', transexitcode: '143', error_category: 'Job Termination and Kill Signals' },
  },
];

const PROD_QUEUES = ['AGLT2', 'MWT2', 'SWT2_CPB', 'BNL', 'FZK-LCG2', 'UNI-FREIBURG', 'IN2P3-CC', 'RAL', 'TRIUMF', 'DESY-HH'];

function pickFailure(rng: Rng, queue: string): Failure {
  const local = FAILURES.filter((f) => f.queues?.includes(queue));
  if (local.length > 0 && rng.chance(0.8)) return local[0] as Failure;
  const pool = FAILURES.filter((f) => !f.queues);
  const total = pool.reduce((n, f) => n + f.weight, 0);
  let x = rng.next() * total;
  for (const f of pool) {
    x -= f.weight;
    if (x <= 0) return f;
  }
  return pool[0] as Failure;
}

function taskRecord(rng: Rng, fields: Record<string, unknown>, created: number, modified: number): Record<string, unknown> {
  return {
    jeditaskid: fields.jeditaskid,
    taskname: fields.taskname,
    status: fields.status,
    superstatus: fields.status,
    oldstatus: null,
    username: fields.username,
    creationdate: monitorTime(created),
    modificationtime: monitorTime(modified),
    starttime: monitorTime(created + 1200_000),
    endtime: fields.ended ? monitorTime(modified) : null,
    statechangetime: monitorTime(modified),
    reqid: rng.int(50000, 59999),
    cloud: 'WORLD',
    site: null,
    nucleus: fields.nucleus ?? 'BNL-ATLAS',
    prodsourcelabel: fields.prodsourcelabel,
    workinggroup: fields.workinggroup ?? null,
    vo: 'atlas',
    corecount: fields.corecount,
    tasktype: fields.tasktype,
    processingtype: fields.processingtype,
    taskpriority: fields.priority,
    currentpriority: fields.priority,
    architecture: 'x86_64-el9-gcc13-opt',
    transuses: fields.transuses,
    transhome: fields.transhome,
    splitrule: 'NE=1000,NG=1',
    walltime: 600,
    walltimeunit: 'kSI2kseconds',
    ramcount: fields.ramcount,
    ramunit: 'MBPerCore',
    progress: fields.progress,
    failurerate: fields.failurerate,
    errordialog: fields.errordialog ?? '',
    campaign: fields.campaign ?? '',
    gshare: fields.gshare,
    attemptnr: 0,
    eventservice: 'ordinary',
    container_name: null,
    category: fields.category,
    age: 3,
    pctfinished: fields.progress,
  };
}

export interface DemoTask {
  id: number;
  file: { task: unknown; jobs: unknown };
  shows: string;
}

function summarise(jobs: Array<Record<string, unknown>>): string {
  const count = new Map<string, number>();
  for (const j of jobs) count.set(String(j.jobstatus), (count.get(String(j.jobstatus)) ?? 0) + 1);
  return [...count.entries()]
    .sort()
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

export function productionTask(rng: Rng, id: number, start: number): DemoTask {
  const jobs: Array<Record<string, unknown>> = [];
  let pandaid = 6602000000;
  for (let n = 0; n < 150; n++) {
    let parent: number | null = null;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const queue = rng.pick(PROD_QUEUES);
      const job = newJob({
        rng,
        pandaid: ++pandaid,
        taskid: id,
        queue: queueInfo(queue),
        start: start + n * 240_000 + (attempt - 1) * 5400_000,
        attemptnr: attempt,
      });
      const spec = job.spec;
      spec.parentid = parent;
      spec.start = spec.modification;
      const roll = rng.next();
      const last = n >= 138;
      if (last && attempt === 1) {
        spec.status = rng.pick(['running', 'running', 'activated', 'starting', 'transferring']);
        spec.end = null;
        spec.modification = spec.start + rng.int(60, 3000) * 1000;
        spec.errors = {};
      } else if (roll < (attempt === 1 ? 0.62 : 0.75)) {
        spec.status = 'finished';
        spec.end = spec.start + rng.int(1800, 7200) * 1000;
        spec.modification = spec.end + 30_000;
        spec.cpu = Math.round(((spec.end - spec.start) / 1000) * 7.1);
        spec.nevents = 1000;
        spec.maxpssKb = rng.int(9_000_000, 14_000_000);
        spec.errors = { transexitcode: '0' };
      } else {
        const failure = pickFailure(rng, queue);
        spec.status = 'failed';
        spec.end = spec.start + rng.int(120, 5400) * 1000;
        spec.modification = spec.end + 30_000;
        spec.maxpssKb = failure.errors.piloterrorcode === 1235 ? 38_000_000 : rng.int(9_000_000, 14_000_000);
        spec.errors = failure.errors;
      }
      const record = jobRecord(spec, rng, true);
      delete record.errorinfo;
      jobs.push(record);
      if (spec.status !== 'failed') break;
      parent = spec.pandaid;
      if (attempt === 3) break;
    }
  }
  const finished = jobs.filter((j) => j.jobstatus === 'finished').length;
  const failed = jobs.filter((j) => j.jobstatus === 'failed').length;
  const end = Math.max(...jobs.map((j) => Date.parse(`${String(j.modificationtime)}Z`)));
  const name = `mc23_13p6TeV.801168.Py8EG_A14NNPDF23LO_jj_JZ3.simul.e8466_e8528_s4155_tid${id}`;
  const task = taskRecord(
    rng,
    {
      jeditaskid: id,
      taskname: name,
      status: 'running',
      username: 'atlas-production',
      prodsourcelabel: 'managed',
      tasktype: 'prod',
      processingtype: 'simul',
      priority: 900,
      corecount: 8,
      ramcount: 2000,
      transuses: 'Atlas-24.0.53',
      transhome: 'AthSimulation-24.0.53',
      progress: Math.round((finished / 150) * 100),
      failurerate: Math.round((failed / jobs.length) * 100),
      gshare: 'MC Simulation Full',
      category: 'production',
      campaign: 'MC23e',
      workinggroup: 'AP_MCGN',
    },
    start - 3600_000,
    end,
  );
  const datasets = [
    {
      jeditaskid: id,
      datasetid: 781000001,
      datasetname: name.replace('simul', 'evgen.EVNT').replace(/_s4155_tid\d+$/, '_tid39212615_00'),
      type: 'input',
      status: 'ready',
      nfiles: 150,
      nfilesfinished: finished,
      nfilesfailed: 0,
      nfilesused: 150,
      nevents: 150000,
      neventsused: finished * 1000,
    },
    {
      jeditaskid: id,
      datasetid: 781000002,
      datasetname: `${name.replace('.simul.', '.simul.HITS.')}_00`,
      type: 'output',
      status: 'running',
      nfiles: finished,
      nfilesfinished: finished,
      nfilesfailed: 0,
      nevents: finished * 1000,
    },
    {
      jeditaskid: id,
      datasetid: 781000003,
      datasetname: `${name.replace('.simul.', '.simul.log.')}_00`,
      type: 'log',
      status: 'running',
      nfiles: jobs.length,
      nfilesfinished: jobs.length,
      nfilesfailed: 0,
    },
  ];
  return {
    id,
    file: {
      task: {
        task,
        taskparams: { taskName: name, userName: 'atlas-production', coreCount: 8, ramCount: 2000, nEventsPerJob: 1000, transPath: 'Sim_tf.py' },
        datasets,
      },
      jobs: { selectionsummary: [], jobs, errsByCount: [] },
    },
    shows: `production simulation task, ${jobs.length} jobs over all attempts (${summarise(jobs)}); stage-in failures cluster at SWT2_CPB, lost heartbeats at UNI-FREIBURG, memory/transform/SIGTERM failures elsewhere; many failed attempts were retried and finished`,
  };
}

export function analysisTask(rng: Rng, id: number, start: number): DemoTask {
  const jobs: Array<Record<string, unknown>> = [];
  for (let n = 0; n < 8; n++) {
    const job = newJob({
      rng,
      pandaid: 6603000000 + n + 1,
      taskid: id,
      queue: queueInfo('ANALY_BNL_VP'),
      start: start + n * 60_000,
      analysis: true,
      user: 'Jane Doe',
    });
    const spec = job.spec;
    spec.start = spec.modification;
    spec.end = spec.start + rng.int(300, 900) * 1000;
    spec.modification = spec.end + 20_000;
    if (n === 2 || n === 5) {
      spec.status = 'failed';
      spec.errors = {
        piloterrorcode: 1305,
        piloterrordiag: 'Failed to execute payload',
        transexitcode: '1',
        error_category: 'Runtime Failures and Resource Violations',
      };
    } else {
      spec.status = 'finished';
      spec.errors = { transexitcode: '0' };
    }
    spec.cpu = Math.round(((spec.end - spec.start) / 1000) * 0.8);
    spec.maxpssKb = rng.int(900_000, 1_600_000);
    const record = jobRecord(spec, rng, true);
    delete record.errorinfo;
    jobs.push(record);
  }
  const end = Math.max(...jobs.map((j) => Date.parse(`${String(j.modificationtime)}Z`)));
  const name = `user.janedoe.DiJetScan_r3.${isoNoZone(start).slice(0, 10).replace(/-/g, '')}/`;
  const task = taskRecord(
    rng,
    {
      jeditaskid: id,
      taskname: name,
      status: 'finished',
      ended: true,
      username: 'Jane Doe',
      prodsourcelabel: 'user',
      tasktype: 'anal',
      processingtype: 'panda-client-1.5.81-jedi-run',
      priority: 1000,
      corecount: 1,
      ramcount: 2000,
      transuses: 'Atlas-25.2.30',
      transhome: 'AnalysisBase-25.2.30',
      progress: 75,
      failurerate: 25,
      gshare: 'User Analysis',
      category: 'user analysis',
      errordialog: '2 of 8 jobs failed: execute script: Running script failed : StatusCode=1',
      nucleus: 'BNL-ATLAS',
    },
    start - 600_000,
    end,
  );
  const datasets = [
    {
      jeditaskid: id,
      datasetid: 790000001,
      datasetname: 'data24_13p6TeV.00485051.physics_Main.deriv.DAOD_PHYS.r15774_p6266',
      type: 'input',
      status: 'done',
      nfiles: 8,
      nfilesfinished: 6,
      nfilesfailed: 2,
    },
  ];
  return {
    id,
    file: {
      task: {
        task,
        taskparams: { taskName: name, userName: 'Jane Doe', jobParameters: [{ type: 'constant', value: 'python3 run_analysis.py --files %IN' }] },
        datasets,
      },
      jobs: { selectionsummary: [], jobs, errsByCount: [] },
    },
    shows: 'small user analysis task, 8 jobs (6 finished, 2 failed with the same user-code error, 1305 / transexitcode 1); task status finished',
  };
}
