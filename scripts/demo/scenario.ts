/** Shared machinery of demo job scenarios: context, files, the standard start and end of a pilot log. */
import type { JobSpec, QueueInfo } from './job-record.js';
import {
  createLog,
  finalUpdate,
  type FileSpec,
  getJob,
  type PilotContext,
  PilotLog,
  pilotExit,
  type StageInFailure,
  stageIn,
  stageOut,
  startup,
  summaryReport,
} from './pilot-log.js';
import type { Rng } from './rng.js';

export interface Built {
  spec: JobSpec;
  pilotlog: string;
  payloadStdout?: string;
  /** One line for the demo README. */
  shows: string;
}

export interface ScenarioInput {
  rng: Rng;
  pandaid: number;
  taskid: number;
  queue: QueueInfo;
  start: number;
  user?: string;
  analysis?: boolean;
  attemptnr?: number;
}

export interface Job {
  p: PilotLog;
  c: PilotContext;
  spec: JobSpec;
  pid: number;
  rng: Rng;
}

function file(rng: Rng, lfn: string, scope: string, dataset: string, fsize: number): FileSpec {
  return { lfn, scope, guid: rng.guid(), fsize, adler: rng.hex(8), dataset };
}

/** Creates the job's context, files and an empty spec; the pilot log starts at `start`. */
export function newJob(input: ScenarioInput): Job {
  const { rng, pandaid, taskid, queue } = input;
  const analysis = input.analysis ?? false;
  const serial = String(rng.int(1, 4000)).padStart(6, '0');
  const evnt = `mc23_13p6TeV.801168.Py8EG_A14NNPDF23LO_jj_JZ3.evgen.EVNT.e8466_e8528_tid3921${rng.int(1000, 9999)}_00`;
  const daod = `data24_13p6TeV.00485051.physics_Main.deriv.DAOD_PHYS.r15774_p6266_tid4${rng.int(1000000, 9999999)}_00`;
  const user = input.user ?? (analysis ? 'Jane Doe' : 'atlas-production');
  const short = user.split(' ')[0]?.toLowerCase() ?? 'user';
  const inputs = analysis
    ? [file(rng, `DAOD_PHYS.4${rng.int(1000000, 9999999)}._000${rng.int(100, 999)}.pool.root.1`, 'data24_13p6TeV', daod, rng.int(1_200_000_000, 2_900_000_000))]
    : [file(rng, `EVNT.3921${rng.int(1000, 9999)}._00${rng.int(1000, 9999)}.pool.root.1`, 'mc23_13p6TeV', evnt, rng.int(200_000_000, 400_000_000))];
  const outDataset = analysis
    ? `user.${short}.${taskid}.hist-output.root`
    : `mc23_13p6TeV.801168.Py8EG_A14NNPDF23LO_jj_JZ3.simul.HITS.e8466_e8528_s4155_tid${taskid}_00`;
  const outputs = [
    file(
      rng,
      analysis ? `user.${short}.${taskid}._${serial}.hist-output.root` : `HITS.${taskid}._${serial}.pool.root.1`,
      analysis ? `user.${short}` : 'mc23_13p6TeV',
      outDataset,
      rng.int(50_000_000, 700_000_000),
    ),
  ];
  const logFile = file(
    rng,
    analysis ? `user.${short}.${taskid}._${serial}.log.tgz` : `log.${taskid}._${serial}.job.log.tgz.1`,
    analysis ? `user.${short}` : 'mc23_13p6TeV',
    `${outDataset.replace('HITS', 'log')}.log`,
    rng.int(40_000, 900_000),
  );
  const wn = `${rng.pick(['wn', 'node', 'compute'])}-${rng.int(1, 40)}-${rng.int(1, 99)}.${queue.wnDomain}`;
  const workdir = `/scratch/condor/dir_${rng.int(10000, 99999)}/atlas_${rng.hex(8)}`;
  const c: PilotContext = {
    pandaid,
    taskid,
    attemptnr: input.attemptnr ?? 1,
    queue: queue.name,
    copytool: queue.copytool,
    rse: queue.rse,
    storageHost: queue.storageHost,
    workdir,
    wn,
    pilotVersion: '3.10.5.57',
    prodsourcelabel: analysis ? 'user' : 'managed',
    transformation: analysis ? 'http://pandaserver.cern.ch:25085/trf/user/runGen-00-00-02' : 'Sim_tf.py',
    release: analysis ? 'Atlas-25.2.30' : 'Atlas-24.0.53',
    inputs,
    outputs,
    log: logFile,
    corecount: queue.corecount,
    resourceType: queue.corecount > 1 ? 'MCORE' : 'SCORE',
    maxrssMb: queue.maxrss,
    timefloorMin: queue.timefloor,
  };
  const p = new PilotLog(rng, input.start);
  const spec: JobSpec = {
    pandaid,
    taskid,
    attemptnr: c.attemptnr,
    queue,
    status: 'failed',
    prodsourcelabel: analysis ? 'user' : 'managed',
    user,
    transformation: analysis ? 'runGen-00-00-02' : 'Sim_tf.py',
    release: c.release,
    processingtype: analysis ? 'panda-client-1.5.81-jedi-run' : 'simul',
    creation: input.start - rng.int(1800, 7200) * 1000,
    start: null,
    end: null,
    modification: input.start,
    cpu: 0,
    nevents: 0,
    inputs,
    outputs,
    log: logFile,
    wn,
    maxpssKb: 0,
  };
  return { p, c, spec, pid: rng.int(10_000, 99_999), rng };
}

export function payloadCommand(c: PilotContext): string {
  if (c.prodsourcelabel === 'user') {
    return `export ATLAS_LOCAL_ROOT_BASE=/cvmfs/atlas.cern.ch/repo/ATLASLocalRootBase;source $ATLAS_LOCAL_ROOT_BASE/user/atlasLocalSetup.sh --swtype apptainer -c el9;./runGen-00-00-02 -j "" --sourceURL https://pandaserver.cern.ch:25443 -r . -p "python3%20run_analysis.py%20--files%20%25IN" -i "['${c.inputs[0]?.lfn}']"`;
  }
  return `export ATLAS_LOCAL_ROOT_BASE=/cvmfs/atlas.cern.ch/repo/ATLASLocalRootBase;source $ATLAS_LOCAL_ROOT_BASE/user/atlasLocalSetup.sh --quiet;asetup AthSimulation,24.0.53,notest --platform x86_64-el9-gcc13-opt;Sim_tf.py --inputEVNTFile=${c.inputs[0]?.lfn} --maxEvents=1000 --outputHITSFile=${c.outputs[0]?.lfn} --multithreaded=True`;
}

/** Start-up, job download and stage-in; returns false when stage-in failed. */
export function begin(job: Job, failure?: StageInFailure): boolean {
  startup(job.p, job.c);
  getJob(job.p, job.c);
  job.spec.start = job.p.t;
  return stageIn(job.p, job.c, failure ? { failure } : { retryFirst: true });
}

/** Log tarball, log upload, final update, summary report and pilot exit; sets the end time. */
export function finish(
  job: Job,
  state: 'finished' | 'failed',
  pilotCode: number,
  pilotDiag: string,
  extra: { transexitcode?: number; exeerrorcode?: number; exeerrordiag?: string } = {},
): void {
  const { p, c } = job;
  createLog(p, c);
  stageOut(p, c, [c.log], 'log');
  job.spec.end = p.t;
  finalUpdate(p, c, state);
  job.spec.modification = p.t + 2000;
  summaryReport(p, c, {
    errors: pilotCode ? [{ code: pilotCode, diag: pilotDiag }] : [],
    state,
    transexitcode: extra.transexitcode ?? 0,
    exeerrorcode: extra.exeerrorcode ?? 0,
    exeerrordiag: extra.exeerrordiag ?? '',
    cpu: job.spec.cpu,
    nevents: job.spec.nevents,
    pid: job.pid,
  });
  pilotExit(p, pilotCode);
}
