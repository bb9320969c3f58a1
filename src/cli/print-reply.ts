import { renderReply } from '../../adapters/console/render.js';
import { type Reply, type ReplyAction, withoutMarksDeep } from '../contracts/reply.js';
import { redactDeep } from '../logs/index.js';

/** What a button of the reply is on the command line (feedback buttons have no one-shot form). */
function cliHint(action: ReplyAction): string | null {
  if (action.id === 'expert') return `${action.label}: askpanda job ${action.value} --expert`;
  if (action.id === 'analyse-job') return `${action.label}: askpanda job ${action.value}`;
  return null;
}

/** True when a one-shot answer is an error: the core's error reply, or an agent's error notice ("job … was not found"). */
export function isErrorReply(reply: Reply): boolean {
  return Boolean(reply.correlationId) || reply.blocks.some((b) => b.kind === 'notice' && b.level === 'error');
}

/** Prints a reply for one-shot commands: terminal text (buttons as the commands that do the same), or JSON with image bytes summarised. */
export function printReply(unsafe: Reply, options: { json?: boolean }): void {
  // The redaction boundary for the one-shot commands (ask, task): terminal text and --json alike.
  const reply = redactDeep(unsafe);
  if (options.json) {
    const { attachments, ...rest } = reply;
    const shown = {
      ...withoutMarksDeep(rest),
      attachments: attachments?.map((a) => ({ filename: a.filename, mimeType: a.mimeType, bytes: a.data.byteLength, alt: a.alt })),
    };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const color = Boolean(process.stdout.isTTY);
  const hints = (reply.actions ?? []).map(cliHint).filter((h): h is string => h !== null);
  process.stdout.write(renderReply({ ...reply, actions: undefined }, { color, width: process.stdout.columns ?? 100 }));
  if (hints.length) process.stdout.write(`\n${color ? '\x1b[2m' : ''}${hints.join('   ')}${color ? '\x1b[0m' : ''}\n`);
}
