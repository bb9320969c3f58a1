import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { type SpecRole, specProblem } from './llm/vendors.js';

/**
 * The one reader of process.env. Every setting has an environment variable; non-secret settings may
 * also come from a YAML/JSON file named by ASKPANDA_CONFIG (environment wins). Secrets come only
 * from the environment.
 */

/** A model spec for a role, checked against the vendor table (src/llm/vendors.ts): what passes here can be built. */
const modelSpec = (role: SpecRole) =>
  z.string().superRefine((spec, ctx) => {
    const problem = specProblem(spec, role);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  dataDir: z.string().min(1).default('./data'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  panda: z
    .object({
      url: z.string().url().default('https://bigpanda.cern.ch'),
      /** A directory in the failures-dev format: selects the file-backed source instead of HTTP. */
      dir: z.string().optional(),
      /** Use the bundled demo data when no monitor is configured. */
      demo: bool.default(true),
      authScheme: z.enum(['Bearer', 'Token']).default('Bearer'),
      token: z.string().optional(),
      tokenFile: z.string().optional(),
      certFile: z.string().optional(),
      keyFile: z.string().optional(),
      proxyFile: z.string().optional(),
      timeoutMs: int(100, 600_000).default(30_000),
      retries: int(0, 10).default(3),
      maxConcurrency: int(1, 64).default(4),
      maxLogBytes: int(1024, 2 ** 31).default(64 * 1024 * 1024),
    })
    .prefault({}),
  cric: z
    .object({
      url: z.string().url().default('https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json'),
      file: z.string().optional(),
      ttlSeconds: int(60, 7 * 86400).default(6 * 3600),
    })
    .prefault({}),
  llm: z
    .object({
      router: modelSpec('chat').default('offline'),
      answer: modelSpec('chat').default('offline'),
      analysis: modelSpec('chat').default('offline'),
      embeddings: modelSpec('embeddings').default('none'),
      timeoutMs: int(1000, 600_000).default(60_000),
      maxRetries: int(0, 10).default(2),
      maxConcurrency: int(1, 64).default(4),
      breakerFailures: int(1, 100).default(5),
      breakerCooldownSeconds: int(1, 3600).default(60),
      maxInputTokens: int(1000, 2_000_000).default(12_000),
      /** Base URL overrides per vendor (tests, proxies, Azure, vLLM). */
      openaiBaseUrl: z.string().url().optional(),
      anthropicBaseUrl: z.string().url().optional(),
      geminiBaseUrl: z.string().url().optional(),
      mistralBaseUrl: z.string().url().optional(),
      ollamaHost: z.string().url().default('http://127.0.0.1:11434'),
      transformersCacheDir: z.string().optional(),
      transformersAllowRemote: bool.default(false),
    })
    .prefault({}),
  knowledge: z
    .object({
      /** Extra error-code description files in the seed's JSON format ({"1150": "text", ...}). */
      extraDescriptions: csv.default([]),
    })
    .prefault({}),
  docs: z
    .object({
      /** Files or directories ingested at start-up (the demo primer when empty). */
      sources: csv.default([]),
      minScore: z.coerce.number().min(0).default(0),
    })
    .prefault({}),
  memory: z
    .object({
      maxTurns: int(2, 500).default(20),
      maxChars: int(1000, 1_000_000).default(24_000),
      ttlSeconds: int(60, 365 * 86400).default(7 * 86400),
    })
    .prefault({}),
  redisUrl: z.string().url().optional(),
  http: z
    .object({
      port: int(0, 65535).optional(),
      host: z.string().default('127.0.0.1'),
      /** name:token pairs, comma separated. */
      tokens: csv.default([]),
      allowedOrigins: csv.default([]),
      /** The URL the chat platforms reach this server at (behind a proxy or ingress), for button callbacks. */
      publicUrl: z.string().url().optional(),
    })
    .prefault({}),
  slack: z
    .object({
      botToken: z.string().optional(),
      appToken: z.string().optional(),
      signingSecret: z.string().optional(),
      mode: z.enum(['socket', 'http']).default('socket'),
      apiUrl: z.string().url().optional(),
    })
    .prefault({}),
  mattermost: z
    .object({
      url: z.string().url().optional(),
      token: z.string().optional(),
      commandToken: z.string().optional(),
      actionSecret: z.string().optional(),
    })
    .prefault({}),
  discord: z
    .object({
      token: z.string().optional(),
      applicationId: z.string().optional(),
      guildId: z.string().optional(),
      apiUrl: z.string().url().optional(),
      gatewayUrl: z.string().optional(),
    })
    .prefault({}),
  ingest: z
    .object({
      /** platform:channelId entries, comma separated. */
      channels: csv.default([]),
    })
    .prefault({}),
  admins: csv.default([]),
  /**
   * Total time one answer may take, model calls included; past it the model request is aborted and
   * the agent's offline answer is given with a notice.
   */
  answerDeadlineMs: int(1000, 3_600_000).default(60_000),
  /** Chat identity → PanDA user name (`platform:user=Name`), for "my jobs"; users may also tell the bot once. */
  pandaUsers: z
    .string()
    .transform((s) =>
      s
        .split(/[;\n]/)
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .default([]),
  maintenance: z
    .object({
      enabled: bool.default(true),
      errorSummaryCron: z.string().default('*/30 * * * *'),
      cricCron: z.string().default('17 */6 * * *'),
      docsCron: z.string().default('43 * * * *'),
      discussionsCron: z.string().default('*/15 * * * *'),
      pruneCron: z.string().default('5 3 * * *'),
    })
    .prefault({}),
  watch: z
    .object({
      /** How often watches are checked, and how often due digests are looked for. */
      cron: z.string().default('*/5 * * * *'),
      digestCron: z.string().default('* * * * *'),
      /** `HH:MM-HH:MM` UTC: alerts wait until the end (empty: none). */
      quietHours: z.string().default(''),
      maxPostsPerHour: int(1, 1000).default(6),
      taskFailureRate: z.coerce.number().min(0.01).max(1).default(0.2),
      windowHours: int(1, 24).default(1),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

interface EnvKey {
  env: string;
  path: string[];
  secret?: boolean;
  example: string;
}

/** Every environment variable the bot reads, its place in the config and an example value. */
export const ENV_KEYS: readonly EnvKey[] = [
  { env: 'ASKPANDA_DATA_DIR', path: ['dataDir'], example: './data' },
  { env: 'ASKPANDA_LOG_LEVEL', path: ['logLevel'], example: 'info' },
  { env: 'ASKPANDA_PANDA_URL', path: ['panda', 'url'], example: 'https://bigpanda.cern.ch' },
  { env: 'ASKPANDA_PANDA_DIR', path: ['panda', 'dir'], example: '../shared/eval/failures-dev' },
  { env: 'ASKPANDA_DEMO', path: ['panda', 'demo'], example: 'true' },
  { env: 'ASKPANDA_PANDA_AUTH_SCHEME', path: ['panda', 'authScheme'], example: 'Bearer' },
  { env: 'ASKPANDA_PANDA_TOKEN', path: ['panda', 'token'], secret: true, example: 'eyJ...' },
  { env: 'ASKPANDA_PANDA_TOKEN_FILE', path: ['panda', 'tokenFile'], example: '/run/secrets/panda-token' },
  { env: 'ASKPANDA_PANDA_CERT', path: ['panda', 'certFile'], example: '~/.globus/usercert.pem' },
  { env: 'ASKPANDA_PANDA_KEY', path: ['panda', 'keyFile'], example: '~/.globus/userkey.pem' },
  { env: 'X509_USER_PROXY', path: ['panda', 'proxyFile'], example: '/tmp/x509up_u1000' },
  { env: 'ASKPANDA_PANDA_TIMEOUT_MS', path: ['panda', 'timeoutMs'], example: '30000' },
  { env: 'ASKPANDA_PANDA_RETRIES', path: ['panda', 'retries'], example: '3' },
  { env: 'ASKPANDA_PANDA_MAX_CONCURRENCY', path: ['panda', 'maxConcurrency'], example: '4' },
  { env: 'ASKPANDA_MAX_LOG_BYTES', path: ['panda', 'maxLogBytes'], example: '67108864' },
  { env: 'ASKPANDA_CRIC_URL', path: ['cric', 'url'], example: 'https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json' },
  { env: 'ASKPANDA_CRIC_FILE', path: ['cric', 'file'], example: './cric/pandaqueues.json' },
  { env: 'ASKPANDA_CRIC_TTL_S', path: ['cric', 'ttlSeconds'], example: '21600' },
  { env: 'ASKPANDA_LLM_ROUTER', path: ['llm', 'router'], example: 'openai:gpt-4.1-mini' },
  { env: 'ASKPANDA_LLM_ANSWER', path: ['llm', 'answer'], example: 'anthropic:claude-sonnet-4-5' },
  { env: 'ASKPANDA_LLM_ANALYSIS', path: ['llm', 'analysis'], example: 'openai:gpt-4.1' },
  { env: 'ASKPANDA_LLM_EMBEDDINGS', path: ['llm', 'embeddings'], example: 'transformers:Xenova/all-MiniLM-L6-v2' },
  { env: 'ASKPANDA_LLM_TIMEOUT_MS', path: ['llm', 'timeoutMs'], example: '60000' },
  { env: 'ASKPANDA_LLM_MAX_RETRIES', path: ['llm', 'maxRetries'], example: '2' },
  { env: 'ASKPANDA_LLM_MAX_CONCURRENCY', path: ['llm', 'maxConcurrency'], example: '4' },
  { env: 'ASKPANDA_LLM_BREAKER_FAILURES', path: ['llm', 'breakerFailures'], example: '5' },
  { env: 'ASKPANDA_LLM_BREAKER_COOLDOWN_S', path: ['llm', 'breakerCooldownSeconds'], example: '60' },
  { env: 'ASKPANDA_ANSWER_DEADLINE_MS', path: ['answerDeadlineMs'], example: '60000' },
  { env: 'ASKPANDA_LLM_MAX_INPUT_TOKENS', path: ['llm', 'maxInputTokens'], example: '12000' },
  { env: 'OPENAI_BASE_URL', path: ['llm', 'openaiBaseUrl'], example: 'http://127.0.0.1:8000/v1' },
  { env: 'ANTHROPIC_BASE_URL', path: ['llm', 'anthropicBaseUrl'], example: 'https://api.anthropic.com' },
  { env: 'GEMINI_BASE_URL', path: ['llm', 'geminiBaseUrl'], example: 'https://generativelanguage.googleapis.com' },
  { env: 'MISTRAL_BASE_URL', path: ['llm', 'mistralBaseUrl'], example: 'https://api.mistral.ai' },
  { env: 'OLLAMA_HOST', path: ['llm', 'ollamaHost'], example: 'http://127.0.0.1:11434' },
  { env: 'ASKPANDA_TRANSFORMERS_CACHE', path: ['llm', 'transformersCacheDir'], example: './data/models' },
  { env: 'ASKPANDA_TRANSFORMERS_REMOTE', path: ['llm', 'transformersAllowRemote'], example: 'false' },
  { env: 'ASKPANDA_EXTRA_DESCRIPTIONS', path: ['knowledge', 'extraDescriptions'], example: './pilot_error_codes_and_descriptions.json' },
  { env: 'ASKPANDA_DOCS', path: ['docs', 'sources'], example: './docs,./more-docs' },
  { env: 'ASKPANDA_DOCS_MIN_SCORE', path: ['docs', 'minScore'], example: '0' },
  { env: 'ASKPANDA_MEMORY_TURNS', path: ['memory', 'maxTurns'], example: '20' },
  { env: 'ASKPANDA_MEMORY_CHARS', path: ['memory', 'maxChars'], example: '24000' },
  { env: 'ASKPANDA_MEMORY_TTL_S', path: ['memory', 'ttlSeconds'], example: '604800' },
  { env: 'ASKPANDA_REDIS_URL', path: ['redisUrl'], example: 'redis://127.0.0.1:6379' },
  { env: 'ASKPANDA_HTTP_PORT', path: ['http', 'port'], example: '8080' },
  { env: 'ASKPANDA_HTTP_HOST', path: ['http', 'host'], example: '127.0.0.1' },
  { env: 'ASKPANDA_PUBLIC_URL', path: ['http', 'publicUrl'], example: 'https://askpanda.example.org' },
  { env: 'ASKPANDA_API_TOKENS', path: ['http', 'tokens'], secret: true, example: 'openwebui:s3cret,claude:t0ken' },
  { env: 'ASKPANDA_ALLOWED_ORIGINS', path: ['http', 'allowedOrigins'], example: 'https://chat.example.org' },
  { env: 'SLACK_BOT_TOKEN', path: ['slack', 'botToken'], secret: true, example: 'xoxb-...' },
  { env: 'SLACK_APP_TOKEN', path: ['slack', 'appToken'], secret: true, example: 'xapp-...' },
  { env: 'SLACK_SIGNING_SECRET', path: ['slack', 'signingSecret'], secret: true, example: '8f742231b10e8888abcd99yyyzzz85a5' },
  { env: 'SLACK_MODE', path: ['slack', 'mode'], example: 'socket' },
  { env: 'SLACK_API_URL', path: ['slack', 'apiUrl'], example: 'https://slack.com/api/' },
  { env: 'MATTERMOST_URL', path: ['mattermost', 'url'], example: 'https://mattermost.web.cern.ch' },
  { env: 'MATTERMOST_TOKEN', path: ['mattermost', 'token'], secret: true, example: 'bot access token' },
  { env: 'MATTERMOST_COMMAND_TOKEN', path: ['mattermost', 'commandToken'], secret: true, example: 'slash command token' },
  { env: 'MATTERMOST_ACTION_SECRET', path: ['mattermost', 'actionSecret'], secret: true, example: 'random string' },
  { env: 'DISCORD_TOKEN', path: ['discord', 'token'], secret: true, example: 'bot token' },
  { env: 'DISCORD_APPLICATION_ID', path: ['discord', 'applicationId'], example: '123456789012345678' },
  { env: 'DISCORD_GUILD_ID', path: ['discord', 'guildId'], example: '123456789012345678' },
  { env: 'DISCORD_API_URL', path: ['discord', 'apiUrl'], example: 'https://discord.com/api' },
  { env: 'DISCORD_GATEWAY_URL', path: ['discord', 'gatewayUrl'], example: 'wss://gateway.discord.gg' },
  { env: 'ASKPANDA_INGEST_CHANNELS', path: ['ingest', 'channels'], example: 'slack:C0123ABCD,mattermost:abcdefghijklmnopqrstuvwxyz' },
  { env: 'ASKPANDA_ADMINS', path: ['admins'], example: 'slack:U0123ABCD,mattermost:jdoe' },
  { env: 'ASKPANDA_PANDA_USERS', path: ['pandaUsers'], example: 'slack:U0123ABCD=Jane Doe;mattermost:jdoe=jdoe' },
  { env: 'ASKPANDA_MAINTENANCE', path: ['maintenance', 'enabled'], example: 'true' },
  { env: 'ASKPANDA_WATCH_CRON', path: ['watch', 'cron'], example: '*/5 * * * *' },
  { env: 'ASKPANDA_WATCH_DIGEST_CRON', path: ['watch', 'digestCron'], example: '* * * * *' },
  { env: 'ASKPANDA_WATCH_QUIET_HOURS', path: ['watch', 'quietHours'], example: '22:00-07:00' },
  { env: 'ASKPANDA_WATCH_MAX_POSTS_PER_HOUR', path: ['watch', 'maxPostsPerHour'], example: '6' },
  { env: 'ASKPANDA_WATCH_TASK_FAILURE_RATE', path: ['watch', 'taskFailureRate'], example: '0.2' },
  { env: 'ASKPANDA_WATCH_WINDOW_HOURS', path: ['watch', 'windowHours'], example: '1' },
];

/** Vendor API keys are read by the LLM layer through this map, never from process.env directly. */
export const API_KEY_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'MISTRAL_API_KEY', 'OLLAMA_API_KEY'] as const;
export type ApiKeyVariable = (typeof API_KEY_VARIABLES)[number];

export interface LoadedConfig {
  config: Config;
  apiKeys: Partial<Record<ApiKeyVariable, string>>;
  /** Where each value came from, for `config check`. */
  origins: Record<string, 'env' | 'file' | 'default'>;
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
 * key, what is wrong and an example.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): LoadedConfig {
  const raw: Record<string, unknown> = env.ASKPANDA_CONFIG ? readConfigFile(env.ASKPANDA_CONFIG) : {};
  const origins: Record<string, 'env' | 'file' | 'default'> = {};
  for (const key of ENV_KEYS) {
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
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String);
    const key = ENV_KEYS.find((k) => k.path.join('.') === path.join('.'));
    const shown = key?.secret ? '(secret)' : JSON.stringify(getPath(raw, path));
    const name = key ? `${key.env} (${path.join('.')})` : path.join('.') || 'config';
    const example = key ? `; example: ${key.env}=${key.example}` : '';
    throw new ConfigError(`${name}: ${shown} ${issue?.message ?? 'is invalid'}${example}`);
  }
  const apiKeys: Partial<Record<ApiKeyVariable, string>> = {};
  for (const name of API_KEY_VARIABLES) {
    const value = env[name];
    if (value) apiKeys[name] = value;
  }
  return { config: parsed.data, apiKeys, origins };
}

/** The effective config with every secret masked, for `askpanda config check`. */
export function describeConfig(loaded: LoadedConfig): string[] {
  const lines: string[] = [];
  for (const key of ENV_KEYS) {
    const value = getPath(loaded.config, key.path);
    const origin = loaded.origins[key.path.join('.')] ?? 'default';
    let shown: string;
    if (value === undefined || (Array.isArray(value) && value.length === 0)) shown = '(unset)';
    else if (key.secret) shown = '***** (set)';
    else shown = Array.isArray(value) ? value.join(',') : String(value);
    lines.push(`${key.env.padEnd(32)} ${shown}${origin === 'default' ? '' : `  [${origin}]`}`);
  }
  for (const name of API_KEY_VARIABLES) {
    lines.push(`${name.padEnd(32)} ${loaded.apiKeys[name] ? '***** (set)' : '(unset)'}`);
  }
  return lines;
}
