import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';
import type { JobStatus, MaintenanceJob } from './types.js';

function dirBytes(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += dirBytes(join(path, name));
  return total;
}

/** Bytes per top-level entry of the data directory (index, memory, caches, analyses). */
export function dataDirSizes(dataDir: string): Record<string, number> {
  if (!existsSync(dataDir)) return {};
  const sizes: Record<string, number> = {};
  for (const name of readdirSync(dataDir).sort()) sizes[name] = dirBytes(join(dataDir, name));
  return sizes;
}

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export interface StatusReportInput {
  jobs: ReadonlyArray<Pick<MaintenanceJob, 'name' | 'cron'>>;
  statuses: JobStatus[];
  sizes: Record<string, number>;
  /** Extra lines (memory conversations, adapters, replica role). */
  facts?: Record<string, string | number>;
  now?: number;
}

/** Plain-text status: one line per job (when, outcome, what it found), then sizes. */
export function formatStatus(input: StatusReportInput): string {
  const now = input.now ?? Date.now();
  const byName = new Map(input.statuses.map((s) => [s.name, s]));
  const names = [...new Set([...input.jobs.map((j) => j.name), ...byName.keys()])];
  const lines = ['Maintenance jobs:'];
  for (const name of names) {
    const s = byName.get(name);
    const cron = input.jobs.find((j) => j.name === name)?.cron ?? s?.cron ?? '';
    if (!s) {
      lines.push(`• ${name} (${cron}): never ran`);
      continue;
    }
    lines.push(
      `• ${name} (${cron}): ${s.outcome} ${ago(s.lastRunAt, now)} (${s.lastRunAt}, ${s.durationMs} ms, on ${s.replica}; ${s.runs} runs, ${s.failures} failed): ${s.summary}`,
    );
  }
  const sizeEntries = Object.entries(input.sizes);
  lines.push('Data directory:');
  if (sizeEntries.length === 0) lines.push('• empty');
  for (const [name, bytes] of sizeEntries) lines.push(`• ${name}: ${human(bytes)}`);
  const facts = Object.entries(input.facts ?? {});
  if (facts.length) {
    lines.push('Runtime:');
    for (const [k, v] of facts) lines.push(`• ${k}: ${v}`);
  }
  return lines.join('\n');
}

/**
 * The admin-only `status` chat command: answers users listed in ASKPANDA_ADMINS (`platform:user`
 * or a bare user id) and returns null for everyone else, so their "status" is routed normally.
 */
export function createStatusCommand(options: { admins: readonly string[]; report: () => Promise<string> }) {
  const admins = new Set(options.admins.map((a) => a.toLowerCase()));
  return async (message: IncomingMessage): Promise<Reply | null> => {
    const ids = [
      `${message.platform}:${message.user}`,
      message.user,
      ...(message.userName ? [`${message.platform}:${message.userName}`, message.userName] : []),
    ];
    if (!ids.some((id) => admins.has(id.toLowerCase()))) return null;
    const text = await options.report();
    return {
      blocks: [
        { kind: 'heading', text: 'Ask PanDA status' },
        { kind: 'code', text },
      ],
      summary: 'Ask PanDA status report',
    };
  };
}
