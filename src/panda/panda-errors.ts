/** The sentences users see when the monitor or CRIC fails. Each names the object and the cause. */
import { UpstreamError } from '../errors.js';

/** Capitalises the first letter: subjects are written mid-sentence ("job 123"). */
function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} B`;
}

export const pandaErrors = {
  /** `place` includes its preposition: "on the monitor at https://…", "in the demo data". */
  notFound(subject: string, place: string, detail?: string): UpstreamError {
    return new UpstreamError('not_found', `${cap(subject)} was not found ${place}${detail ? ` (${detail})` : ''}.`, { status: 404 });
  },
  loginRequired(subject: string, where: string, tokenVariable: string): UpstreamError {
    return new UpstreamError('login_required', `${cap(where)} asked for a login when fetching ${subject} — set ${tokenVariable}.`);
  },
  unauthorized(subject: string, where: string, status: number, tokenVariable: string): UpstreamError {
    return new UpstreamError('unauthorized', `${cap(where)} rejected the credentials when fetching ${subject} (HTTP ${status}) — check ${tokenVariable}.`, {
      status,
    });
  },
  unreachable(subject: string, where: string, cause: unknown): UpstreamError {
    const reason = (cause as { code?: string } | undefined)?.code ?? (cause instanceof Error ? cause.message : 'connection failed');
    return new UpstreamError('upstream_unreachable', `${cap(where)} could not be reached when fetching ${subject} (${reason}).`, { cause });
  },
  timeout(subject: string, where: string, timeoutMs: number, cause?: unknown): UpstreamError {
    return new UpstreamError('upstream_timeout', `${cap(where)} did not answer within ${Math.round(timeoutMs / 100) / 10} s when fetching ${subject}.`, {
      cause,
    });
  },
  rateLimited(subject: string, where: string, retryAfterMs: number | null): UpstreamError {
    const after = retryAfterMs ? `; try again in ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return new UpstreamError('rate_limited', `${cap(where)} kept refusing requests for ${subject} as too many (HTTP 429)${after}.`, { status: 429 });
  },
  /** HTTP 429 without Retry-After: BigPanDA's per-IP hourly request limit (1000/hour by default). */
  rateLimitedPerHour(subject: string, where: string): UpstreamError {
    return new UpstreamError(
      'rate_limited',
      `${cap(where)} refused the request for ${subject} as one too many (HTTP 429, no Retry-After): its limit is counted per hour (1000 requests per IP by default), so retrying now would not help — try again later, or ask the monitor team to raise the limit for this bot's address.`,
      { status: 429 },
    );
  },
  status(subject: string, where: string, status: number, detail?: string): UpstreamError {
    return new UpstreamError('upstream_error', `${cap(where)} answered HTTP ${status} for ${subject}${detail ? `: ${detail}` : ''}.`, { status });
  },
  invalid(subject: string, where: string, detail: string, cause?: unknown): UpstreamError {
    return new UpstreamError('upstream_error', `${cap(where)} sent an unreadable answer for ${subject} (${detail}).`, { cause });
  },
  tooLarge(subject: string, where: string, capBytes: number): UpstreamError {
    return new UpstreamError('too_large', `${cap(where)}'s answer for ${subject} is larger than the ${formatBytes(capBytes)} cap.`);
  },
};

/** One line said when a log was cut to the cap: the analysis saw only its head and tail. */
export function logTooLargeNotice(pandaid: number, filename: string, size: number | null, capBytes: number): string {
  const sized = size !== null ? ` is ${formatBytes(size)},` : ' is';
  return `The log ${filename} of job ${pandaid}${sized} larger than the ${formatBytes(capBytes)} cap, so only its head and tail were analysed.`;
}
