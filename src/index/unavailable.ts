import { AskPandaError } from '../errors.js';

export const INDEX_REBUILDING_TEXT =
  'The documentation index is being rebuilt, so I cannot search the documentation right now. Please ask again in a few minutes.';

/** The document index cannot be read (deleted, corrupt) and is being rebuilt; `reason` says what was found. */
export class IndexUnavailableError extends AskPandaError {
  readonly reason: string;
  constructor(reason: string, cause?: unknown) {
    super('upstream_unreachable', INDEX_REBUILDING_TEXT, cause);
    this.name = 'IndexUnavailableError';
    this.reason = reason;
  }
}
