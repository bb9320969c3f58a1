/**
 * Writes pilot3 debug-format logs (`time | LEVEL | logger | function | message`, UTC) section by
 * section: start-up, job download, stage-in (with a retried transfer), payload, monitoring,
 * stage-out, log creation, final update, job summary report, pilot exit.
 */
import { pilotTime, type Rng } from './rng.js';

export interface FileSpec {
  lfn: string;
  scope: string;
  guid: string;
  fsize: number;
  adler: string;
  dataset: string;
}

export interface PilotContext {
  pandaid: number;
  taskid: number;
  attemptnr: number;
  queue: string;
  copytool: string;
  rse: string;
  storageHost: string;
  workdir: string;
  wn: string;
  pilotVersion: string;
  prodsourcelabel: string;
  transformation: string;
  release: string;
  inputs: FileSpec[];
  outputs: FileSpec[];
  log: FileSpec;
  corecount: number;
  resourceType: string;
  maxrssMb: number;
  timefloorMin: number;
}

type Level = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

export class PilotLog {
  readonly lines: string[] = [];
  constructor(
    readonly rng: Rng,
    public t: number,
  ) {}

  log(level: Level, logger: string, func: string, message: string, stepMs: [number, number] = [2, 40]): void {
    this.t += this.rng.int(stepMs[0], stepMs[1]);
    this.lines.push(`${pilotTime(this.t)} | ${level.padEnd(8)} | ${logger.padEnd(32)} | ${func.padEnd(25)} | ${message}`);
  }
  /** Continuation lines of a multi-line message (no prefix). */
  raw(...text: string[]): void {
    this.lines.push(...text);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const pfn = (c: PilotContext, f: FileSpec): string => {
  const scheme = c.copytool === 'xrdcp' ? 'root' : c.copytool === 'mv' ? 'file' : 'davs';
  const port = scheme === 'file' ? '' : ':1094';
  const host = scheme === 'file' ? '' : c.storageHost;
  return `${scheme}://${host}${port}/atlas/${c.rse.toLowerCase().replace(/_/g, '')}/rucio/${f.scope}/${f.guid.slice(0, 2).toLowerCase()}/${f.guid.slice(2, 4).toLowerCase()}/${f.lfn}`;
};

export function startup(p: PilotLog, c: PilotContext): void {
  const banner = '*'.repeat(39);
  p.log('INFO', 'pilot.util.auxiliary', 'pilot_version_banner', banner);
  p.log('INFO', 'pilot.util.auxiliary', 'pilot_version_banner', `***  PanDA Pilot version ${c.pilotVersion}  ***`);
  p.log('INFO', 'pilot.util.auxiliary', 'pilot_version_banner', banner);
  p.log('INFO', 'pilot.util.cvmfs', 'is_cvmfs_available', 'CVMFS is available at /cvmfs/atlas.cern.ch/repo/sw (and could be opened)');
  p.log('INFO', '__main__', 'check_cvmfs', 'CVMFS has been validated');
  p.log('INFO', 'pilot.info.dataloader', 'load_url_data', '[attempt=1/1] loading data from file /cvmfs/atlas.cern.ch/repo/sw/local/etc/cric_pandaqueues.json');
  p.log(
    'INFO',
    'pilot.info.dataloader',
    'load_url_data',
    `[attempt=1/1] loading data from url http://pandaserver.cern.ch:25085/cache/schedconfig/${c.queue}.all.json`,
  );
  p.log('DEBUG', '__main__', 'main', `PILOT_RUCIO_SITENAME=${c.queue}`);
  p.log(
    'INFO',
    '__main__',
    'main',
    `pilot arguments: Namespace(debug=True, getjob_requests=2, harvester=False, job_label='${c.prodsourcelabel}', lifetime=324000, queue='${c.queue}', resource_type='${c.resourceType}', site='${c.queue}', update_server=True, url='https://pandaserver.cern.ch', use_https=True, version_tag='PR', workdir='${c.workdir}')`,
  );
  p.log('INFO', 'pilot.workflow.generic', 'run', 'setting up signal handling');
  p.log('INFO', 'pilot.workflow.generic', 'run', 'waiting for interrupts');
  p.log('INFO', 'pilot.user.atlas.proxy', 'check_time_left', 'cert validity time is verified', [200, 900]);
  p.log('INFO', 'pilot.user.atlas.proxy', 'check_time_left', 'proxy validity time is verified');
  p.log(
    'INFO',
    'pilot.util.monitoring',
    'check_local_space',
    `sufficient remaining disk space (${p.rng.int(200, 900) * 1_000_000_000 + p.rng.int(0, 999_999_999)} B)`,
  );
}

export function getJob(p: PilotLog, c: PilotContext): void {
  p.log('INFO', 'pilot.control.job', 'get_job_definition', 'will download job definition from server');
  p.log('INFO', 'pilot.control.job', 'get_job_definition_from_server', 'executing server command: https://pandaserver.cern.ch:25443/server/panda/getJob');
  p.log(
    'INFO',
    'pilot.util.https',
    'request2',
    `headers = {'User-Agent': 'pilot/${c.pilotVersion} (Python 3.9.21; Linux x86_64)', 'Content-Type': 'application/json', 'Accept': 'application/json'}`,
  );
  p.log('INFO', 'pilot.util.https', 'request2', 'response.status=200, response.reason=OK', [300, 1200]);
  p.log(
    'INFO',
    'pilot.control.job',
    'dump_job_definition',
    `job definition = {'StatusCode': '0', 'PandaID': ${c.pandaid}, 'taskID': ${c.taskid}, 'attemptNr': ${c.attemptnr}, 'swRelease': '${c.release}', 'transformation': '${c.transformation}', 'coreCount': ${c.corecount}, 'inFiles': '${c.inputs.map((f) => f.lfn).join(',')}', 'outFiles': '${[...c.outputs, c.log].map((f) => f.lfn).join(',')}', 'prodSourceLabel': '${c.prodsourcelabel}'}`,
  );
  p.log('INFO', 'pilot.control.job', 'create_job', `received job: ${c.pandaid} (sleep until the job has finished)`);
  p.log('INFO', 'pilot.control.job', 'validate', `processing PanDA job ${c.pandaid} from task ${c.taskid}`);
  p.log('DEBUG', 'pilot.control.job', 'validate', `creating job working directory: ${c.workdir}/PanDA_Pilot-${c.pandaid}`);
}

export type StageInFailure = { kind: 'timeout'; timeoutS: number } | { kind: 'noreplica' } | { kind: 'listreplicas' };

/** Stage-in; the first input's first transfer attempt fails and is retried unless `failure` is given. */
export function stageIn(p: PilotLog, c: PilotContext, options: { retryFirst?: boolean; failure?: StageInFailure } = {}): boolean {
  p.log('INFO', 'pilot.control.data', '_stage_in', 'stage-in will not be done in a container');
  p.log(
    'INFO',
    'pilot.api.data',
    '__init__',
    `configured copytools per activity: acopytools={'pr': ['${c.copytool}'], 'pw': ['${c.copytool}'], 'default': ['${c.copytool}']}`,
  );
  if (options.failure?.kind === 'listreplicas') {
    p.log(
      'INFO',
      'pilot.api.data',
      'list_replicas',
      `calling rucio.list_replicas() with query={'dids': [{'scope': '${c.inputs[0]?.scope}', 'name': '${c.inputs[0]?.lfn}'}]}`,
    );
    p.log(
      'WARNING',
      'pilot.api.data',
      'list_replicas',
      'failed to get replicas from Rucio: ServiceUnavailable: 503 Service Unavailable (attempt 1/3)',
      [2000, 5000],
    );
    p.log(
      'WARNING',
      'pilot.api.data',
      'list_replicas',
      'failed to get replicas from Rucio: ServiceUnavailable: 503 Service Unavailable (attempt 2/3)',
      [20000, 30000],
    );
    p.log(
      'WARNING',
      'pilot.api.data',
      'list_replicas',
      'failed to get replicas from Rucio: ServiceUnavailable: 503 Service Unavailable (attempt 3/3)',
      [20000, 30000],
    );
    p.log(
      'CRITICAL',
      'pilot.api.data',
      'transfer',
      'failed to resolve replicas: Failed to get replicas from Rucio: ServiceUnavailable: 503 Service Unavailable',
    );
    p.log('INFO', 'pilot.control.data', '_stage_in', 'stage-in failed');
    return false;
  }
  for (const f of c.inputs) {
    p.log('INFO', 'pilot.api.data', 'transfer_files', `[stage-in] found replica to be used for lfn=${f.lfn}: ddmendpoint=${c.rse}, pfn=${pfn(c, f)}`);
  }
  p.log('INFO', 'pilot.control.data', '_stage_in', 'prepared sources - will now transfer files');
  p.log('INFO', 'pilot.api.data', 'transfer', `trying to use copytool=${c.copytool} for activity=['pr', 'read_lan', 'default']`);
  const results: string[] = [];
  for (const [i, f] of c.inputs.entries()) {
    const failing = i === 0 ? options.failure : undefined;
    if (failing?.kind === 'noreplica') {
      p.log('INFO', `pilot.copytool.${c.copytool}`, '_download_item', `Trying to download with davs and timeout of 713s from ${c.rse}: ${f.scope}:${f.lfn} `);
      p.log('WARNING', `pilot.copytool.${c.copytool}`, '_download_item', `No available source found for file: ${f.scope}:${f.lfn}`);
      p.log('WARNING', `pilot.copytool.${c.copytool}`, 'copy_in', 'exception caught during stage-in: None of the requested files have been downloaded.');
      p.log(
        'CRITICAL',
        'pilot.api.data',
        'transfer',
        `[PilotException('${f.scope}:${f.lfn} from ${c.rse}, None of the requested files have been downloaded.')]:failed to transfer files using copytools=['${c.copytool}']`,
      );
      results.push(` -- lfn=${f.lfn}, status_code=1099, status=failed`);
      break;
    }
    if (failing?.kind === 'timeout') {
      p.log('INFO', `pilot.copytool.${c.copytool}`, 'copy_in', `overall transfer timeout=${failing.timeoutS}`);
      p.log('DEBUG', `pilot.copytool.${c.copytool}`, 'copy_in', `transferring ${f.lfn} (${f.fsize} B) from ${c.storageHost}`);
      p.advance(failing.timeoutS * 1000);
      p.log('WARNING', `pilot.copytool.${c.copytool}`, 'copy_in', `transfer of ${f.lfn} timed out after ${failing.timeoutS} s (copied 41% of ${f.fsize} B)`);
      p.log(
        'CRITICAL',
        'pilot.api.data',
        'transfer',
        `[PilotException('${f.scope}:${f.lfn} from ${c.rse}, File transfer timed out during stage-in')]:failed to transfer files using copytools=['${c.copytool}']`,
      );
      results.push(` -- lfn=${f.lfn}, status_code=1151, status=failed`);
      break;
    }
    if (i === 0 && options.retryFirst !== false) {
      p.log(
        'WARNING',
        `pilot.copytool.${c.copytool}`,
        'copy_in',
        `transfer attempt 1/2 of ${f.lfn} failed: Connection reset by peer (will retry)`,
        [3000, 9000],
      );
      p.log('INFO', `pilot.copytool.${c.copytool}`, 'copy_in', `retrying transfer of ${f.lfn} (attempt 2/2)`, [5000, 10000]);
    }
    p.log('INFO', `pilot.copytool.${c.copytool}`, 'copy_in', `${c.copytool} copytool, downloaded file with scope:${f.scope} lfn:${f.lfn}`, [
      5000,
      Math.max(6000, Math.round(f.fsize / 80_000)),
    ]);
    p.log('INFO', 'pilot.api.data', 'verify_local_file', `checksum verified for ${f.lfn}: adler32=${f.adler}`);
    results.push(` -- lfn=${f.lfn}, status_code=0, status=transferred`);
  }
  p.log('INFO', 'pilot.control.data', '_stage_in', 'summary of transferred files:');
  for (const r of results) p.log('INFO', 'pilot.control.data', '_stage_in', r, [0, 3]);
  const ok = options.failure === undefined;
  p.log('INFO', 'pilot.control.data', '_stage_in', ok ? 'stage-in finished' : 'stage-in failed');
  if (!ok) p.log('WARNING', 'pilot.control.data', 'copytool_in', 'stage-in failed, adding job object to failed_data_in queue');
  return ok;
}

export function payloadStart(p: PilotLog, command: string, pid: number): void {
  p.raw('');
  p.log('INFO', 'pilot.control.payloads.generic', 'run_command', 'payload execution command:');
  p.raw('', command, '');
  p.log('INFO', 'pilot.control.payloads.generic', 'run_payload', `started -- pid=${pid} executable=/bin/bash`, [400, 1500]);
  p.log('INFO', 'pilot.util.processes', 'get_instant_cpu_consumption_time', `current CPU consumption time for pid=${pid}: 0.83`);
}

/** Per-minute monitoring passes; `each` may add lines for a minute (memory warnings, loop checks). */
export function monitor(p: PilotLog, c: PilotContext, minutes: number, state: string, each?: (minute: number) => void): void {
  for (let m = 1; m <= minutes; m++) {
    p.advance(60_000 - 200);
    p.log(
      'INFO',
      'pilot.control.monitor',
      'control',
      `${m * 60 + 40}s have passed since pilot start - server update state is '${state.toUpperCase()}'`,
      [1, 30],
    );
    if (m % 5 === 0)
      p.log(
        'INFO',
        'pilot.util.monitoring',
        'check_local_space',
        `sufficient remaining disk space (${p.rng.int(200, 900)}${p.rng.int(100_000_000, 999_999_999)} B)`,
      );
    if (m % 30 === 0) p.log('INFO', 'pilot.control.job', 'send_state', `job ${c.pandaid} has state '${state}' - sending heartbeat`);
    if (m % 10 === 0)
      p.log(
        'INFO',
        'pilot.user.atlas.memory',
        'memory_usage',
        `max memory (maxPSS) used by the payload is within the allowed limit: ${p.rng.int(900_000, 1_900_000) * c.corecount} B (2 * maxRSS=${c.maxrssMb * 2 * 1024} B)`,
      );
    each?.(m);
  }
}

export function payloadEnd(p: PilotLog, pid: number, exitCode: number): void {
  p.log('INFO', 'pilot.control.payloads.generic', 'wait_graceful', `finished pid=${pid} exit_code=${exitCode} state=${exitCode === 0 ? 'finished' : 'failed'}`);
  if (exitCode !== 0) p.log('WARNING', 'pilot.control.payload', 'run_realtimelog', `main payload execution returned non-zero exit code: ${exitCode}`);
}

export type StageOutFailure = { kind: '503' } | { kind: 'checksum' } | { kind: 'timeout'; timeoutS: number };

export function stageOut(p: PilotLog, c: PilotContext, files: FileSpec[], title: string, failure?: StageOutFailure): boolean {
  p.log('INFO', 'pilot.control.data', '_do_stageout', `prepare to stage-out ${files.length} ${title} file(s)`);
  p.log(
    'INFO',
    'pilot.api.data',
    'prepare_destinations',
    `[prepare_destinations][${title === 'log' ? 'pl' : 'pw'}]: resolved default destination: ddm=${c.rse}, ddm_alt=None`,
  );
  p.log('INFO', 'pilot.api.data', 'transfer', `trying to use copytool=${c.copytool} for activity=['${title === 'log' ? 'pl' : 'pw'}', 'write_lan', 'default']`);
  for (const f of files) {
    if (failure?.kind === '503') {
      p.log(
        'WARNING',
        `pilot.copytool.${c.copytool}`,
        'copy_out',
        `upload of ${f.lfn} to ${c.rse} failed: 503 Service Unavailable from https://${c.storageHost}:443 (attempt 1/2)`,
        [20000, 40000],
      );
      p.log(
        'WARNING',
        `pilot.copytool.${c.copytool}`,
        'copy_out',
        `upload of ${f.lfn} to ${c.rse} failed: 503 Service Unavailable from https://${c.storageHost}:443 (attempt 2/2)`,
        [20000, 40000],
      );
      p.log(
        'CRITICAL',
        'pilot.api.data',
        'transfer',
        `[PilotException('Service not available at the moment: ${c.rse} answered 503 Service Unavailable')]:failed to transfer files using copytools=['${c.copytool}']`,
      );
      p.log('ERROR', 'pilot.control.data', '_do_stageout', 'transfer of output file(s) failed');
      return false;
    }
    if (failure?.kind === 'checksum') {
      const other = p.rng.hex(8);
      p.log('INFO', `pilot.copytool.${c.copytool}`, 'copy_out', `uploaded ${f.lfn} to ${c.rse}`, [20000, 60000]);
      p.log('WARNING', 'pilot.api.data', 'verify_stage_out', `checksum mismatch for ${f.lfn}: local adler32=${f.adler}, remote adler32=${other}`);
      p.log(
        'CRITICAL',
        'pilot.api.data',
        'transfer',
        `[PilotException('Failed to stage-out file: checksum verification failed for ${f.lfn} (${f.adler} != ${other})')]:failed to transfer files using copytools=['${c.copytool}']`,
      );
      p.log('ERROR', 'pilot.control.data', '_do_stageout', 'stage-out failed');
      return false;
    }
    p.log('INFO', `pilot.copytool.${c.copytool}`, 'copy_out', `uploaded ${f.lfn} to ${c.rse} (${f.fsize} B)`, [
      2000,
      Math.max(3000, Math.round(f.fsize / 100_000)),
    ]);
    p.log('INFO', 'pilot.api.data', 'verify_stage_out', `checksum verified for ${f.lfn}: adler32=${f.adler}`);
  }
  p.log('INFO', 'pilot.control.data', '_do_stageout', 'stage-out finished correctly');
  return true;
}

export function createLog(p: PilotLog, c: PilotContext): void {
  p.log('DEBUG', 'pilot.control.data', 'create_log', 'preparing to create log file (debug mode=False)');
  p.log(
    'INFO',
    'pilot.control.data',
    'create_log',
    `will create archive ${c.workdir}/${c.log.lfn} using timeout=90 s for directory size=${(c.log.fsize / 1_000_000).toFixed(3)} MB`,
  );
  p.log(
    'INFO',
    'pilot.util.container',
    'print_executable',
    `executing command: pwd;tar cvfz ${c.workdir}/${c.log.lfn} tarball_PandaJob_${c.pandaid}_${c.queue} --dereference`,
    [500, 4000],
  );
}

export function finalUpdate(p: PilotLog, c: PilotContext, state: 'finished' | 'failed' | 'holding'): void {
  p.log('INFO', 'pilot.control.job', 'send_state', `job ${c.pandaid} has ${state} - sending final server update`);
  p.log('INFO', 'pilot.util.https', 'request2', 'response.status=200, response.reason=OK', [200, 900]);
  p.log('INFO', 'pilot.control.job', 'send_state', "server responded with: res = {'StatusCode': '0', 'command': 'NULL'}");
}

export interface Summary {
  errors: Array<{ code: number; diag: string }>;
  state: string;
  transexitcode: number;
  exeerrorcode: number;
  exeerrordiag: string;
  cpu: number;
  nevents: number;
  pid: number;
}

export function summaryReport(p: PilotLog, c: PilotContext, s: Summary): void {
  const fn = 'make_job_report';
  const log = (text: string): void => p.log('INFO', 'pilot.control.job', fn, text, [0, 4]);
  log('');
  log('job summary report');
  log('-'.repeat(50));
  log(`PanDA job id: ${c.pandaid}`);
  log(`task id: ${c.taskid}`);
  if (s.errors.length === 0) log('errors: (none)');
  s.errors.forEach((e, i) => {
    log(`error ${i + 1}/${s.errors.length}: ${e.code}: ${e.diag}`);
  });
  log(`pilot error code: ${s.errors[0]?.code ?? 0}`);
  log(`pilot error diag: ${s.errors[0]?.diag ?? ''}`);
  log(`pilot state: ${s.state}`);
  log(`transexitcode: ${s.transexitcode}`);
  log(`exeerrorcode: ${s.exeerrorcode}`);
  log(`exeerrordiag: ${s.exeerrordiag}`);
  log(`exitcode: ${s.transexitcode}`);
  log(`exitmsg: ${s.exeerrordiag || 'OK'}`);
  log(`cpuconsumptiontime: ${s.cpu} s`);
  log(`nevents: ${s.nevents}`);
  log(`neventsw: 0`);
  log(`pid: ${s.pid}`);
  log(`pgrp: ${s.pid}`);
  log(`corecount: ${c.corecount}`);
  log('event service: False');
  log('sizes: {}');
  log('-'.repeat(50));
  log('');
}

export function pilotExit(p: PilotLog, code: number): void {
  p.log('INFO', 'pilot.control.job', 'retrieve', 'ready for new job');
  p.log('WARNING', 'pilot.control.job', 'retrieve', "did not get a job -- sleep 120s and repeat -- status: {'StatusCode': 20}", [400, 900]);
  p.log('INFO', 'pilot.workflow.generic', 'run', 'all workflow threads have been joined', [2000, 6000]);
  p.log('INFO', 'pilot.workflow.generic', 'run', `end of generic workflow (traces error code: ${code})`);
  p.log('INFO', 'root', 'wrap_up', `pilot has finished (exit code=${code}, shell exit code=${code === 0 ? 0 : 1})`);
}
