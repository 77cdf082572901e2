import { headerNames } from '../../consumer/headers.js';
import { UsageError } from '../usage-error.js';

/**
 * `--filter` of replay-dlq: `reason~text` (the dead-letter reason contains the text) or
 * `code=INVALID_FIELD` (the error code equals it), both case-insensitive; several filters
 * must all match.
 */

/** One parsed filter. */
export type DlqFilter = { kind: 'reason'; contains: string } | { kind: 'code'; equals: string };

export function parseDlqFilter(text: string): DlqFilter {
  const reason = /^reason~(.+)$/i.exec(text);
  if (reason?.[1] !== undefined) return { kind: 'reason', contains: reason[1].toLowerCase() };
  const code = /^code=(.+)$/i.exec(text);
  if (code?.[1] !== undefined) return { kind: 'code', equals: code[1].toLowerCase() };
  throw new UsageError(`--filter must be reason~<text> or code=<CODE>; got ${JSON.stringify(text)}`);
}

export function matchesFilters(headers: Record<string, string>, filters: readonly DlqFilter[]): boolean {
  const reason = (headers[headerNames.dlqReason] ?? '').toLowerCase();
  const code = (headers[headerNames.dlqErrorCode] ?? '').toLowerCase();
  return filters.every((f) => (f.kind === 'reason' ? reason.includes(f.contains) : code === f.equals));
}
