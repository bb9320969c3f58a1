/**
 * The PanDA glossary the project writes (resources/glossary.yaml): acronyms with their expansion
 * (PQ → PanDA queue) and groups of words users and the documentation use for the same thing
 * (cap / limit / throttle). Used to expand queries; never to answer.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { stem } from './stem.js';
import { words } from './tokenize.js';

const glossaryFile = z.object({
  acronyms: z.record(z.string(), z.string()).default({}),
  synonyms: z.array(z.array(z.string()).min(2)).default([]),
});

export interface Glossary {
  /** Upper-case acronym → expansion text. */
  acronyms: ReadonlyMap<string, string>;
  /** Stemmed word → the other words of its synonym groups (each a phrase, lower-case). */
  synonyms: ReadonlyMap<string, readonly string[]>;
}

export const DEFAULT_GLOSSARY_PATH = fileURLToPath(new URL('../../resources/glossary.yaml', import.meta.url));

export function parseGlossary(text: string, origin = 'glossary'): Glossary {
  const parsed = glossaryFile.safeParse(parse(text) ?? {});
  if (!parsed.success) throw new ConfigError(`Glossary ${origin} is not valid: ${parsed.error.issues[0]?.message ?? 'bad format'}`);
  const acronyms = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed.data.acronyms)) acronyms.set(k.toUpperCase(), v);
  const synonyms = new Map<string, string[]>();
  for (const group of parsed.data.synonyms) {
    const phrases = group.map((g) => g.toLowerCase());
    for (const phrase of phrases) {
      const key = words(phrase).map(stem).join(' ');
      const others = phrases.filter((p) => p !== phrase);
      synonyms.set(key, [...(synonyms.get(key) ?? []), ...others]);
    }
  }
  return { acronyms, synonyms };
}

let cached: Glossary | undefined;

/** Reads a glossary file; the project's own when no path is given (read once). */
export function loadGlossary(path?: string): Glossary {
  if (!path && cached) return cached;
  const file = path ?? DEFAULT_GLOSSARY_PATH;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Glossary ${file} could not be read: ${(error as Error).message}`, error);
  }
  const glossary = parseGlossary(text, file);
  if (!path) cached = glossary;
  return glossary;
}

export const EMPTY_GLOSSARY: Glossary = { acronyms: new Map(), synonyms: new Map() };
