/**
 * What kind of fact a documentation question asks for, and whether a quotable unit holds that kind
 * of fact. "How much does it fetch by default?" wants a number; "which option…" an identifier;
 * "whom do I contact" an address or list; "how do I…" steps or a command; "what is X" a definition.
 * The answer sentence is chosen for holding the asked-for kind, not only for sharing words.
 */

export type AskedKind = 'number' | 'identifier' | 'contact' | 'steps' | 'definition' | 'reason' | 'location';

const NUMBER_Q =
  /\bhow (?:many|much|long|often|big|large|old|far|frequently)\b|\bif (?:\S+ ){1,4}(?:is|are)(?:n't| not) (?:set|given|specified|defined|configured)\b|\bunset\b|\bwithout (?:setting|specifying)\b|\b(?:when|if) (?:i|we|you) (?:don't|do not|didn't|never) (?:set|specify|give|pass|configure|define)\b|\bassumes?\b|\bout of the box\b|\b(?:default(?:s|ed)?|limit(?:s|ed)?|maximum|max|minimum|min|timeout|time-?out|threshold|lifetime|quota|cap(?:ped)?|at most|at least|up to|ceiling|number of|size of|percentage|fraction|how soon|after how|interval|period|duration|value)\b|\b(?:which|what) (?:\w+ )?(?:ports?|versions?|years?|dates?|days?)\b/i;
const IDENTIFIER_Q =
  /\b(?:which|what)\b(?:\s+\S+){0,3}?\s+(?:option|flag|parameter|param|argument|arg|switch|command|field|attribute|variable|env(?:ironment)? var\w*|setting|key|table|column|file|name|keyword|function|method|api|endpoint|tool|plugin|script|module|status|state|code|class|directive|property|type)s?\b|\bwhat (?:do|should|can) (?:i|we|you) (?:pass|set|use|add|type|call|put|specify|give)\b|\bis there an? (?:option|flag|parameter|command|setting|switch|argument)\b|\b(?:option|flag|parameter|argument|switch|command|setting) (?:for|to|that)\b|\bwhat(?:'s| is) (?:it|that) called\b|\bcalled\b/i;
const CONTACT_Q =
  /\b(?:who|whom|contact|e-?mail|mailing list|e-?group|support (?:team|list|channel)|report (?:it|this|a bug|problems?|issues?)|reach|get (?:help|support)|ask for help|where (?:can|do|should) (?:i|we) (?:ask|get help|report|write|turn))\b/i;
const STEPS_Q =
  /^(?:\W*)(?:so\s+)?(?:how (?:do|can|should|would|could|to)\b|how do you\b|can (?:i|we|you)\b|could (?:i|we)\b|is (?:it|there) (?:possible|a way)\b|what(?:'s| is) the (?:way|procedure|command|best way)\b|what (?:do|should) (?:i|we) do\b|steps?\b)|\bhow (?:do|can|should) (?:i|we|one)\b|\bhow to\b/i;
const DEFINITION_Q =
  /^(?:\W*)(?:what(?:'s| is| are| does| do)\b|define\b|meaning of\b|explain\b|tell me (?:about|what)\b)|\bwhat does .* (?:mean|stand for|do)\b|\bstands? for\b|\bdifference between\b/i;
const REASON_Q = /\bwhy\b|\breason\b|\bcause[sd]?\b|\bpurpose\b|\bwhat (?:is|are) (?:the |a |an )?[\w -]{2,40} (?:for|good for|used for)\s*\??$/i;
const LOCATION_Q =
  /\bwhere (?:is|are|can (?:i|we) find|do (?:i|we) find|does .* (?:live|go|get (?:stored|written)))\b|\b(?:url|link|path|directory|folder|location|page)\b/i;

/** The kinds of fact a question asks for (several may apply; none for a bare keyword query). */
export function askedKinds(question: string): Set<AskedKind> {
  const q = question.replace(/\s+/g, ' ').trim();
  const kinds = new Set<AskedKind>();
  if (NUMBER_Q.test(q)) kinds.add('number');
  if (IDENTIFIER_Q.test(q)) kinds.add('identifier');
  if (CONTACT_Q.test(q)) kinds.add('contact');
  if (STEPS_Q.test(q)) kinds.add('steps');
  if (REASON_Q.test(q)) kinds.add('reason');
  if (LOCATION_Q.test(q)) kinds.add('location');
  if (kinds.size === 0 && DEFINITION_Q.test(q)) kinds.add('definition');
  return kinds;
}

/** A number that is a value (not a section number at the start or a bare list index). */
const VALUE_NUMBER =
  /(?<![\w.])\d+(?:[.,]\d+)?(?:\s*(?:%|[kMGTP]i?B\b|[kKMG]\b|h\b|hrs?\b|hours?\b|min(?:ute)?s?\b|s\b|secs?\b|seconds?\b|days?\b|weeks?\b|events?\b|files?\b|jobs?\b|cores?\b|attempts?\b|times\b))?(?![\w.]*\.\d)/;
/** A default given in words, as a name or as a setting ("Defaults to `def`.", "default value: any", "allow_container: False"). */
const DEFAULT_STATED = /\bdefaults? (?:to|is|value)\b|\bdefault value:|\bby default\b|\(default\)|\b[a-z]+(?:_[a-z0-9]+)+\s*[:=]\s*[\w"'/.-]/i;
const IDENTIFIER =
  /`[^`]+`|(?<![\w-])--?[a-zA-Z][\w-]*|\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z][a-zA-Z0-9]+\b|\b[A-Z]{2,}[A-Z0-9_]*\b|\b[\w-]+\.(?:json|yaml|yml|cfg|conf|py|sh|txt|cwl|xml|root|log|tgz|tar\.gz)\b|\b\w+=\S+/;
const CONTACT =
  /[\w.+-]+@[\w-]+\.[\w.]+|\bmailing list\b|\be-?group\b|\bJIRA\b|\bGGUS\b|\bmattermost\b|\bslack\b|\bdiscourse\b|\bATLAS talk\b|\bcontact\b|\bsupport\b|\bhelpdesk\b|\bexperts?\b|\bteam\b|\bshifters?\b/i;
const URL = /https?:\/\/\S+|\bwww\.\S+/;
const STEP =
  /^(?:\W*)(?:use|set|run|add|specify|submit|check|type|execute|install|call|give|pass|put|see|go to|click|open|create|define|edit|change|enter|source|setup|select|choose|retry|kill|resubmit|write|copy|download|upload|register|request|login|log in)\b|\b(?:you (?:can|need to|have to|must|should|may)|one can|is done (?:by|with)|by (?:using|adding|setting|specifying|running)|to do (?:so|this|that)|with the (?:option|command|flag))\b|(?:^|\s)\$\s|\b(?:prun|pathena|pchain|pbook|phpo|rucio|lsetup|voms-proxy-init|setupATLAS|asetup|panda-client)\b/i;
const DEFINITION =
  /\b(?:is|are) (?:a|an|the|used|responsible|in charge)\b|\brefers? to\b|\bmeans?\b|\bstands? for\b|\bdescribes?\b|\bdefines?\b|\bi\.e\.|\bcalled\b/i;
const REASON =
  /\bbecause\b|\bdue to\b|\bcaused? by\b|\bso that\b|\bin order to\b|\bsince\b|\bwhen\b|\bif\b|\breason\b|\bto avoid\b|\bprevents?\b|\b(?:used|meant|designed|intended|needed|required) (?:to|for)\b|\bpurpose\b|\b(?:is|are)\b[^.;]{0,40}\bto (?!be\b)[a-z]+/i;
const LOCATION = /https?:\/\/|\/[\w.-]+\/[\w.-]+|\bdirectory\b|\bfolder\b|\bpath\b|\bpage\b|\btab\b|\bmonitor\b|\bin the\b/i;

/** A section number opening a unit ("4.1.5 Bookkeeping", "3. Usage"), not a value ("30 min for sent jobs"). */
const SECTION_NUMBER = /^\s*(?:\d+(?:\.\d+)+\.?|\d+\.)\s+/;

/** Whether a unit's text holds the kind of fact asked for. */
export function holds(kind: AskedKind, text: string): boolean {
  switch (kind) {
    case 'number':
      return VALUE_NUMBER.test(text.replace(SECTION_NUMBER, '')) || DEFAULT_STATED.test(text);
    case 'identifier':
      return IDENTIFIER.test(text);
    case 'contact':
      return CONTACT.test(text) || URL.test(text);
    case 'steps':
      return STEP.test(text) || IDENTIFIER.test(text);
    case 'definition':
      return DEFINITION.test(text);
    case 'reason':
      return REASON.test(text);
    case 'location':
      return LOCATION.test(text) || URL.test(text);
  }
}

/** Share (0–1) of the asked kinds the unit holds; 1 when the question asks for no particular kind. */
export function fit(kinds: ReadonlySet<AskedKind>, text: string): number {
  if (kinds.size === 0) return 1;
  let n = 0;
  for (const k of kinds) if (holds(k, text)) n += 1;
  return n / kinds.size;
}
