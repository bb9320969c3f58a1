/** Vitest global setup: one line when `../shared` is absent, so a lone clone's skips are explained. */
import { existsSync } from 'node:fs';
import { SHARED_DIR } from './shared.js';

export default function setup(): void {
  if (!existsSync(SHARED_DIR)) {
    process.stdout.write(`../shared not found beside this checkout: suites that need the shared evaluation data are skipped (their titles say which).\n`);
  }
}
