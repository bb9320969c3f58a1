/**
 * The checks of the conversation sets (`../shared/eval/score_conversations.py`), so
 * `eval conversations` prints the same dialogue/turn pass figures the reference scorer does.
 */
import { z } from 'zod';
import { normText } from '../index/docqa-eval.js';

export const turnChecksSchema = z.looseObject({
  verdict: z.enum(['yes', 'no', 'maybe']).optional(),
  include_all: z.array(z.string()).optional(),
  include_any: z.array(z.string()).optional(),
  include_names: z.array(z.string()).optional(),
  exclude_names: z.array(z.string()).optional(),
  max_chars: z.number().int().positive().optional(),
  not_repeat: z.boolean().optional(),
});
export type TurnChecks = z.infer<typeof turnChecksSchema>;

export const dialogueSchema = z.looseObject({
  id: z.string().min(1),
  kind: z.string().default('unknown'),
  turns: z.array(z.looseObject({ user: z.string(), checks: turnChecksSchema.optional() })).min(1),
});
export type Dialogue = z.infer<typeof dialogueSchema>;

/** Check texts are compared folded the way the docs Q&A scorer folds them (quotes, dashes, spaces, case). */
export const normCheckText = normText;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hasName = (text: string, name: string) => new RegExp(`(?<![\\w-])${escapeRe(normCheckText(name))}(?![\\w-])`).test(text);
const words = (text: string) => new Set(text.match(/[a-z0-9_.:/-]+/g) ?? []);

const VERDICTS: Record<'yes' | 'no' | 'maybe', RegExp[]> = {
  yes: [/\byes\b/],
  no: [/\bno\b/, /\bnot\b/],
  maybe: [/\bmaybe\b/, /\bpossibly\b/, /\bperhaps\b/, /\bit depends\b/, /\bmight\b/, /\bcould\b/],
};

/** The earliest verdict word in the first 80 characters (of the normalised text), or null. */
export function leadingVerdict(text: string): 'yes' | 'no' | 'maybe' | null {
  const head = normCheckText(text).slice(0, 80);
  let best: { at: number; verdict: 'yes' | 'no' | 'maybe' } | null = null;
  for (const [verdict, patterns] of Object.entries(VERDICTS) as Array<['yes' | 'no' | 'maybe', RegExp[]]>) {
    for (const p of patterns) {
      const m = p.exec(head);
      if (m && (!best || m.index < best.at)) best = { at: m.index, verdict };
    }
  }
  return best?.verdict ?? null;
}

/** The failed checks of one reply (empty: the turn passes). */
export function checkReply(reply: string, previous: string | null, checks: TurnChecks): string[] {
  if (!reply) return ['no reply'];
  const t = normCheckText(reply);
  const fails: string[] = [];
  if (checks.verdict && leadingVerdict(reply) !== checks.verdict) fails.push(`verdict ${checks.verdict}`);
  for (const s of checks.include_all ?? []) if (!t.includes(normCheckText(s))) fails.push(`missing ${JSON.stringify(s)}`);
  if (checks.include_any?.length && !checks.include_any.some((s) => t.includes(normCheckText(s))))
    fails.push(`none of ${JSON.stringify(checks.include_any.slice(0, 4))}`);
  for (const n of checks.include_names ?? []) if (!hasName(t, n)) fails.push(`missing name ${n}`);
  for (const n of checks.exclude_names ?? []) if (hasName(t, n)) fails.push(`wrong name ${n}`);
  if (checks.max_chars !== undefined && reply.length > checks.max_chars) fails.push(`${reply.length} chars > ${checks.max_chars}`);
  if (checks.not_repeat && previous !== null) {
    const a = words(t);
    const b = words(normCheckText(previous));
    const shared = [...a].filter((w) => b.has(w)).length;
    const union = new Set([...a, ...b]).size;
    if (a.size && b.size && shared / union >= 0.5) fails.push('repeats the previous reply');
  }
  return fails;
}

export interface ConversationScore {
  dialogues: number;
  dialoguePass: number;
  turnPass: number;
  byKind: Record<string, { pass: number; total: number }>;
  /** One line per dialogue: `id kind: ok` or the failed checks. */
  lines: string[];
}

export function scoreConversations(dialogues: Dialogue[], replies: Map<string, string[]>): ConversationScore {
  let turns = 0;
  let turnsOk = 0;
  let dialoguesOk = 0;
  const byKind: ConversationScore['byKind'] = {};
  const lines: string[] = [];
  for (const d of dialogues) {
    const got = replies.get(d.id) ?? [];
    const notes: string[] = [];
    d.turns.forEach((turn, i) => {
      if (!turn.checks) return;
      const fails = checkReply(got[i] ?? '', i > 0 ? (got[i - 1] ?? null) : null, turn.checks);
      turns += 1;
      if (fails.length === 0) turnsOk += 1;
      else notes.push(`turn ${i + 1}: ${fails.join('; ')}`);
    });
    const ok = notes.length === 0;
    if (ok) dialoguesOk += 1;
    const kind = byKind[d.kind] ?? { pass: 0, total: 0 };
    byKind[d.kind] = kind;
    kind.total += 1;
    if (ok) kind.pass += 1;
    lines.push(`${d.id} ${d.kind}: ${ok ? 'ok' : `FAIL ${notes.join(' | ')}`}`);
  }
  return { dialogues: dialogues.length, dialoguePass: dialoguesOk / (dialogues.length || 1), turnPass: turnsOk / (turns || 1), byKind, lines };
}

export function formatConversationScore(score: ConversationScore, perDialogue = false): string {
  const kinds = Object.entries(score.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `  ${k.padEnd(14)} ${v.pass}/${v.total}`);
  return [
    ...(perDialogue ? score.lines : []),
    `dialogues: ${score.dialogues}`,
    `dialogue_pass: ${score.dialoguePass.toFixed(4)}`,
    `turn_pass: ${score.turnPass.toFixed(4)}`,
    'by kind:',
    ...kinds,
  ].join('\n');
}
