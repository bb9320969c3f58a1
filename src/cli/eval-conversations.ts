/**
 * `askpanda eval conversations <dialogues.jsonl> --panda-dir <dir> [--docs <dir>] --out <pred.jsonl>`:
 * runs every dialogue, turn by turn, as one new thread through the real core (offline LLMs, fresh
 * memory per dialogue, a temporary data directory), writes `{"id", "replies": [...]}` with the
 * user-view plain text of each reply, and prints the checks of `../shared/eval/score_conversations.py`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import Keyv from 'keyv';
import { renderReply } from '../../adapters/console/render.js';
import { readJsonLines } from '../../agents/ingest/index.js';
import { loadConfig } from '../config.js';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import { InputError } from '../errors.js';
import { createLogger } from '../log.js';
import { redact } from '../logs/index.js';
import { type ConversationScore, type Dialogue, dialogueSchema, formatConversationScore, scoreConversations } from './conversation-checks.js';
import { createFeedbackStore } from '../core/feedback-store.js';
import { createCoreWiring } from './core-wiring.js';
import { evalCommand } from './eval-group.js';
import { createServices, type Services } from './services.js';

export interface ConversationEvalOptions {
  pandaDir: string;
  docs?: string;
  out?: string;
  /** Extra config overrides (tests). */
  overrides?: Record<string, unknown>;
}

export interface ConversationEvalResult {
  predictions: Array<{ id: string; replies: string[] }>;
  score: ConversationScore;
}

/** The text a user sees by default: the reply as plain terminal text (no colours, no Markdown marks). */
export function userViewText(reply: Reply | null): string {
  return reply ? renderReply(reply, { color: false, width: 100 }).trim() : '';
}

/** Plays each dialogue through a fresh core (its own in-memory conversation store) and collects the replies. */
export async function runDialogues(services: Services, dialogues: Dialogue[]): Promise<Array<{ id: string; replies: string[] }>> {
  const out: Array<{ id: string; replies: string[] }> = [];
  for (const dialogue of dialogues) {
    // An evaluation's answers are not user feedback: they go to a store in memory.
    const { core, memory, feedback } = createCoreWiring(services, { memoryKeyv: new Keyv(), feedback: createFeedbackStore({ path: ':memory:' }) });
    const thread = `eval-${dialogue.id}-${randomUUID().slice(0, 8)}`;
    const replies: string[] = [];
    try {
      for (const [i, turn] of dialogue.turns.entries()) {
        const message: IncomingMessage = {
          platform: 'console',
          workspace: 'eval',
          channel: 'conversations',
          thread,
          messageId: `${thread}-${i}`,
          user: 'eval-user',
          text: turn.user,
          isDirect: true,
          mentionsBot: true,
          eventId: `${thread}-${i}`,
          receivedAt: new Date(),
        };
        replies.push(userViewText(await core.handle(message)));
      }
    } finally {
      await memory.close().catch(() => undefined);
      await feedback.close().catch(() => undefined);
    }
    out.push({ id: dialogue.id, replies });
  }
  return out;
}

export async function runConversationEval(file: string, options: ConversationEvalOptions): Promise<ConversationEvalResult> {
  const pandaDir = resolve(options.pandaDir);
  if (!existsSync(pandaDir)) throw new InputError(`The --panda-dir directory ${pandaDir} does not exist.`);
  if (options.docs && !existsSync(options.docs)) throw new InputError(`The --docs path ${options.docs} does not exist.`);
  const dialogues = readJsonLines(file, dialogueSchema, 'dialogue');
  const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-conversations-'));
  try {
    const loaded = loadConfig(process.env, {
      dataDir,
      'panda.dir': pandaDir,
      'docs.sources': options.docs ? resolve(options.docs) : undefined,
      'llm.router': 'offline',
      'llm.answer': 'offline',
      'llm.analysis': 'offline',
      redisUrl: undefined,
      ...options.overrides,
    });
    // The evaluation is offline and local: no Redis, no vendor LLM, whatever the environment says.
    loaded.config.redisUrl = undefined;
    const services = createServices({ loaded, logger: createLogger({ level: 'warn', redact }) });
    try {
      const predictions = await runDialogues(services, dialogues);
      if (options.out) await writeFile(options.out, `${predictions.map((p) => JSON.stringify(p)).join('\n')}\n`, 'utf8');
      const score = scoreConversations(dialogues, new Map(predictions.map((p) => [p.id, p.replies])));
      return { predictions, score };
    } finally {
      await services
        .docStore()
        .then((store) => store.close())
        .catch(() => undefined);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function register(program: Command, _services: () => Services): void {
  evalCommand(program)
    .command('conversations <dialogues>')
    .description('play every dialogue (JSONL) as one new thread through the offline core and write the replies (score_conversations.py PRED format)')
    .option('--docs <dir>', 'documentation to ingest for docs answers (default: the demo primer)')
    .option('--out <pred.jsonl>', 'write {"id", "replies"} per dialogue here')
    .option('--per-dialogue', 'print one line per dialogue')
    .option('--json', 'print the metrics as one JSON object')
    .action(async (file: string, opts: { docs?: string; out?: string; perDialogue?: boolean; json?: boolean }) => {
      // --panda-dir is the program-wide option; it is required here.
      const { pandaDir } = program.opts<{ pandaDir?: string }>();
      if (!pandaDir) throw new InputError('eval conversations needs --panda-dir <dir> (jobs, tasks/ and cric/pandaqueues.json of the set).');
      const { score } = await runConversationEval(file, { pandaDir, docs: opts.docs, out: opts.out });
      if (opts.json) {
        const { lines: _lines, ...metrics } = score;
        process.stdout.write(`${JSON.stringify(metrics)}\n`);
      } else process.stdout.write(`${formatConversationScore(score, opts.perDialogue)}\n`);
    });
}
