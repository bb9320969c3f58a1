/**
 * Default category and retry advice for codes without a hand-written entry in advice.yaml,
 * inferred from the code's component, constant name and default message. The first matching
 * rule wins, so specific rules come before broad ones.
 */
import type { Category, Component, RetryAdvice } from './types.js';

export interface RuleInput {
  component: Component;
  code: number;
  name: string | null;
  message: string | null;
}

export interface InferredAdvice {
  category: Category;
  retry: RetryAdvice;
  retryReason: string;
  /** Which rule matched (for tests and debugging). */
  rule: string;
}

interface Rule {
  id: string;
  test: (text: string, input: RuleInput) => boolean;
  category: Category;
  retry: RetryAdvice;
  why: string;
}

const has = (pattern: RegExp) => (text: string) => pattern.test(text);

const RULES: readonly Rule[] = [
  {
    id: 'success',
    test: (_t, i) => i.code === 0,
    category: 'unknown',
    retry: 'no_retry',
    why: 'Code 0 means success: there is nothing to retry.',
  },
  {
    id: 'athena-store',
    test: has(/storegate|detectorstore|proxy for (?:default )?object/),
    category: 'payload-software',
    retry: 'no_retry',
    why: 'A missing object in the event or detector store repeats with the same software and input.',
  },
  {
    id: 'signal-cpu',
    test: has(/sigxcpu|cpu time/),
    category: 'resource-limit-walltime',
    retry: 'maybe',
    why: 'The CPU-time limit was hit: a retry helps only on a queue with a longer limit or with fewer events per job.',
  },
  {
    id: 'signal-filesize',
    test: has(/sigxfsz/),
    category: 'resource-limit-disk',
    retry: 'maybe',
    why: 'A file-size limit was hit: the job will hit it again unless its output gets smaller or the limit larger.',
  },
  {
    id: 'signal-kill',
    test: has(/sigkill/),
    category: 'killed-by-system',
    retry: 'maybe',
    why: 'SIGKILL comes from outside the payload (batch system, pilot or the out-of-memory killer): check memory use first.',
  },
  {
    id: 'signal-crash',
    test: has(/sigsegv|sigbus|sigfpe|sigill|sigabrt|sigtrap|sigsys|segmentation|core dump|crash/),
    category: 'payload-software',
    retry: 'maybe',
    why: 'A crash usually repeats on the same input, but can also come from a faulty node: one retry tells which.',
  },
  {
    id: 'duplicate',
    test: has(/already (?:running|executed)|clone/),
    category: 'killed-by-system',
    retry: 'no_retry',
    why: 'Another copy of this job ran instead: there is nothing to retry.',
  },
  {
    id: 'event-service',
    test: has(/event ?service|consumer|event ranges|\bes\b/),
    category: 'killed-by-system',
    retry: 'retry',
    why: 'Event-service bookkeeping: PanDA re-dispatches the unprocessed events itself.',
  },
  {
    id: 'missing-output',
    test: has(/expected output|output file (?:is )?missing|local output file|missing output|no output|empty output|output missing|zero/),
    category: 'payload-software',
    retry: 'maybe',
    why: 'The payload did not produce an expected output: its log tells whether the cause repeats.',
  },
  {
    id: 'memory',
    test: has(/memory|bad.?alloc|\boom\b/),
    category: 'resource-limit-memory',
    retry: 'retry_more_memory',
    why: 'The job needed more memory than it was given: retry with a higher memory request.',
  },
  {
    id: 'walltime',
    test: has(/time limit|walltime|max ?time|lease time|execution timeout|executor timed out|exec timeout/),
    category: 'resource-limit-walltime',
    retry: 'maybe',
    why: 'A time limit was reached: a retry helps only with a longer limit or less work per job.',
  },
  {
    id: 'external-kill',
    test: has(/sigterm|sigint|sigquit|sighup|sigusr|sigstop|sigtstp|kill signal|killed|preempt|keyboard interrupt/),
    category: 'killed-by-system',
    retry: 'retry',
    why: 'The job was stopped from outside, not by its own failure: another attempt normally succeeds.',
  },
  {
    id: 'credentials',
    test: has(/proxy|voms|certificate|credential|authenticat|token|security violation|\bdn\b/),
    category: 'auth-credentials',
    retry: 'maybe',
    why: 'Credentials were missing or invalid: a retry helps once a valid proxy or token is in place.',
  },
  {
    id: 'input-corrupt',
    test: has(
      /(?:md5 ?sum|md5|adler32|checksum|size) mismatch on input|input file (?:is )?corrupt|corrupted \(wrong input\)|get error:.*mismatch|input file corrupted/,
    ),
    category: 'input-data-corrupt',
    retry: 'maybe',
    why: 'The input replica looks damaged: a retry helps only if another, intact replica is used.',
  },
  {
    id: 'stage-out',
    test: has(
      /stage-?out|put error|put function|mismatch on output|checksum|adler32|md5|output files? to dataset|registration|register|subscription|local ?se\b|dccp|lfc|lrc|log file not transferred|copying the output/,
    ),
    category: 'storage-stageout',
    retry: 'retry',
    why: 'Output upload problems are usually transient on the storage side: another attempt usually succeeds.',
  },
  {
    id: 'stage-in',
    test: has(
      /stage-?in|get error|get function|replica|remote file|xrdcp|lcg-|surl|storage endpoint|file verification|no input|missing ?input|input.*(?:unavailable|missing|not found|not readable)|pandamover|dbrelease file|copying input|staging/,
    ),
    category: 'storage-stagein',
    retry: 'maybe',
    why: 'Input could not be read from storage: a retry helps if the storage recovers or another replica is used.',
  },
  {
    id: 'disk',
    // `\bspace` so that a user namespace (a container runtime failure) is not a disk problem
    test: has(/\bspace|disk|too large|too big|quota|size limit/),
    category: 'resource-limit-disk',
    retry: 'maybe',
    why: 'Disk space ran out: a retry helps on a node with free space, not if the job itself writes too much.',
  },
  {
    id: 'site-software',
    test: has(
      /singularity|apptainer|cvmfs|installation|installed|software dir|release|container|cmtconfig|librar|\bdll|nfs|sqlite|lock|mkdir|directory|queuedata|heartbeat|child process|no ?root\b|pool ?catalog|\bdb ?release|poolfilecatalog|black hole|file system|middleware|cpu consumption|proc file|no such process|resource temporarily|internal pilot|pre-process|post-process|log file|xml|file handling|convert|lost job|recover/,
    ),
    category: 'site-infrastructure',
    // Node-local by default (the hand-written site entries say so too): the next attempt usually lands elsewhere.
    retry: 'retry',
    why: 'The node or site software environment failed: a retry on another node usually helps unless the whole site is affected.',
  },
  {
    id: 'server',
    test: (_t, i) => i.component === 'taskbuffer' || i.component === 'jobdispatcher' || i.component === 'supervisor',
    category: 'killed-by-system',
    retry: 'maybe',
    why: 'The PanDA server ended the job; PanDA often re-runs such jobs itself, check for a newer attempt.',
  },
  {
    id: 'network',
    test: has(
      /network|connection|service unavailable|service not available|server error|timed? ?out|timeout|unreachable|rucio|frontier|curl|wget|download|tarball|communicat|oracle|mysql|\bdatabase|\bdb\b|\bami\b/,
    ),
    category: 'transient-network',
    retry: 'retry',
    why: 'Network or central-service hiccups are usually transient: another attempt usually succeeds.',
  },
  {
    id: 'configuration',
    test: has(
      /argument|missing ?arg|option|config|definition|geometry|\btag\b|unsupported|not supported|illegal|invalid|too long|not defined|good ?run ?list|\bgrl\b/,
    ),
    category: 'configuration',
    retry: 'no_retry',
    why: 'The job or task definition is wrong: the same definition fails again, fix it and resubmit.',
  },
  {
    id: 'wnscript-payload',
    test: (_t, i) => i.component === 'wnscript',
    category: 'payload-user-error',
    retry: 'no_retry',
    why: "The analysis wrapper reported a failure of the user's job: the same code and options fail again.",
  },
  {
    id: 'payload',
    test: (t, i) => i.component === 'trf' || i.component === 'exe' || /athena|transform|\btrf\b|payload|exception|python|algorithm|execut/.test(t),
    category: 'payload-software',
    retry: 'maybe',
    why: 'The payload itself failed: whether a retry helps depends on the error in its log.',
  },
];

/** Splits constant names into words: `EC_CMTFailed` → `ec cmt failed`, `STAGEIN_FAILED` → `stagein failed`. */
export function nameWords(name: string | null): string {
  if (!name) return '';
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** Category and retry advice for a code without a hand-written entry. Never leaves a field empty. */
export function inferAdvice(input: RuleInput): InferredAdvice {
  const text = `${nameWords(input.name)} ${input.message ?? ''}`.toLowerCase();
  for (const rule of RULES) {
    if (rule.test(text, input)) return { category: rule.category, retry: rule.retry, retryReason: rule.why, rule: rule.id };
  }
  return {
    category: 'unknown',
    retry: 'maybe',
    retryReason: 'Nothing in the code says what failed: look at the job logs before retrying.',
    rule: 'fallback',
  };
}
