import type { IHeaders } from 'kafkajs';

/** Headers the runner writes on the retry and dead-letter copies of a message. */
export const headerNames = {
  retryAttempt: 'x-retry-attempt',
  retryNotBefore: 'x-retry-not-before',
  retryReason: 'x-retry-reason',
  /** Epoch ms of the first transient failure: the retry horizon runs from it. */
  retrySince: 'x-retry-since',
  /** Transient failures counted per tier, `tmdb=3,imdb.blocked=1`. */
  retryTiers: 'x-retry-tiers',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  dlqReason: 'x-dlq-reason',
  dlqErrorCode: 'x-dlq-error-code',
  dlqAt: 'x-dlq-at',
} as const;

/** Header values as UTF-8 strings (kafkajs gives Buffers, arrays for repeated headers: last wins). */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value === undefined) continue;
    out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}

/** Header values are bounded so that a huge error message cannot blow up a record. */
export function headerValue(text: string, maxLength = 1000): string {
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
