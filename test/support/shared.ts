/**
 * The read-only evaluation material that lives beside a checkout in `../shared` (dev sets, error-code
 * tables, the CRIC snapshot, the documentation corpus). CI has it; a person who clones the project
 * alone does not. Suites that need it call `needShared(...)` and skip with a one-line reason in their
 * title when it is absent, so `npm test` is green on a lone clone and complete in CI.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the checkout; ASKPANDA_TEST_SHARED_DIR points elsewhere (a missing folder shows a lone clone). */
export const SHARED_DIR = process.env.ASKPANDA_TEST_SHARED_DIR?.replace(/\/?$/, '/') ?? fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Absolute path of a file or folder under `../shared`. */
export function sharedPath(rel: string): string {
  return `${SHARED_DIR}${rel.replace(/^\/+/, '')}`;
}

export interface SharedNeed {
  /** True when any of the needed paths is absent: pass to `describe.skipIf` / `it.skipIf`. */
  readonly missing: boolean;
  /** '' when present, else ` [skipped: ../shared/<first missing path> is not beside this checkout]`. */
  readonly note: string;
}

/** What a suite needs from `../shared`; append `note` to its title so a skip says why. */
export function needShared(...rels: string[]): SharedNeed {
  const absent = rels.find((rel) => !existsSync(sharedPath(rel)));
  return absent === undefined ? { missing: false, note: '' } : { missing: true, note: ` [skipped: ../shared/${absent} is not beside this checkout]` };
}
