/**
 * Realistic job records for large generated tasks: the ~150 keys of a `/jobs/?json` record (model
 * columns plus the monitor's derived keys; research note A.1/A.2), with `/jobs/` date encoding (ISO
 * without zone), states, sites, retries and error codes/diagnostics in production proportions.
 */

export interface GeneratedTask {
  jeditaskid: number;
  /** Number of job records (all attempts). */
  jobs: number;
  taskname?: string;
  username?: string;
}

const SITES = ['BNL', 'MWT2', 'AGLT2', 'CERN', 'FZK-LCG2', 'praguelcg2', 'RAL', 'IN2P3-CC', 'NIKHEF', 'TRIUMF', 'SWT2_CPB', 'DESY-HH'];
const FAILURES: Array<Record<string, unknown>> = [
  { piloterrorcode: 1099, piloterrordiag: 'Failed to stage-in file: rucio download failed: DID not found on any RSE', error_desc: 'Failed to stage-in file' },
  {
    piloterrorcode: 1305,
    piloterrordiag: 'Payload execution failed: trf exit code 65',
    exeerrorcode: 65,
    exeerrordiag: 'Non-zero return code from EVNTtoHITS (65)',
    transexitcode: '65',
  },
  { piloterrorcode: 1150, piloterrordiag: 'Looping job killed by pilot', error_desc: 'Looping job killed by pilot' },
  { piloterrorcode: 1235, piloterrordiag: 'Payload exceeded maximum allowed memory: maxPSS 4194304 kB > 4000000 kB' },
  { piloterrorcode: 0, exeerrorcode: 8, exeerrordiag: 'Athena crashed: segmentation violation in G4SteppingManager', transexitcode: '8' },
  { piloterrorcode: 0, jobdispatchererrorcode: 100, jobdispatchererrordiag: 'lost heartbeat : 2025-10-02 11:03:12' },
  { piloterrorcode: 1201, piloterrordiag: 'Job killed by signal: SIGTERM' },
];

const pad = (n: number) => String(n).padStart(2, '0');
function iso(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The pandaid of job `i` of a generated task. */
export const generatedPandaid = (task: Pick<GeneratedTask, 'jeditaskid'>, i: number): number => 6_700_000_000 + task.jeditaskid * 100 + i;

const GENERATED_START = Date.UTC(2025, 9, 1, 0, 0, 0);
const STEP_MS = 11_000;
/** Earliest and latest offset of job i's modification time from its creation (see generatedJob). */
const MOD_MIN_MS = 600_000 + 3600_000 + 120_000;
const MOD_MAX_MS = 600_000 + 12 * 60_000 + (3600 + 28 * 600) * 1000 + 120_000;

/** Indexes [first, last] of the jobs whose modification time can fall in [fromMs, toMs) (a superset). */
export function generatedIndexRange(task: GeneratedTask, fromMs: number, toMs: number): [number, number] {
  const first = Number.isFinite(fromMs) ? Math.max(0, Math.floor((fromMs - GENERATED_START - MOD_MAX_MS) / STEP_MS)) : 0;
  const last = Number.isFinite(toMs) ? Math.min(task.jobs - 1, Math.ceil((toMs - GENERATED_START - MOD_MIN_MS) / STEP_MS)) : task.jobs - 1;
  return [first, last];
}

/** The state of job `i` without building its record: about 11 % failed, retries (every tenth) finished. */
export const generatedStatus = (i: number): 'failed' | 'finished' => (i % 10 !== 9 && i % 8 === 3 ? 'failed' : 'finished');
/** The computing site of job `i` without building its record. */
export const generatedSite = (i: number): string => SITES[(i * 7) % SITES.length] as string;

/** Job `i` (0-based) of a generated task: about 12 % failed, retries named by `parentid`. */
export function generatedJob(task: GeneratedTask, i: number): Record<string, unknown> {
  const pandaid = generatedPandaid(task, i);
  const retry = i % 10 === 9; // every tenth record is the retry of the one before it
  const failed = generatedStatus(i) === 'failed';
  const failure = FAILURES[i % FAILURES.length] as Record<string, unknown>;
  const site = generatedSite(i);
  const created = GENERATED_START + i * STEP_MS;
  const start = created + 600_000 + (i % 13) * 60_000;
  const duration = 3600 + (i % 29) * 600;
  const end = start + duration * 1000;
  const taskname = task.taskname ?? `mc23_13p6TeV.601229.PhPy8EG_A14_ttbar_hdamp258p75_SingleLep.simul.HITS.e8514_s4162_tid${task.jeditaskid}`;
  const origin = retry ? pandaid - 1 : pandaid;
  const status = failed ? 'failed' : 'finished';
  const job: Record<string, unknown> = {
    pandaid,
    jeditaskid: task.jeditaskid,
    taskid: task.jeditaskid,
    jobdefinitionid: 400_000 + (i % 997),
    jobsetid: 10_000 + Math.floor(i / 100),
    reqid: 51_234,
    parentid: retry ? pandaid - 1 : null,
    workqueue_id: 18,
    jobname: `${taskname}.${origin}`,
    jobstatus: status,
    jobsubstatus: failed ? '' : null,
    commandtopilot: null,
    attemptnr: retry ? 2 : 1,
    maxattempt: 5,
    failedattempt: failed ? 1 : 0,
    prodsourcelabel: 'managed',
    processingtype: 'simul',
    transformation: 'Sim_tf.py',
    atlasrelease: 'Atlas-23.0.30',
    homepackage: 'AtlasOffline/23.0.30',
    cmtconfig: 'x86_64-centos7-gcc11-opt',
    container_name: '',
    computingsite: site,
    computingelement: `${site.toLowerCase()}-ce01.example.org`,
    cloud: 'US',
    nucleus: 'BNL',
    grid: '',
    produsername: task.username ?? 'atlas-production',
    produserid: '/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=atlpilo1/CN=614260/CN=Robot: ATLAS Pilot1',
    creationtime: iso(created),
    modificationtime: iso(end + 120_000),
    starttime: iso(start),
    endtime: iso(end),
    statechangetime: iso(end + 120_000),
    proddbupdatetime: iso(end + 60_000),
    piloterrorcode: 0,
    piloterrordiag: '',
    exeerrorcode: 0,
    exeerrordiag: '',
    transexitcode: '0',
    ddmerrorcode: 0,
    ddmerrordiag: '',
    brokerageerrorcode: 0,
    brokerageerrordiag: '',
    jobdispatchererrorcode: 0,
    jobdispatchererrordiag: '',
    taskbuffererrorcode: 0,
    taskbuffererrordiag: '',
    superrorcode: 0,
    superrordiag: '',
    currentpriority: 900 + (i % 50),
    assignedpriority: 900,
    corecount: 8,
    actualcorecount: 8,
    meancorecount: 7.6,
    resourcetype: 'MCORE',
    minramcount: 16000,
    minramunit: 'MB',
    maxcpucount: 345600,
    maxcpuunit: 'HS06sPerEvent',
    maxdiskcount: 12000,
    maxdiskunit: 'MB',
    maxwalltime: 345600,
    cpuconsumptiontime: duration * 7.2,
    cpuconsumptionunit: 's',
    cpuconversion: '1',
    maxrss: 12_000_000 + (i % 17) * 100_000,
    maxvmem: 19_000_000,
    maxswap: 0,
    maxpss: 11_500_000,
    avgrss: 9_000_000,
    avgvmem: 15_000_000,
    avgswap: 0,
    avgpss: 8_800_000,
    nevents: failed ? 0 : 1000,
    ninputdatafiles: 1,
    noutputdatafiles: 1,
    inputfilebytes: 1_254_000_000,
    outputfilebytes: failed ? 0 : 890_000_000,
    inputfiletype: 'EVNT',
    inputfileproject: 'mc23_13p6TeV',
    outputfiletype: 'HITS',
    hs06: 96,
    hs06sec: duration * 96,
    diskio: 120,
    totrchar: 2_400_000_000,
    totwchar: 1_100_000_000,
    totrbytes: 1_300_000_000,
    totwbytes: 900_000_000,
    raterchar: 600_000,
    ratewchar: 300_000,
    raterbytes: 350_000,
    ratewbytes: 250_000,
    memoryleak: 12,
    memoryleakx2: 3,
    pilotid: `https://${site.toLowerCase()}-ce01.example.org/logs/pilot.${pandaid}.out|PR|PICARD|3.10.5.57`,
    batchid: `${site.toLowerCase()}-ce01.example.org#${1_000_000 + i}.0#1700000000`,
    schedulerid: 'harvester-CERN_central_A',
    modificationhost: `atlas@wn${100 + (i % 400)}.${site.toLowerCase()}.example.org`,
    specialhandling: 'ddm:rucio,hc:DE,de',
    jobmetrics: 'coreCount=8 nEvents=1000 dbTime=1.2 dbData=4200 workDirSize=2400000 leak=12 leak_x2=3',
    gshare: 'ATLAS Production',
    job_label: 'managed',
    eventservice: 'ordinary',
    destinationse: `nucleus:BNL`,
    proddblock: 'mc23_13p6TeV.601229.PhPy8EG_A14_ttbar.evgen.EVNT.e8514_tid35000000_00',
    dispatchdblock: `panda.${task.jeditaskid}.10.02.GEN.${i % 5}_dis${pandaid}`,
    destinationdblock: `mc23_13p6TeV.601229.simul.HITS.e8514_s4162_tid${task.jeditaskid}_00_sub${pandaid % 1000}`,
    lockedby: 'jedi',
    relocationflag: 1,
    jobexecutionid: 0,
    vo: 'atlas',
    pilottiming: '{"setup": 12, "stagein": 40, "payload": 3500, "stageout": 25}',
    workinggroup: '',
    countrygroup: '',
    transfertype: '',
    sourcesite: '',
    destinationsite: '',
    ipconnectivity: 'IPv4',
    prodserieslabel: 'pandatest',
    gco2_regional: 12.5,
    gco2_global: 14.1,
    cpu_architecture_level: 'x86-64-v3',
    creationhost: 'aipanda181.cern.ch',
    cpuconsumption: null,
    jobsetrange: `${10_000 + Math.floor(i / 100)}:${10_000 + Math.floor(i / 100)}`,
    priorityrange: '900:999',
    category: 'run',
    jobinfo: '',
    homecloud: 'US',
    processor_type: 'CPU',
    wn: `wn${100 + (i % 400)}.${site.toLowerCase()}.example.org`,
    durationsec: duration,
    durationmin: Math.round(duration / 60),
    duration: `0:${Math.floor(duration / 3600)}:${pad(Math.floor((duration % 3600) / 60))}:00`,
    waittimesec: 600,
    waittime: '0:0:10:00',
    maxpssgbpercore: 1.37,
    cpuefficiency: 90.1,
    harvesterInfo: {},
    file_summary_str: 'input: 1, size: 1.3GB, #events: 1000; output: 1; log: 1',
    days_since_creation: 65,
    pilotversion: '3.10.5.57',
    consumer: null,
    harvesterinstance: 'CERN_central_A',
    computingelementname: `${site.toLowerCase()}-ce01.example.org`,
    outputfilenumber: 1,
    attemptnr_max: 5,
    error_desc: '',
    error_category: '',
    transformerrordiag: '',
  };
  if (failed) {
    Object.assign(job, failure);
    job.errorinfo = `pilot:${failure.piloterrorcode ?? 0} ${String(failure.piloterrordiag ?? '')}`;
  }
  return job;
}

/** The `/task/N/?json` answer of a generated task. */
export function generatedTaskAnswer(task: GeneratedTask): Record<string, unknown> {
  const taskname = task.taskname ?? `mc23_13p6TeV.601229.PhPy8EG_A14_ttbar_hdamp258p75_SingleLep.simul.HITS.e8514_s4162_tid${task.jeditaskid}`;
  return {
    task: {
      jeditaskid: task.jeditaskid,
      taskname,
      status: 'running',
      superstatus: 'running',
      username: task.username ?? 'atlas-production',
      creationdate: '2025-10-01 00:00:00',
      modificationtime: '2025-10-08 12:00:00',
      starttime: '2025-10-01 00:10:00',
      prodsourcelabel: 'managed',
      tasktype: 'prod',
      processingtype: 'simul',
      corecount: 8,
      ramcount: 2000,
      ramunit: 'MBPerCore',
      site: '',
      cloud: 'WORLD',
      nucleus: 'BNL',
      campaign: 'MC23c',
      progress: 70,
      failurerate: 12,
      attemptnr: 1,
    },
    taskparams: { taskName: taskname, userName: task.username ?? 'atlas-production' },
    datasets: [
      {
        jeditaskid: task.jeditaskid,
        datasetid: 1,
        datasetname: `${taskname}_00`,
        type: 'input',
        status: 'ready',
        nfiles: task.jobs,
        nfilesfinished: 0,
        nfilesfailed: 0,
      },
    ],
  };
}
