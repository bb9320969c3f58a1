/**
 * `askpanda compare-llms --job <pandaid> | --question "…" --providers a,b,c [--json]`: the same
 * request through several providers, printed side by side with outcome, latency and tokens.
 * For --job the request is exactly the log-analysis agent's (system prompt, evidence, schema), built
 * from the job record, its error codes and log excerpts.
 */
import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { analyseOffline } from '../../agents/logs/analyse.js';
import { ANALYSIS_SYSTEM, buildEvidence, buildRequestText, llmAnalysisSchema } from '../../agents/logs/llm-analysis.js';
import type { GenerateRequest, LlmProvider } from '../contracts/llm.js';
import { AskPandaError, InputError } from '../errors.js';
import type { Services } from './services.js';

export interface ComparisonRow {
  spec: string;
  /** `provider:model` that produced the answer (`offline` after a fallback). */
  model: string;
  outcome: 'ok' | 'fallback' | 'error';
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  notice?: string;
  answer: string;
}

const QUESTION_SYSTEM =
  'You are Ask PanDA, an assistant for users and operators of the PanDA workload management system of the ATLAS experiment. Answer briefly and precisely; say so when you do not know.';

function answerText(text: string | undefined, object: unknown): string {
  if (object !== undefined) return toYaml(object, { lineWidth: 0 }).trim();
  return (text ?? '').trim();
}

/** Runs `request` through every provider concurrently; one failing provider never stops the others. */
export async function compareProviders(
  providers: Array<{ spec: string; llm: LlmProvider | Error }>,
  request: GenerateRequest,
  offlineAnswer?: string,
): Promise<ComparisonRow[]> {
  return Promise.all(
    providers.map(async ({ spec, llm }): Promise<ComparisonRow> => {
      const started = performance.now();
      const empty = { spec, model: spec, latencyMs: 0, inputTokens: 0, outputTokens: 0 };
      if (llm instanceof Error) return { ...empty, outcome: 'error', answer: llm.message };
      try {
        const result = await llm.generate(request);
        const latencyMs = Math.round(performance.now() - started);
        let answer = answerText(result.text, result.object);
        // The offline provider cannot write an analysis; the agent's deterministic diagnosis is its answer.
        if (result.model === 'offline' && result.object === undefined && offlineAnswer) answer = offlineAnswer;
        return {
          spec,
          model: result.model,
          outcome: result.notice || (result.model === 'offline' && spec !== 'offline') ? 'fallback' : 'ok',
          latencyMs,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          notice: result.notice,
          answer,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ...empty, latencyMs: Math.round(performance.now() - started), outcome: 'error', answer: message };
      }
    }),
  );
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw;
    while (line.length > width) {
      const cut = line.lastIndexOf(' ', width);
      const at = cut > width / 3 ? cut : width;
      out.push(line.slice(0, at));
      line = line.slice(at).replace(/^ /, '');
    }
    out.push(line);
  }
  return out;
}

function headerLines(row: ComparisonRow): string[] {
  return [
    row.spec,
    `${row.outcome}${row.model !== row.spec ? ` (answered by ${row.model})` : ''}`,
    `${row.latencyMs} ms · ${row.inputTokens} in / ${row.outputTokens} out tokens`,
    ...(row.notice ? [`notice: ${row.notice}`] : []),
  ];
}

/** Text columns side by side when each gets at least 32 characters, else one block after another. */
export function renderColumns(columns: Array<{ head: string[]; body: string }>, width = 120): string {
  const gap = ' │ ';
  const columnWidth = Math.floor((width - gap.length * (columns.length - 1)) / Math.max(columns.length, 1));
  if (columns.length > 1 && columnWidth >= 32) {
    const laid = columns.map((c) => [...c.head.flatMap((l) => wrap(l, columnWidth)), '─'.repeat(columnWidth), ...wrap(c.body, columnWidth)]);
    const height = Math.max(...laid.map((c) => c.length));
    const lines: string[] = [];
    for (let i = 0; i < height; i++)
      lines.push(
        laid
          .map((c) => (c[i] ?? '').padEnd(columnWidth))
          .join(gap)
          .trimEnd(),
      );
    return `${lines.join('\n')}\n`;
  }
  return columns.map((c) => `${['══ ' + (c.head[0] ?? ''), ...c.head.slice(1)].join('\n')}\n${c.body}\n`).join('\n');
}

/** Providers side by side: outcome, latency and tokens above each answer. */
export function renderComparison(rows: ComparisonRow[], width = 120): string {
  return renderColumns(
    rows.map((row) => ({ head: headerLines(row), body: row.answer })),
    width,
  );
}

function parseProviders(value: string): string[] {
  const specs = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (specs.length === 0) throw new InputError('--providers: give one or more provider specs separated by commas, e.g. offline,openai:gpt-4.1-mini');
  return [...new Set(specs)];
}

interface Options {
  job?: string;
  question?: string;
  providers?: string;
  json?: boolean;
}

async function jobRequest(services: Services, value: string): Promise<{ request: GenerateRequest; offlineAnswer: string }> {
  const pandaid = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(pandaid)) throw new InputError(`--job: "${value}" is not a PanDA job id (example: --job 6715819744)`);
  const { job } = await services.panda().getJob(pandaid);
  const analysis = await analyseOffline({ panda: services.panda(), kb: services.kb() }, job, { maxLogBytes: services.config.panda.maxLogBytes });
  const d = analysis.diagnosis;
  const offlineAnswer = [
    `Offline diagnosis: ${d.rootCause.component} error ${d.rootCause.code}${d.rootCause.name ? ` (${d.rootCause.name})` : ''}.`,
    d.explanation,
    `Category: ${d.category}. Retry: ${d.retry} — ${d.retryReason}`,
  ].join('\n');
  return {
    offlineAnswer,
    request: {
      system: ANALYSIS_SYSTEM,
      messages: [{ role: 'user', content: buildRequestText(d) }],
      evidence: buildEvidence(analysis.header, analysis.extractions, analysis.diagnosis.decisive),
      schema: { name: 'job_failure_analysis', description: 'Explanation of a failed PanDA job', schema: llmAnalysisSchema },
      temperature: 0,
    },
  };
}

export function register(program: Command, services: () => Services): void {
  program
    .command('compare-llms')
    .description('run the same job analysis or question through several LLM providers and compare them side by side')
    .option('--job <pandaid>', "compare analyses of a failed job (the log-analysis agent's request)")
    .option('--question <text>', 'compare answers to a question')
    .option('--providers <specs>', 'comma-separated provider specs, e.g. offline,openai:gpt-4.1-mini,ollama:llama3.1')
    .option('--json', 'print the comparison as JSON')
    .action(async (options: Options) => {
      if (Boolean(options.job) === Boolean(options.question)) throw new InputError('compare-llms: give exactly one of --job <pandaid> or --question "<text>"');
      const s = services();
      const role = options.job ? 'analysis' : 'answer';
      const specs = parseProviders(options.providers ?? ['offline', s.config.llm[role]].join(','));
      const built = specs.map((spec) => {
        try {
          return { spec, llm: s.llms().forSpec(spec) as LlmProvider | Error };
        } catch (error) {
          return { spec, llm: error instanceof AskPandaError ? error : new Error(String(error)) };
        }
      });
      const { request, offlineAnswer } = options.job
        ? await jobRequest(s, options.job)
        : { request: { system: QUESTION_SYSTEM, messages: [{ role: 'user' as const, content: options.question ?? '' }] }, offlineAnswer: undefined };
      const rows = await compareProviders(built, request, offlineAnswer);
      if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else process.stdout.write(renderComparison(rows, process.stdout.columns ?? 120));
    });
}
