/**
 * Where watches, their state, what was sent and digest subscriptions live: a Keyv over SQLite (one
 * process) or Redis (replicas). "Sent" markers are claimed first-writer-wins through `claim` (the
 * state's `claimOnce`: Redis SET NX, or a row in the SQLite lease table), else a read-then-write
 * that is safe inside one process.
 */
import type Keyv from 'keyv';
import type { DigestSubscription, Place, Watch, WatchState, WatchStore } from '../contracts/watch.js';

export interface WatchStoreOptions {
  keyv: Keyv;
  /** Atomic set-if-absent across replicas (Redis SET NX PX); omitted → within this process. */
  claim?: (key: string, ttlMs: number) => Promise<boolean>;
  release?: (key: string) => Promise<void>;
}

const emptyState = (): WatchState => ({ checks: 0, history: [], known: [], active: {}, episodes: {} });
const placeKey = (place: Place): string => `${place.platform}:${place.workspace}:${place.channel}`;

const INDEX = 'watch:index';
const DIGESTS = 'digest:index';

export function createWatchStore(options: WatchStoreOptions): WatchStore {
  const { keyv } = options;
  const local = new Map<string, Promise<unknown>>();
  /** Serialises read-modify-write of one key inside this process. */
  const serial = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = local.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    local.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  };
  const ids = async (): Promise<string[]> => ((await keyv.get(INDEX)) as string[] | undefined) ?? [];

  return {
    async listWatches() {
      const out: Watch[] = [];
      for (const id of await ids()) {
        const w = (await keyv.get(`watch:${id}`)) as Watch | undefined;
        if (w) out.push(w);
      }
      return out;
    },
    getWatch: async (id) => (await keyv.get(`watch:${id}`)) as Watch | undefined,
    addWatch: (watch) =>
      serial(INDEX, async () => {
        if (await keyv.get(`watch:${watch.id}`)) return false;
        await keyv.set(`watch:${watch.id}`, watch);
        const list = await ids();
        if (!list.includes(watch.id)) await keyv.set(INDEX, [...list, watch.id]);
        return true;
      }),
    removeWatch: (id) =>
      serial(INDEX, async () => {
        const existed = Boolean(await keyv.get(`watch:${id}`));
        await keyv.delete([`watch:${id}`, `wstate:${id}`]);
        await keyv.set(
          INDEX,
          (await ids()).filter((x) => x !== id),
        );
        return existed;
      }),
    async updateWatch(watch) {
      if (await keyv.get(`watch:${watch.id}`)) await keyv.set(`watch:${watch.id}`, watch);
    },
    getState: async (id) => ((await keyv.get(`wstate:${id}`)) as WatchState | undefined) ?? emptyState(),
    setState: async (id, state) => {
      await keyv.set(`wstate:${id}`, state);
    },
    claim: (key, ttlMs) =>
      options.claim
        ? options.claim(key, ttlMs)
        : serial(`claim:${key}`, async () => {
            if (await keyv.get(`sent:${key}`)) return false;
            await keyv.set(`sent:${key}`, Date.now(), ttlMs);
            return true;
          }),
    release: async (key) => {
      if (options.release) await options.release(key);
      else await keyv.delete(`sent:${key}`);
    },
    postTimes: async (place) => ((await keyv.get(`posts:${placeKey(place)}`)) as number[] | undefined) ?? [],
    recordPost: (place, at, keepMs) =>
      serial(`posts:${placeKey(place)}`, async () => {
        const key = `posts:${placeKey(place)}`;
        const times = (((await keyv.get(key)) as number[] | undefined) ?? []).filter((t) => t > at - keepMs);
        await keyv.set(key, [...times, at], keepMs);
      }),
    async listDigests() {
      const out: DigestSubscription[] = [];
      for (const key of ((await keyv.get(DIGESTS)) as string[] | undefined) ?? []) {
        const d = (await keyv.get(`digest:${key}`)) as DigestSubscription | undefined;
        if (d) out.push(d);
      }
      return out;
    },
    setDigest: (digest) =>
      serial(DIGESTS, async () => {
        const key = placeKey(digest.place);
        await keyv.set(`digest:${key}`, digest);
        const list = ((await keyv.get(DIGESTS)) as string[] | undefined) ?? [];
        if (!list.includes(key)) await keyv.set(DIGESTS, [...list, key]);
      }),
    removeDigest: (place) =>
      serial(DIGESTS, async () => {
        const key = placeKey(place);
        const existed = Boolean(await keyv.get(`digest:${key}`));
        await keyv.delete(`digest:${key}`);
        await keyv.set(
          DIGESTS,
          (((await keyv.get(DIGESTS)) as string[] | undefined) ?? []).filter((x) => x !== key),
        );
        return existed;
      }),
  };
}
