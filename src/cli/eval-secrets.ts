/** `askpanda eval secrets <file.jsonl> --out <pred.jsonl>`: redacts every item, prints recall per kind and over-redaction. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { redact } from '../logs/index.js';
import { evalCommand } from './eval-group.js';
import type { Services } from './services.js';
import { secretSurvives } from '../logs/index.js';

const itemSchema = z.object({
  id: z.string(),
  text: z.string(),
  secrets: z.array(z.string()).default([]),
  keep: z.array(z.string()).default([]),
  kinds: z.array(z.string()).default([]),
});
type Item = z.infer<typeof itemSchema>;

export interface RedactionScore {
  recall: number;
  overRedaction: number;
  secrets: number;
  keep: number;
  byKind: Record<string, { removed: number; total: number }>;
  surviving: Array<{ id: string; secret: string }>;
  lost: Array<{ id: string; keep: string }>;
}

export function scoreRedaction(items: Item[], predicted: Map<string, string>): RedactionScore {
  let secrets = 0;
  let removed = 0;
  let keep = 0;
  let lostCount = 0;
  const byKind: RedactionScore['byKind'] = {};
  const surviving: RedactionScore['surviving'] = [];
  const lost: RedactionScore['lost'] = [];
  for (const item of items) {
    const text = predicted.get(item.id) ?? item.text;
    for (const secret of item.secrets) {
      secrets++;
      const gone = !secretSurvives(secret, text);
      if (gone) removed++;
      else surviving.push({ id: item.id, secret: `${secret.slice(0, 8)}…` });
      for (const kind of item.kinds.length ? item.kinds : ['?']) {
        const k = byKind[kind] ?? { removed: 0, total: 0 };
        byKind[kind] = k;
        k.total++;
        if (gone) k.removed++;
      }
    }
    for (const k of item.keep) {
      keep++;
      if (!text.includes(k)) {
        lostCount++;
        lost.push({ id: item.id, keep: k });
      }
    }
  }
  return { recall: secrets ? removed / secrets : 1, overRedaction: keep ? lostCount / keep : 0, secrets, keep, byKind, surviving, lost };
}

export function readItems(file: string): Item[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`The secrets file ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, error);
  }
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const parsed = itemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new InputError(`Line ${i + 1} of ${file} is not a redaction item (${parsed.error.issues[0]?.message ?? 'invalid'}).`);
      return parsed.data;
    });
}

export function register(program: Command, _services: () => Services): void {
  evalCommand(program)
    .command('secrets <file>')
    .description('redact every item of a secrets corpus and print redaction recall and over-redaction')
    .option('--out <pred.jsonl>', 'write {"id","text"} predictions here')
    .action((file: string, opts: { out?: string }) => {
      const items = readItems(file);
      const predicted = new Map(items.map((it) => [it.id, redact(it.text)]));
      if (opts.out) writeFileSync(opts.out, `${items.map((it) => JSON.stringify({ id: it.id, text: predicted.get(it.id) })).join('\n')}\n`);
      const s = scoreRedaction(items, predicted);
      const print = (line: string) => process.stdout.write(`${line}\n`);
      print(`items: ${items.length}, secrets: ${s.secrets}, keep strings: ${s.keep}`);
      print(`redaction_recall: ${s.recall.toFixed(4)}`);
      print(`over_redaction:   ${s.overRedaction.toFixed(4)}`);
      print('recall by kind:');
      for (const [kind, v] of Object.entries(s.byKind).sort()) print(`  ${kind.padEnd(20)} ${v.removed}/${v.total}`);
      print(`surviving secrets: ${s.surviving.length ? s.surviving.map((x) => `${x.id} ${x.secret}`).join(', ') : 'none'}`);
      if (s.lost.length) print(`lost keep strings: ${s.lost.map((x) => `${x.id} ${JSON.stringify(x.keep)}`).join(', ')}`);
    });
}
