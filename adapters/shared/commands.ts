import type { ActionClick, SlashCommand } from '../../src/contracts/message.js';

/** Slash commands the bot understands (without the slash). */
export const SLASH_COMMANDS = ['panda-job', 'panda-forget'] as const;

/** Parses a platform slash command (`/panda-job`, `panda-job`) into the contract form, or null. */
export function parseSlashCommand(command: string, text: string): SlashCommand | null {
  const name = command.trim().replace(/^\//, '').toLowerCase();
  if (!(SLASH_COMMANDS as readonly string[]).includes(name)) return null;
  return { name, args: text.trim() };
}

/** The immediate answer to a slash command, shown before any work starts. */
export function acknowledgement(command: SlashCommand): string {
  if (command.name === 'panda-job') {
    return command.args
      ? `Looking at PanDA job ${command.args}: the analysis will appear in a thread.`
      : 'Usage: /panda-job <pandaid>. Looking anyway; the answer will appear in a thread.';
  }
  return 'Forgetting this conversation.';
}

/** The text of the root message a threaded slash-command analysis hangs under. */
export function analysisRootText(command: SlashCommand, userMention: string): string {
  return `🔎 PanDA job ${command.args || '(no id given)'}: analysis requested by ${userMention}`;
}

/** True for 👍/👎 clicks, whose answer goes only to the clicking user where the platform allows it. */
export function isFeedback(action: ActionClick | undefined): boolean {
  return action?.id === 'feedback-up' || action?.id === 'feedback-down';
}

export const WORKING_TEXT = '⏳ Working on it…';
