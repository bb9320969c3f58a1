/** Deterministic randomness for the demo generator (mulberry32), so every run writes the same bytes. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  hex(length: number): string;
  guid(): string;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number): string => Array.from({ length }, () => int(0, 15).toString(16)).join('');
  return {
    next,
    int,
    hex,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${['8', '9', 'A', 'B'][int(0, 3)]}${hex(3)}-${hex(12)}`.toUpperCase(),
    chance: (p) => next() < p,
  };
}

/** `YYYY-MM-DD HH:MM:SS` (the monitor's /job format), UTC. */
export function monitorTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DDTHH:MM:SS` (the monitor's /jobs/ and /tasks/ format), UTC. */
export function isoNoZone(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `YYYY-MM-DD HH:MM:SS,mmm` (the pilot's log time stamp), UTC. */
export function pilotTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/** Adler-32 style checksum text (8 hex digits) for invented files. */
export function adler(rng: Rng): string {
  return rng.hex(8);
}
