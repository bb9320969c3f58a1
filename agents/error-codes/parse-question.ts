/**
 * Fallback parsing of an error-code question when the route carries no entities:
 * "what does pilot error 1150 mean?", "exit code 65?", "error 1305", "ddm error 200".
 */
import { type Component, normaliseComponent } from '../../src/knowledge/index.js';

export interface ParsedQuestion {
  code: number | null;
  component: Component | null;
}

/** Words naming a component, most specific first; `exit code` means the payload's exit code. */
const COMPONENT_WORDS: Array<[RegExp, Component]> = [
  [/\b(?:piloterrorcode|pilot)\b/, 'pilot'],
  [/\b(?:exeerrorcode|executor|exe)\b/, 'exe'],
  [/\b(?:ddmerrorcode|dataservice|ddm)\b/, 'ddm'],
  [/\b(?:taskbuffererrorcode|task\s*buffer)\b/, 'taskbuffer'],
  [/\b(?:jobdispatchererrorcode|job\s*dispatcher|dispatcher)\b/, 'jobdispatcher'],
  [/\b(?:superrorcode|supervisor|sup)\b/, 'supervisor'],
  [/\b(?:brokerageerrorcode|brokerage)\b/, 'brokerage'],
  [/\b(?:wn-?scripts?|rungen|runathena|buildjob|buildgen|runmerge|runhpo|pregoodrunlist)\b/, 'wnscript'],
  [/\b(?:transexitcode|trf|transforms?|transformation|exit\s*code|exitcode|exit\s+status|exits?\s+with)\b/, 'trf'],
];

/**
 * Finds the code (up to 7 digits; longer numbers are job or task IDs) and the component named in
 * the text. The number right after "error"/"code" wins; otherwise the only short number.
 */
export function parseErrorQuestion(text: string): ParsedQuestion {
  const lower = text.toLowerCase();
  let component: Component | null = null;
  for (const [pattern, value] of COMPONENT_WORDS) {
    if (pattern.test(lower)) {
      component = value;
      break;
    }
  }
  const cued = /\b(?:error|err|code|status|errorcode|exitcode|signal)\s*(?:is|was|=|:|#|no\.?|number)?\s*(\d{1,7})(?!\d)/.exec(lower);
  const numbers = [...lower.matchAll(/(?<![\d.])(\d{1,7})(?![\d.]\d|\d)/g)].map((m) => m[1]);
  const digits = cued?.[1] ?? (numbers.length === 1 ? numbers[0] : undefined);
  return { code: digits === undefined ? null : Number(digits), component: normaliseComponent(component) };
}
