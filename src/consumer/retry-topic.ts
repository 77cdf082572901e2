import type { Producer } from 'kafkajs';
import { backoffDelayMs } from '../backoff.js';
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
  /** A cap on passes through the retry topic; none when the handler decides (the resolver's horizon). */
  maxAttempts?: number;
  baseDelayMs: number;
  /** Cap on one delay (default 5 minutes). */
  maxDelayMs?: number;
}

export const defaultMaxRetryDelayMs = 5 * 60_000;

/** The runner's delay when the handler names none: the service's one backoff policy. */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  return backoffDelayMs(
    attempt,
    { baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs ?? defaultMaxRetryDelayMs },
    { random },
  );
}

/** The retry state of a consumed message: 0 retries and no delay for an input message. */
export interface RetryState {
  /** How many times it was sent to the retry topic (x-retry-attempt, 0 when absent). */
  retries: number;
  /** Epoch ms before which it should not be handled (x-retry-not-before), 0 when absent. */
  notBefore: number;
  /** Epoch ms of the first transient failure (x-retry-since), null on a first delivery. */
  since?: number | null;
  /** Transient failures per tier so far (x-retry-tiers). */
  tierAttempts?: Record<string, number>;
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

/** `tmdb=3,imdb.blocked=1` → { tmdb: 3, 'imdb.blocked': 1 }; malformed parts are dropped. */
function parseTierAttempts(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (text ?? '').split(',')) {
    const [name, count] = part.split('=');
    if (name === undefined || !/^[a-z][a-z0-9._]{0,40}$/.test(name)) continue;
    const n = nonNegativeInt(count);
    if (n > 0) out[name] = n;
  }
  return out;
}

function formatTierAttempts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name}=${n}`)
    .join(',');
}

export function readRetryState(headers: Record<string, string>, consumed: Coordinates): RetryState {
  const fromRetry = headers[headerNames.originalTopic] !== undefined;
  const since = nonNegativeInt(headers[headerNames.retrySince]);
  return {
    retries: nonNegativeInt(headers[headerNames.retryAttempt]),
    notBefore: nonNegativeInt(headers[headerNames.retryNotBefore]),
    since: since > 0 ? since : null,
    tierAttempts: parseTierAttempts(headers[headerNames.retryTiers]),
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
  /** The handler's updated retry state; by default the first failure is now and the counts stay. */
  since?: number;
  tierAttempts?: Readonly<Record<string, number>>;
}

export function retryHeaders(copy: RetryCopy): Record<string, string> {
  return {
    ...copy.headers,
    [headerNames.retryAttempt]: String(copy.state.retries + 1),
    [headerNames.retryNotBefore]: String(copy.now + copy.delayMs),
    [headerNames.retryReason]: headerValue(copy.reason),
    [headerNames.retrySince]: String(copy.since ?? copy.state.since ?? copy.now),
    [headerNames.retryTiers]: formatTierAttempts(copy.tierAttempts ?? copy.state.tierAttempts ?? {}),
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
