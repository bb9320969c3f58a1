import type Keyv from 'keyv';
import type { JobStatus, StatusStore } from './types.js';

const INDEX_KEY = '__jobs__';

/** Job statuses in a Keyv (SQLite in the data directory, or Redis), shared by every replica. */
export function createStatusStore(keyv: Keyv): StatusStore {
  return {
    async get(name) {
      return (await keyv.get(`job:${name}`)) as JobStatus | undefined;
    },
    async set(status) {
      await keyv.set(`job:${status.name}`, status);
      const names = ((await keyv.get(INDEX_KEY)) as string[] | undefined) ?? [];
      if (!names.includes(status.name)) await keyv.set(INDEX_KEY, [...names, status.name].sort());
    },
    async all() {
      const names = ((await keyv.get(INDEX_KEY)) as string[] | undefined) ?? [];
      const statuses = await Promise.all(names.map((n) => keyv.get(`job:${n}`) as Promise<JobStatus | undefined>));
      return statuses.filter((s): s is JobStatus => s !== undefined);
    },
  };
}
