/**
 * Causes found in the evidence. A payload failure (pilot 1305 and kin), a generic pilot code or a
 * kill signal names no cause by itself; the lines the payload and the pilot wrote do. Each cause
 * carries everything the reply says about it — category, explanation, what to do, retry advice
 * and why — so explanation, advice and verdict come from one place and cannot disagree.
 *
 * Rules are per line, most specific first: a Python exception whose message names a CVMFS
 * mount is a site problem, not a user error; an OOM kill is memory, not a signal from outside.
 */
import type { JobRecord } from '../../src/contracts/panda.js';
import type { Category, RetryAdvice } from '../../src/knowledge/index.js';

export interface CauseText {
  /** Stable id, for tests and follow-ups. */
  id: string;
  /** The cause in a few words ("the site's CVMFS software area is not reachable"). */
  title: string;
  category: Category;
  explanation: string;
  todo: string[];
  retry: RetryAdvice;
  retryReason: string;
}

interface CauseRule extends Omit<CauseText, 'category'> {
  /** A line matching it shows the cause. */
  pattern: RegExp;
  /** Fixed category, or chosen by who wrote the payload (user analysis vs production software). */
  category: Category | ((userJob: boolean) => Category);
}

/** Payload failures without a more specific cause: the user's code (analysis) or the software (production). */
export const byAuthor = (userJob: boolean): Category => (userJob ? 'payload-user-error' : 'payload-software');

const RULES: readonly CauseRule[] = [
  {
    id: 'memory-oom',
    title: 'the payload ran out of memory',
    pattern:
      /\bbad_alloc\b|\bMemoryError\b|\bOut of memory\b|oom-kill|invoked oom-killer|Memory cgroup out of memory|Cannot allocate memory|exceeded the memory limit|memory limit exceeded|Killed process \d+/i,
    category: 'resource-limit-memory',
    explanation:
      'The payload needed more memory than the job was given: the lines below show the allocation failure or the out-of-memory kill. The job did not fail because of a bug as such, but because of its memory footprint.',
    todo: [
      'Let the next attempt run with more memory (PanDA does this for memory errors), or request more memory / fewer events per job when resubmitting.',
      'If the memory grows steadily, look for a leak in the payload.',
    ],
    retry: 'retry_more_memory',
    retryReason: 'The same job with the same memory fails again; with more memory (or less work per job) it usually succeeds.',
  },
  {
    id: 'site-cvmfs',
    title: "the site's CVMFS software area was not reachable",
    pattern:
      /Transport endpoint is not connected|cvmfs.{0,120}(?:Input\/output error|not (?:available|mounted|responding|alive)|failed to mount|cannot be mounted|I\/O error)|CVMFS (?:is )?not (?:responding|available|alive)|cvmfs_config probe.{0,60}fail/i,
    category: 'site-infrastructure',
    explanation:
      "The software area on the worker node (CVMFS) stopped working while the job ran, so the payload could not read its software. This is a problem of that node or site, not of the job's code or input.",
    todo: [
      'Nothing to change in the job: let it run again at another site or node.',
      'If it keeps failing at this site, exclude the site and report it to the site or ADC (with the lines below).',
    ],
    retry: 'avoid_site',
    retryReason: "A broken software area is the node's or site's problem; elsewhere the job runs.",
  },
  {
    id: 'site-filesystem',
    title: "the worker node's file system failed",
    pattern: /Input\/output error|\[Errno 5\]|Read-only file system|\[Errno 30\]|Stale file handle|\[Errno 116\]/,
    category: 'site-infrastructure',
    explanation:
      "The worker node's file system failed under the job (I/O error, read-only or stale file system). This is a problem of the node or site, not of the job.",
    todo: ['Nothing to change in the job: let it run again on another node or site.', 'If it repeats at this site, report it to the site or ADC.'],
    retry: 'avoid_site',
    retryReason: 'A failing node is not the job’s fault; another node or site usually works.',
  },
  {
    id: 'site-setup',
    title: 'setting up the software environment on the node failed',
    pattern:
      /timeout for 'lsetup' exceeded|lsetup.{0,40}(?:timed out|failed)|timed out.{0,40}\blsetup\b|ALRB.{0,60}(?:fail|error)|(?:singularity|apptainer).{0,80}(?:FATAL|failed to|error while)|Failed to mount image|No more available loop devices|Failed to create user namespace/i,
    category: 'site-infrastructure',
    explanation:
      'Setting up the software environment or the container on the worker node failed or timed out, before the job could do its work. This points at the node or site (software area, container runtime), not at the job.',
    todo: ['Nothing to change in the job: let it run again at another site or node.', 'If it repeats at this site, report it to the site or ADC.'],
    retry: 'avoid_site',
    retryReason: 'Environment set-up failures are problems of the node or site; elsewhere the job usually runs.',
  },
  {
    id: 'conditions-tag',
    title: 'the conditions data the job asks for do not exist',
    pattern:
      /Could not find IOV|\b(?:No|no valid|Missing|missing) IOV\b|IOV.{0,40}not found|(?:conditions|global) ?tag.{0,60}(?:not found|does not exist|unknown|invalid|not defined)|\bTag \S+ cannot be resolved|(?:Unable to find|unknown|no such) geometry (?:version|tag|layout)|geometry (?:version|tag|layout) \S+ (?:not found|does not exist|is unknown)/i,
    category: 'configuration',
    explanation:
      'The job asked for conditions (calibration) data that do not exist for its run or tag, so it stopped. The conditions database answered; the request in the job or task definition does not fit the data.',
    todo: ['Fix the conditions tag (or the run range) in the task definition, then resubmit.'],
    retry: 'no_retry',
    retryReason: 'The same definition asks for the same missing conditions: it fails again until the task is changed.',
  },
  {
    id: 'conditions-db',
    title: 'the conditions database (Frontier) was not reachable',
    pattern:
      /[Ff]rontier.{0,160}(?:unreachable|timed? ?out|[Cc]onnection|refused|fail|not respond|unavailable|[Ee]rror)|(?:CORAL|COOL).{0,80}[Cc]onnect.{0,60}(?:fail|refused|timed? ?out)|squid.{0,60}(?:fail|unreachable|timed? ?out)|DBReplicaSvc.{0,80}(?:fail|error)/,
    category: 'transient-network',
    explanation:
      'The payload could not read conditions data because the conditions-database servers (Frontier and the site squids) could not be reached. The job itself is fine; the service or the network to it was not.',
    todo: ['Nothing to change in the job: retry it.', 'If it repeats at one site, report it to the site (squid) or ADC.'],
    retry: 'retry',
    retryReason: 'Conditions-service and network outages are usually over by the next attempt.',
  },
  {
    id: 'storage-read',
    title: 'reading input from the storage endpoint failed',
    pattern:
      /(?:root|davs|https?):\/\/\S+.{0,120}(?:[Cc]onnection|timed? ?out|refused|Server responded with an error|Operation expired|Auth failed)|\[(?:ERROR|FATAL)\] (?:Server responded|Socket|Connection|Operation expired|Auth failed)|TNetXNGFile::Open.{0,80}(?:ERROR|fail)|XrdCl.{0,60}(?:error|fail)|[Ff]ailed to open remote|remote file open.{0,40}(?:timed out|fail)/,
    category: 'storage-stagein',
    explanation:
      'The payload could not read its input from the storage endpoint (remote open or read failed or timed out). The input and the code are fine as far as the logs show; the storage did not answer.',
    todo: ['Nothing to change in the job: retry it.', 'If the same file or storage keeps failing, report it to the site or DDM operations.'],
    retry: 'retry',
    retryReason: 'Storage read problems are usually temporary, or another replica is used next time.',
  },
  {
    id: 'bad-input',
    title: 'an input file is damaged',
    pattern:
      /R__unzip|Error in <T(?:Basket|Branch\w*|File|Key)::(?:ReadBasketBuffers|Streamer|GetBasket|ReadBuffer|ReadObj)>|\bbadread=[1-9]|did not pass (?:the )?corruption test|is truncated|not a ROOT file|file is a zombie|probably not closed|Error reading (?:from )?file|corrupt(?:ed)? (?:input|file|event|data|basket)|bad (?:input|event) data|input file.{0,40}corrupt|checksum mismatch.{0,40}input/i,
    category: 'input-data-corrupt',
    explanation:
      'An input file could not be read because its content is damaged (truncated or corrupt). The code and the site are not the problem; the same file breaks every attempt.',
    todo: [
      'Report the file to DDM operations (with the lines below) so the replica is checked or declared bad.',
      'Exclude the file from the task if it cannot be recovered.',
    ],
    retry: 'no_retry',
    retryReason: 'A damaged file stays damaged: every attempt that reads it fails the same way.',
  },
  {
    id: 'bad-definition',
    title: 'the job definition does not fit',
    pattern:
      /Unrecognized (?:transform )?argument|unrecognized arguments|[Ii]mage not found|image does not exist|no such (?:release|container image)|not compatible with (?:the )?queue|exceeds the (?:queue|site) limit|[Rr]elease .{0,40}(?:not found|is not available|not installed)/,
    category: 'configuration',
    explanation: 'The job or task definition does not fit: an argument, release or container it names is not valid where it ran.',
    todo: ['Fix the job or task definition (arguments, release, container) and resubmit.'],
    retry: 'no_retry',
    retryReason: 'The same definition fails the same way until it is changed.',
  },
  {
    id: 'disk-full',
    title: 'the disk filled up',
    pattern: /No space left on device|Disk quota exceeded|not enough local space/i,
    category: 'resource-limit-disk',
    explanation: 'The job ran out of disk space on the worker node (or hit a quota) while writing.',
    todo: ['Check how much the job writes; with fewer events per job it needs less space.', 'If the node was simply full, a retry elsewhere works.'],
    retry: 'maybe',
    retryReason: 'Depends on whether the space went to this job or to something else on the node.',
  },
  {
    id: 'credentials',
    title: 'the credentials were not valid',
    pattern: /proxy.{0,40}(?:expired|not valid|invalid)|certificate has expired|token.{0,20}expired|[Aa]uthentication fail/,
    category: 'auth-credentials',
    explanation: 'A proxy, certificate or token the job needed was expired or invalid.',
    todo: ['Renew the proxy or token (voms-proxy-init, or log in again with the panda client), then retry.'],
    retry: 'maybe',
    retryReason: 'It helps once valid credentials are in place.',
  },
  {
    id: 'network',
    title: 'a network connection or central service failed',
    pattern:
      /Connection (?:refused|reset|timed out)|Could not resolve host|Name or service not known|Temporary failure in name resolution|Network is unreachable|socket\.timeout|read operation timed out|urlopen error|ORA-\d{5}|DatabaseException/,
    category: 'transient-network',
    explanation: 'A network connection or a central service the job needed failed or timed out. The job itself is not at fault.',
    todo: ['Nothing to change in the job: retry it.'],
    retry: 'retry',
    retryReason: 'Network and service hiccups are usually gone by the next attempt.',
  },
  {
    id: 'external-kill',
    title: 'the payload was killed from outside',
    pattern:
      /^\s*(?:Killed|Terminated)\s*$|line \d+: +\d+ (?:Killed|Terminated)\b|caught signal: SIG(?:TERM|KILL|INT|QUIT|USR1)\b|received signal (?:9|15|SIGTERM|SIGKILL)\b|killed by signal (?:9|15)\b|exit(?:ed with)? (?:code|status):? ?(?:137|143)\b/,
    category: 'killed-by-system',
    explanation:
      'The payload was killed by a signal from outside (the shell reports it as "Killed" / "Terminated", exit code 137 or 143): the batch system, the node or an administrator stopped it. Nothing in the logs shows the payload failing by itself, memory use was well below its limit and no out-of-memory kill is logged, so the reason for the kill lies outside the job and is not in these logs.',
    todo: [
      'Nothing to change in the job: retry it.',
      'If it is killed again at the same point, compare its run time with the queue limits and ask the site why it was killed.',
    ],
    retry: 'retry',
    retryReason: 'The job did not fail by itself and memory is ruled out: another attempt normally succeeds.',
  },
  {
    id: 'crash',
    title: 'the payload crashed',
    pattern:
      /Segmentation fault|SIGSEGV|segmentation violation|\*\*\* Break \*\*\*|core dumped|Bus error|SIGBUS|Floating point exception|SIGFPE|terminate called after throwing|double free or corruption|free\(\): invalid|exit(?:ed with)? (?:code|status):? ?(?:139|134)\b/,
    category: byAuthor,
    explanation: 'The payload crashed (segmentation fault or abort) inside the program: a bug in the code it runs, triggered by this job’s input or options.',
    todo: ['Reproduce it locally on the same input with the same release, and fix or report the crash (with the lines below).'],
    retry: 'no_retry',
    retryReason: 'A crash in the code repeats with the same software and input.',
  },
  {
    id: 'exception',
    title: 'the payload stopped with an error of its own',
    pattern:
      /^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception)\b(?::|$)|Traceback \(most recent call last\)|CRITICAL Transform executor raised|\bFATAL\b|^\s*\S+\s+ERROR\b|Error in <[^>]+>|^ERROR:|Logfile error in log\.\w+|^\s*\S+?:\d+(?::\d+)?: (?:fatal )?error: /,
    category: byAuthor,
    explanation:
      'The payload stopped with an error of its own: the exception or error message below comes from the code it runs (its options, its input handling or a bug), not from the site.',
    todo: ['Fix the code or the job options at the place the lines below point to, test on a few events locally, then resubmit.'],
    retry: 'no_retry',
    retryReason: 'The same code with the same input fails the same way.',
  },
];

/**
 * Causes of a failed transfer that decide the retry verdict against the code's default: a destination
 * without free space does not take the output until someone frees space or another destination is
 * chosen, which the logs cannot tell.
 */
const TRANSFER_RULES: readonly CauseRule[] = [
  {
    id: 'storage-full',
    title: 'the destination storage had no free space',
    pattern:
      /Insufficient Storage|\bHTTP 507\b|\b507 Insufficient|does not have enough space|(?:quota|space) (?:exceeded|exhausted)|no (?:free )?space left|storage (?:is )?full|\bis full\b/i,
    category: 'storage-stageout',
    explanation:
      'The output could not be written because the destination storage (or the space token / quota the job writes to) had no free space left. The job and its output are fine; the storage refused to take more data.',
    todo: [
      'Retry once the destination has space again; tell the site or DDM operations if it stays full.',
      'For your own outputs, choose another destination (--destSE) if this one is full.',
    ],
    retry: 'maybe',
    retryReason: 'A retry helps only once space is freed at the destination or the output goes elsewhere; the logs cannot tell when that is.',
  },
];

/** A transfer cause named by the evidence lines, when one is (only for stage-out for now). */
export function findTransferCause(lines: readonly LineRef[], phase: 'stagein' | 'stageout' | null): FoundCause | null {
  if (phase !== 'stageout') return null;
  for (const rule of TRANSFER_RULES) {
    const hits = lines.filter((l) => rule.pattern.test(l.text));
    if (hits.length) return { cause: textFor(rule, false), lines: hits.slice(0, 8) };
  }
  return null;
}

/** Rule ids in priority order (for tests). */
export const CAUSE_IDS = RULES.map((r) => r.id);

export interface LineRef {
  source: string;
  n: number;
  text: string;
}

export interface FoundCause {
  cause: CauseText;
  /** The lines that matched, in log order, at most a few. */
  lines: LineRef[];
}

/**
 * The payload's memory limit in kB: as the pilot's memory monitor reported it, else what the job
 * asked for (minramcount, MB) with at least 2 GB per core (the usual ATLAS queue limit).
 */
export function memoryLimitKb(job: JobRecord, reportedKb?: number): number {
  if (reportedKb) return reportedKb;
  const cores = Math.max(1, Number(job.corecount ?? 1) || 1);
  return Math.max(Number(job.minramcount ?? 0) || 0, 2000 * cores) * 1024;
}

/** Peak memory (maxPSS, else maxRSS, kB) at or above 90 % of the limit. */
export function memoryNearLimit(job: JobRecord, reportedKb?: number): boolean {
  const used = Number(job.maxpss || job.maxrss || 0);
  return used > 0 && used >= 0.9 * memoryLimitKb(job, reportedKb);
}

function textFor(rule: CauseRule, userJob: boolean): CauseText {
  const { pattern: _p, category, ...rest } = rule;
  return { ...rest, category: typeof category === 'function' ? category(userJob) : category };
}

/**
 * The first rule (in priority order) that some line matches, with its matching lines. A kill from
 * outside with memory near the limit is a memory cause.
 */
export function findCause(
  lines: readonly LineRef[],
  job: JobRecord,
  userJob: boolean,
  options: { allowed?: ReadonlySet<string>; memoryLimitKb?: number } = {},
): FoundCause | null {
  const { allowed } = options;
  for (const rule of RULES) {
    if (allowed && !allowed.has(rule.id)) continue;
    const hits = lines.filter((l) => rule.pattern.test(l.text));
    if (!hits.length) continue;
    if (rule.id === 'external-kill' && memoryNearLimit(job, options.memoryLimitKb)) {
      const memory = RULES.find((r) => r.id === 'memory-oom') as CauseRule;
      const text = textFor(memory, userJob);
      return {
        cause: {
          ...text,
          id: 'memory-kill',
          explanation: `The payload was killed (${hits[0]?.text.trim().slice(0, 80)}) while its memory use was at the limit (maxPSS ${Math.round(Number(job.maxpss || job.maxrss) / 1024)} MB of ${Math.round(memoryLimitKb(job, options.memoryLimitKb) / 1024)} MB): the kill comes from the memory limit.`,
        },
        lines: hits.slice(0, 8),
      };
    }
    return { cause: textFor(rule, userJob), lines: hits.slice(0, 8) };
  }
  return null;
}

/** Generic explanation, advice and retry reason per category: when the evidence changed the category but named no specific cause. */
export const CATEGORY_TEXT: Record<Category, Omit<CauseText, 'id' | 'category' | 'retry' | 'retryReason'>> = {
  'transient-network': {
    title: 'a network or central-service problem',
    explanation: 'A network connection or central service failed while the job ran; the job itself is not at fault.',
    todo: ['Nothing to change: retry the job.'],
  },
  'storage-stagein': {
    title: 'reading the input from storage failed',
    explanation: 'The input could not be read from the storage element.',
    todo: ['Retry; if the same file keeps failing, ask DDM operations to check its replicas.'],
  },
  'storage-stageout': {
    title: 'writing the output to storage failed',
    explanation: 'The output could not be written to the storage element.',
    todo: ['Nothing to change: retry; if the same storage keeps failing, report it to the site.'],
  },
  'site-infrastructure': {
    title: 'a problem of the node or site',
    explanation: 'The worker node or the site failed under the job; the job itself is not at fault.',
    todo: ['Nothing to change: let it run elsewhere; report repeated failures at one site to the site or ADC.'],
  },
  'resource-limit-memory': {
    title: 'the job needed more memory',
    explanation: 'The job needed more memory than it was given.',
    todo: ['Retry with more memory (or fewer events per job) and check the payload for a leak.'],
  },
  'resource-limit-walltime': {
    title: 'the job ran out of time',
    explanation: 'The job reached the time limit of its queue or batch slot.',
    todo: ['Retry with a longer time limit or fewer events per job.'],
  },
  'resource-limit-disk': {
    title: 'the job ran out of disk space',
    explanation: 'The job ran out of local disk space.',
    todo: ['Check how much the job writes; retry with fewer events per job if its work directory grows too large, otherwise on another node.'],
  },
  looping: {
    title: 'the payload stopped making progress',
    explanation: 'The payload stopped writing output for too long, so the pilot killed it as looping.',
    todo: ['Find why the payload stopped making progress (endless loop, stuck I/O) before retrying.'],
  },
  'killed-by-system': {
    title: 'the job was stopped from outside',
    explanation: 'The job was stopped from outside (batch system, pilot or PanDA server); it did not fail by itself.',
    todo: ['Nothing to change: retry the job.'],
  },
  'payload-user-error': {
    title: 'the user code failed',
    explanation: "The user's code or options made the payload fail.",
    todo: ['Fix the code or the job options shown in the lines below, test on a few events locally, then resubmit.'],
  },
  'payload-software': {
    title: 'the software failed',
    explanation: 'The software the job runs failed by itself.',
    todo: ['Report the failure with the lines below to the software or production team; the same release and input fail the same way.'],
  },
  'input-data-corrupt': {
    title: 'an input file is damaged',
    explanation: 'An input file is damaged.',
    todo: ['Report the bad input file to DDM operations; exclude it from the task if it cannot be recovered.'],
  },
  'auth-credentials': {
    title: 'credentials were not valid',
    explanation: 'A proxy, certificate or token was missing or invalid.',
    todo: ['Renew the proxy or token (voms-proxy-init / panda-client login) and retry.'],
  },
  configuration: {
    title: 'the job definition does not fit',
    explanation: 'The job or task definition does not fit the data, release or queue.',
    todo: ['Fix the job or task definition (conditions tag, release, container, queue limits) before resubmitting.'],
  },
  unknown: {
    title: 'the cause is not in the logs',
    explanation: 'The job record and logs do not show what went wrong.',
    todo: ['Retry once; if it fails the same way, ask ADC support with the lines below.'],
  },
};
