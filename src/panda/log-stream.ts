/**
 * Bounded log streams: at most `maxBytes` bytes are ever passed on, a tail read keeps only the last
 * `tail` bytes, and nothing holds the whole file in memory.
 */
import type { LogStream } from '../contracts/panda.js';

export interface BoundOptions {
  name: string;
  /** Total size of the file when known (before any range was applied). */
  size: number | null;
  maxBytes: number;
  /** Keep only the last N bytes of what `source` yields. */
  tail?: number;
  /** Bytes of `source` to drop before anything is kept (a tail read over a source without ranges). */
  skip?: number;
  /** The source was already cut to the tail by the server (HTTP Range). */
  alreadyTail?: boolean;
  /** The caller already cut the request to the cap (a tail longer than `maxBytes`). */
  truncatedFromStart?: boolean;
  /** Called once when the stream is finished or abandoned: releases sockets and files. */
  close?: () => void;
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Wraps a byte source into the contract's LogStream. */
export function boundLogStream(source: AsyncIterable<Uint8Array>, options: BoundOptions): LogStream {
  let truncated = options.truncatedFromStart ?? false;
  const { maxBytes } = options;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    options.close?.();
  };
  const wantTail = options.tail !== undefined && !options.alreadyTail ? options.tail : undefined;

  async function* head(): AsyncGenerator<Uint8Array> {
    let skip = options.skip ?? 0;
    let sent = 0;
    try {
      for await (const raw of source) {
        let chunk = asBuffer(raw);
        if (skip > 0) {
          if (chunk.length <= skip) {
            skip -= chunk.length;
            continue;
          }
          chunk = chunk.subarray(skip);
          skip = 0;
        }
        if (sent + chunk.length > maxBytes) {
          const room = maxBytes - sent;
          if (room > 0) yield chunk.subarray(0, room);
          truncated = true;
          return;
        }
        sent += chunk.length;
        yield chunk;
      }
    } finally {
      close();
    }
  }

  /** Source without ranges and unknown size: keep a bounded window of the last bytes. */
  async function* tailWindow(keep: number): AsyncGenerator<Uint8Array> {
    const window: Buffer[] = [];
    let held = 0;
    try {
      for await (const raw of source) {
        const chunk = asBuffer(raw);
        window.push(chunk);
        held += chunk.length;
        while (window.length > 1 && held - (window[0]?.length ?? 0) >= keep) held -= window.shift()?.length ?? 0;
      }
    } finally {
      close();
    }
    let all = Buffer.concat(window);
    if (all.length > keep) all = all.subarray(all.length - keep);
    if (all.length > maxBytes) {
      truncated = true;
      all = all.subarray(all.length - maxBytes);
    }
    if (all.length > 0) yield all;
  }

  const generator = wantTail !== undefined && options.skip === undefined ? tailWindow(wantTail) : head();
  // A generator that was never started skips its `finally` on return(): close the source explicitly,
  // so a consumer that opens a log and walks away does not leak a socket or a file handle.
  const stream: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: () => generator.next(),
      return: async (value?: unknown) => {
        const result = await generator.return(value as undefined);
        close();
        return result;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    }),
  };

  return {
    name: options.name,
    size: options.size,
    stream,
    get truncated() {
      return truncated;
    },
  };
}
