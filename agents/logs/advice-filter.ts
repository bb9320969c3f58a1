/**
 * Guard on advice text: commands in advice are text for the user to read — the bot never runs
 * them — and destructive shell commands are dropped from it altogether.
 */

/** Shell commands that delete, overwrite or give away data or machines. */
const DESTRUCTIVE: readonly RegExp[] = [
  /\brm\s+(?:-\w*[rRf]\w*\s+|--(?:recursive|force)\b)/,
  /\bchmod\s+(?:-\w*R\w*|--recursive)\b/,
  /\bchmod\s+(?:0?777|a\+rwx)\b/,
  /\bchown\s+(?:-\w*R\w*|--recursive)\b/,
  /\bdd\s+(?:if|of)=/,
  /\bmkfs(?:\.\w+)?\b/,
  /\bshred\b/,
  /\btruncate\s+-s\s*0\b/,
  /\bfind\b[^\n]*\s-(?:delete|exec\s+rm)\b/,
  /:\(\)\s*\{\s*:\|:&\s*\};:/,
  />\s*\/dev\/(?:sd|nvme|hd)/,
  /\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/,
  /\bkill\s+-9\s+-1\b/,
  /\bsudo\b/,
  /\bgit\s+push\s+(?:-f|--force)\b/,
  /\brucio\s+(?:erase|delete-rule|purge)/i,
];

export function isDestructive(text: string): boolean {
  return DESTRUCTIVE.some((re) => re.test(text));
}

/** Advice items without destructive commands; commands stay text (never executed). */
export function safeAdvice(items: readonly string[]): string[] {
  return items.filter((item) => !isDestructive(item));
}
