/**
 * Error-code mentions: "pilot error 1150", "piloterrorcode=1351", "exit code 139", "trf exit code 11",
 * "transform exits with code 66", "ddm error 200", "1305 errors", and a bare "1325??".
 * Works on lower-case text whose job/task IDs are already masked.
 */

export type ErrorComponent = 'pilot' | 'trf' | 'exe' | 'ddm' | 'taskbuffer' | 'jobdispatcher' | 'sup' | 'brokerage';

export interface ErrorCodeMention {
  code: number;
  component: ErrorComponent | null;
  /** How it was found: a component-specific phrase, a generic "error N" phrase, or a bare number. */
  how: 'component' | 'generic' | 'bare';
}

/** Between a code's name and its number: "is", "=", "#", or an example ("transExitCode values like 65", "pilot codes such as 1099"). */
const SEP = String.raw`\s*(?:is|was|=|:|#|of|no\.?|number|(?:values?|codes?|errors?|numbers?)?\s*(?:like|such\s+as|e\.?g\.?,?|for\s+example|for\s+instance|say))?\s*`;
const CODE = String.raw`(\d{1,5})(?![\d.,]\d|%)`;

/** Phrases that name the component themselves, most specific first. */
const COMPONENT_PHRASES: Array<[ErrorComponent, RegExp]> = [
  ['pilot', new RegExp(String.raw`\b(?:piloterrorcode|piloterror|pilot\s*(?:error|err|exit)\s*(?:code)?|pilot\s+code)${SEP}${CODE}`, 'g')],
  [
    'trf',
    new RegExp(
      String.raw`\b(?:transexitcode|trans\s*exit\s*code|trf\s*(?:error|exit)?\s*(?:code|status)?|transform(?:ation)?\s*(?:error|exit)\s*(?:code|status)?)${SEP}${CODE}`,
      'g',
    ),
  ],
  ['trf', new RegExp(String.raw`\bexit(?:ed|s|ing)?\s*(?:with\s+)?(?:an?\s+)?(?:exit\s*)?(?:code|status|value)${SEP}${CODE}`, 'g')],
  ['trf', new RegExp(String.raw`\b(?:exitcode|exit\s*code|exited\s+with|exits\s+with)${SEP}${CODE}`, 'g')],
  ['exe', new RegExp(String.raw`\b(?:exeerrorcode|exe\s*(?:error|err)\s*(?:code)?|executable\s+error\s*(?:code)?)${SEP}${CODE}`, 'g')],
  ['ddm', new RegExp(String.raw`\b(?:ddmerrorcode|(?:ddm|data\s*service)\s*(?:error|err)\s*(?:code)?)${SEP}${CODE}`, 'g')],
  ['taskbuffer', new RegExp(String.raw`\b(?:taskbuffererrorcode|task\s*buffer\s*(?:error|err)\s*(?:code)?)${SEP}${CODE}`, 'g')],
  ['jobdispatcher', new RegExp(String.raw`\b(?:jobdispatchererrorcode|(?:job\s*)?dispatcher\s*(?:error|err)\s*(?:code)?)${SEP}${CODE}`, 'g')],
  ['sup', new RegExp(String.raw`\b(?:superrorcode|sup\s*(?:error|err)\s*(?:code)?|supervisor\s+error\s*(?:code)?)${SEP}${CODE}`, 'g')],
  ['brokerage', new RegExp(String.raw`\b(?:brokerageerrorcode|brokerage\s*(?:error|err)\s*(?:code)?)${SEP}${CODE}`, 'g')],
];

/** Words that name a component somewhere in the sentence ("the athena transform … code 66"). */
const COMPONENT_CUES: Array<[ErrorComponent, RegExp]> = [
  ['pilot', /\bpilot\b/g],
  ['trf', /\b(?:trf|transforms?|transformations?|transexitcode|exit\s*codes?|exitcode|exit\s+status)\b/g],
  ['exe', /\b(?:exeerrorcode|exe)\b/g],
  ['ddm', /\b(?:ddm|ddmerrorcode|data\s*service)\b/g],
  ['taskbuffer', /\btask\s*buffer\b/g],
  ['jobdispatcher', /\bjob\s*dispatcher\b/g],
  ['sup', /\b(?:sup|superrorcode)\b/g],
  ['brokerage', /\bbrokerage\b/g],
];

/**
 * A component word right next to a number, without "error" or "code": "pilot 1377?", "says taskbuffer 105",
 * "the pilot keeps returning 1213", "got 1368 back from the pilot". Pilot codes have four digits, so a
 * pilot number needs three or four ("pilot 3" is a version); the server components use small numbers.
 */
const REPORTS = String.raw`(?:(?:keeps?|always|still|now|just)\s+)?(?:(?:return|report|give|throw|raise|send|say|show)(?:s|ed|ing)?|gave|threw|said|sent|shows)\s+(?:(?:me|us|back)\s+)?(?:an?\s+)?`;
const NEXT_TO: Array<[ErrorComponent, RegExp]> = [
  ['pilot', new RegExp(String.raw`\bpilot\s+(?:${REPORTS})?(\d{3,4})(?![\d.,:]\d|%|\w)`, 'g')],
  ['pilot', /(?<![\w.#\-/$])(\d{3,4})\s+(?:back\s+)?(?:from|by)\s+(?:the\s+)?pilot\b/g],
  ['taskbuffer', new RegExp(String.raw`\btask\s*buffer\s+(?:${REPORTS})?(\d{1,4})(?![\d.,:]\d|%|\w)`, 'g')],
  ['jobdispatcher', new RegExp(String.raw`\b(?:job\s*)?dispatcher\s+(?:${REPORTS})?(\d{1,4})(?![\d.,:]\d|%|\w)`, 'g')],
  ['ddm', new RegExp(String.raw`\b(?:ddm|data\s*service)\s+(?:${REPORTS})?(\d{1,4})(?![\d.,:]\d|%|\w)`, 'g')],
  ['sup', new RegExp(String.raw`\bsupervisor\s+(?:${REPORTS})?(\d{1,4})(?![\d.,:]\d|%|\w)`, 'g')],
  ['brokerage', new RegExp(String.raw`\bbrokerage\s+(?:${REPORTS})?(\d{1,4})(?![\d.,:]\d|%|\w)`, 'g')],
];

const GENERIC: RegExp[] = [
  new RegExp(String.raw`\b(?:error|err|errors|errorcode|error\s*code|err\s*code)${SEP}${CODE}`, 'g'),
  new RegExp(String.raw`\bcode${SEP}${CODE}`, 'g'),
  // "rc=65", "retcode 1", "return code: 139".
  new RegExp(String.raw`\b(?:rc|retcode|ret\s*code|return\s*code|exit_code)${SEP}${CODE}`, 'g'),
  // "1305 errors", "a 1150 error" — not "top 10 errors" or "more than 5 errors".
  /(?<!\b(?:top|first|last|next|than|about|around|over|under|only|few|~)\s)(?<![\w.#-])(\d{1,5})\s*(?:errors?|error\s*codes?|err)\b/g,
];

const UNIT_AFTER =
  /^\s*(?:(?!(?:a|an|the)\s)[a-z]+\s+)?(?:%|percent|[kmgtp]b\b|[kmgtp]ib\b|gb\/s|h\b|hrs?\b|hours?\b|mins?\b|minutes?\b|s\b|secs?\b|seconds?\b|days?\b|weeks?\b|months?\b|years?\b|cores?\b|jobs?\b|tasks?\b|files?\b|events?\b|queues?\b|sites?\b|times\b|x\b|hs06|cpus?\b|gpus?\b|nodes?\b|threads?\b|attempts?\b|retries\b|k\b|am\b|pm\b|users?\b)/;
const QUANTITY_BEFORE =
  /\b(?:above|below|over|under|than|least|most|top|first|last|next|maxrss|minrss|maxtime|mintime|maxwdir|corecount|corepower|memory|rss|pss|walltime|since|in|on|from|until|to|version|v|release|python|el|sl|centos|alma|step|line|page|item|attempt|retry|port|of|with|at|per|around|about|approximately|~|>|<|=)\s*$/;
const CODE_CUE =
  /\b(?:error|errors|err|code|codes|mean|means|meaning|kind|what|explain|stand|stands|signify|failure|fail|failed|failing|exit|crash|crashed|issue|problem|fix|cause|causes|reason|seen|again|returns?|returned|reports?|reported|throws?|threw|raises?|raised)\b/;

function nearestCue(text: string, at: number): ErrorComponent | null {
  let best: { component: ErrorComponent; distance: number } | null = null;
  for (const [component, cue] of COMPONENT_CUES) {
    for (const match of text.matchAll(cue)) {
      const index = match.index ?? 0;
      // A cue after the code counts a little less than one before it.
      const distance = index <= at ? at - index : (index - at) * 1.5;
      if (!best || distance < best.distance) best = { component, distance };
    }
  }
  return best?.component ?? null;
}

/** "keeps failing w/ 1331", "failed on X with 1201", "crashed with 139": the number a failure ended with. */
const FAILED_WITH =
  /\b(?:fail\w*|crash\w*|died|dies|dying|abort\w*|killed|exit\w*|end(?:s|ed)\s+up|finish\w*)\b[^.?!;]{0,40}?\b(?:with|w\/)\s+(?:an?\s+)?(?:error\s+)?(\d{1,5})(?![\w.,]\d|%)/g;

/** "failed 1305 at BNL", "died 1099 again": a failure verb right before a number of two to four digits (not "failed 3 times"). */
const FAILED_NUMBER = /\b(?:failed|fails|failing|crashed|died|exited|aborted)\s+(\d{2,4})(?![\w.,:/%-]|\s*(?:x|times)\b)/g;

/** "my jobs get 1150 sometimes", "we keep seeing 1305": a number of two to four digits that jobs receive, or one given as an example ("e.g. is 65 listed"). */
const RECEIVED_NUMBER =
  /\b(?:get|gets|getting|got|see|sees|seeing|saw|hit|hits|hitting)\s+(?:an?\s+|the\s+)?(?:error\s+)?(\d{2,4})(?![\w.,:/%-])|\b(?:e\.g\.?|eg|for\s+example|such\s+as)\s+(?:is\s+|does\s+)?(\d{2,4})(?![\w.,:/%-])/g;

function failedWith(text: string): ErrorCodeMention | null {
  for (const match of [...text.matchAll(FAILED_NUMBER), ...text.matchAll(RECEIVED_NUMBER)]) {
    const digits = match[1] ?? match[2] ?? '';
    const at = (match.index ?? 0) + match[0].lastIndexOf(digits);
    if (UNIT_AFTER.test(text.slice(at + digits.length)) || /^\s+(?:of|out|more|less|per)\b/.test(text.slice(at + digits.length))) continue;
    return { code: Number(digits), component: nearestCue(text, at), how: 'generic' };
  }
  for (const match of text.matchAll(FAILED_WITH)) {
    const digits = match[1] ?? '';
    const at = (match.index ?? 0) + match[0].lastIndexOf(digits);
    if (UNIT_AFTER.test(text.slice(at + digits.length))) continue;
    return { code: Number(digits), component: nearestCue(text, at), how: 'generic' };
  }
  return null;
}

/** "1346?? never seen that one", "1213 - is that a site problem?": a message that opens with the number it asks about. */
const LEADING_NUMBER = /^\W*(\d{1,5})\s*(?:\?+|!+|-|:|\.\.\.|,)/;

/** "what does that code mean?", "is this error number a site problem?": the message points back at the number it names. */
const POINTS_AT_CODE = /\b(?:that|this|the\s+same)\s+(?:error\s+|exit\s+)?(?:code|number|exit\s+status)\b|\bwhat\s+(?:code|error)\s+is\s+(?:that|this)\b/;
/** Counting words before a number that is then named as a code ("lots of 1099", "a bunch of 1305s"). */
const MANY_OF = /\b(?:lots|lot|bunch|plenty|loads|tons|handful|couple|many|several|few|some|more|mostly|all)(?:\s+of)?\s*$/;
/** Words before a number that make it a quantity or a version even when the message speaks of "that code". */
const NOT_A_CODE_BEFORE = /\b(?:above|below|over|under|than|top|first|last|next|version|v|release|python|el|centos|alma|port|per|line|page|step|~|>|<)\s*$/;

function referredCode(text: string): ErrorCodeMention | null {
  if (!POINTS_AT_CODE.test(text)) return null;
  const numbers = [...text.matchAll(/(?<![\w.#\-/$])(\d{1,4})(?:s\b)?(?![\w.,:/-]\d|\w)/g)];
  if (numbers.length !== 1) return null;
  const match = numbers[0] as RegExpMatchArray;
  const index = match.index ?? 0;
  const digits = match[1] ?? '';
  const before = text.slice(0, index);
  if (UNIT_AFTER.test(text.slice(index + match[0].length)) || NOT_A_CODE_BEFORE.test(before)) return null;
  if (QUANTITY_BEFORE.test(before) && !MANY_OF.test(before)) return null;
  return { code: Number(digits), component: nearestCue(text, index), how: 'generic' };
}

function bareCode(text: string): ErrorCodeMention | null {
  const leading = LEADING_NUMBER.exec(text);
  if (leading?.[1] && !UNIT_AFTER.test(text.slice(leading[0].length - 1).replace(/^\W+/, ' '))) {
    return { code: Number(leading[1]), component: nearestCue(text, leading.index), how: 'bare' };
  }
  const numbers = [...text.matchAll(/(?<![\w.#\-/$])(\d{1,5})(?![\w.,:/-]\d|\w)/g)];
  // "1099 vs 1098?": two codes compared; the first is the one to explain first.
  const compared =
    numbers.length === 2 && /^\s*(?:vs\.?|versus|or|and)\s*$/.test(text.slice((numbers[0]?.index ?? 0) + (numbers[0]?.[0].length ?? 0), numbers[1]?.index));
  if (numbers.length !== 1 && !compared) return null;
  const match = numbers[0];
  if (!match) return null;
  const index = match.index ?? 0;
  const digits = match[1] ?? '';
  if (UNIT_AFTER.test(text.slice(index + digits.length)) || QUANTITY_BEFORE.test(text.slice(0, index))) return null;
  const rest = `${text.slice(0, index)} ${text.slice(index + digits.length)}`;
  const words = rest.split(/[^a-z']+/).filter(Boolean);
  // "1099 vs 1104, which one is stage-in?": two numbers set against each other are the codes asked about.
  if (words.length <= 1 || (words.length <= 9 && CODE_CUE.test(rest)) || (compared && words.length <= 12)) {
    return { code: Number(digits), component: nearestCue(text, index), how: 'bare' };
  }
  return null;
}

/** "500 pilots", "20 files": a number counting the plural noun after it (errors and codes excepted). */
const COUNTED_AFTER = /^\s+(?!(?:errors|codes|failures|crashes)\b)[a-z]{3,}s\b/;

/**
 * The one number of two to four digits a message could be asking about as an error code, when
 * the rules found none ("was bedeutet pilot fehler 1377?"): not a quantity, unit, version or sum.
 * Used only where the learned intent classifier says the message is about an error code.
 */
export function codeCandidate(text: string): ErrorCodeMention | null {
  const numbers = [...text.matchAll(/(?<![\w.#\-/$*+^])(\d{1,5})(?![\w.,:/*+^-]?\d|\w|\s*[*+/^=]\s*\d)/g)];
  if (numbers.length !== 1) return null;
  const match = numbers[0] as RegExpMatchArray;
  const digits = match[1] ?? '';
  const index = match.index ?? 0;
  const before = text.slice(0, index);
  const after = text.slice(index + digits.length);
  if (digits.length < 2 || digits.length > 4 || UNIT_AFTER.test(after) || COUNTED_AFTER.test(after) || NOT_A_CODE_BEFORE.test(before)) return null;
  if (QUANTITY_BEFORE.test(before) && !MANY_OF.test(before)) return null;
  return { code: Number(digits), component: nearestCue(text, index), how: 'bare' };
}

/**
 * The first error code mentioned, with its component when the question names one. A bare number
 * counts only when `allowBare` (no job/task ID in the message) and the message is about it.
 */
export function findErrorCode(text: string, allowBare = true): ErrorCodeMention | null {
  let best: { mention: ErrorCodeMention; index: number } | null = null;
  const consider = (mention: ErrorCodeMention, index: number): void => {
    if (!best || index < best.index) best = { mention, index };
  };
  for (const [component, pattern] of COMPONENT_PHRASES) {
    for (const match of text.matchAll(pattern)) {
      consider({ code: Number(match[1]), component, how: 'component' }, match.index ?? 0);
    }
  }
  if (best) return (best as { mention: ErrorCodeMention }).mention;
  for (const [component, pattern] of NEXT_TO) {
    for (const match of text.matchAll(pattern)) {
      const digits = match[1] ?? '';
      const at = (match.index ?? 0) + match[0].indexOf(digits);
      if (UNIT_AFTER.test(text.slice(at + digits.length))) continue;
      consider({ code: Number(digits), component, how: 'component' }, at);
    }
  }
  if (best) return (best as { mention: ErrorCodeMention }).mention;
  for (const pattern of GENERIC) {
    for (const match of text.matchAll(pattern)) {
      const digits = match[1] ?? '';
      const at = (match.index ?? 0) + match[0].indexOf(digits);
      consider({ code: Number(digits), component: nearestCue(text, at), how: 'generic' }, at);
    }
  }
  if (best) return (best as { mention: ErrorCodeMention }).mention;
  return failedWith(text) ?? (allowBare ? (bareCode(text) ?? referredCode(text)) : null);
}
