/** Watch records (types in src/contracts/watch.ts) and their keys. */
import type { Place, WatchKind } from '../../src/contracts/watch.js';

export type {
  ActiveCondition,
  DigestSubscription,
  Place,
  SiteObservation,
  Watch,
  WatchKind,
  WatchState,
  WatchStore,
} from '../../src/contracts/watch.js';

export function placeKey(place: Place): string {
  return `${place.platform}:${place.workspace}:${place.channel}`;
}

export function watchId(place: Place, kind: WatchKind, target: string): string {
  return `${placeKey(place)}|${kind}:${target}`;
}
