/**
 * `askpanda eval failures <dir> --out <pred.jsonl>`: runs the job agent's analysis offline on every
 * case folder (failures-dev format) and writes one prediction per case; prints code accuracy,
 * category accuracy, evidence recall, retry agreement and shown evidence when the folders carry
 * labels. `shown` is the user-view reply exactly as the console chat prints it (no colour).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { renderReply } from '../../adapters/console/render.js';
import { analyseOffline, renderUserView } from '../../agents/logs/index.js';
import { InputError } from '../errors.js';
import { createKnowledgeBase } from '../knowledge/index.js';
import { pilotMessage } from '../logs/index.js';
import { createFileSource } from '../panda/index.js';
import { evalCommand } from './eval-group.js';
import type { Services } from './services.js';

interface Prediction {
  pandaid: number;
  root_cause_code: number;
  category: string;
  retry_helps: boolean | 'maybe';
  context: string;
  /** The user-view reply as chat shows it. */
  shown: string;
}

interface Label {
  root_cause_code: number;
  category: string;
  retry_helps: boolean | 'maybe';
  evidence_lines: string[];
}

const norm = (text: string) => text.replace(/\s+/g, ' ').trim();
/** As the reference scorer: the message part of a pilot line (else the line), collapsed, first 60 characters. */
const messagePart = (line: string) => norm(pilotMessage(line)).slice(0, 60);

export function scoreCase(label: Label, pred: Prediction): { code: number; category: number; evidence: number; retry: number; shown: number } {
  const ctx = norm(pred.context);
  const found = label.evidence_lines.filter((e) => ctx.includes(norm(e))).length;
  const retry = pred.retry_helps === label.retry_helps ? 1 : pred.retry_helps === 'maybe' || label.retry_helps === 'maybe' ? 0.5 : 0;
  return {
    code: String(pred.root_cause_code) === String(label.root_cause_code) ? 1 : 0,
    category: pred.category === label.category ? 1 : 0,
    evidence: label.evidence_lines.length ? found / label.evidence_lines.length : 0,
    retry,
    shown: label.evidence_lines.length ? label.evidence_lines.filter((e) => norm(pred.shown).includes(messagePart(e))).length / label.evidence_lines.length : 0,
  };
}

export async function runFailureEval(dir: string): Promise<Array<{ pred: Prediction; label: Label | null }>> {
  if (!existsSync(dir)) throw new InputError(`The case directory ${dir} does not exist.`);
  const panda = createFileSource(dir, { description: `cases in ${dir}` });
  const kb = createKnowledgeBase();
  const out: Array<{ pred: Prediction; label: Label | null }> = [];
  const ids = readdirSync(dir)
    .filter((name) => /^\d+$/.test(name))
    .sort();
  for (const id of ids) {
    const { job } = await panda.getJob(Number(id));
    const offline = await analyseOffline({ panda, kb }, job);
    const { diagnosis, context } = offline;
    const reply = renderUserView(
      { diagnosis, llm: null, model: null, context, notices: offline.notices, createdAt: new Date().toISOString() },
      { jobUrl: panda.jobUrl(job.pandaid) },
    );
    const shown = renderReply(reply, { color: false, width: 100 });
    const labelPath = join(dir, id, 'label.json');
    const label = existsSync(labelPath) ? (JSON.parse(readFileSync(labelPath, 'utf8')) as Label) : null;
    out.push({
      pred: {
        pandaid: job.pandaid,
        root_cause_code: diagnosis.rootCause.code,
        category: diagnosis.category,
        retry_helps: diagnosis.retryHelps,
        context,
        shown,
      },
      label,
    });
  }
  return out;
}

export function register(program: Command, _services: () => Services): void {
  evalCommand(program)
    .command('failures <dir>')
    .description('diagnose every failed-job case folder offline and print code/category/evidence/retry scores')
    .option('--out <pred.jsonl>', 'write one prediction per case here')
    .option('--per-case', 'print one line per case')
    .action(async (dir: string, opts: { out?: string; perCase?: boolean }) => {
      const results = await runFailureEval(dir);
      if (opts.out) writeFileSync(opts.out, `${results.map((r) => JSON.stringify(r.pred)).join('\n')}\n`);
      const print = (line: string) => process.stdout.write(`${line}\n`);
      const labelled = results.filter((r) => r.label);
      const totals = { code: 0, category: 0, evidence: 0, retry: 0, shown: 0 };
      let chars = 0;
      for (const r of labelled) {
        const s = scoreCase(r.label as Label, r.pred);
        for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += s[k];
        chars += r.pred.context.length;
        if (opts.perCase) {
          print(
            `${r.pred.pandaid} code=${s.code} category=${s.category} evidence=${s.evidence.toFixed(2)} retry=${s.retry} shown=${s.shown.toFixed(2)} (${r.pred.root_cause_code}/${r.pred.category}/${r.pred.retry_helps}, ${r.pred.context.length} chars)`,
          );
        }
      }
      const n = labelled.length || 1;
      print(`cases: ${results.length}, labelled: ${labelled.length}`);
      print(`code_accuracy:     ${(totals.code / n).toFixed(3)}`);
      print(`category_accuracy: ${(totals.category / n).toFixed(3)}`);
      print(`evidence_recall:   ${(totals.evidence / n).toFixed(3)}`);
      print(`retry_agreement:   ${(totals.retry / n).toFixed(3)}`);
      print(`shown_evidence:    ${(totals.shown / n).toFixed(3)}`);
      print(`context: ${Math.round(chars / n)} characters per case on average (max ${Math.max(0, ...results.map((r) => r.pred.context.length))})`);
    });
}
