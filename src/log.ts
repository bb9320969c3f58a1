import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Applied to every log line's message and string fields before it is written (secret redaction). */
  redact?: (text: string) => string;
  /** Where lines go; stderr by default so stdout stays clean for the console adapter and --json. */
  destination?: NodeJS.WritableStream;
}

function redactValue(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: redact(value.message), stack: value.stack ? redact(value.stack) : undefined };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, redact, depth + 1);
  return out;
}

/** The process logger (pino, JSON lines). Child loggers carry the component: `log.child({ component: 'slack' })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { redact } = options;
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: 'askpanda' },
    redact: { paths: ['*.token', '*.apiKey', '*.password', '*.secret', 'headers.authorization'], censor: '[redacted]' },
  };
  if (redact) {
    pinoOptions.hooks = {
      logMethod(args, method) {
        const mapped = args.map((a) => redactValue(a, redact)) as Parameters<typeof method>;
        method.apply(this, mapped);
      },
    };
  }
  return pino(pinoOptions, (options.destination ?? process.stderr) as pino.DestinationStream);
}

/** A logger that writes nothing (tests, one-shot commands with --quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
