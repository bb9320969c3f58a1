/**
 * Masks the variable parts of an error diag (ids, numbers, GUIDs, file names, hosts, paths, times)
 * so that diags of the same failure collapse to one template. Each mask is a `<NAME>` token.
 */

interface MaskRule {
  name: string;
  pattern: RegExp;
}

/** Applied in order: the more specific shapes first, bare numbers last. */
const RULES: readonly MaskRule[] = [
  { name: '<URL>', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s'",;)\]]+/gi },
  { name: '<GUID>', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  { name: '<TIME>', pattern: /\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?Z?\b/g },
  { name: '<TIME>', pattern: /\b\d{2}:\d{2}:\d{2}\b/g },
  { name: '<DATE>', pattern: /\b\d{4}-\d{2}-\d{2}\b/g },
  { name: '<IP>', pattern: /\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g },
  { name: '<PATH>', pattern: /(^|[\s='"(:])(\/[^\s'",;)\]]+)/g },
  {
    name: '<FILE>',
    pattern: /\b[\w-]+(\.[\w-]+)*\.(root|pool|tgz|tar|gz|txt|json|log|out|err|py|sh|xml|dat|cfg|so|h5|pickle|pkl|bz2|zip)(\.\d+)*\b/gi,
  },
  {
    name: '<HOST>',
    pattern:
      /\b[a-z][a-z0-9-]*(\.[a-z0-9-]+)+\.(org|com|net|edu|gov|ch|de|uk|fr|it|es|nl|ru|ca|jp|cz|se|no|dk|tw|cn|au|il|pl|pt|si|sk|ro|local|cluster)(:\d+)?\b/gi,
  },
  { name: '<HEX>', pattern: /\b(0x)?[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b|\b(0x)?[0-9a-f]*[a-f][0-9a-f]*\d[0-9a-f]*\b/gi },
  // Ids, sizes and timings; 1-3 digit integers (exit codes, signals, counts) are left to the
  // miner, which turns them into a wildcard only when they differ between messages.
  { name: '<NUM>', pattern: /[-+]?\b(\d{4,}|\d+\.\d+)([eE][-+]?\d+)?\b/g },
];

/** HEX only counts when long enough to be an id (short words like `bad`, `cafe` stay). */
const MIN_HEX = 8;

export function maskDiag(text: string): string {
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
  // Collapse runs such as "<NUM> <NUM>" or "<NUM>,<NUM>" into one mask.
  out = out.replace(/(<([A-Z]+)>)([\s,;:/.x-]*<\2>)+/g, '$1');
  return out;
}

/** True for a token produced by `maskDiag` (or the miner's wildcard). */
export function isMaskToken(token: string): boolean {
  return /^<[A-Z*]+>$/.test(token);
}
