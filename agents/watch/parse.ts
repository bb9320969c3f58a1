/** The watch commands typed in chat or given to the CLI: watch / unwatch / watches / digest. */
import type { WatchKind } from './types.js';
import { idArgument, isPlausibleId } from '../../src/contracts/ids.js';

export type WatchCommand =
  | { verb: 'watch'; kind: WatchKind; target: string }
  | { verb: 'unwatch'; kind: WatchKind; target: string }
  | { verb: 'unwatch-all' }
  | { verb: 'list' }
  | { verb: 'digest'; time: string }
  | { verb: 'digest-off' }
  | { verb: 'digest-show' };

export type ParsedWatchCommand = { ok: true; command: WatchCommand } | { ok: false; usage: string };

export const WATCH_USAGE = [
  '`watch task <jeditaskid>` · `watch site <site or queue>` · `watch error <component:code>` (e.g. `pilot:1099`)',
  '`unwatch task|site|error <…>` or `unwatch all` · `watches` lists this channel’s watches',
  '`digest daily <HH:MM>` (UTC) · `digest off` · `digest` shows it',
].join('\n');

/** Error components as the monitor's error summary names them, with the short names people type. */
const COMPONENTS: Record<string, string> = {
  pilot: 'pilot',
  exe: 'executor',
  executor: 'executor',
  ddm: 'dataservice',
  dataservice: 'dataservice',
  taskbuffer: 'taskbuffer',
  jobdispatcher: 'jobdispatcher',
  brokerage: 'brokerage',
  sup: 'supervisor',
  supervisor: 'supervisor',
  trf: 'transform',
  transform: 'transform',
};

function target(kind: WatchKind, raw: string | undefined): { ok: true; target: string } | { ok: false; usage: string } {
  const value = (raw ?? '').trim().replace(/^[<"'`]+|[>"'`.,;]+$/g, '');
  if (kind === 'task') {
    const id = idArgument(value);
    return id !== null && isPlausibleId('task', id) ? { ok: true, target: String(id) } : { ok: false, usage: 'Give a task id, e.g. `watch task 45500125`.' };
  }
  if (kind === 'site') {
    return /^[A-Za-z0-9][A-Za-z0-9_.-]{1,80}$/.test(value)
      ? { ok: true, target: value }
      : { ok: false, usage: 'Give a site or queue name as the monitor shows it, e.g. `watch site CERN-PROD`.' };
  }
  const m = /^([a-z]+)[:\s](-?\d{1,6})$/i.exec(value);
  const component = m ? COMPONENTS[(m[1] as string).toLowerCase()] : undefined;
  if (!m || !component) {
    return {
      ok: false,
      usage: `Give an error as component:code, e.g. \`watch error pilot:1099\` (components: ${[...new Set(Object.values(COMPONENTS))].join(', ')}).`,
    };
  }
  return { ok: true, target: `${component}:${Number(m[2])}` };
}

/**
 * Parses `text` (the command word first). Null when it is not a watch command at all (e.g. "watch
 * out for…"), so the message is answered as a question instead.
 */
export function parseWatchCommand(text: string): ParsedWatchCommand | null {
  const words = text
    .trim()
    .replace(/^\/?(panda-)?/i, '')
    .split(/\s+/);
  const verb = (words[0] ?? '').toLowerCase();
  const second = (words[1] ?? '').toLowerCase();
  if (verb === 'watches' && words.length === 1) return { ok: true, command: { verb: 'list' } };
  if (verb === 'watch' || verb === 'unwatch') {
    if (verb === 'unwatch' && second === 'all' && words.length === 2) return { ok: true, command: { verb: 'unwatch-all' } };
    if (verb === 'watch' && words.length === 1) return { ok: true, command: { verb: 'list' } };
    const kind = (['task', 'site', 'error'] as const).find((k) => k === second || `${k}s` === second || (k === 'site' && second === 'queue'));
    if (!kind) return verb === 'unwatch' ? { ok: false, usage: WATCH_USAGE } : null;
    if (words.length > 3) return { ok: false, usage: WATCH_USAGE };
    const t = target(kind, words[2]);
    return t.ok ? { ok: true, command: { verb, kind, target: t.target } } : { ok: false, usage: t.usage };
  }
  if (verb === 'digest') {
    if (words.length === 1) return { ok: true, command: { verb: 'digest-show' } };
    if (second === 'off' || second === 'stop') return { ok: true, command: { verb: 'digest-off' } };
    if (second !== 'daily') return null;
    const m = /^(\d{1,2}):(\d{2})$/.exec(words[2] ?? '');
    const h = Number(m?.[1]);
    const min = Number(m?.[2]);
    if (!m || h > 23 || min > 59 || words.length > 3) return { ok: false, usage: 'Give the time as HH:MM in UTC, e.g. `digest daily 07:30`.' };
    return { ok: true, command: { verb: 'digest', time: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` } };
  }
  return null;
}
