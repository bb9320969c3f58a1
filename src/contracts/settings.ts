/**
 * How a setting names its environment variable, declared where the setting's schema is (the config
 * schema in src/config.ts, a platform's section in `adapters/<platform>/index.ts`): `fromEnv` marks a
 * schema leaf, `envKeysOf` walks a schema and lists its leaves with their variables. `ENV_KEYS`, the
 * config file's secret check, error messages and `config check` are derived from these marks, so a
 * setting cannot be validated one way and read another.
 */
import { z } from 'zod';

export interface EnvKey {
  env: string;
  path: string[];
  secret?: boolean;
  example: string;
}

const envRegistry = z.registry<Omit<EnvKey, 'path'>>();

/** Declares the environment variable of a setting (secrets come only from the environment). */
export function fromEnv<T extends z.ZodType>(schema: T, env: string, example: string, secret = false): T {
  envRegistry.add(schema, { env, example, ...(secret ? { secret } : {}) });
  return schema;
}

/** The object a (possibly defaulted/optional) schema wraps, or null for a leaf. */
function objectOf(schema: z.ZodType): z.ZodObject | null {
  if (schema instanceof z.ZodObject) return schema;
  const inner = (schema._zod.def as { innerType?: z.ZodType }).innerType;
  return inner ? objectOf(inner) : null;
}

/** Walks the schema: every leaf with its environment variable (`env: ''` when it names none), in declaration order. */
export function envKeysOf(schema: z.ZodType, path: string[] = []): EnvKey[] {
  const meta = envRegistry.get(schema);
  if (meta) return [{ ...meta, path }];
  const object = objectOf(schema);
  if (!object) return [{ env: '', example: '', path }];
  return Object.entries(object.shape).flatMap(([key, field]) => envKeysOf(field as z.ZodType, [...path, key]));
}
