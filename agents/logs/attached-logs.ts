/**
 * Logs a user attached to the question (Slack file_share and the like): for the job the message
 * names they stand in for the job's own copy of that log, so the analysis reads what the user saw.
 * A file whose name is not a known log name is taken as the pilot log when it reads like one
 * (`| pilot.` module columns), else as the payload's stdout.
 */
import { createHash } from 'node:crypto';
import type { InboundFile } from '../../src/contracts/message.js';
import type { LogFileInfo, LogStream, PandaSource } from '../../src/contracts/panda.js';

const KNOWN = new Set(['pilotlog.txt', 'payload.stdout', 'payload.stderr', 'athena_stdout.txt', 'log.RAWtoALL', 'log.EVNTtoHITS']);

function logName(file: InboundFile): string {
  if (KNOWN.has(file.name) || /pilotlog/.test(file.name)) return file.name;
  return /\|\s*pilot\.[\w.]+\s*\|/.test(file.text ?? '') ? 'pilotlog.txt' : 'payload.stdout';
}

/** The text files of a message, or nothing. */
export function attachedTextLogs(files: InboundFile[] | undefined): Array<{ name: string; text: string }> {
  return (files ?? []).flatMap((f) => (typeof f.text === 'string' && f.text.trim() ? [{ name: logName(f), text: f.text }] : []));
}

/** `panda` with the attached logs in place of (or beside) the job's own, for job `pandaid` only. */
export function withAttachedLogs(panda: PandaSource, pandaid: number, logs: Array<{ name: string; text: string }>): PandaSource {
  const byName = new Map(logs.map((l) => [l.name, Buffer.from(l.text, 'utf8')]));
  const digest = createHash('sha256')
    .update(logs.map((l) => `${l.name}\n${l.text}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  // Every method delegated by name: `panda` may be a class whose methods a spread would drop.
  return {
    description: `${panda.description} + attached logs ${digest}`,
    getJob: (id, signal) => panda.getJob(id, signal),
    getTask: (id, signal) => panda.getTask(id, signal),
    getTaskJobs: (id, options) => panda.getTaskJobs(id, options),
    listJobs: (filter, options) => panda.listJobs(filter, options),
    listTasks: (filter, signal) => panda.listTasks(filter, signal),
    getErrorSummary: (hours, signal) => panda.getErrorSummary(hours, signal),
    jobUrl: (id) => panda.jobUrl(id),
    taskUrl: (id) => panda.taskUrl(id),
    async listLogFiles(id, signal) {
      const own = await panda.listLogFiles(id, signal).catch((error: unknown) => {
        if (id === pandaid) return [] as LogFileInfo[];
        throw error;
      });
      if (id !== pandaid) return own;
      const attached = [...byName].map(([name, bytes]) => ({ name, size: bytes.byteLength, dirname: 'attached', modification: null }));
      return [...attached, ...own.filter((f) => !byName.has(f.name))];
    },
    async openLog(id, filename, options = {}): Promise<LogStream> {
      const bytes = id === pandaid ? byName.get(filename) : undefined;
      if (!bytes) return panda.openLog(id, filename, options);
      const start = options.tail ? Math.max(0, bytes.byteLength - options.tail) : 0;
      const end = options.maxBytes ? Math.min(bytes.byteLength, start + options.maxBytes) : bytes.byteLength;
      const slice = bytes.subarray(start, end);
      return {
        name: filename,
        size: bytes.byteLength,
        truncated: end < bytes.byteLength,
        stream: (async function* () {
          yield slice;
        })(),
      };
    },
  };
}
