/** The demo jobs: successes, one running job, and one job per failure kind. */
import { monitor, payloadEnd, payloadStart, stageOut } from './pilot-log.js';
import { transformStdout, userStdout } from './payload-stdout.js';
import { begin, type Built, finish, type Job, newJob, payloadCommand, type ScenarioInput } from './scenario.js';

type Scenario = (input: ScenarioInput) => Built;

function run(job: Job, minutes: number, each?: (m: number) => void): void {
  payloadStart(job.p, payloadCommand(job.c), job.pid);
  monitor(job.p, job.c, minutes, 'running', each);
  job.spec.cpu = Math.round(minutes * 60 * job.c.corecount * 0.82);
  job.spec.maxpssKb = job.rng.int(1_400_000, 1_900_000) * Math.max(1, Math.round(job.c.corecount / 2));
}

const jobOf = (input: ScenarioInput): Job => newJob(input);

const built = (job: Job, shows: string, payloadStdout?: string): Built => ({
  spec: job.spec,
  pilotlog: job.p.toString(),
  shows,
  ...(payloadStdout ? { payloadStdout } : {}),
});

export const finishedSimulation: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  run(job, 22);
  payloadEnd(job.p, job.pid, 0);
  job.spec.nevents = 1000;
  stageOut(job.p, job.c, job.c.outputs, 'output');
  job.spec.status = 'finished';
  finish(job, 'finished', 0, '', { transexitcode: 0 });
  job.spec.errors = { transexitcode: '0' };
  return built(job, 'finished simulation job (a stage-in transfer failed once and succeeded on retry)');
};

export const finishedAnalysis: Scenario = (input) => {
  const job = jobOf({ ...input, analysis: true });
  begin(job);
  run(job, 9);
  payloadEnd(job.p, job.pid, 0);
  stageOut(job.p, job.c, job.c.outputs, 'output');
  job.spec.status = 'finished';
  finish(job, 'finished', 0, '');
  job.spec.errors = { transexitcode: '0' };
  return built(job, 'finished user analysis job');
};

export const running: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  run(job, 14);
  job.spec.status = 'running';
  job.spec.modification = job.p.t;
  job.spec.errors = {};
  return built(job, 'RUNNING job (log ends in the monitoring loop; no end time)');
};

export const stageInTimeout: Scenario = (input) => {
  const job = jobOf(input);
  begin(job, { kind: 'timeout', timeoutS: 723 });
  const diag = `File transfer timed out during stage-in: ${job.c.inputs[0]?.scope}:${job.c.inputs[0]?.lfn} from ${job.c.rse}`;
  finish(job, 'failed', 1151, diag);
  job.spec.errors = { piloterrorcode: 1151, piloterrordiag: diag, error_category: 'File and Storage Issues' };
  return built(job, 'stage-in: input download timed out (1151)');
};

export const stageInNoReplica: Scenario = (input) => {
  const job = jobOf(input);
  begin(job, { kind: 'noreplica' });
  const diag = `Failed to stage-in file: ${job.c.inputs[0]?.scope}:${job.c.inputs[0]?.lfn} from ${job.c.rse}, None of the requested files have been downloaded.`;
  finish(job, 'failed', 1099, diag);
  job.spec.errors = { piloterrorcode: 1099, piloterrordiag: diag, error_category: 'File and Storage Issues' };
  return built(job, 'stage-in: no available source replica for the input (1099)');
};

export const rucioDown: Scenario = (input) => {
  const job = jobOf(input);
  begin(job, { kind: 'listreplicas' });
  const diag = 'Failed to get replicas from Rucio: ServiceUnavailable: 503 Service Unavailable';
  finish(job, 'failed', 1322, diag);
  job.spec.errors = { piloterrorcode: 1322, piloterrordiag: diag, error_category: 'Network and Communication Errors' };
  return built(job, 'Rucio list_replicas failed with 503 (1322, transient)');
};

export const stageOut503: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  run(job, 18);
  payloadEnd(job.p, job.pid, 0);
  job.spec.nevents = 1000;
  stageOut(job.p, job.c, job.c.outputs, 'output', { kind: '503' });
  const diag = `Service not available at the moment: ${job.c.rse} answered 503 Service Unavailable`;
  finish(job, 'failed', 1324, diag);
  job.spec.errors = { piloterrorcode: 1324, piloterrordiag: diag, transexitcode: '0', error_category: 'File and Storage Issues' };
  return built(job, 'stage-out: storage answered HTTP 503 during output upload (1324)');
};

export const stageOutChecksum: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  run(job, 16);
  payloadEnd(job.p, job.pid, 0);
  job.spec.nevents = 1000;
  stageOut(job.p, job.c, job.c.outputs, 'output', { kind: 'checksum' });
  const diag = `Failed to stage-out file: checksum verification failed for ${job.c.outputs[0]?.lfn}`;
  finish(job, 'failed', 1137, diag);
  job.spec.errors = { piloterrorcode: 1137, piloterrordiag: diag, transexitcode: '0', error_category: 'File and Storage Issues' };
  return built(job, 'stage-out: checksum mismatch after upload (1137)');
};

export const looping: Scenario = (input) => {
  const job = jobOf({ ...input, analysis: true });
  begin(job);
  const { p, c } = job;
  let lastTouch = 0;
  run(job, 150, (m) => {
    if (m === 12) lastTouch = p.t;
    if (m % 15 === 0) {
      p.log('INFO', 'pilot.util.loopingjob', 'looping_job', "checking for looping job (in state='running')", [1, 20]);
      const idle = m > 12 ? Math.round((p.t - lastTouch) / 1000) : 30;
      p.log(
        'INFO',
        'pilot.util.loopingjob',
        'looping_job',
        `files were last touched ${Math.floor(idle / 3600)}h ${Math.floor((idle % 3600) / 60)}m ${idle % 60}s ago (current time: ${Math.round(p.t / 1000)})`,
      );
    }
  });
  p.log(
    'CRITICAL',
    'pilot.util.loopingjob',
    'looping_job',
    `pilot has decided to kill looping job ${c.pandaid} at ${new Date(p.t).toISOString().slice(0, 19).replace('T', ' ')}`,
  );
  p.log('INFO', 'pilot.util.processes', 'kill_processes', `killing payload process group ${job.pid} (SIGTERM, then SIGKILL after 10 s)`);
  payloadEnd(p, job.pid, 137);
  const diag = 'Looping job killed by pilot';
  finish(job, 'failed', 1150, diag, { transexitcode: 137 });
  job.spec.errors = { piloterrorcode: 1150, piloterrordiag: diag, transexitcode: '137', error_category: 'Runtime Failures and Resource Violations' };
  return built(job, 'looping job: user payload stopped writing files and was killed (1150)');
};

export const memory: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  const { p, c } = job;
  const limitKb = c.maxrssMb * 1024 * 2;
  const pss = Math.round(limitKb * 1.18);
  run(job, 41, (m) => {
    if (m === 40)
      p.log(
        'WARNING',
        'pilot.user.atlas.memory',
        'memory_usage',
        `job has exceeded the memory limit ${pss} kB > ${limitKb} kB (subresource=${c.resourceType}, corecount=${c.corecount})`,
      );
  });
  job.spec.maxpssKb = pss;
  p.log('INFO', 'pilot.control.job', 'job_monitor', 'will abort job monitoring soon since job state=failed (job is still in queue)');
  payloadEnd(p, job.pid, 137);
  const diag = 'Payload exceeded maximum allowed memory';
  finish(job, 'failed', 1235, diag, { transexitcode: 137 });
  job.spec.errors = { piloterrorcode: 1235, piloterrordiag: diag, transexitcode: '137', error_category: 'Runtime Failures and Resource Violations' };
  return built(job, 'memory: PSS above the pilot limit (1235)');
};

function killedBySignal(input: ScenarioInput, signal: 'SIGXCPU' | 'SIGTERM', code: number, minutes: number, shows: string): Built {
  const job = jobOf(input);
  begin(job);
  const { p } = job;
  run(job, minutes);
  p.log('WARNING', 'pilot.workflow.generic', 'interrupt', `caught signal: ${signal} in FRAME=`);
  p.raw(
    '  File "/scratch/pilot3/pilot.py", line 180, in main',
    '    exitcode = workflow.run(args)',
    '  File "/scratch/pilot3/pilot/workflow/generic.py", line 235, in run',
    '    time.sleep(0.5)',
  );
  p.log('INFO', 'pilot.workflow.generic', 'interrupt', 'will instruct threads to abort and update the server');
  p.log('INFO', 'pilot.workflow.generic', 'interrupt', 'setting graceful stop (in case it was not set already)');
  payloadEnd(p, job.pid, 143);
  const diag = `Job killed by signal: ${signal}`;
  finish(job, 'failed', code, diag, { transexitcode: 143 });
  job.spec.errors = { piloterrorcode: code, piloterrordiag: diag, transexitcode: '143', error_category: 'Job Termination and Kill Signals' };
  return built(job, shows);
}

export const sigxcpu: Scenario = (input) => killedBySignal(input, 'SIGXCPU', 1204, 95, 'walltime: batch system sent SIGXCPU (1204)');
export const sigterm: Scenario = (input) => killedBySignal(input, 'SIGTERM', 1201, 37, 'killed by the batch system with SIGTERM (1201)');

export const maxWalltime: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  const { p } = job;
  run(job, 120);
  p.log('WARNING', 'pilot.control.job', 'job_monitor', 'job has been running for 7215 s, batch system time limit is 7200 s (REACHED_MAXTIME)');
  p.log('CRITICAL', 'pilot.control.job', 'job_monitor', 'reached batch system time limit: will kill the payload');
  payloadEnd(p, job.pid, 137);
  const diag = 'Reached batch system time limit';
  finish(job, 'failed', 1213, diag, { transexitcode: 137 });
  job.spec.errors = { piloterrorcode: 1213, piloterrordiag: diag, transexitcode: '137', error_category: 'Runtime Failures and Resource Violations' };
  return built(job, 'walltime: reached the batch system time limit (1213)');
};

export const transformError: Scenario = (input) => {
  const job = jobOf(input);
  job.c.transformation = 'Reco_tf.py';
  job.spec.transformation = 'Reco_tf.py';
  job.spec.processingtype = 'reprocessing';
  begin(job);
  const { p } = job;
  run(job, 12);
  payloadEnd(p, job.pid, 65);
  p.log('INFO', 'pilot.user.atlas.diagnose', 'interpret', 'extracted exit code from job report: 65');
  p.log('INFO', 'pilot.user.atlas.diagnose', 'interpret', 'extracted exit message from job report: Non-zero return code from RAWtoALL (8)');
  const diag = 'Failed to execute payload';
  finish(job, 'failed', 1305, diag, { transexitcode: 65, exeerrorcode: 65, exeerrordiag: 'Non-zero return code from RAWtoALL (8)' });
  job.spec.errors = {
    piloterrorcode: 1305,
    piloterrordiag: diag,
    exeerrorcode: 65,
    exeerrordiag: 'Non-zero return code from RAWtoALL (8)',
    transexitcode: '65',
    error_category: 'Software and Environment Issues',
  };
  return built(job, 'transform error: Reco_tf.py RAWtoALL failed on a missing conditions IOV (1305, exe 65; payload.stdout)', transformStdout(job));
};

export const userError: Scenario = (input) => {
  const job = jobOf({ ...input, analysis: true });
  begin(job);
  const { p } = job;
  run(job, 4);
  payloadEnd(p, job.pid, 1);
  p.log('INFO', 'pilot.user.atlas.diagnose', 'interpret', 'payload_error_report.json contained error code: 0');
  const diag = 'Failed to execute payload';
  finish(job, 'failed', 1305, diag, { transexitcode: 1 });
  job.spec.errors = { piloterrorcode: 1305, piloterrordiag: diag, transexitcode: '1', error_category: 'Runtime Failures and Resource Violations' };
  return built(job, 'user payload error: analysis code asks for a branch missing in the input (1305, transexitcode 1; payload.stdout)', userStdout(job));
};

export const lostHeartbeat: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  const { p } = job;
  run(job, 33, (m) => {
    if (m === 31)
      p.log('WARNING', 'pilot.util.monitoring', 'check_local_space', 'failed to read local disk usage: [Errno 5] Input/output error: /scratch/condor');
    if (m === 32) p.log('ERROR', 'pilot.control.job', 'send_state', 'could not write heartbeat file: [Errno 5] Input/output error');
  });
  // The node hangs here: nothing more is written and the server declares the job lost 3 hours later.
  job.spec.end = p.t + 3 * 3600_000 + 600_000;
  job.spec.modification = job.spec.end;
  const diag = `lost heartbeat : ${new Date(p.t).toISOString().slice(0, 19).replace('T', ' ')}`;
  job.spec.errors = { jobdispatchererrorcode: 100, jobdispatchererrordiag: diag, error_category: 'Network and Communication Errors' };
  return built(job, 'lost heartbeat: the node had disk I/O errors and hung; the server failed the job (jobdispatcher 100)');
};

export const proxyExpired: Scenario = (input) => {
  const job = jobOf({ ...input, analysis: true });
  const { p, c } = job;
  begin(job);
  p.log('DEBUG', 'pilot.control.job', 'handle_proxy', 'will download a new proxy since job.is_analysis()=True');
  p.log(
    'INFO',
    'pilot.util.container',
    'print_executable',
    'executing command: arcproxy -i validityEnd -i validityLeft -i vomsACvalidityEnd -i vomsACvalidityLeft',
  );
  p.log('INFO', 'pilot.user.atlas.proxy', 'check_time_left', 'cache: check proxy validity: wanted=48h (172800s with grace) left=0.00h (VOMS AC expired)');
  p.log('CRITICAL', 'pilot.user.atlas.proxy', 'verify_arcproxy', 'VOMS AC of the user proxy has expired: Voms proxy not valid');
  p.log('ERROR', 'pilot.control.job', 'validate', `job ${c.pandaid} failed proxy verification - will not run the payload`);
  const diag = 'Voms proxy not valid';
  finish(job, 'failed', 1177, diag);
  job.spec.errors = { piloterrorcode: 1177, piloterrordiag: diag, error_category: 'Software and Environment Issues' };
  return built(job, 'auth: the user proxy VOMS extension had expired (1177)');
};

export const diskFull: Scenario = (input) => {
  const job = jobOf({ ...input, analysis: true });
  begin(job);
  const { p, c } = job;
  run(job, 20, (m) => {
    if (m === 20)
      p.log(
        'CRITICAL',
        'pilot.util.monitoring',
        'check_work_dir',
        `work directory (${c.workdir}/PanDA_Pilot-${c.pandaid}) is too large: 21474836480 B (must be < 10737418240 B)`,
      );
  });
  payloadEnd(p, job.pid, 137);
  const diag = 'User work directory too large';
  finish(job, 'failed', 1104, diag, { transexitcode: 137 });
  job.spec.errors = { piloterrorcode: 1104, piloterrordiag: diag, transexitcode: '137', error_category: 'Runtime Failures and Resource Violations' };
  return built(job, 'disk: user work directory grew above the limit (1104)');
};

export const killedByServer: Scenario = (input) => {
  const job = jobOf(input);
  begin(job);
  const { p, c } = job;
  run(job, 8);
  p.log(
    'WARNING',
    'pilot.control.job',
    'job_monitor',
    `pilot received a panda server signal to kill job ${c.pandaid} at ${new Date(p.t).toISOString().slice(0, 19).replace('T', ' ')}`,
  );
  payloadEnd(p, job.pid, 143);
  const diag = 'This job was killed by panda server';
  finish(job, 'failed', 1144, diag, { transexitcode: 143 });
  job.spec.status = 'cancelled';
  job.spec.errors = {
    piloterrorcode: 1144,
    piloterrordiag: diag,
    taskbuffererrorcode: 100,
    taskbuffererrordiag: 'killed by atlas-production',
    transexitcode: '143',
  };
  return built(job, 'cancelled: killed on request through the PanDA server (1144, taskbuffer 100)');
};
