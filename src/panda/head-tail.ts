/**
 * Reads a log for analysis within a byte cap: the whole log when it fits, otherwise its head and its
 * tail (half the cap each) and the one-line notice saying so.
 */
import type { PandaSource } from '../contracts/panda.js';
import { logTooLargeNotice } from './panda-errors.js';

export interface LogHeadTail {
  name: string;
  size: number | null;
  head: Buffer;
  /** Present only when the log was larger than the cap. */
  tail: Buffer | null;
  truncated: boolean;
  /** One sentence for the user when the log was cut. */
  notice: string | null;
}

/** Reads a stream into memory, stopping (and closing it) after `limit` bytes. */
async function collect(stream: AsyncIterable<Uint8Array>, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk));
    total += chunk.length;
    if (total >= limit) break;
  }
  const all = Buffer.concat(chunks);
  return all.length > limit ? all.subarray(0, limit) : all;
}

export async function readLogHeadTail(
  source: PandaSource,
  pandaid: number,
  filename: string,
  options: { maxBytes: number; signal?: AbortSignal },
): Promise<LogHeadTail> {
  const half = Math.max(1, Math.floor(options.maxBytes / 2));
  const first = await source.openLog(pandaid, filename, { maxBytes: options.maxBytes, signal: options.signal });
  if (first.size !== null && first.size > options.maxBytes) {
    // Known to be too large: read only the head, then the tail.
    const head = await collect(first.stream, half);
    const tailStream = await source.openLog(pandaid, filename, { tail: half, maxBytes: half, signal: options.signal });
    const tail = await collect(tailStream.stream);
    return { name: filename, size: first.size, head, tail, truncated: true, notice: logTooLargeNotice(pandaid, filename, first.size, options.maxBytes) };
  }
  const head = await collect(first.stream);
  if (!first.truncated) return { name: filename, size: first.size ?? head.length, head, tail: null, truncated: false, notice: null };
  const tailStream = await source.openLog(pandaid, filename, { tail: half, maxBytes: half, signal: options.signal });
  const tail = await collect(tailStream.stream);
  return {
    name: filename,
    size: first.size,
    head: head.subarray(0, half),
    tail,
    truncated: true,
    notice: logTooLargeNotice(pandaid, filename, first.size, options.maxBytes),
  };
}
