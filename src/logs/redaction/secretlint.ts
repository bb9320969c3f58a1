/**
 * The maintained rule set for generic secret kinds: secretlint's recommended preset (AWS, GCP,
 * private keys, npm, Basic auth, Slack, SendGrid, Shopify, GitHub, OpenAI, Anthropic, Linear,
 * 1Password, database connection strings). Its rules are run synchronously on the text with a
 * minimal rule context (the rules only call `report` from their `file` handler); the reported
 * ranges are returned, nothing else of secretlint (config files, formatters) is used.
 */
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintRuleContext, SecretLintRuleReportHandler, SecretLintSourceCode } from '@secretlint/types';

export interface SecretRange {
  start: number;
  end: number;
  rule: string;
}

/** Rules that only filter other rules' reports (comment directives): not detectors. */
const FILTERS = new Set(['@secretlint/secretlint-rule-filter-comments']);

interface LoadedRule {
  id: string;
  handler: SecretLintRuleReportHandler;
}

let loaded: { rules: LoadedRule[]; found: SecretRange[] } | null = null;

function load(): { rules: LoadedRule[]; found: SecretRange[] } {
  if (loaded) return loaded;
  const found: SecretRange[] = [];
  const rules: LoadedRule[] = [];
  for (const rule of recommended.rules) {
    const id = rule.meta.id;
    if (FILTERS.has(id)) continue;
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: () => (messageId, props) => ({ message: String(messageId), messageId: String(messageId), data: props }),
      report: (d) => found.push({ start: d.range[0], end: d.range[1], rule: id }),
      ignore: () => undefined,
    };
    // The preset's own defaults (e.g. AWS: allows the documented example keys).
    rules.push({ id, handler: rule.create(context, {} as never) });
  }
  loaded = { rules, found };
  return loaded;
}

/**
 * Pieces the text is scanned in. Some of the preset's patterns are super-linear on long runs
 * without the character they wait for (100 kB of `https://a…` takes 0.2 s in one piece); scanning
 * overlapping pieces of 4 kB bounds that, and the overlap keeps any secret shorter than it whole
 * in at least one piece (longer ones are PEM or tokens, which our own rules handle).
 */
const PIECE = 4096;
const OVERLAP = 512;

/** Ranges of `text` that secretlint's recommended rules report as secrets (sorted, may overlap). */
export function secretlintRanges(text: string): SecretRange[] {
  if (text.length <= PIECE) return scan(text);
  const out: SecretRange[] = [];
  for (let start = 0; start < text.length; start += PIECE - OVERLAP) {
    for (const r of scan(text.slice(start, start + PIECE))) out.push({ start: r.start + start, end: r.end + start, rule: r.rule });
    if (start + PIECE >= text.length) break;
  }
  return out.sort((a, b) => a.start - b.start);
}

function scan(text: string): SecretRange[] {
  const { rules, found } = load();
  found.length = 0;
  const source = {
    hasBOM: false,
    content: text,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '.txt',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
  } as unknown as SecretLintSourceCode; // position helpers are not used by the preset's scanners
  for (const r of rules) {
    const result = r.handler.file?.(source);
    // Every scanner of the preset is synchronous; a promise would mean a new rule we must not ignore silently.
    if (result && typeof (result as Promise<void>).then === 'function') throw new Error(`secretlint rule ${r.id} is asynchronous`);
  }
  return found.splice(0).sort((a, b) => a.start - b.start);
}
