import type { Producer } from 'kafkajs';
import { headerNames, headerValue } from './headers.js';

/**
 * The retry topic: a message whose handling failed transiently is copied there (original
 * bytes and key) with the attempt count and the earliest time to try again, and the input
 * offset is committed. The runner consumes the retry topic too and waits out the delay.
 * Order per key is not kept across a retry: a later nomination of the same film may be
 * handled before the retried one (they are independent upserts keyed by nomination id).
 */

/** The retry settings of the runner (Config['chain'].retry plus a cap on the delay). */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap on one delay (default 5 minutes). */
  maxDelayMs?: number;
}

export const defaultMaxRetryDelayMs = 5 * 60_000;

/**
 * base × 2^(attempt-1), capped, with "equal jitter" (half fixed, half random) so that a
 * burst of failures does not come back as a burst.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const cap = policy.maxDelayMs ?? defaultMaxRetryDelayMs;
  const exponential = Math.min(cap, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** The retry state of a consumed message: 0 retries and no delay for an input message. */
export interface RetryState {
  /** How many times it was sent to the retry topic (x-retry-attempt, 0 when absent). */
  retries: number;
  /** Epoch ms before which it should not be handled (x-retry-not-before), 0 when absent. */
  notBefore: number;
  /** Coordinates where it first arrived (kept across retries for the dead-letter headers). */
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
}

function nonNegativeInt(text: string | undefined): number {
  const n = Number(text);
  return text !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Where a message was consumed. */
export interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

export function readRetryState(headers: Record<string, string>, consumed: Coordinates): RetryState {
  const fromRetry = headers[headerNames.originalTopic] !== undefined;
  return {
    retries: nonNegativeInt(headers[headerNames.retryAttempt]),
    notBefore: nonNegativeInt(headers[headerNames.retryNotBefore]),
    originalTopic: headers[headerNames.originalTopic] ?? consumed.topic,
    originalPartition: fromRetry
      ? nonNegativeInt(headers[headerNames.originalPartition])
      : consumed.partition,
    originalOffset: fromRetry ? (headers[headerNames.originalOffset] ?? consumed.offset) : consumed.offset,
  };
}

/** What to republish and why. */
export interface RetryCopy {
  key: Buffer | null;
  value: Buffer | null;
  /** Headers the message arrived with; retry headers are replaced, others kept. */
  headers: Record<string, string>;
  state: RetryState;
  reason: string;
  delayMs: number;
  now: number;
}

export function retryHeaders(copy: RetryCopy): Record<string, string> {
  return {
    ...copy.headers,
    [headerNames.retryAttempt]: String(copy.state.retries + 1),
    [headerNames.retryNotBefore]: String(copy.now + copy.delayMs),
    [headerNames.retryReason]: headerValue(copy.reason),
    [headerNames.originalTopic]: copy.state.originalTopic,
    [headerNames.originalPartition]: String(copy.state.originalPartition),
    [headerNames.originalOffset]: copy.state.originalOffset,
  };
}

/** Publishes the copy and resolves once the broker acknowledged it (acks from all ISRs). */
export async function publishRetry(producer: Producer, retryTopic: string, copy: RetryCopy): Promise<void> {
  await producer.send({
    topic: retryTopic,
    acks: -1,
    messages: [{ key: copy.key, value: copy.value, headers: retryHeaders(copy) }],
  });
}
