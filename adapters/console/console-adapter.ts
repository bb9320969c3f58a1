import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChatAdapter, MessageHandler } from '../../src/contracts/chat.js';
import type { ActionClick, IncomingMessage, SlashCommand } from '../../src/contracts/message.js';
import type { Reply, ReplyAction } from '../../src/contracts/reply.js';
import type { Logger } from '../../src/log.js';
import { renderReply } from './render.js';

export interface ConsoleAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  logger: Logger;
  /** Force colours and the prompt on or off (default: output.isTTY). */
  interactive?: boolean;
  /** Where image attachments are written (the data directory). */
  attachmentDir?: string;
  user?: string;
  /** Shown once after start (e.g. "Using demo data: …"). */
  banner?: string[];
  /** After this many ms without an answer a "working…" line is shown (interactive only). */
  workingAfterMs?: number;
}

export interface ConsoleAdapter extends ChatAdapter {
  /** Resolves when the input ends (Ctrl-D or end of piped input) and every answer was printed. */
  readonly closed: Promise<void>;
}

const CONSOLE_HELP = [
  'Console commands: /new starts a new thread · /panda-job <pandaid> · /expert shows the expert view of the last analysis',
  "/up or /down rates the last answer · /forget erases this thread's memory · /help · Ctrl-D exits",
].join('\n');

/** The default adapter: a terminal REPL where each line continues the current thread. */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const interactive = options.interactive ?? Boolean(options.output.isTTY);
  const style = { color: interactive, width: options.output.columns ?? 100 };
  const user = options.user ?? 'console-user';
  let thread = randomUUID();
  let lastActions: ReplyAction[] = [];
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let rl: ReturnType<typeof createInterface> | undefined;

  const write = (text: string) => options.output.write(text);

  function message(text: string, extra: { command?: SlashCommand; action?: ActionClick } = {}): IncomingMessage {
    const id = randomUUID();
    return {
      platform: 'console',
      workspace: 'local',
      channel: 'terminal',
      thread,
      messageId: id,
      user,
      text,
      isDirect: true,
      mentionsBot: true,
      eventId: id,
      receivedAt: new Date(),
      ...extra,
    };
  }

  /** Maps a typed line to a message, or handles it locally (returns null). */
  function parseLine(line: string): IncomingMessage | null {
    const text = line.trim();
    if (!text) return null;
    if (text === '/new') {
      thread = randomUUID();
      lastActions = [];
      write('Started a new thread.\n');
      return null;
    }
    if (text === '/help') {
      write(`${CONSOLE_HELP}\n`);
      return message('', { command: { name: 'help', args: '' } });
    }
    const slash = /^\/(panda-[a-z]+|forget)\b\s*(.*)$/.exec(text);
    if (slash) {
      const name = slash[1] === 'forget' ? 'panda-forget' : (slash[1] as string);
      return message(text, { command: { name, args: slash[2] ?? '' } });
    }
    const act = /^\/(expert|up|down|act)\b\s*(.*)$/.exec(text);
    if (act) {
      const wanted = act[1] === 'up' ? 'feedback-up' : act[1] === 'down' ? 'feedback-down' : act[1] === 'act' ? (act[2] ?? '') : 'expert';
      const action = lastActions.find((a) => a.id === wanted);
      if (!action && (wanted === 'feedback-up' || wanted === 'feedback-down')) return message(text, { action: { id: wanted, value: '' } });
      if (!action) {
        write(`There is no "${wanted}" action on the last answer.\n`);
        return null;
      }
      return message(text, { action: { id: action.id, value: action.value } });
    }
    return message(text);
  }

  async function saveAttachments(reply: Reply): Promise<string[]> {
    if (!options.attachmentDir || !reply.attachments?.length) return [];
    await mkdir(options.attachmentDir, { recursive: true });
    const paths: string[] = [];
    for (const attachment of reply.attachments) {
      const path = join(options.attachmentDir, `${Date.now()}-${attachment.filename}`);
      await writeFile(path, attachment.data);
      paths.push(path);
    }
    return paths;
  }

  async function answer(handler: MessageHandler, incoming: IncomingMessage): Promise<void> {
    let working = false;
    const timer = interactive
      ? setTimeout(() => {
          working = true;
          write('\x1b[2mworking…\x1b[0m');
        }, options.workingAfterMs ?? 400)
      : undefined;
    let reply: Reply | null;
    try {
      reply = await handler(incoming);
    } finally {
      clearTimeout(timer);
      if (working) write('\r\x1b[K');
    }
    if (!reply) return;
    if (reply.actions?.some((a) => a.id !== 'feedback-up' && a.id !== 'feedback-down')) lastActions = reply.actions;
    else if (reply.actions) lastActions = [...lastActions.filter((a) => a.id === 'expert'), ...reply.actions];
    write(renderReply(reply, style, await saveAttachments(reply)));
    write('\n');
  }

  return {
    name: 'console',
    closed,
    async start(handler) {
      for (const line of options.banner ?? []) write(`${line}\n`);
      if (interactive) write(`Ask PanDA — type a question, /help for commands, Ctrl-D to quit.\n`);
      rl = createInterface({ input: options.input, terminal: false });
      const prompt = () => {
        if (interactive) write('askpanda> ');
      };
      const run = async () => {
        prompt();
        for await (const line of rl as AsyncIterable<string>) {
          const incoming = parseLine(line);
          if (incoming) {
            try {
              await answer(handler, incoming);
            } catch (error) {
              options.logger.error({ err: error }, 'console answer failed');
              write('Sorry, that failed; see the log.\n');
            }
          }
          prompt();
        }
        if (interactive) write('\n');
        resolveClosed();
      };
      void run();
    },
    async stop() {
      rl?.close();
      await closed;
    },
    async post(target, reply) {
      // The console is one conversation: a proactive message is printed with where it was addressed.
      const thread = target.thread ?? randomUUID();
      write(`${renderReply(reply, style, await saveAttachments(reply))}\n`);
      return { thread };
    },
  };
}
