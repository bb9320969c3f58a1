/**
 * The error-code knowledge base: every code of pilot, transform, executor, wn-scripts and the
 * PanDA server components, with the project's category, retry advice and explanation.
 */
import { AskPandaError } from '../errors.js';
import { COMPONENTS, normaliseComponent } from './components.js';
import { type AdviceFile, type CodeFact, type CodesFile, defaultResourceDir, loadAdviceFile, loadCodesFile, loadDescriptionsFile } from './load.js';
import { inferAdvice } from './rules.js';
import { createLexicalIndex, type SearchHit } from './search.js';
import type { Component, ErrorCodeEntry } from './types.js';

export type { SearchHit } from './search.js';

export interface KnowledgeBaseOptions {
  /**
   * Extra-descriptions files in the seed's JSON format (`{"1150": "long text", …}`), as `path`
   * (the file name tells the component: `pilot_…`, `trf_…`) or `component:path`. They fill
   * `description`.
   */
  extraDescriptionFiles?: string[];
  /** Directory holding codes.json and advice.yaml; defaults to the project's resources/knowledge. */
  resourceDir?: string;
}

export interface KnowledgeBase {
  /** Number of (component, code) entries. */
  readonly size: number;
  /** The entry of one component's code; the component may be any alias (`dataservice`, `sup`, `transform`). */
  lookup(component: Component | string, code: number): ErrorCodeEntry | null;
  /** Every component that defines `code`, most commonly met first (current before legacy). */
  lookupCode(code: number): ErrorCodeEntry[];
  /** Lexical search over names, messages, diag templates, explanations and descriptions. */
  search(text: string, limit?: number): SearchHit[];
  /** Known codes numerically closest to `code` (for "unknown code" answers), same component first. */
  nearest(code: number, options?: { component?: Component | string; limit?: number }): ErrorCodeEntry[];
  /** Every entry, ordered by component then code. */
  all(): readonly ErrorCodeEntry[];
}

const keyOf = (component: Component, code: number) => `${component}:${code}`;

function curatedAdvice(advice: AdviceFile, fact: CodeFact) {
  const byCode = advice.codes[fact.component]?.[String(fact.code)];
  if (byCode) return byCode;
  if (fact.component === 'wnscript' && fact.status === 'current' && fact.name) return advice.wnscriptByName[fact.name];
  return undefined;
}

function toEntry(fact: CodeFact, advice: AdviceFile): ErrorCodeEntry {
  const curated = curatedAdvice(advice, fact);
  const entry: ErrorCodeEntry = {
    component: fact.component,
    code: fact.code,
    name: fact.name,
    message: fact.message,
    ...(curated
      ? { category: curated.category, retry: curated.retry, retryReason: curated.why, adviceSource: 'curated' as const }
      : (({ category, retry, retryReason }) => ({ category, retry, retryReason, adviceSource: 'rules' as const }))(inferAdvice(fact))),
    status: fact.status,
  };
  if (curated?.explanation) entry.explanation = curated.explanation;
  if (fact.typicalDiag) entry.typicalDiag = fact.typicalDiag;
  if (fact.aliases) entry.aliases = fact.aliases;
  if (fact.scripts) entry.scripts = fact.scripts;
  if (fact.note) entry.note = fact.note;
  return entry;
}

/** Every advice key must name a code of codes.json: the advice file may not invent codes. */
function checkAdvice(advice: AdviceFile, facts: Map<string, CodeFact>): void {
  const problems: string[] = [];
  for (const [name, codes] of Object.entries(advice.codes)) {
    const component = normaliseComponent(name);
    if (!component) problems.push(`unknown component "${name}"`);
    else for (const code of Object.keys(codes)) if (!facts.has(keyOf(component, Number(code)))) problems.push(`${name}:${code}`);
  }
  const wnNames = new Set([...facts.values()].filter((f) => f.component === 'wnscript').map((f) => f.name));
  for (const name of Object.keys(advice.wnscriptByName)) if (!wnNames.has(name)) problems.push(`wnscript ${name}`);
  if (problems.length > 0) {
    throw new AskPandaError('internal', `The error-code advice file names codes that do not exist: ${problems.join(', ')}.`);
  }
}

const baseCache = new Map<string, { codes: CodesFile; advice: AdviceFile }>();

function loadBase(resourceDir: string): { codes: CodesFile; advice: AdviceFile } {
  let base = baseCache.get(resourceDir);
  if (!base) {
    base = { codes: loadCodesFile(resourceDir), advice: loadAdviceFile(resourceDir) };
    baseCache.set(resourceDir, base);
  }
  return base;
}

/** Builds the knowledge base from resources/knowledge and the optional extra-descriptions files. */
export function createKnowledgeBase(options: KnowledgeBaseOptions = {}): KnowledgeBase {
  const { codes, advice } = loadBase(options.resourceDir ?? defaultResourceDir());
  const facts = new Map(codes.entries.map((f) => [keyOf(f.component, f.code), f]));
  checkAdvice(advice, facts);

  const entries = new Map<string, ErrorCodeEntry>();
  for (const [key, fact] of facts) entries.set(key, toEntry(fact, advice));
  for (const spec of options.extraDescriptionFiles ?? []) {
    const file = loadDescriptionsFile(spec);
    for (const [code, text] of file.descriptions) {
      const entry = entries.get(keyOf(file.component, code));
      if (entry && text) entry.description = text;
    }
  }
  for (const entry of entries.values()) Object.freeze(entry);

  const rank = (e: ErrorCodeEntry) => (e.status === 'legacy' ? 100 : 0) + COMPONENTS.indexOf(e.component);
  const ordered = [...entries.values()].sort((a, b) => COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component) || a.code - b.code);
  const byCode = new Map<number, ErrorCodeEntry[]>();
  for (const entry of ordered) byCode.set(entry.code, [...(byCode.get(entry.code) ?? []), entry]);
  for (const list of byCode.values()) list.sort((a, b) => rank(a) - rank(b));
  const index = createLexicalIndex(ordered);

  return {
    size: entries.size,
    lookup(component, code) {
      const normalised = normaliseComponent(component);
      return normalised ? (entries.get(keyOf(normalised, code)) ?? null) : null;
    },
    lookupCode(code) {
      return [...(byCode.get(code) ?? [])];
    },
    search(text, limit = 5) {
      return index.search(text, limit);
    },
    nearest(code, opts = {}) {
      const component = normaliseComponent(opts.component);
      const distance = (e: ErrorCodeEntry) => Math.abs(e.code - code) + (component && e.component !== component ? 1e6 : 0);
      return ordered
        .filter((e) => e.code !== 0 && e.code !== code)
        .sort((a, b) => distance(a) - distance(b) || rank(a) - rank(b))
        .slice(0, opts.limit ?? 3);
    },
    all() {
      return ordered;
    },
  };
}
