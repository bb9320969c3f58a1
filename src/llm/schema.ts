/** zod ⇄ JSON Schema for structured output: what vendors receive and how their answers are checked. */
import { z } from 'zod';
import type { StructuredSchema } from '../contracts/llm.js';

export type JsonSchema = Record<string, unknown>;

/** The JSON Schema of what the model must produce (the schema's input side), without `$schema`. */
export function toJsonSchema(schema: StructuredSchema<unknown>): JsonSchema {
  const json = z.toJSONSchema(schema.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _drop, ...rest } = json;
  return rest;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string };

/** Validates a parsed value; `problems` is a short list of paths and messages for the repair prompt. */
export function validate<T>(schema: StructuredSchema<T>, value: unknown): Validation<T> {
  const parsed = schema.schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, problems };
}

/** Parses a JSON document returned by a vendor's JSON mode; `undefined` when it is not JSON. */
export function parseJson(text: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (text === undefined || text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
