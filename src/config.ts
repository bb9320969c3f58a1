import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import cron from 'node-cron';
import { z } from 'zod';
import { type AnyPlatformModule, PLATFORMS } from '../adapters/platforms.js';
import { type EnvKey, envKeysOf, fromEnv } from './contracts/settings.js';
import { parseQuietHours } from './contracts/watch.js';
import { ConfigError } from './errors.js';
import { EMBEDDER_TABLE } from './index/embedders/vendors.js';
import {
  type BaseUrlColumn,
  type BaseUrlSetting,
  baseUrlColumnsOf,
  CHAT_ROLES,
  isNoModel,
  keyVariablesOf,
  modelSpecProblem,
  readSpec,
  VENDOR_TABLE,
  type VendorKeys,
} from './llm/vendors.js';

export { type EnvKey, envKeysOf };

/**
 * The one reader of process.env. Every setting has an environment variable; non-secret settings may
 * also come from a YAML/JSON file named by ASKPANDA_CONFIG (environment wins). Secrets come only
 * from the environment.
 */

/**
 * The model roles and the vendor table each is built from: chat roles from src/llm/vendors.ts,
 * embeddings from src/index/embedders/vendors.ts. A role's spec is checked against its table where the
 * setting is declared (form and vendor) and, with the API keys, by the `llm` section (its required key):
 * the rules the factories apply, so what passes here can be built.
 */
const CHAT = { table: VENDOR_TABLE as Record<string, VendorKeys>, serves: CHAT_ROLES };
const MODEL_ROLES = {
  router: CHAT,
  answer: CHAT,
  analysis: CHAT,
  embeddings: { table: EMBEDDER_TABLE as Record<string, VendorKeys>, serves: 'embeddings' },
} as const;

const modelSpec = ({ table, serves }: (typeof MODEL_ROLES)[keyof typeof MODEL_ROLES]) =>
  z.string().superRefine((spec, ctx) => {
    if (isNoModel(spec)) return;
    const read = readSpec(table, spec, serves);
    if ('problem' in read) ctx.addIssue({ code: 'custom', message: read.problem });
  });

/** The vendors' endpoint settings (`OPENAI_BASE_URL`, …, `OLLAMA_HOST`), declared by their rows in the vendor tables. */
function endpointSettings() {
  const columns = baseUrlColumnsOf(VENDOR_TABLE, EMBEDDER_TABLE);
  const leaf = (c: BaseUrlColumn) => fromEnv(c.default ? z.string().url().default(c.default) : z.string().url().optional(), c.env, c.example);
  // Typed by the chat table's settings (`LlmSettings`); an embeddings-only setting is there too, untyped.
  return Object.fromEntries(columns.map((c) => [c.setting, leaf(c)])) as Record<BaseUrlSetting, z.ZodOptional<z.ZodString>>;
}

/** Every vendor API key variable, from both vendor tables (read only from the environment). */
export const API_KEY_VARIABLES: readonly string[] = [...new Set([...keyVariablesOf(VENDOR_TABLE), ...keyVariablesOf(EMBEDDER_TABLE)])];
export type ApiKeyVariable = string;

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A cron expression as the maintenance scheduler (node-cron) accepts it: checked with node-cron itself. */
const cronSpec = z.string().refine((expr) => cron.validate(expr), { message: 'is not a cron expression (five or six fields, e.g. "*/5 * * * *")' });

/** Quiet hours, read by the same parser the watch runner uses. */
const quietHoursSpec = z.string().superRefine((text, ctx) => {
  try {
    parseQuietHours(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/*
 * One rule per setting: each leaf of the schema names its environment variable (and an example) where
 * it is declared, through `fromEnv` (src/contracts/settings.ts); `ENV_KEYS`, the config file's secret
 * check, error messages and `config check` are all derived from the schema. The chat platforms'
 * sections come from their modules (`adapters/platforms.ts`), keyed by platform name.
 */
const beforePlatforms = {
  dataDir: fromEnv(z.string().min(1).default('./data'), 'ASKPANDA_DATA_DIR', './data'),
  logLevel: fromEnv(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'ASKPANDA_LOG_LEVEL', 'info'),
  panda: z
    .object({
      url: fromEnv(z.string().url().default('https://bigpanda.cern.ch'), 'ASKPANDA_PANDA_URL', 'https://bigpanda.cern.ch'),
      /** A directory in the failures-dev format: selects the file-backed source instead of HTTP. */
      dir: fromEnv(z.string().optional(), 'ASKPANDA_PANDA_DIR', '../shared/eval/failures-dev'),
      /** Use the bundled demo data when no monitor is configured. */
      demo: fromEnv(bool.default(true), 'ASKPANDA_DEMO', 'true'),
      authScheme: fromEnv(z.enum(['Bearer', 'Token']).default('Bearer'), 'ASKPANDA_PANDA_AUTH_SCHEME', 'Bearer'),
      token: fromEnv(z.string().optional(), 'ASKPANDA_PANDA_TOKEN', 'eyJ...', true),
      tokenFile: fromEnv(z.string().optional(), 'ASKPANDA_PANDA_TOKEN_FILE', '/run/secrets/panda-token'),
      certFile: fromEnv(z.string().optional(), 'ASKPANDA_PANDA_CERT', '~/.globus/usercert.pem'),
      keyFile: fromEnv(z.string().optional(), 'ASKPANDA_PANDA_KEY', '~/.globus/userkey.pem'),
      proxyFile: fromEnv(z.string().optional(), 'X509_USER_PROXY', '/tmp/x509up_u1000'),
      timeoutMs: fromEnv(int(100, 600_000).default(30_000), 'ASKPANDA_PANDA_TIMEOUT_MS', '30000'),
      retries: fromEnv(int(0, 10).default(3), 'ASKPANDA_PANDA_RETRIES', '3'),
      maxConcurrency: fromEnv(int(1, 64).default(4), 'ASKPANDA_PANDA_MAX_CONCURRENCY', '4'),
      maxLogBytes: fromEnv(int(1024, 2 ** 31).default(64 * 1024 * 1024), 'ASKPANDA_MAX_LOG_BYTES', '67108864'),
    })
    .prefault({}),
  cric: z
    .object({
      url: fromEnv(
        z.string().url().default('https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json'),
        'ASKPANDA_CRIC_URL',
        'https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json',
      ),
      file: fromEnv(z.string().optional(), 'ASKPANDA_CRIC_FILE', './cric/pandaqueues.json'),
      ttlSeconds: fromEnv(int(60, 7 * 86400).default(6 * 3600), 'ASKPANDA_CRIC_TTL_S', '21600'),
    })
    .prefault({}),
  llm: z
    .object({
      router: fromEnv(modelSpec(MODEL_ROLES.router).default('offline'), 'ASKPANDA_LLM_ROUTER', 'openai:gpt-4.1-mini'),
      answer: fromEnv(modelSpec(MODEL_ROLES.answer).default('offline'), 'ASKPANDA_LLM_ANSWER', 'anthropic:claude-sonnet-4-5'),
      analysis: fromEnv(modelSpec(MODEL_ROLES.analysis).default('offline'), 'ASKPANDA_LLM_ANALYSIS', 'openai:gpt-4.1'),
      embeddings: fromEnv(modelSpec(MODEL_ROLES.embeddings).default('none'), 'ASKPANDA_LLM_EMBEDDINGS', 'transformers:Xenova/all-MiniLM-L6-v2'),
      timeoutMs: fromEnv(int(1000, 600_000).default(60_000), 'ASKPANDA_LLM_TIMEOUT_MS', '60000'),
      maxRetries: fromEnv(int(0, 10).default(2), 'ASKPANDA_LLM_MAX_RETRIES', '2'),
      maxConcurrency: fromEnv(int(1, 64).default(4), 'ASKPANDA_LLM_MAX_CONCURRENCY', '4'),
      breakerFailures: fromEnv(int(1, 100).default(5), 'ASKPANDA_LLM_BREAKER_FAILURES', '5'),
      breakerCooldownSeconds: fromEnv(int(1, 3600).default(60), 'ASKPANDA_LLM_BREAKER_COOLDOWN_S', '60'),
      maxInputTokens: fromEnv(int(1000, 2_000_000).default(12_000), 'ASKPANDA_LLM_MAX_INPUT_TOKENS', '12000'),
      /** Endpoint overrides per vendor (tests, proxies, Azure, vLLM), one setting per row that declares one. */
      ...endpointSettings(),
      transformersCacheDir: fromEnv(z.string().optional(), 'ASKPANDA_TRANSFORMERS_CACHE', './data/models'),
      transformersAllowRemote: fromEnv(bool.default(false), 'ASKPANDA_TRANSFORMERS_REMOTE', 'false'),
      /** Vendor API keys by variable name (secrets: only from the environment). */
      keys: z.object(Object.fromEntries(API_KEY_VARIABLES.map((name) => [name, fromEnv(z.string().optional(), name, 'vendor API key', true)]))).prefault({}),
    })
    .superRefine((llm, ctx) => {
      // A role whose vendor needs a key that is not set fails here, as it would at its first call.
      for (const [role, { table, serves }] of Object.entries(MODEL_ROLES)) {
        const problem = modelSpecProblem(table, llm[role as keyof typeof MODEL_ROLES], serves, llm.keys);
        if (problem) ctx.addIssue({ code: 'custom', path: [role], message: problem, params: { whole: true } });
      }
    })
    .prefault({}),
  knowledge: z
    .object({
      /** Extra error-code description files in the seed's JSON format ({"1150": "text", ...}). */
      extraDescriptions: fromEnv(csv.default([]), 'ASKPANDA_EXTRA_DESCRIPTIONS', './pilot_error_codes_and_descriptions.json'),
    })
    .prefault({}),
  docs: z
    .object({
      /** Files or directories ingested at start-up (the demo primer when empty). */
      sources: fromEnv(csv.default([]), 'ASKPANDA_DOCS', './docs,./more-docs'),
      minScore: fromEnv(z.coerce.number().min(0).default(0), 'ASKPANDA_DOCS_MIN_SCORE', '0'),
    })
    .prefault({}),
  memory: z
    .object({
      maxTurns: fromEnv(int(2, 500).default(20), 'ASKPANDA_MEMORY_TURNS', '20'),
      maxChars: fromEnv(int(1000, 1_000_000).default(24_000), 'ASKPANDA_MEMORY_CHARS', '24000'),
      ttlSeconds: fromEnv(int(60, 365 * 86400).default(7 * 86400), 'ASKPANDA_MEMORY_TTL_S', '604800'),
    })
    .prefault({}),
  redisUrl: fromEnv(z.string().url().optional(), 'ASKPANDA_REDIS_URL', 'redis://127.0.0.1:6379'),
  http: z
    .object({
      port: fromEnv(int(0, 65535).optional(), 'ASKPANDA_HTTP_PORT', '8080'),
      host: fromEnv(z.string().default('127.0.0.1'), 'ASKPANDA_HTTP_HOST', '127.0.0.1'),
      /** name:token pairs, comma separated. */
      tokens: fromEnv(csv.default([]), 'ASKPANDA_API_TOKENS', 'openwebui:s3cret,claude:t0ken', true),
      allowedOrigins: fromEnv(csv.default([]), 'ASKPANDA_ALLOWED_ORIGINS', 'https://chat.example.org'),
      /** The URL the chat platforms reach this server at (behind a proxy or ingress), for button callbacks. */
      publicUrl: fromEnv(z.string().url().optional(), 'ASKPANDA_PUBLIC_URL', 'https://askpanda.example.org'),
    })
    .prefault({}),
};

const afterPlatforms = {
  ingest: z
    .object({
      /** platform:channelId entries, comma separated. */
      channels: fromEnv(csv.default([]), 'ASKPANDA_INGEST_CHANNELS', 'slack:C0123ABCD,mattermost:abcdefghijklmnopqrstuvwxyz'),
    })
    .prefault({}),
  admins: fromEnv(csv.default([]), 'ASKPANDA_ADMINS', 'slack:U0123ABCD,mattermost:jdoe'),
  /**
   * Total time one answer may take, model calls included; past it the model request is aborted and
   * the agent's offline answer is given with a notice.
   */
  answerDeadlineMs: fromEnv(int(1000, 3_600_000).default(60_000), 'ASKPANDA_ANSWER_DEADLINE_MS', '60000'),
  /** Chat identity → PanDA user name (`platform:user=Name`), for "my jobs"; users may also tell the bot once. */
  pandaUsers: fromEnv(
    z
      .string()
      .transform((s) =>
        s
          .split(/[;\n]/)
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .default([]),
    'ASKPANDA_PANDA_USERS',
    'slack:U0123ABCD=Jane Doe;mattermost:jdoe=jdoe',
  ),
  maintenance: z
    .object({
      enabled: fromEnv(bool.default(true), 'ASKPANDA_MAINTENANCE', 'true'),
      errorSummaryCron: fromEnv(cronSpec.default('*/30 * * * *'), 'ASKPANDA_ERROR_SUMMARY_CRON', '*/30 * * * *'),
      cricCron: fromEnv(cronSpec.default('17 */6 * * *'), 'ASKPANDA_CRIC_CRON', '17 */6 * * *'),
      docsCron: fromEnv(cronSpec.default('43 * * * *'), 'ASKPANDA_DOCS_CRON', '43 * * * *'),
      discussionsCron: fromEnv(cronSpec.default('*/15 * * * *'), 'ASKPANDA_DISCUSSIONS_CRON', '*/15 * * * *'),
      pruneCron: fromEnv(cronSpec.default('5 3 * * *'), 'ASKPANDA_PRUNE_CRON', '5 3 * * *'),
    })
    .prefault({}),
  watch: z
    .object({
      /** How often watches are checked, and how often due digests are looked for. */
      cron: fromEnv(cronSpec.default('*/5 * * * *'), 'ASKPANDA_WATCH_CRON', '*/5 * * * *'),
      digestCron: fromEnv(cronSpec.default('* * * * *'), 'ASKPANDA_WATCH_DIGEST_CRON', '* * * * *'),
      /** `HH:MM-HH:MM` UTC: alerts wait until the end (empty: none). */
      quietHours: fromEnv(quietHoursSpec.default(''), 'ASKPANDA_WATCH_QUIET_HOURS', '22:00-07:00'),
      maxPostsPerHour: fromEnv(int(1, 1000).default(6), 'ASKPANDA_WATCH_MAX_POSTS_PER_HOUR', '6'),
      taskFailureRate: fromEnv(z.coerce.number().min(0.01).max(1).default(0.2), 'ASKPANDA_WATCH_TASK_FAILURE_RATE', '0.2'),
      windowHours: fromEnv(int(1, 24).default(1), 'ASKPANDA_WATCH_WINDOW_HOURS', '1'),
    })
    .prefault({}),
};

/** The config sections of a list of platform modules, keyed by platform name. */
type PlatformSections<P extends readonly AnyPlatformModule[]> = { [M in P[number] as M['name']]: z.ZodPrefault<M['settings']> };

/** The config schema with the sections of the given platform modules (the registered ones by default). */
export function configSchemaFor<P extends readonly AnyPlatformModule[]>(platforms: P) {
  const sections = Object.fromEntries(platforms.map((p) => [p.name, p.settings.prefault({})])) as PlatformSections<P>;
  return z.object({ ...beforePlatforms, ...sections, ...afterPlatforms });
}

export const configSchema = configSchemaFor(PLATFORMS);

export type Config = z.infer<typeof configSchema>;

/** Every environment variable a config schema reads, its place in the config and an example value. */
export function envKeysFor(schema: z.ZodType): EnvKey[] {
  return envKeysOf(schema).filter((k) => k.env);
}

/** Every environment variable the bot reads, its place in the config and an example value. */
export const ENV_KEYS: readonly EnvKey[] = envKeysFor(configSchema);

export interface LoadedConfig {
  config: Config;
  /** The vendor API keys that are set (`config.llm.keys`), by variable name: the LLM and index layers read keys only from here. */
  apiKeys: Partial<Record<ApiKeyVariable, string>>;
  /** Where each value came from, for `config check`. */
  origins: Record<string, 'env' | 'file' | 'default'>;
  /** The platform modules the config was read for (their sections are in `config`): the composition root builds these. */
  platforms: readonly AnyPlatformModule[];
}

/** Schemas per platform list (the registered list is the one used outside tests). */
const schemas = new Map<readonly AnyPlatformModule[], { schema: z.ZodType; envKeys: readonly EnvKey[] }>([
  [PLATFORMS, { schema: configSchema, envKeys: ENV_KEYS }],
]);

function schemaFor(platforms: readonly AnyPlatformModule[]): { schema: z.ZodType; envKeys: readonly EnvKey[] } {
  let entry = schemas.get(platforms);
  if (!entry) {
    const schema = configSchemaFor(platforms);
    entry = { schema, envKeys: envKeysFor(schema) };
    schemas.set(platforms, entry);
  }
  return entry;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function getPath(source: unknown, path: string[]): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function readConfigFile(file: string): Record<string, unknown> {
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError(`ASKPANDA_CONFIG: file ${path} does not exist (example: ASKPANDA_CONFIG=./askpanda.yaml)`);
  const text = readFileSync(path, 'utf8');
  try {
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('top level must be a mapping');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`ASKPANDA_CONFIG: ${path} is not valid YAML/JSON: ${(error as Error).message}`);
  }
}

/**
 * Builds the effective configuration. Throws a ConfigError whose message is one line naming the
 * key, what is wrong and an example. `platforms` is the registered list (`adapters/platforms.ts`)
 * unless a test adds a module to it.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, unknown> = {},
  platforms: readonly AnyPlatformModule[] = PLATFORMS,
): LoadedConfig {
  const { schema, envKeys } = schemaFor(platforms);
  const raw: Record<string, unknown> = env.ASKPANDA_CONFIG ? readConfigFile(env.ASKPANDA_CONFIG) : {};
  const origins: Record<string, 'env' | 'file' | 'default'> = {};
  for (const key of envKeys) {
    const fromFile = getPath(raw, key.path);
    if (fromFile !== undefined) {
      if (key.secret) {
        throw new ConfigError(`${key.path.join('.')}: secrets may not be set in the config file; set ${key.env} in the environment instead`);
      }
      origins[key.path.join('.')] = 'file';
    }
    const value = env[key.env];
    if (value !== undefined && value !== '') {
      setPath(raw, key.path, value);
      origins[key.path.join('.')] = 'env';
    }
  }
  for (const [dotted, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    setPath(raw, dotted.split('.'), value);
    origins[dotted] = 'env';
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String);
    const key = envKeys.find((k) => k.path.join('.') === path.join('.'));
    // A message that says everything itself (a role's missing API key): the variable, then the message.
    if (issue?.code === 'custom' && (issue.params as { whole?: boolean } | undefined)?.whole)
      throw new ConfigError(`${key?.env ?? path.join('.')}: ${issue.message}`);
    const shown = key?.secret ? '(secret)' : JSON.stringify(getPath(raw, path));
    const name = key ? `${key.env} (${path.join('.')})` : path.join('.') || 'config';
    const example = key ? `; example: ${key.env}=${key.example}` : '';
    throw new ConfigError(`${name}: ${shown} ${issue?.message ?? 'is invalid'}${example}`);
  }
  const keys = (parsed.data as Config).llm.keys;
  const apiKeys: Partial<Record<ApiKeyVariable, string>> = Object.fromEntries(Object.entries(keys).filter(([, value]) => value));
  // The registered sections are typed in `Config`; a test's added platform is there too, untyped.
  return { config: parsed.data as Config, apiKeys, origins, platforms };
}

/** The effective config with every secret masked, for `askpanda config check`. */
export function describeConfig(loaded: LoadedConfig): string[] {
  const lines: string[] = [];
  for (const key of schemaFor(loaded.platforms).envKeys) {
    const value = getPath(loaded.config, key.path);
    const origin = loaded.origins[key.path.join('.')] ?? 'default';
    let shown: string;
    if (value === undefined || (Array.isArray(value) && value.length === 0)) shown = '(unset)';
    else if (key.secret) shown = '***** (set)';
    else shown = Array.isArray(value) ? value.join(',') : String(value);
    lines.push(`${key.env.padEnd(32)} ${shown}${origin === 'default' ? '' : `  [${origin}]`}`);
  }
  return lines;
}
