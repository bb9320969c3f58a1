/**
 * Deterministic argument filling for the offline provider: builds a value for a JSON Schema from the
 * words and numbers of a request, or reports which required fields it could not fill. Nothing is
 * guessed: a field is filled only from a number, a quoted/labelled string, an enum value named in
 * the text, the request text itself (for free-text fields such as `query`) or the schema's default.
 */
import type { JsonSchema } from './schema.js';
import { identifierTerms, overlap, terms } from './text.js';

export interface FillResult {
  ok: boolean;
  value?: unknown;
  /** Dotted paths of required fields that could not be filled. */
  missing: string[];
}

interface Ctx {
  text: string;
  words: string[];
  numbers: Array<{ value: number; integer: boolean; before: string[]; used: boolean }>;
}

const FREE_TEXT = /^(query|question|text|q|prompt|message|search|input|request|content)$/i;
const FALLBACK_ENUM = ['unknown', 'other', 'none', 'unclear'];

export function createFillContext(text: string): Ctx {
  const numbers: Ctx['numbers'] = [];
  for (const m of text.matchAll(/(?<![\w.])(-?\d+(?:\.\d+)?)(?![\w.]*\w)/g)) {
    const before = terms(text.slice(Math.max(0, (m.index ?? 0) - 40), m.index)).slice(-3);
    numbers.push({ value: Number(m[1]), integer: !m[1]?.includes('.'), before, used: false });
  }
  return { text, words: terms(text), numbers };
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {};
}

function typesOf(schema: JsonSchema): string[] {
  const t = schema.type;
  if (Array.isArray(t)) return t.map(String);
  if (typeof t === 'string') return [t];
  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants)) return variants.flatMap((v) => typesOf(asSchema(v)));
  if (Array.isArray(schema.enum)) return ['string'];
  if (schema.const !== undefined) return ['const'];
  return [];
}

function fillNumber(name: string, schema: JsonSchema, ctx: Ctx, integer: boolean): number | undefined {
  const nameTerms = [...identifierTerms(name), ...terms(String(schema.description ?? ''))];
  const candidates = ctx.numbers.filter((n) => !n.used && (!integer || n.integer));
  if (candidates.length === 0) return undefined;
  let best = candidates[0];
  let bestScore = -1;
  for (const c of candidates) {
    const score = overlap(nameTerms, c.before);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (!best) return undefined;
  best.used = true;
  return best.value;
}

function fillEnum(values: unknown[], ctx: Ctx): unknown {
  let best: unknown;
  let bestScore = 0;
  for (const v of values) {
    const score = overlap(identifierTerms(String(v)), ctx.words);
    if (score > bestScore) {
      best = v;
      bestScore = score;
    }
  }
  if (best !== undefined) return best;
  return values.find((v) => FALLBACK_ENUM.includes(String(v).toLowerCase()));
}

function fillString(name: string, schema: JsonSchema, ctx: Ctx): string | undefined {
  if (FREE_TEXT.test(name) || /\b(query|question|search text)\b/i.test(String(schema.description ?? ''))) return ctx.text.trim() || undefined;
  for (const term of identifierTerms(name)) {
    const labelled = new RegExp(`\\b${term}s?\\b\\s*(?:[:=]|is|named)?\\s*["'\`]?([A-Za-z0-9][\\w.\\-/:@]*)`, 'i').exec(ctx.text);
    if (labelled?.[1] && !/^\d+$/.test(labelled[1])) return labelled[1];
  }
  return undefined;
}

/** Fills `schema` from the context; `path` names the field in `missing`. */
export function fillValue(name: string, schema: JsonSchema, ctx: Ctx, path = name): FillResult {
  if (schema.default !== undefined) return { ok: true, value: schema.default, missing: [] };
  if (schema.const !== undefined) return { ok: true, value: schema.const, missing: [] };
  const enumValues = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (enumValues) {
    const value = fillEnum(enumValues, ctx);
    return value === undefined ? { ok: false, missing: [path] } : { ok: true, value, missing: [] };
  }
  const types = typesOf(schema);
  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants) && !schema.type) {
    for (const v of variants) {
      const r = fillValue(name, asSchema(v), ctx, path);
      if (r.ok) return r;
    }
    return types.includes('null') ? { ok: true, value: null, missing: [] } : { ok: false, missing: [path] };
  }
  if (types.includes('object')) return fillObject(schema, ctx, path);
  if (types.includes('array')) {
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    return min === 0 ? { ok: true, value: [], missing: [] } : { ok: false, missing: [path] };
  }
  if (types.includes('integer') || types.includes('number')) {
    const value = fillNumber(name, schema, ctx, !types.includes('number'));
    if (value !== undefined) return { ok: true, value, missing: [] };
  }
  if (types.includes('string')) {
    const value = fillString(name, schema, ctx);
    if (value !== undefined) return { ok: true, value, missing: [] };
  }
  if (types.includes('null')) return { ok: true, value: null, missing: [] };
  return { ok: false, missing: [path] };
}

/** Fills an object schema: required fields must be filled; optional ones are added when found. */
export function fillObject(schema: JsonSchema, ctx: Ctx, path = ''): FillResult {
  const properties = asSchema(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const value: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [key, sub] of Object.entries(properties)) {
    const r = fillValue(key, asSchema(sub), ctx, path ? `${path}.${key}` : key);
    if (r.ok) {
      if (r.value !== null || required.has(key)) value[key] = r.value;
    } else if (required.has(key)) missing.push(...r.missing);
  }
  return missing.length ? { ok: false, missing } : { ok: true, value, missing };
}
