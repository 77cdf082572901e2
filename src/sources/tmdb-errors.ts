import { classifyHttpStatus, headerValue, parseRetryAfter } from './http-client.js';
import { tmdbErrorSchema } from './tmdb-schemas.js';
import type { Failure } from './upstream-call.js';

const authCodes = new Set([3, 7, 10, 14, 16, 17, 30, 31, 33, 35]);
const notFoundCodes = new Set([6, 34, 37]);
const transientCodes = new Set([9, 11, 15, 24, 25, 43, 46]);

/**
 * Maps a TMDb error response. The body's `status_code` is TMDb's own reason and wins over
 * the HTTP status (https://developer.themoviedb.org/docs/errors); the status decides only
 * when the body is not TMDb's error shape (a proxy's 502 page, say).
 */
export function tmdbFailure(
  status: number,
  headers: unknown,
  body: unknown,
  request: string,
): Failure | 'not_found' {
  const parsed = tmdbErrorSchema.safeParse(body);
  if (parsed.success) {
    const { status_code: code, status_message: upstream } = parsed.data;
    const reason = `${request} answered ${status}: TMDb status ${code} (${upstream})`;
    if (authCodes.has(code)) return { kind: 'auth_failed', reason, status };
    if (notFoundCodes.has(code)) return 'not_found';
    if (transientCodes.has(code) || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
      return { kind: 'transient', reason, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { kind: 'invalid_response', reason, status };
  }
  const byStatus = classifyHttpStatus(status, headers, request);
  if (byStatus === undefined)
    return {
      kind: 'invalid_response',
      reason: `${request} answered ${status} with an unreadable body`,
      status,
    };
  if (byStatus.kind === 'not_found') return 'not_found';
  return {
    kind: byStatus.kind,
    reason: byStatus.message,
    status,
    ...(byStatus.retryAfterMs === undefined ? {} : { retryAfterMs: byStatus.retryAfterMs }),
  };
}
