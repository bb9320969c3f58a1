/**
 * The chat platforms, bound to the config that was loaded for them. The list itself is
 * `adapters/platforms.ts` (one line per platform module); every list of platform names (the watch
 * CLI's `--in`, the channels ingestion accepts, the thread export's `platform`) reads `PLATFORM_NAMES`;
 * the name types in src/contracts are plain strings checked against it.
 */
import { PLATFORMS } from '../../adapters/platforms.js';
import { type BoundPlatform, bindPlatform } from '../../adapters/shared/platform.js';
import type { LoadedConfig } from '../config.js';

/** The registered chat platforms' names, in registration order. */
export const PLATFORM_NAMES: readonly string[] = PLATFORMS.map((p) => p.name);

/** The platforms the config was loaded for, each bound to its section. */
export function platforms(loaded: Pick<LoadedConfig, 'config' | 'platforms'>): BoundPlatform[] {
  return loaded.platforms.map((p) => bindPlatform(p, loaded.config));
}
