import { renderReply } from '../../adapters/console/render.js';
import type { Reply } from '../contracts/reply.js';

/** Prints a reply for one-shot commands: terminal text, or JSON with image bytes summarised. */
export function printReply(reply: Reply, options: { json?: boolean }): void {
  if (options.json) {
    const { attachments, ...rest } = reply;
    const shown = { ...rest, attachments: attachments?.map((a) => ({ filename: a.filename, mimeType: a.mimeType, bytes: a.data.byteLength, alt: a.alt })) };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  } else {
    process.stdout.write(renderReply(reply, { color: Boolean(process.stdout.isTTY), width: process.stdout.columns ?? 100 }));
  }
}
