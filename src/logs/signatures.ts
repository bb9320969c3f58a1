/**
 * Failure signatures: the message templates the PanDA pilot (pilot3), the rucio clients and the
 * ATLAS transforms write when something goes wrong, each tied to the error codes it explains.
 * Derived from the pilot's templates (reference §C) and the error-code semantics, not from logs.
 *
 * Lines at WARNING/ERROR/CRITICAL level are always candidates and are matched against `pattern`.
 * `needle` is set only for messages the pilot writes at INFO/DEBUG level (or whose level varies):
 * it is searched in the raw bytes of every line, which costs a pass over the log per needle.
 */

export type Phase = 'stagein' | 'stageout' | 'payload' | 'setup' | 'monitor' | 'server' | 'summary' | 'any';

export interface Signature {
  id: string;
  /** Error codes this message explains (pilot codes unless noted; jobdispatcher 100 = lost heartbeat). */
  codes: readonly number[];
  pattern: RegExp;
  /** Literal to search in INFO/DEBUG lines too (optional: WARNING+ lines are always tested). */
  needle?: string;
  /** How specific the message is for its codes (0–40). */
  weight: number;
  phase: Phase;
  /** Category hint when this signature is the best evidence. */
  hint?: string;
}

const STAGEIN = [1099, 1100, 1103, 1145, 1151, 1171, 1180, 1322, 1324, 1326, 1327, 1331, 1338, 1316, 1321, 1361, 1362, 1368];
const STAGEOUT = [1137, 1141, 1152, 1172, 1181, 1324, 1316, 1333, 1383, 1165, 1313, 1133];
const TRANSFER = [...new Set([...STAGEIN, ...STAGEOUT])];
const SIGNALS = [1200, 1201, 1202, 1203, 1204, 1205, 1206, 1207, 1208, 1379];
const PAYLOAD = [1305, 1220, 1315, 1351, 1328, 1355, 1223, 1212, 1187, 1343, 1350];

export const SIGNATURES: readonly Signature[] = [
  // --- stage-in / stage-out (pilot/api/data.py, pilot/copytool/rucio.py, rucio clients)
  { id: 'transfer-failed', codes: TRANSFER, pattern: /failed to transfer files using copytools/, weight: 30, phase: 'any' },
  {
    id: 'no-source',
    codes: [1099, 1100, 1326, 1331],
    pattern:
      /No available source found for file|No matching replicas|replica not found|no replicas|[Ss]ource file does not exist|file (?:is missing|does not exist) (?:at|on|in) the storage/i,
    weight: 30,
    phase: 'stagein',
    hint: 'storage-stagein',
  },
  { id: 'stagein-exception', codes: STAGEIN, pattern: /exception caught during stage-in/, weight: 25, phase: 'stagein', hint: 'storage-stagein' },
  {
    id: 'stageout-exception',
    codes: STAGEOUT,
    pattern: /(?:exception caught|PilotException caught) during stage-out/,
    weight: 20,
    phase: 'stageout',
    hint: 'storage-stageout',
  },
  { id: 'rucio-error', codes: TRANSFER, pattern: /rucio returned an error/, needle: 'rucio returned an error', weight: 28, phase: 'any' },
  {
    id: 'list-replicas',
    codes: [1322, 1326],
    pattern: /Failed to get (?:the )?replica(?:s| list)(?: from Rucio)?|list_replicas\(\) failed|exception caught in list_replicas/i,
    weight: 35,
    phase: 'stagein',
    hint: 'transient-network',
  },
  {
    id: 'transfer-timeout',
    codes: [1151, 1152],
    pattern: /copy command timed out|TimeoutException|Timeout reached|transfer timed out/i,
    weight: 25,
    phase: 'any',
  },
  {
    id: 'checksum-mismatch',
    codes: [1137, 1141, 1145, 1171, 1172],
    pattern: /[Cc]hecksum (?:mismatch|verification failed|validation failed)|adler32 mismatch|md5sum mismatch/,
    weight: 30,
    phase: 'any',
  },
  {
    id: 'service-unavailable',
    codes: [1324, 1316],
    pattern: /Service not available|ServiceUnavailable|service is not available|HTTP 50[234]/,
    weight: 25,
    phase: 'any',
  },
  {
    // What the storage answered to a transfer: an HTTP error status, a size that differs after the copy.
    id: 'transfer-error',
    codes: TRANSFER,
    pattern: /\bHTTP [45]\d\d\b|Internal Server Error|[Ss]ize mismatch|file size .{0,40}(?:differs|mismatch)/,
    weight: 22,
    phase: 'any',
  },
  {
    id: 'network-unreachable',
    codes: [1327, 1318, 1310],
    pattern: /Network is unreachable|Name or service not known|Temporary failure in name resolution|Connection refused|Connection reset/,
    weight: 20,
    phase: 'any',
    hint: 'transient-network',
  },
  {
    id: 'transfer-auth',
    codes: [1338, 1383],
    pattern: /[Aa]uthentication fail|Permission (?:denied|refused)|403 Forbidden|HTTP 403\b|Unauthorized/,
    weight: 15,
    phase: 'any',
    hint: 'auth-credentials',
  },
  {
    id: 'stagein-failed',
    codes: STAGEIN,
    pattern: /stage-in failed|failed to stage-in|[Dd]ownload attempt failed/,
    needle: 'stage-in failed',
    weight: 10,
    phase: 'stagein',
  },
  {
    id: 'stageout-failed',
    codes: STAGEOUT,
    pattern: /stage-out failed|transfer of output file\(s\) failed|log transfer failed|failed to stage-out|[Uu]pload attempt failed/,
    needle: 'stage-out failed',
    weight: 10,
    phase: 'stageout',
  },
  // --- looping job (pilot/util/loopingjob.py)
  {
    id: 'looping-touched',
    codes: [1150],
    pattern: /files were last touched/,
    needle: 'files were last touched',
    weight: 30,
    phase: 'monitor',
    hint: 'looping',
  },
  { id: 'looping-kill', codes: [1150], pattern: /pilot has decided to kill looping job/, weight: 40, phase: 'monitor', hint: 'looping' },
  // --- memory (pilot/user/atlas/memory.py, payload)
  { id: 'memory-exceeded', codes: [1235, 1212], pattern: /job has exceeded the memory limit/, weight: 40, phase: 'monitor', hint: 'resource-limit-memory' },
  {
    id: 'bad-alloc',
    codes: [1223, 1212, 1305],
    pattern: /\bbad_alloc\b|Out of memory|out-of-memory|oom-kill|OOM killer|MemoryError|Cannot allocate memory/i,
    needle: 'bad_alloc',
    weight: 30,
    phase: 'payload',
    hint: 'resource-limit-memory',
  },
  {
    id: 'oom-kernel',
    codes: [1212, 1235, 1223, 1305, ...SIGNALS],
    pattern: /oom-kill|invoked oom-killer|Out of memory: Kill|Memory cgroup out of memory|Killed process \d+/,
    needle: 'oom-kill',
    weight: 38,
    phase: 'payload',
    hint: 'resource-limit-memory',
  },
  {
    id: 'oom-cgroup',
    codes: [1212, 1235, 1223, 1305, ...SIGNALS],
    pattern: /[Oo]ut of memory: Kill|Memory cgroup out of memory|oom-kill event/,
    needle: 'of memory',
    weight: 38,
    phase: 'payload',
    hint: 'resource-limit-memory',
  },
  { id: 'memory-monitor', codes: [1337], pattern: /memory monitor .*(?:bad|failed|crash)|prmon .*(?:failed|crash)/i, weight: 8, phase: 'monitor' },
  // --- signals (pilot/workflow/generic.py), server kill, preemption
  { id: 'caught-signal', codes: SIGNALS, pattern: /caught signal: SIG\w+/, weight: 40, phase: 'any', hint: 'killed-by-system' },
  {
    id: 'server-kill',
    codes: [1144],
    pattern: /panda server signal to kill job|killed by panda server/i,
    needle: 'signal to kill job',
    weight: 40,
    phase: 'any',
    hint: 'killed-by-system',
  },
  { id: 'preempted', codes: [1379], pattern: /preempt/i, needle: 'preempt', weight: 25, phase: 'any', hint: 'killed-by-system' },
  // --- walltime (pilot/control/monitor.py, job.py)
  {
    id: 'maxtime-exceeded',
    codes: [1213],
    pattern: /has exceeded the limit .*time to abort|max running time/,
    weight: 40,
    phase: 'monitor',
    hint: 'resource-limit-walltime',
  },
  {
    id: 'reached-maxtime',
    codes: [1213],
    pattern: /REACHED_MAXTIME/,
    needle: 'REACHED_MAXTIME',
    weight: 30,
    phase: 'monitor',
    hint: 'resource-limit-walltime',
  },
  {
    id: 'batch-time-limit',
    codes: [1213, 1204],
    pattern: /batch system time limit has been reached/,
    weight: 15,
    phase: 'monitor',
    hint: 'resource-limit-walltime',
  },
  { id: 'lease-time', codes: [1375], pattern: /lease time/i, needle: 'lease time', weight: 25, phase: 'monitor', hint: 'resource-limit-walltime' },
  // --- disk (pilot/util/monitoring.py)
  {
    id: 'workdir-too-large',
    codes: [1104],
    pattern: /work directory .*(?:is too large|exceeds)|too large work directory/i,
    needle: 'too large',
    weight: 35,
    phase: 'monitor',
    hint: 'resource-limit-disk',
  },
  {
    id: 'no-space',
    codes: [1098, 1333, 1104],
    pattern: /No space left on device|not enough local space|too little space|insufficient (?:local|disk) space/i,
    needle: 'space',
    weight: 35,
    phase: 'any',
    hint: 'resource-limit-disk',
  },
  {
    id: 'stdout-too-big',
    codes: [1106, 1124],
    pattern: /(?:stdout|output file|log) .*too (?:big|large)/i,
    weight: 25,
    phase: 'monitor',
    hint: 'resource-limit-disk',
  },
  // --- lost heartbeat / node problems (jobdispatcher 100; pilot/util/heartbeat.py, filehandling.py)
  {
    id: 'io-error',
    codes: [100, 1008, 1303, 1332],
    pattern: /Input\/output error|\[Errno 5\]|Read-only file system|Stale file handle|Transport endpoint is not connected/,
    weight: 30,
    phase: 'any',
    hint: 'site-infrastructure',
  },
  { id: 'workdir-gone', codes: [100, 1008], pattern: /job work dir does not exist/, weight: 30, phase: 'monitor', hint: 'site-infrastructure' },
  {
    id: 'heartbeat-failed',
    codes: [100],
    pattern: /failed to update heartbeat|heartbeat .*failed|lost heartbeat/i,
    needle: 'heartbeat',
    weight: 12,
    phase: 'server',
  },
  {
    id: 'server-unreachable',
    codes: [100, 1318, 1330],
    pattern: /server update failed|failed to send|could not (?:contact|reach) (?:the )?server|updateJob .*(?:failed|timed out)/i,
    weight: 15,
    phase: 'server',
    hint: 'transient-network',
  },
  // --- credentials (pilot/user/atlas/proxy.py)
  {
    id: 'proxy',
    codes: [1163, 1177, 1370, 1373, 1380, 1381, 1382, 1364],
    pattern:
      /proxy .*(?:expired|not valid|invalid|too short|about to expire)|certificate has expired|voms-proxy-info failed|arcproxy .*fail|token .*expired|Unable to locate credentials/i,
    needle: 'proxy',
    weight: 35,
    phase: 'setup',
    hint: 'auth-credentials',
  },
  // --- setup, CVMFS, containers
  {
    id: 'lsetup-timeout',
    codes: [1378],
    pattern: /timeout for 'lsetup' exceeded|lsetup .*timed out|timed out.{0,40}\blsetup\b/i,
    weight: 40,
    phase: 'setup',
    hint: 'site-infrastructure',
  },
  {
    id: 'cvmfs',
    codes: [1377, 1186, 1211, 1358],
    pattern: /CVMFS .*(?:not|fail|unavailable)|cvmfs_config probe .*fail|Transport endpoint|ALRB .*fail/i,
    needle: 'CVMFS',
    weight: 30,
    phase: 'setup',
    hint: 'site-infrastructure',
  },
  {
    id: 'container',
    codes: [1306, 1307, 1308, 1309, 1340, 1345, 1348, 1325, 1372, 1360, 1384],
    pattern: /(?:singularity|apptainer).*(?:FATAL|fail|error)|FATAL:\s+.*(?:container|image|namespace|loop device)|[Ii]mage not found|image does not exist/i,
    needle: 'FATAL:',
    weight: 30,
    phase: 'setup',
    hint: 'site-infrastructure',
  },
  {
    id: 'remote-open',
    codes: [1361, 1368, 1362, 1374],
    pattern: /remote file (?:open|could not be opened).*(?:fail|timed out|not)|[Ff]ailed to open remote|Xrdcp was unable/i,
    needle: 'remote file',
    weight: 25,
    phase: 'setup',
    hint: 'storage-stagein',
  },
  {
    id: 'frontier',
    codes: [1369],
    pattern: /[Ff]rontier.*(?:error|fail|unreachable|timed out)/,
    needle: 'rontier',
    weight: 30,
    phase: 'payload',
    hint: 'transient-network',
  },
  {
    id: 'setup-exception',
    codes: [1310, 1110, 1334, 1149, 1246],
    pattern: /execute payloads caught an exception|caught an exception \(cannot recover\)|failed during payload setup|could not be downloaded/i,
    weight: 30,
    phase: 'setup',
  },
  {
    id: 'download-failed',
    codes: [1149, 1246, 1335, 1310],
    pattern: /(?:failed to download|could not download|download of .* failed)/i,
    weight: 20,
    phase: 'setup',
    hint: 'transient-network',
  },
  // --- payload (pilot/control/payload.py, diagnose.py, transforms, analysis wrappers)
  {
    id: 'payload-exit',
    codes: PAYLOAD,
    pattern: /main payload execution returned non-zero exit code|finished pid=\d+ exit_code=(?!0\b)/,
    weight: 15,
    phase: 'payload',
  },
  {
    id: 'payload-report',
    codes: PAYLOAD,
    pattern: /extracted exit (?:code|message) from job report|payload_error_report\.json contained/,
    needle: 'extracted exit',
    weight: 18,
    phase: 'payload',
  },
  { id: 'payload-critical', codes: PAYLOAD, pattern: /found CRITICAL errors in payload\.stdout/, weight: 15, phase: 'payload' },
  {
    // What the pilot's own diagnosis of the payload (pilot/user/atlas/diagnose.py) warned about: the
    // sandbox not downloaded, a bad_alloc, a segfault, what it could not find in the job report.
    id: 'payload-diagnosis',
    codes: [...PAYLOAD, 1246, 1223, 1328, 1203],
    pattern: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \| (?:WARNING|ERROR|CRITICAL) *\| pilot\.user\.\w+\.diagnose +\|/,
    weight: 16,
    phase: 'payload',
  },
  {
    id: 'trf-critical',
    codes: PAYLOAD,
    pattern: /\bCRITICAL Transform executor raised|\bTransform executor raised\b|TransformValidationException|TransformExecutionException/,
    needle: 'Transform executor raised',
    weight: 40,
    phase: 'payload',
  },
  { id: 'trf-validation', codes: PAYLOAD, pattern: /Validation of return code failed|Non-zero return code from \w+/, weight: 15, phase: 'payload' },
  { id: 'fatal', codes: PAYLOAD, pattern: /\bFATAL\b/, needle: 'FATAL', weight: 22, phase: 'payload' },
  {
    id: 'segfault',
    codes: [1203, 1328, 1355, 1305],
    pattern: /Segmentation fault|SIGSEGV|segmentation violation|core dump/i,
    needle: 'Segmentation',
    weight: 30,
    phase: 'payload',
    hint: 'payload-software',
  },
  {
    // bash job control: "line 12: 4711 Killed   python3 run.py", a bare "Killed" / "Terminated" before the exit
    id: 'job-control',
    codes: [...PAYLOAD, ...SIGNALS],
    pattern: /^\s*(?:Killed|Terminated|Aborted|Segmentation fault)(?: \(core dumped\))?\s*$|line \d+: +\d+ (?:Killed|Terminated|Aborted|Segmentation fault)\b/,
    needle: 'Killed',
    weight: 32,
    phase: 'payload',
  },
  {
    id: 'exit-by-signal',
    codes: [...PAYLOAD, ...SIGNALS],
    pattern: /exit(?:ed with)? (?:code|status):? ?(?:137|143|139|134)\b|killed by signal \d+|received signal (?:SIG)?[A-Z0-9]+/,
    weight: 22,
    phase: 'payload',
  },
  {
    id: 'user-script-failed',
    codes: PAYLOAD,
    pattern: /Running script failed|user script exited with [1-9]|exited with (?:code|status) [1-9]/,
    weight: 20,
    phase: 'payload',
  },
  // --- the pilot's final job summary report (pilot/control/job.py make_job_report)
  { id: 'summary-error', codes: [], pattern: /\|\s+error \d+\/\d+: \d+: |pilot error (?:code|diag): /, needle: '| error ', weight: 10, phase: 'summary' },
];

/** Frequent benign messages: never the root cause. */
export const NOISE: readonly RegExp[] = [
  /tracing failed|trace report|tracereport/i,
  /payload pid has not yet been identified/,
  /no IPv6 addresses/,
  /pilotError(?:Codes|Diags) = /,
  /aborting payload error diagnosis since an error has already been set/,
  /graceful.stop|waiting for threads to finish|will instruct threads to abort|cannot recover job monitoring|detected an abort_job request|aborting monitor loop|will wait for a maximum of/,
  /making sure that job\.state is set to failed/,
  /job report does not exist|payload_error_report\.json does not exist/,
  /rucio API (?:upload|download) client (?:finished|failed)/,
  /get_protocol .*list index out of range|exception caught: list index out of range/,
  /payload was killed \(negative exit code\)/,
  /copytool_out detected a set abort_job/,
  /memory monitor .*restart|prmon .*restart/i,
];

/** Lines that show that a failed transfer was retried and then succeeded. */
export const TRANSFER_SUCCESS =
  /stage-in finished|stage-out finished correctly|successfully (?:downloaded|uploaded|transferred)|transfer(?:red)? successfully|File .* successfully (?:downloaded|uploaded)/i;

export function isNoise(text: string): boolean {
  return NOISE.some((re) => re.test(text));
}

/** The signatures that explain a given code. */
export function signaturesFor(codes: Iterable<number>): Signature[] {
  const set = new Set(codes);
  return SIGNATURES.filter((s) => s.codes.some((c) => set.has(c)));
}

/**
 * Needles to search in every line (the INFO/DEBUG messages; WARNING+ lines are candidates anyway):
 * those of the job's codes, all of them when no code is known. The final job summary report is
 * read from the tail of the log, not searched.
 */
export function needlesFor(codes: readonly number[]): string[] {
  const picked = codes.length ? signaturesFor(codes) : SIGNATURES;
  const out = new Set<string>();
  for (const s of picked) if (s.needle && s.id !== 'summary-error') out.add(s.needle);
  return [...out];
}

/** Codes of failed transfers: for them, successful retries are searched to tell retried transfers apart. */
export const TRANSFER_CODES: ReadonlySet<number> = new Set(SIGNATURES.find((s) => s.id === 'transfer-failed')?.codes ?? []);
