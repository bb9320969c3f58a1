/**
 * Splits text into chunks of at most `limit` characters. Lines are kept whole when they fit; a fenced
 * code block cut by a chunk boundary is closed at the end of one chunk and reopened (same language)
 * at the start of the next, so every chunk renders on its own.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError(`splitText: limit ${limit} is too small (minimum 16)`);
  if (text.length <= limit) return [text];
  const chunks: string[] = [];
  let current = '';
  let fence: string | null = null; // the opening line of the code block we are inside, e.g. "```python"
  const closing = '\n```';

  const flush = (): void => {
    if (current.length === 0) return;
    chunks.push(fence ? `${current}${closing}` : current);
    current = fence ? fence : '';
  };
  const budget = (): number => limit - (fence ? closing.length : 0);
  const append = (line: string): void => {
    const addition = current.length === 0 ? line : `\n${line}`;
    if (current.length + addition.length <= budget()) {
      current += addition;
      return;
    }
    const reopened = fence ?? '';
    if (current.length > 0 && current !== reopened) flush();
    // The line alone may still be too long: hard-split it.
    let rest = line;
    while (rest.length > 0) {
      const prefix = current.length === 0 ? '' : '\n';
      const room = budget() - current.length - prefix.length;
      if (rest.length <= room) {
        current += prefix + rest;
        return;
      }
      current += prefix + rest.slice(0, Math.max(room, 1));
      rest = rest.slice(Math.max(room, 1));
      flush();
    }
  };

  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    const isFence = trimmed.startsWith('```');
    if (isFence && fence) {
      // Closing fence: must land in the same chunk as the content it closes.
      if (current.length + 1 + line.length > limit) {
        // flush() closes the block itself; drop the reopened fence it leaves behind.
        flush();
        current = '';
      } else {
        current += current.length === 0 ? line : `\n${line}`;
      }
      fence = null;
      continue;
    }
    if (isFence) {
      // Opening fence: start the block where at least one line of content fits after it.
      if (current.length + 1 + line.length + closing.length + 1 > limit) flush();
      current += current.length === 0 ? line : `\n${line}`;
      fence = trimmed;
      continue;
    }
    append(line);
  }
  if (current.length > 0 && current !== fence) chunks.push(fence ? `${current}${closing}` : current);
  return chunks;
}
