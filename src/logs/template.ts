/**
 * The one log-line templater: time stamps, GUIDs, URLs, IPs, paths, file names, hosts, hex ids and
 * numbers become `<NAME>` placeholders, so lines and diags of the same failure collapse to one
 * template. Job analyses use it to collapse repeated log lines and as the failure signature under
 * which diagnoses are reused (`lineTemplate`); job searches group error diags by it; task triage
 * masks diags with it before mining signatures (`templateLine(…, { smallNumbers: false })`).
 */
const PILOT_PREFIX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \| [A-Z]+ *\| /;

export function stripPilotPrefix(line: string): string {
  return line.replace(PILOT_PREFIX, '');
}

const PILOT_FIELDS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \|[^|]*\|[^|]*\|[^|]*\| ?(.*)$/;

/** The message part of a pilot-format line (after `time | level | module | function |`); other lines unchanged. */
export function pilotMessage(line: string): string {
  const m = PILOT_FIELDS.exec(line.trim());
  return m ? (m[1] ?? '') : line;
}

/** Applied in order: the more specific shapes first, bare numbers last. */
const RULES: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: '<URL>', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s'",;)\]]+/gi },
  { name: '<GUID>', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  { name: '<TIME>', pattern: /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?(?![\w:])/g },
  { name: '<TIME>', pattern: /\b\d\d:\d\d:\d\d\b/g },
  { name: '<DATE>', pattern: /\b\d{4}-\d\d-\d\d\b/g },
  { name: '<IP>', pattern: /\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g },
  { name: '<PATH>', pattern: /(^|[\s='"(:])(\/[^\s'",;)\]]+)/g },
  {
    name: '<FILE>',
    pattern: /\b[\w-]+(\.[\w-]+)*\.(root|pool|tgz|tar|gz|txt|json|log|out|err|py|sh|xml|dat|cfg|so|h5|pickle|pkl|bz2|zip|data)(\.\d+)*\b/gi,
  },
  {
    name: '<HOST>',
    pattern:
      /\b[a-z][a-z0-9-]*(\.[a-z0-9-]+)+\.(org|com|net|edu|gov|ch|de|uk|fr|it|es|nl|ru|ca|jp|cz|se|no|dk|tw|cn|au|il|pl|pt|si|sk|ro|local|cluster)(:\d+)?\b/gi,
  },
  { name: '<HEX>', pattern: /\b(0x)?[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b|\b(0x)?[0-9a-f]*[a-f][0-9a-f]*\d[0-9a-f]*\b/gi },
  // Ids, sizes and timings. 1-3 digit integers (exit codes, signals, counts) only with `smallNumbers`.
  { name: '<NUM>', pattern: /[-+]?\b(\d{4,}|\d+\.\d+)([eE][-+]?\d+)?\b/g },
];

/** HEX only counts when long enough to be an id (short words like `bad`, `cafe` stay). */
const MIN_HEX = 8;

export interface TemplateOptions {
  /**
   * Also turn every other digit run (exit codes, counts, digits inside names such as `node042`) into
   * `<NUM>`: right for grouping log lines. Off for the task miner, which keeps small numbers and
   * generalises them only when they differ between messages. Default on.
   */
  smallNumbers?: boolean;
}

/** The template of a line or diag: its variable parts as `<NAME>` placeholders, runs of one placeholder collapsed. */
export function templateLine(text: string, options: TemplateOptions = {}): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const rule of RULES) {
    if (rule.name === '<PATH>') {
      out = out.replace(rule.pattern, (_m, lead: string) => `${lead}<PATH>`);
    } else if (rule.name === '<HEX>') {
      out = out.replace(rule.pattern, (m) => (m.replace(/^0x/i, '').length >= MIN_HEX ? '<HEX>' : m));
    } else {
      out = out.replace(rule.pattern, rule.name);
    }
  }
  if (options.smallNumbers ?? true) out = out.replace(/\d+/g, '<NUM>');
  // Collapse runs such as "<NUM> <NUM>" or "<NUM>,<NUM>" into one placeholder.
  return out.replace(/(<([A-Z]+)>)([\s,;:/.x-]*<\2>)+/g, '$1');
}

/** True for a placeholder produced by `templateLine` (or the task miner's `<*>` wildcard). */
export function isTemplateToken(token: string): boolean {
  return /^<[A-Z*]+>$/.test(token);
}

/** A pilot or payload log line's template (pilot prefix dropped, at most 300 characters). */
export function lineTemplate(line: string): string {
  return templateLine(stripPilotPrefix(line)).slice(0, 300);
}
