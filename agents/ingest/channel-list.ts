/**
 * The channels whose threads are ingested: the configured ones (`ASKPANDA_INGEST_CHANNELS`) plus
 * those an admin added at run time, minus those an admin removed — kept in a JSON file in the
 * data directory. Only users listed in `admins` (`platform:user`) may change the list.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../../src/errors.js';
import { type ChannelRef, parseChannelRef } from './sync.js';

interface ListFile {
  added: string[];
  removed: string[];
}

export interface ChannelList {
  channels(): ChannelRef[];
  add(entry: string, by: string): ChannelRef;
  remove(entry: string, by: string): ChannelRef;
}

export function createChannelList(options: {
  file: string;
  configured: readonly string[];
  admins: readonly string[];
  /** The registered chat platforms' names. */
  platforms: readonly string[];
}): ChannelList {
  const read = (): ListFile => (existsSync(options.file) ? (JSON.parse(readFileSync(options.file, 'utf8')) as ListFile) : { added: [], removed: [] });
  const write = (data: ListFile): void => {
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileSync(`${options.file}.tmp`, JSON.stringify(data, null, 2));
    renameSync(`${options.file}.tmp`, options.file);
  };
  const key = (r: ChannelRef): string => `${r.platform}:${r.channelId}`;
  const parse = (entry: string): ChannelRef => {
    const ref = parseChannelRef(entry, options.platforms);
    if (!ref) throw new InputError(`The channel "${entry}" is not of the form platform:channelId (${options.platforms.join(', ')}).`);
    return ref;
  };
  const authorise = (by: string): void => {
    if (!options.admins.includes(by)) throw new InputError(`The user ${by} is not an admin (ASKPANDA_ADMINS), so it cannot change the ingested channels.`);
  };
  const list: ChannelList = {
    channels() {
      const data = read();
      const all = new Map<string, ChannelRef>();
      for (const e of [...options.configured, ...data.added]) {
        const ref = parseChannelRef(e, options.platforms);
        if (ref) all.set(key(ref), ref);
      }
      for (const e of data.removed) all.delete(e);
      return [...all.values()];
    },
    add(entry, by) {
      authorise(by);
      const ref = parse(entry);
      const data = read();
      write({ added: [...new Set([...data.added, key(ref)])], removed: data.removed.filter((e) => e !== key(ref)) });
      return ref;
    },
    remove(entry, by) {
      authorise(by);
      const ref = parse(entry);
      const data = read();
      write({ added: data.added.filter((e) => e !== key(ref)), removed: [...new Set([...data.removed, key(ref)])] });
      return ref;
    },
  };
  return list;
}
