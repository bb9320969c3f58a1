import { idArgument } from '../../src/contracts/ids.js';
import type { ActionClick, SlashCommand } from '../../src/contracts/message.js';

/** Slash commands the bot understands (without the slash). */
export const SLASH_COMMANDS = ['panda-job', 'panda-forget'] as const;

/** Parses a platform slash command (`/panda-job`, `panda-job`) into the contract form, or null. */
export function parseSlashCommand(command: string, text: string): SlashCommand | null {
  const name = command.trim().replace(/^\//, '').toLowerCase();
  if (!(SLASH_COMMANDS as readonly string[]).includes(name)) return null;
  return { name, args: text.trim() };
}

/**
 * The PanDA job ID in `/panda-job` arguments (a number or a monitor link), or null: the core reads the
 * same argument with the same `idArgument`. The arguments themselves are never echoed: they are user
 * text (`<!channel>`, links).
 */
export function jobIdArgument(command: SlashCommand): string | null {
  const id = idArgument(command.args);
  return id === null ? null : String(id);
}

const JOB_USAGE = 'Usage: /panda-job <pandaid>, e.g. /panda-job 6601000006 (the number, or its monitor link).';

/** The immediate answer to a slash command, shown before any work starts. */
export function acknowledgement(command: SlashCommand): string {
  if (command.name === 'panda-job') {
    const id = jobIdArgument(command);
    if (id) return `Looking at PanDA job ${id}: the analysis will appear in a thread.`;
    return command.args ? `That is not a PanDA job ID. ${JOB_USAGE}` : JOB_USAGE;
  }
  return 'Forgetting this conversation.';
}

/** The text of the root message a threaded slash-command analysis hangs under. */
export function analysisRootText(command: SlashCommand, userMention: string): string {
  return `🔎 PanDA job ${jobIdArgument(command) ?? '(no valid job ID given)'}: analysis requested by ${userMention}`;
}

/** True for 👍/👎 clicks, whose answer goes only to the clicking user where the platform allows it. */
export function isFeedback(action: ActionClick | undefined): boolean {
  return action?.id === 'feedback-up' || action?.id === 'feedback-down';
}

export const WORKING_TEXT = '⏳ Working on it…';
