import type { z } from 'zod';
import type { GenerateResult } from '../../src/contracts/llm.js';

/**
 * The arguments of the model's call to `tool` (or its first tool call, or its structured object),
 * parsed with `schema`; with `fromText`, a JSON object in plain text counts too. Null when missing or malformed.
 */
export function toolAnswer<T>(result: GenerateResult, tool: string, schema: z.ZodType<T>, options: { fromText?: boolean } = {}): T | null {
  const call = result.toolCalls?.find((c) => c.name === tool) ?? result.toolCalls?.[0];
  let raw: unknown = call?.arguments ?? result.object;
  if (raw === undefined && options.fromText && result.text) {
    const json = /\{[\s\S]*\}/.exec(result.text)?.[0];
    if (json) raw = json;
  }
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
