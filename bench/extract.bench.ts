/**
 * Failure-window extraction against grep on the same 1 GB pilot log, in the same run.
 *
 * A child process writes a realistic pilot log (pilot3 debug format: start-up, job definition,
 * stage-in with a retried transfer, a long payload with a monitoring pass per minute and a server
 * heartbeat every 30 minutes, benign WARNINGs, failing trace reports with tracebacks, then a
 * SIGTERM, log stage-out and the job summary report). Then `grep -n -B30 -A5 <pattern>` (the seed's
 * method) and `extractWindows` each read it once.
 *
 * Figures: extract-mbps, extract-grep-mbps, extract-vs-grep (ratio), extract-rss-mb (peak RSS of
 * this process during the extraction). `EXTRACT_BENCH_MB` changes the size (default 1024).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractWindows, readFileChunks } from '../src/logs/index.js';

export const figures = ['extract-mbps', 'extract-grep-mbps', 'extract-vs-grep', 'extract-rss-mb'];

const PANDAID = 6601234567;
const GREP_PATTERN = 'caught signal: SIGTERM';

function stamp(t: number): string {
  const d = new Date(Date.UTC(2025, 3, 1) + t);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)},${String(t % 1000).padStart(3, '0')}`;
}

const line = (t: number, level: string, module: string, fn: string, msg: string) =>
  `${stamp(t)} | ${level.padEnd(8)} | ${module.padEnd(32)} | ${fn.padEnd(25)} | ${msg}\n`;

function startUp(t: number): string {
  return [
    line(t, 'INFO', '__main__', 'main', '***  PanDA Pilot version 3.11.0.12  ***'),
    line(t, 'WARNING', 'pilot.util.networking', 'dump_ipv6_info', 'no IPv6 addresses were found'),
    line(
      t,
      'INFO',
      'pilot.control.job',
      'retrieve',
      `job definition = {'PandaID': '${PANDAID}', 'jobsetID': '1', 'transformation': 'Sim_tf.py', 'inFiles': 'EVNT.38654760._001849.pool.root.1', 'prodDBlockToken': 'NULL'}`,
    ),
    line(t, 'INFO', 'pilot.control.job', 'retrieve', `received job: ${PANDAID} (sleep until the job has finished)`),
    line(t, 'INFO', 'pilot.control.data', '_stage_in', 'stage-in will not be done in a container'),
    line(t, 'WARNING', 'pilot.copytool.rucio', 'copy_in', 'exception caught during stage-in: Connection reset by peer'),
    line(t, 'INFO', 'pilot.control.data', '_stage_in', 'stage-in finished'),
    line(t, 'INFO', 'pilot.control.payloads.generic', 'run', 'started -- pid=19596 executable=./run_payload.sh'),
  ].join('');
}

function monitoringPass(t: number, loop: number): string {
  let out =
    line(t, 'INFO', 'pilot.control.monitor', 'control', `${loop * 60}s have passed since pilot start - server update state is 'RUNNING'`) +
    line(t + 11, 'INFO', 'pilot.control.job', 'job_monitor', `monitor loop #${loop}: job 0:${PANDAID} is in state 'running'`) +
    line(t + 23, 'INFO', 'pilot.util.monitoring', 'set_cpu_consumption_time', `(instant) CPU consumption time for pid=19596: ${loop * 57})`) +
    line(t + 37, 'DEBUG', 'pilot.util.monitoring', 'store_subprocess_pids', 'payload subprocesses: [19613, 19620, 19642]') +
    line(t + 41, 'DEBUG', 'pilot.user.atlas.memory', 'memory_usage', 'memory_limit for MCORE: 2000 MB') +
    line(
      t + 52,
      'INFO',
      'pilot.user.atlas.memory',
      'memory_usage',
      `max memory (maxPSS) used by the payload is within the allowed limit: ${10_000_000 + (loop % 997) * 1000} kB <= 32768000 kB (subresource=MCORE)`,
    ) +
    line(t + 60, 'INFO', 'pilot.util.monitoring', 'check_local_space', `sufficient remaining disk space (${772_376_932_634 - loop} B)`) +
    line(
      t + 71,
      'INFO',
      'pilot.util.monitoring',
      'check_work_dir',
      `size of work directory /pool/condor/dir_9/PanDA_Pilot-${PANDAID}: ${2_608_961_428 + loop} B (within 201326592000 B limit)`,
    ) +
    line(t + 80, 'DEBUG', 'pilot.util.monitoring', 'job_monitor_tasks', 'job monitor tasks loop took 1 s to complete');
  if (loop % 30 === 0) {
    out +=
      line(t + 90, 'INFO', 'pilot.control.job', 'send_state', `job ${PANDAID} has state 'running' - sending heartbeat`) +
      line(t + 95, 'INFO', 'pilot.util.https', 'request2', 'response.status=200, response.reason=OK') +
      line(t + 99, 'INFO', 'pilot.util.https', 'send_request', "server responded with: res = {'StatusCode': '0', 'command': 'NULL'}");
  }
  if (loop % 500 === 7) {
    out +=
      line(
        t + 120,
        'ERROR',
        'pilot.util.tracereport',
        'send',
        "tracing failed: (<class 'TimeoutError'>, TimeoutError('timed out'), <traceback object at 0x7f58063271b0>)",
      ) +
      'Traceback (most recent call last):\n  File "/srv/pilot3/pilot/util/tracereport.py", line 233, in send\n    response = https.request(url, data=self)\nTimeoutError: timed out\n';
  }
  if (loop % 2000 === 13)
    out += line(t + 130, 'WARNING', 'pilot.user.atlas.utilities', 'get_memory_monitor_output', 'memory monitor output file does not exist yet');
  return out;
}

function ending(t: number): string {
  return [
    line(t, 'WARNING', 'pilot.workflow.generic', 'interrupt', 'caught signal: SIGTERM in FRAME='),
    '  File "/srv/pilot3/pilot.py", line 657, in <module>\n    trace = main()\n',
    line(t + 9, 'WARNING', 'pilot.workflow.generic', 'interrupt', 'will instruct threads to abort and update the server'),
    line(t + 10, 'WARNING', 'pilot.util.https', 'add_error_codes', 'pilotErrorCodes = [1201] (will report primary/first error code)'),
    line(
      t + 20,
      'INFO',
      'pilot.control.data',
      'create_log',
      `will create archive /pool/condor/dir_9/log.44795949._000102.job.log.tgz.1 using timeout=91 s for directory size=5.8 MB`,
    ),
    line(t + 30, 'INFO', 'pilot.control.job', 'make_job_report', 'job summary report'),
    line(t + 31, 'INFO', 'pilot.control.job', 'make_job_report', `PanDA job id: ${PANDAID}`),
    line(t + 32, 'INFO', 'pilot.control.job', 'make_job_report', 'error 1/1: 1201: Job killed by signal: SIGTERM'),
    line(t + 40, 'INFO', 'root', 'wrap_up', 'pilot has finished (exit code=1201, shell exit code=143)'),
  ].join('');
}

async function generate(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let written = 0;
  let t = 0;
  let loop = 1;
  await write(startUp(t));
  while (written < bytes) {
    let block = '';
    for (let i = 0; i < 400; i++) {
      block += monitoringPass(t, loop++);
      t += 60_000;
    }
    written += Buffer.byteLength(block);
    await write(block);
  }
  await write(ending(t));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function exec(cmd: string, args: string[]): Promise<{ ms: number; stdoutBytes: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdoutBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || code === 1 ? resolve({ ms: performance.now() - start, stdoutBytes }) : reject(new Error(`${cmd} exited with ${code}`)),
    );
  });
}

export async function run(): Promise<void> {
  const mb = Number(process.env.EXTRACT_BENCH_MB ?? 1024);
  const file = join(tmpdir(), `askpanda-extract-bench-${process.pid}.log`);
  try {
    // Written by a child process so this process's RSS is the extraction's own.
    await exec(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate', file, String(mb * 1024 * 1024)]);
    const size = statSync(file).size;
    const grep = await exec('grep', ['-n', '-B30', '-A5', GREP_PATTERN, file]);

    (globalThis as { gc?: () => void }).gc?.();
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 20);
    const start = performance.now();
    const ex = await extractWindows('pilotlog.txt', readFileChunks(file), { codes: [1201] });
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    if (!ex.context.includes('caught signal: SIGTERM')) throw new Error('extraction missed the SIGTERM window');

    const extractMbps = size / 1048576 / (ms / 1000);
    const grepMbps = size / 1048576 / (grep.ms / 1000);
    console.log(`BENCH extract-mbps ${extractMbps.toFixed(1)} MB/s`);
    console.log(`BENCH extract-grep-mbps ${grepMbps.toFixed(1)} MB/s`);
    console.log(`BENCH extract-vs-grep ${(extractMbps / grepMbps).toFixed(2)} ratio`);
    console.log(`BENCH extract-rss-mb ${(peak / 1048576).toFixed(1)} MB`);
  } finally {
    rmSync(file, { force: true });
  }
}

if (process.argv[2] === '--generate') await generate(process.argv[3] as string, Number(process.argv[4]));
