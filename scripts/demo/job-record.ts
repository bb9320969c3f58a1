/** Builds monitor-shaped job records (`/job?pandaid=N&json`) and their file rows. */
import type { FileSpec } from './pilot-log.js';
import { isoNoZone, monitorTime, type Rng } from './rng.js';

export interface QueueInfo {
  name: string;
  cloud: string;
  rse: string;
  copytool: string;
  storageHost: string;
  wnDomain: string;
  corecount: number;
  maxrss: number;
  timefloor: number;
}

export interface JobSpec {
  pandaid: number;
  taskid: number;
  attemptnr: number;
  queue: QueueInfo;
  status: string;
  prodsourcelabel: 'managed' | 'user';
  user: string;
  transformation: string;
  release: string;
  processingtype: string;
  creation: number;
  start: number | null;
  end: number | null;
  modification: number;
  cpu: number;
  nevents: number;
  inputs: FileSpec[];
  outputs: FileSpec[];
  log: FileSpec;
  wn: string;
  maxpssKb: number;
  parentid?: number | null;
  /** Error fields; anything not given is 0 / "". */
  errors?: Partial<
    Record<
      'piloterrorcode' | 'exeerrorcode' | 'ddmerrorcode' | 'taskbuffererrorcode' | 'jobdispatchererrorcode' | 'superrorcode' | 'brokerageerrorcode',
      number
    >
  > &
    Partial<
      Record<
        'piloterrordiag' | 'exeerrordiag' | 'ddmerrordiag' | 'taskbuffererrordiag' | 'jobdispatchererrordiag' | 'superrordiag' | 'brokerageerrordiag',
        string
      >
    > & {
      transexitcode?: string;
      error_category?: string;
    };
}

const DURATION = (s: number): string =>
  `${Math.floor(s / 86400)}:${Math.floor((s % 86400) / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

/** The `job` object. `iso` selects the `/jobs/` date encoding instead of the `/job` one. */
export function jobRecord(spec: JobSpec, rng: Rng, iso = false): Record<string, unknown> {
  const t = (ms: number | null): string | null => (ms === null ? null : iso ? isoNoZone(ms) : monitorTime(ms));
  const e = spec.errors ?? {};
  const durationsec = spec.start !== null && spec.end !== null ? Math.round((spec.end - spec.start) / 1000) : 0;
  const errorinfo = [
    e.piloterrorcode ? `pilot:${e.piloterrorcode} ${e.piloterrordiag ?? ''}` : '',
    e.exeerrorcode ? `executor:${e.exeerrorcode} ${e.exeerrordiag ?? ''}` : '',
    e.jobdispatchererrorcode ? `jobdispatcher:${e.jobdispatchererrorcode} ${e.jobdispatchererrordiag ?? ''}` : '',
    e.taskbuffererrorcode ? `taskbuffer:${e.taskbuffererrorcode} ${e.taskbuffererrordiag ?? ''}` : '',
    e.transexitcode && e.transexitcode !== '0' ? `transform:${e.transexitcode} ` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const failed = spec.status === 'failed' || spec.status === 'holding';
  const jobname =
    spec.prodsourcelabel === 'user'
      ? `user.${spec.user.split(' ')[0]?.toLowerCase()}.${spec.taskid}/.${spec.pandaid}`
      : `${spec.outputs[0]?.dataset.split('.').slice(0, 3).join('.') ?? 'mc23'}/.${spec.pandaid}`;
  const record: Record<string, unknown> = {
    pandaid: spec.pandaid,
    jobdefinitionid: 0,
    schedulerid: 'harvester-CERN_central_A',
    pilotid: `https://aipanda180.cern.ch/condor_logs_2/${monitorTime(spec.creation).slice(2, 10)}_${monitorTime(spec.creation).slice(11, 13)}/grid.${rng.int(1_000_000, 9_999_999)}.0.out|PR|PICARD|3.10.5.57`,
    creationtime: t(spec.creation),
    creationhost: '',
    modificationtime: t(spec.modification),
    modificationhost: `atlpilo1@${spec.wn}`,
    atlasrelease: spec.release,
    transformation: spec.transformation,
    homepackage: spec.prodsourcelabel === 'user' ? `AnalysisBase/${spec.release.replace('Atlas-', '')}` : `Athena/${spec.release.replace('Atlas-', '')}`,
    prodsourcelabel: spec.prodsourcelabel,
    produserid: `/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=${spec.user.replace(/\s/g, '').toLowerCase()}`,
    gshare: spec.prodsourcelabel === 'user' ? 'User Analysis' : 'MC Simulation Full',
    assignedpriority: spec.prodsourcelabel === 'user' ? 1000 : 900,
    currentpriority: spec.prodsourcelabel === 'user' ? 1000 : 900 - (spec.attemptnr - 1) * 10,
    attemptnr: spec.attemptnr,
    maxattempt: 5,
    failedattempt: spec.attemptnr - 1,
    jobstatus: spec.status,
    jobsubstatus: '',
    jobname,
    maxcpucount: 0,
    maxdiskcount: 9000,
    maxdiskunit: 'MB',
    minramcount: spec.queue.maxrss > 0 ? Math.min(spec.queue.maxrss, 2000 * spec.queue.corecount) : 2000,
    minramunit: 'MB',
    starttime: t(spec.start),
    endtime: t(spec.end),
    statechangetime: t(spec.modification),
    cpuconsumptiontime: spec.cpu,
    cpuconsumptionunit: 's+AMD EPYC 7452 32-Core Processor',
    commandtopilot: '',
    transexitcode: e.transexitcode ?? (spec.status === 'finished' ? '0' : ''),
    piloterrorcode: e.piloterrorcode ?? 0,
    piloterrordiag: e.piloterrordiag ?? '',
    exeerrorcode: e.exeerrorcode ?? 0,
    exeerrordiag: e.exeerrordiag ?? '',
    superrorcode: e.superrorcode ?? 0,
    superrordiag: e.superrordiag ?? '',
    ddmerrorcode: e.ddmerrorcode ?? 0,
    ddmerrordiag: e.ddmerrordiag ?? '',
    brokerageerrorcode: e.brokerageerrorcode ?? 0,
    brokerageerrordiag: e.brokerageerrordiag ?? '',
    jobdispatchererrorcode: e.jobdispatchererrorcode ?? 0,
    jobdispatchererrordiag: e.jobdispatchererrordiag ?? '',
    taskbuffererrorcode: e.taskbuffererrorcode ?? 0,
    taskbuffererrordiag: e.taskbuffererrordiag ?? '',
    computingsite: spec.queue.name,
    computingelement: spec.queue.name,
    destinationse: spec.queue.rse,
    nevents: spec.nevents,
    cloud: spec.queue.cloud,
    cpuconversion: null,
    taskid: spec.taskid,
    jeditaskid: spec.taskid,
    cmtconfig: 'x86_64-el9-gcc13-opt',
    lockedby: 'jedi',
    vo: 'atlas',
    processingtype: spec.processingtype,
    produsername: spec.user,
    batchid: `${rng.int(1_000_000, 9_999_999)}.0`,
    parentid: spec.parentid ?? null,
    specialhandling: 'ddm:rucio',
    jobsetid: Math.floor(spec.taskid / 700),
    corecount: spec.queue.corecount,
    actualcorecount: spec.start !== null ? spec.queue.corecount : null,
    ninputdatafiles: spec.inputs.length,
    inputfilebytes: spec.inputs.reduce((n, f) => n + f.fsize, 0),
    noutputdatafiles: spec.outputs.length,
    outputfilebytes: spec.status === 'finished' ? spec.outputs.reduce((n, f) => n + f.fsize, 0) : 0,
    resourcetype: spec.queue.corecount > 1 ? 'MCORE' : 'SCORE',
    maxrss: Math.round(spec.maxpssKb * 1.15),
    maxpss: spec.maxpssKb,
    maxvmem: Math.round(spec.maxpssKb * 1.8),
    maxswap: 0,
    avgpss: Math.round(spec.maxpssKb * 0.7),
    eventservice: 'ordinary',
    job_label: spec.prodsourcelabel,
    category: 'run',
    jobinfo: '',
    homecloud: spec.queue.cloud,
    processor_type: 'CPU',
    wn: spec.wn,
    durationsec,
    durationmin: Math.round(durationsec / 60),
    duration: DURATION(durationsec),
    harvesterInfo: {},
    file_summary_str: `input: ${spec.inputs.length}, size: ${(spec.inputs.reduce((n, f) => n + f.fsize, 0) / 1e9).toFixed(2)}GB, #events: ${spec.nevents}; output: ${spec.outputs.length}; log: 1`,
    cpuefficiency: durationsec > 0 ? Math.round((spec.cpu / durationsec / spec.queue.corecount) * 10000) / 100 : null,
  };
  if (failed) {
    record.errorinfo = errorinfo;
    record.error_desc = '';
    record.error_category = e.error_category ?? '';
  }
  return record;
}

export function fileRows(spec: JobSpec, rng: Rng): Array<Record<string, unknown>> {
  const row = (f: FileSpec, type: string, status: string): Record<string, unknown> => ({
    row_id: rng.int(60_000_000_000, 69_999_999_999),
    pandaid: spec.pandaid,
    modificationtime: monitorTime(spec.modification),
    guid: f.guid,
    lfn: f.lfn,
    type,
    dataset: f.dataset,
    status,
    destinationdblock: type === 'input' ? '' : `${f.dataset}_sub0${rng.int(300_000_000, 399_999_999)}`,
    destinationse: type === 'input' ? '' : spec.queue.name,
    fsize: f.fsize,
    md5sum: '',
    checksum: `ad:${f.adler}`,
    scope: f.scope,
    jeditaskid: spec.taskid,
    attemptnr: type === 'input' ? spec.attemptnr : 0,
    fsizemb: Math.round(f.fsize / 10_000) / 100,
    creationdate: monitorTime(spec.creation),
    datasetname: f.dataset,
  });
  const ok = spec.status === 'finished';
  return [
    ...spec.inputs.map((f) => row(f, 'input', ok ? 'finished' : 'ready')),
    ...spec.outputs.map((f) => row(f, 'output', ok ? 'finished' : 'failed')),
    row(spec.log, 'log', ok || spec.status === 'failed' ? 'finished' : 'failed'),
  ];
}
