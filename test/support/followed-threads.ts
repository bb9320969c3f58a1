import Keyv from 'keyv';
import type { FollowedThreads } from '../../src/contracts/chat.js';
import { createFollowedThreads } from '../../src/state/followed-threads.js';

/** The followed-threads store over an in-memory Keyv: what one process without a data directory would keep. */
export function localFollowedThreads(): FollowedThreads {
  return createFollowedThreads({ keyv: new Keyv(), ttlMs: 3_600_000 });
}
