/**
 * Reads a thread export (one JSON thread per line, the discussions-dev format) into DiscussionThreads.
 * A line's `platform` is a registered platform's name: the caller passes the names (`PLATFORM_NAMES`
 * of src/cli/platforms.ts, from the platform modules), so adding a platform does not touch this file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DiscussionThread } from '../../src/contracts/discussions.js';
import { InputError } from '../../src/errors.js';

const messageSchema = z.object({
  id: z.string(),
  user: z.string(),
  user_display: z.string().optional(),
  ts: z.string(),
  text: z.string(),
  reactions: z.array(z.object({ name: z.string(), users: z.array(z.string()) })).default([]),
  edited: z.boolean().optional(),
});

export const exportedThreadSchema = z.object({
  platform: z.string().min(1),
  channel: z.object({ id: z.string(), name: z.string(), private: z.boolean() }),
  thread_id: z.string(),
  permalink: z.string(),
  messages: z.array(messageSchema).min(1),
  label: z.record(z.string(), z.unknown()).optional(),
});
export type ExportedThread = z.infer<typeof exportedThreadSchema>;

export function toDiscussionThread(t: ExportedThread): DiscussionThread {
  return {
    platform: t.platform,
    channel: { platform: t.platform, ...t.channel },
    threadId: t.thread_id,
    permalink: t.permalink,
    messages: t.messages.map((m) => ({
      id: m.id,
      user: m.user,
      ...(m.user_display ? { userDisplay: m.user_display } : {}),
      ts: m.ts,
      text: m.text,
      reactions: m.reactions,
      ...(m.edited ? { edited: true } : {}),
    })),
  };
}

/** Parses JSON lines with a schema; a bad line is an InputError naming the file and line. */
export function readJsonLines<T>(file: string, schema: z.ZodType<T>, what: string): T[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`The ${what} file ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, error);
  }
  return raw
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim())
    .map(({ line, n }) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new InputError(`Line ${n} of ${file} is not valid JSON.`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new InputError(`Line ${n} of ${file} is not a ${what} (${parsed.error.issues[0]?.message ?? 'invalid'}).`);
      return parsed.data;
    });
}

/** The export's threads; a line naming a platform outside `platforms` is an InputError listing them. */
export function readThreadExport(file: string, platforms: readonly string[]): ExportedThread[] {
  const schema = exportedThreadSchema.superRefine((t, ctx) => {
    if (!platforms.includes(t.platform))
      ctx.addIssue({ code: 'custom', path: ['platform'], message: `platform "${t.platform}" is not one of ${platforms.join(', ')}` });
  });
  return readJsonLines(file, schema, 'thread export');
}
