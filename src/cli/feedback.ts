/**
 * `askpanda feedback export --out <file.jsonl>`: rated answers as a regression set in the eval
 * formats of ../shared/eval (routing, docqa, failures), one JSON line per item, for a person to
 * review before it joins a test set. `askpanda feedback rerun --llm <spec>`: the 👎 questions asked
 * again through the same agents with another model, old and new answer side by side.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import Keyv from 'keyv';
import type { FeedbackRecord } from '../contracts/feedback.js';
import type { IncomingMessage } from '../contracts/message.js';
import type { Entities } from '../contracts/routing.js';
import { createFeedbackStore } from '../core/feedback-store.js';
import { modelOf } from '../core/answer-record.js';
import { replySummary } from '../core/reply-summary.js';
import { InputError } from '../errors.js';
import { parseSpec } from '../llm/index.js';
import { redact, redactDeep } from '../logs/index.js';
import { renderColumns } from './compare-llms.js';
import { createCoreWiring, openFeedbackStore } from './core-wiring.js';
import { createServices, type Services } from './services.js';

const ENTITY_KEYS = ['pandaid', 'jeditaskid', 'queue', 'site', 'error_code', 'error_component'] as const;

/** One exported line: the item in its eval set's own format, and what a reviewer needs beside it. */
export interface ExportLine {
  set: 'routing' | 'docqa' | 'failures';
  feedback: 'up' | 'down';
  /** 👎 items (and every docqa item, whose evidence phrases a person must pick) need a person before use. */
  needs_review: boolean;
  item: Record<string, unknown>;
  bot: { answer: string; model: string | null; evidence: string[]; route: string; asked_at: string; platform: string };
}

function entitiesOf(record: FeedbackRecord): Entities {
  const out = {} as Record<(typeof ENTITY_KEYS)[number], unknown>;
  for (const key of ENTITY_KEYS) out[key] = record.entities[key] ?? null;
  return out as unknown as Entities;
}

interface DiagnosisData {
  pandaid: number;
  rootCause: { component: string; code: number };
  category: string;
  retryHelps: boolean | 'maybe';
  explanation: string;
  evidence?: Array<{ lines?: Array<{ text: string }> }>;
}

function diagnosisOf(record: FeedbackRecord): DiagnosisData | null {
  const d = record.data?.diagnosis as DiagnosisData | undefined;
  return d && typeof d.pandaid === 'number' && d.rootCause ? d : null;
}

/** The eval-format items one rated answer yields: always routing; docqa for docs answers; failures for job diagnoses. */
export function exportLines(record: FeedbackRecord): ExportLine[] {
  const id = `fb-${record.id}`;
  const question = redact(record.question);
  const bot = {
    answer: redact(record.answer),
    model: record.model,
    evidence: record.evidence.map(redact),
    route: `${record.intent} (${record.routeSource}: ${record.routeReason})`,
    asked_at: record.at,
    platform: record.platform,
  };
  const down = record.value === 'down';
  const lines: ExportLine[] = [
    { set: 'routing', feedback: record.value, needs_review: down, item: { id, question, intent: record.intent, entities: entitiesOf(record) }, bot },
  ];
  if (record.intent === 'docs') {
    const sources = [...new Set(record.evidence.map((e) => /\(([^,)]+)/.exec(e)?.[1]).filter((s): s is string => Boolean(s)))];
    lines.push({
      set: 'docqa',
      feedback: record.value,
      needs_review: true,
      item: { id, question, source: sources[0] ?? null, evidence: [], answer_keywords: [], difficulty: 'unrated' },
      bot,
    });
  }
  const d = diagnosisOf(record);
  if (record.intent === 'job' && d) {
    lines.push({
      set: 'failures',
      feedback: record.value,
      needs_review: down,
      item: redactDeep({
        pandaid: d.pandaid,
        root_cause_code: d.rootCause.code,
        component: d.rootCause.component,
        category: d.category,
        retry_helps: d.retryHelps,
        evidence_lines: (d.evidence ?? []).flatMap((g) => (g.lines ?? []).map((l) => l.text)).slice(0, 4),
        summary: d.explanation,
      }),
      bot,
    });
  }
  return lines;
}

/** Services whose router, answer and analysis roles all use `spec`. */
function servicesWithModel(base: Services, spec: string): Services {
  parseSpec(spec);
  const config = { ...base.config, llm: { ...base.config.llm, router: spec, answer: spec, analysis: spec } };
  return createServices({ loaded: { config, apiKeys: base.apiKeys, origins: {}, platforms: base.platforms }, logger: base.logger });
}

function replayMessage(question: string): IncomingMessage {
  const id = randomUUID();
  const job = /^\/panda-job\s+(\d+)$/.exec(question);
  return {
    platform: 'console',
    workspace: 'feedback-rerun',
    channel: 'rerun',
    thread: id,
    messageId: id,
    user: 'feedback-rerun',
    text: question,
    isDirect: true,
    mentionsBot: true,
    eventId: id,
    receivedAt: new Date(),
    ...(job ? { command: { name: 'panda-job', args: job[1] ?? '' } } : {}),
  };
}

export function register(program: Command, services: () => Services): void {
  const feedback = program.command('feedback').description('👍/👎 feedback: export it as a regression set, or replay the 👎 questions with another model');
  feedback
    .command('export')
    .description('write rated answers as eval-format items (routing, docqa, failures) to a JSONL file for review')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .option('--only <value>', 'only "up" or "down" feedback')
    .action(async (options: { out: string; only?: string }) => {
      if (options.only && options.only !== 'up' && options.only !== 'down') throw new InputError(`--only: "${options.only}" is not "up" or "down"`);
      const store = openFeedbackStore(services());
      try {
        const records = await store.rated(options.only as 'up' | 'down' | undefined);
        const lines = records.flatMap(exportLines);
        writeFileSync(options.out, lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
        const count = (set: ExportLine['set']) => lines.filter((l) => l.set === set).length;
        process.stdout.write(
          `${records.length} rated answers (${records.filter((r) => r.value === 'down').length} 👎) → ${options.out}: ` +
            `${count('routing')} routing, ${count('docqa')} docqa, ${count('failures')} failures items; ` +
            `${lines.filter((l) => l.needs_review).length} need review.\n`,
        );
      } finally {
        await store.close();
      }
    });
  feedback
    .command('rerun')
    .description('ask the 👎 questions again with another model and print the old and the new answer side by side')
    .requiredOption('--llm <spec>', 'the model for the router, answer and analysis roles, e.g. gemini:gemini-2.5-flash')
    .option('--limit <n>', 'at most this many questions (newest first)', '20')
    .option('--json', 'print the pairs as JSON')
    .action(async (options: { llm: string; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new InputError(`--limit: "${options.limit}" is not a positive whole number`);
      const base = services();
      const store = openFeedbackStore(base);
      const downs = (await store.rated('down').finally(() => store.close())).reverse();
      const seen = new Set<string>();
      const todo = downs.filter((r) => !seen.has(r.question) && seen.add(r.question)).slice(0, limit);
      if (todo.length === 0) {
        process.stdout.write('No 👎 feedback stored yet.\n');
        return;
      }
      const s = servicesWithModel(base, options.llm);
      // The replay neither remembers nor records: memory and feedback live in this process only.
      const { core, memory, feedback: scratch } = createCoreWiring(s, { memoryKeyv: new Keyv(), feedback: createFeedbackStore({ path: ':memory:' }) });
      const pairs: Array<{ question: string; old: { model: string | null; answer: string }; new: { model: string | null; answer: string } }> = [];
      try {
        for (const record of todo) {
          const reply = await core.handle(replayMessage(record.question));
          const answer = reply ? redact(replySummary(reply, 4000)) : '(no answer)';
          pairs.push({
            question: redact(record.question),
            old: { model: record.model, answer: redact(record.answer) },
            new: { model: reply ? modelOf(reply) : null, answer },
          });
        }
      } finally {
        await memory.close().catch(() => undefined);
        await scratch.close().catch(() => undefined);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(pairs, null, 2)}\n`);
        return;
      }
      const width = process.stdout.columns ?? 120;
      for (const p of pairs) {
        process.stdout.write(`\n▶ ${p.question}\n`);
        process.stdout.write(
          renderColumns(
            [
              { head: ['before (👎)', `model: ${p.old.model ?? 'rules / offline'}`], body: p.old.answer },
              { head: [`now with ${options.llm}`, `model: ${p.new.model ?? 'rules / offline'}`], body: p.new.answer },
            ],
            width,
          ),
        );
      }
    });
}
